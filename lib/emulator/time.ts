/** Timestamps in the API's format `YYYY-MM-DDTHH:MM:SS.mmm+0000`. */

/** Format epoch milliseconds the way the API does. */
export function dcmTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** The API's "unknown" timestamp. */
export const EPOCH_ZERO = '1970-01-01T00:00:00.000+0000';
