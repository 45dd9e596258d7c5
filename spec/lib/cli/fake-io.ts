/** Fake streams and environment for CLI specs: every write is collected for assertions. */
import type { CliIO, Env } from '../../../lib/cli/io.js';
import { startEmulator, type EmulatorHandle } from '../../../lib/emulator/index.js';

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

/**
 * An emulator for the suite (started before it, closed after it) and the environment that points
 * the CLI at it; read both inside tests.
 */
export function suiteEmulator(): { emulator: () => EmulatorHandle; env: () => Record<string, string> } {
  let emulator: EmulatorHandle | undefined;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  const running = (): EmulatorHandle => {
    if (!emulator) throw new Error('the suite emulator is not running');
    return emulator;
  };
  return {
    emulator: running,
    env: () => ({ ES_ENDPOINT: running().url, ES_ACCESS_KEY: running().accessKey, ES_SECRET_KEY: running().secretKey, HOME: '/nonexistent' }),
  };
}
