import { readFileSync } from 'node:fs';

/** A shipped fixture (spec/fixtures/<scope>/<file>), parsed afresh each call. */
export function loadFixture<T = Record<string, Record<string, unknown>[]>>(path: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as T;
}

export function serverItems(): Record<string, unknown>[] {
  return loadFixture('infrastructure/server.json').servers;
}
