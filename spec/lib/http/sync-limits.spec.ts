/**
 * A synchronous read never hangs: it has a budget of its own (30 s by default, attempts and pauses
 * included), and a read of an emulator served by the blocked thread itself is refused at once.
 */
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { clearIdentityMaps, configure, requestSync, request, resetConfiguration, Server, TimeoutError, UsageError, type Transport, type WireRequest, type WireResponse } from '../../../lib/index.js';
import { startEmulator, type EmulatorHandle } from '../../../lib/emulator/index.js';
import { servedOnThisThread } from '../../../lib/http/bridge.js';
import { workerModules } from '../../support/sync-worker-control.js';

const ok: WireResponse = { statusCode: 200, headers: {}, body: '{"jobs":[]}', durationMs: 1, attempts: 1 };

/** Records what the client hands the transport. */
class RecordingTransport implements Transport {
  readonly sync: { request: WireRequest; timeoutMs: number }[] = [];
  readonly async: WireRequest[] = [];
  async send(req: WireRequest): Promise<WireResponse> {
    this.async.push(req);
    return ok;
  }
  sendSync(req: WireRequest, timeoutMs: number): WireResponse {
    this.sync.push({ request: req, timeoutMs });
    return ok;
  }
}

afterEach(() => {
  resetConfiguration();
  clearIdentityMaps();
});

describe('the budget of a synchronous read', () => {
  const keys = { endpoint: 'https://dcm.example.test/api/enstratus/2015-05-25', accessKey: 'ak', secretKey: 'sk', envFile: false } as const;

  it('is 30 s by default, retries included, while an async request keeps timeout.total', async () => {
    const transport = new RecordingTransport();
    configure({ ...keys, transport });
    requestSync('GET', 'admin/Job');
    await request('GET', 'admin/Job');
    expect(transport.sync[0].request.timeout.total).toBe(30_000);
    expect(transport.sync[0].request.retry.limit).toBe(3);
    // The caller waits a little longer than the worker, whose own timeouts then end the read.
    expect(transport.sync[0].timeoutMs).toBe(32_000);
    expect(transport.async[0].timeout.total).toBe(300_000);
  });

  it('is syncTimeoutMs when configured, and timeout.total when that is shorter', () => {
    const transport = new RecordingTransport();
    configure({ ...keys, transport, syncTimeoutMs: 5_000 });
    requestSync('GET', 'admin/Job');
    configure({ timeout: { total: 1_000 } });
    requestSync('GET', 'admin/Job');
    expect(transport.sync.map((s) => s.request.timeout.total)).toEqual([5_000, 1_000]);
  });

  describe('against a server that accepts connections and never answers', () => {
    let silent: NetServer;
    const sockets = new Set<Socket>();
    let url: string;

    beforeAll(async () => {
      // Served by this thread: while the read blocks, the kernel still accepts the connection.
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/api/enstratus/2015-05-25`;
      // Start the worker first: under Jest it compiles the sources on load, which must not eat
      // into the short budget below.
      workerModules(30_000);
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('ends in a TimeoutError naming the budget, not after the per-attempt timeouts', () => {
      configure({ endpoint: url, accessKey: 'ak', secretKey: 'sk', envFile: false, syncTimeoutMs: 400 });
      let error: unknown;
      try {
        requestSync('GET', 'admin/Job');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as Error).message).toContain('total timeout of 400 ms');
    });
  });
});

describe('a synchronous read of an emulator served by this thread', () => {
  let emu: EmulatorHandle;
  let id: number;

  beforeAll(async () => {
    emu = await startEmulator({ seed: 3 });
    id = (await emu.items('infrastructure/Server'))[0].serverId as number;
  });
  afterAll(async () => {
    await emu?.close();
  });

  it.each([
    ['127.0.0.1', (u: string) => u],
    ['localhost', (u: string) => u.replace('127.0.0.1', 'localhost')],
  ])('fails at once with a UsageError naming startEmulatorInWorker (endpoint host %s), sending nothing', async (_host, endpoint) => {
    configure({ endpoint: endpoint(emu.url), accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false });
    let error: unknown;
    try {
      void new Server(id).name;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ code: 'ESAMETHREAD' });
    expect((error as Error).message).toContain('startEmulatorInWorker()');
    expect(await emu.requestLog()).toEqual([]);
  });

  it('leaves the async API working, and other servers readable synchronously', async () => {
    configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false });
    expect((await Server.get(id)).name).toBeTruthy();
    configure({ endpoint: 'http://127.0.0.1:1/api/enstratus/2015-05-25', retry: { limit: 0 } });
    expect(() => requestSync('GET', 'admin/Job')).toThrow(/ECONNREFUSED/);
  });

  it('is no longer refused once the emulator is closed', async () => {
    const other = await startEmulator({ seed: 4 });
    expect(servedOnThisThread(`${other.url}/admin/Job`)).toBe(other.origin);
    await other.close();
    expect(servedOnThisThread(`${other.url}/admin/Job`)).toBeUndefined();
    expect(servedOnThisThread(`${emu.url}/admin/Job`)).toBe(emu.origin);
  });
});
