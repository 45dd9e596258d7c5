/** Fake streams and environment for CLI specs: every write is collected for assertions. */
import type { CliIO, Env } from '../../../lib/cli/io.js';

export class MemoryStream {
  readonly chunks: string[] = [];
  columns: number | undefined;

  constructor(columns?: number) {
    this.columns = columns;
  }

  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }

  get text(): string {
    return this.chunks.join('');
  }
}

export interface FakeIO extends CliIO {
  stdout: MemoryStream;
  stderr: MemoryStream;
}

export function fakeIO(options: { env?: Env; isTTY?: boolean; columns?: number; cwd?: string } = {}): FakeIO {
  return {
    stdout: new MemoryStream(options.columns),
    stderr: new MemoryStream(options.columns),
    env: options.env ?? {},
    cwd: options.cwd ?? '/tmp',
    isTTY: options.isTTY ?? false,
  };
}
