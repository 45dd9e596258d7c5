/**
 * The set-up every client integration spec shares: one emulator in a worker thread for the file
 * (a synchronous read blocks this thread, so the server must run elsewhere), the client configured
 * for it before each test with a clean identity map and a reset emulator, and everything undone
 * at the end.
 */
import { clearIdentityMaps, configure, resetConfiguration } from '../../lib/index.js';
import { startEmulatorInWorker, type EmulatorHandle } from '../../lib/emulator/index.js';

/** Registers the hooks; the returned function gives the running emulator inside tests. */
export function useClientEmulator(options: { beforeEach?: () => void | Promise<void> } = {}): () => EmulatorHandle {
  let emulator: EmulatorHandle | undefined;
  beforeAll(async () => {
    emulator = await startEmulatorInWorker({ port: 0, jobDelayMs: 0 });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  beforeEach(async () => {
    const emu = emulator as EmulatorHandle;
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, retry: { limit: 0 } });
    clearIdentityMaps();
    await emu.reset();
    await options.beforeEach?.();
  });
  afterEach(() => resetConfiguration());
  return () => {
    if (!emulator) throw new Error('the emulator is not running (use it inside a test)');
    return emulator;
  };
}
