/**
 * Request bodies of `dcm-post` / `dcm-put`: given as an argument, as `@file.json`, or on stdin
 * (`-`, or no argument when stdin is not a terminal). JSON is validated before anything is sent,
 * and a Python-dict literal is accepted too; a bad body is a
 * ParamsError showing the line and column. XML bodies (`--xml`) are sent as they are.
 */
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { ParamsError, parseParams, MAX_PARAMS_BYTES } from './params/index.js';
import { filePath, type CliIO } from './io.js';
import { usage } from './args.js';

/** Largest body read from a file or stdin. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The text of the body: the argument itself, a file's content (`@path`) or stdin (`-`). */
export async function readBodyText(arg: string | undefined, io: Pick<CliIO, 'stdin' | 'cwd'>, command: string, stdinIsTTY: boolean): Promise<{ text: string; source: string }> {
  if (arg !== undefined && arg.startsWith('@') && arg.length > 1) {
    const file = arg.slice(1);
    const data = await readFile(filePath(io, file));
    if (data.length > MAX_BODY_BYTES) throw usage(command, `${file} is larger than ${MAX_BODY_BYTES} bytes`);
    return { text: data.toString('utf8'), source: file };
  }
  if (arg === '-' || (arg === undefined && io.stdin !== undefined && !stdinIsTTY)) {
    if (io.stdin === undefined) throw usage(command, 'no standard input to read the body from');
    return { text: await readStream(io.stdin, command), source: 'stdin' };
  }
  if (arg === undefined) throw usage(command, 'give a body: JSON text, @file.json, or - to read standard input');
  return { text: arg, source: 'argument' };
}

async function readStream(stream: Readable, command: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw usage(command, `standard input is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Parses a JSON body (object or array), or a Python-dict literal. Throws ParamsError with the
 * position of the first problem. `source` names where the text came from, for the message.
 */
export function parseBody(text: string, source: string): unknown {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new ParamsError({ reason: `the body (${source}) is empty`, input: text });
  try {
    return JSON.parse(trimmed) as unknown;
  } catch (error) {
    if (trimmed.startsWith('{') && Buffer.byteLength(trimmed) <= MAX_PARAMS_BYTES) {
      // Not JSON: perhaps a Python dict literal; if not, this reports where it went wrong.
      return parseParams(trimmed);
    }
    const position = /position (\d+)/.exec((error as Error).message);
    throw new ParamsError({
      reason: `the body (${source}) is not valid JSON: ${(error as Error).message.replace(/ in JSON at position \d+.*$/, '')}`,
      input: trimmed,
      index: position ? Number(position[1]) : undefined,
    });
  }
}
