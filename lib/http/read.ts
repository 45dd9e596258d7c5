/**
 * The one read path: an outcome checked (its typed error thrown), its body parsed (parse.ts), and
 * for a listing the array under the collection's name extracted. Every reader of a collection
 * (`all()`, a single load, planning, recovery) and of a body (`apiVersions()`, apply's writes)
 * goes through these, so a read fails the same way wherever it is made.
 */
import type { ApiRequest, ApiResponse } from './request.js';
import { perform, type Outcome } from './client.js';
import { extractCollection, parseJsonBody } from './parse.js';

/** An outcome that has a response (no error): what {@link checkedBody} leaves. */
export type Answered = Outcome & { response: ApiResponse };

/** The parsed body of an outcome; the outcome's typed error is thrown instead when it has one. */
export function checkedBody(outcome: Outcome): unknown {
  if (outcome.error) throw outcome.error;
  return parseJsonBody(outcome.response as ApiResponse, outcome.wire);
}

/**
 * The items of a listing's outcome: the array of objects under `collection` in the envelope, or,
 * for a resource that is one object (`flat`), the body itself as the one item. A body of another
 * shape is a ResponseError (`EENVELOPE`, naming `collection`); the outcome's error is thrown first.
 */
export function collectionItems(outcome: Outcome, collection: string, flat = false): Record<string, unknown>[] {
  const parsed = checkedBody(outcome);
  if (flat && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return [parsed as Record<string, unknown>];
  return extractCollection(parsed, collection, outcome.response as ApiResponse, outcome.wire);
}

/**
 * Reads a collection: sends the request (a GET), then {@link collectionItems}; the outcome comes
 * back too, for its record.
 */
export async function readCollection(request: ApiRequest, collection: string, flat = false): Promise<{ items: Record<string, unknown>[]; outcome: Answered }> {
  const outcome = await perform(request);
  return { items: collectionItems(outcome, collection, flat), outcome: outcome as Answered };
}
