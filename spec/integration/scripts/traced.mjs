// A traced service, as a user writes one: the OpenTelemetry SDK with an in-memory exporter and the
// async-hooks context manager, the package as installed (its bundled entry), the emulator in a
// worker thread. Prints one JSON line: the finished spans, the keys, and how many requests arrived.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

const { Server, apply, clearIdentityMaps, configure } = await import('mixcoatl');
const { startEmulatorInWorker } = await import('mixcoatl/emulator');
const emu = await startEmulatorInWorker({ port: 0, jobDelayMs: 0 });
try {
  configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false });
  const tracer = trace.getTracer('spec');
  // An async request handler: a listing with an include, a lazy read, an action and its job.
  await tracer.startActiveSpan('handler', async (span) => {
    const servers = await Server.all({ include: ['region'] });
    const running = servers.find((s) => s.status === 'RUNNING');
    void running.region.name;
    clearIdentityMaps();
    const lazy = new Server(running.serverId);
    void lazy.description;
    const job = await lazy.stop({ reason: 'traced' });
    await job.wait({ intervalMs: 0 });
    span.end();
  });
  // A synchronous handler: a lazy read inside its active span.
  clearIdentityMaps();
  const [first] = await emu.items('infrastructure/Server');
  tracer.startActiveSpan('sync handler', (span) => {
    void new Server(first.serverId).name;
    span.end();
  });
  // An apply run of one record: the run and its step.
  const [center] = await emu.items('geography/DataCenter');
  await apply([{ type: 'Volume', name: 'traced', description: 'traced volume', sizeInGb: 1, budget: 10287, dataCenter: center.dataCenterId }], { intervalMs: 0 });
  const spans = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    kind: s.kind,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    attributes: s.attributes,
    status: s.status,
  }));
  const log = await emu.requestLog();
  process.stdout.write(`${JSON.stringify({ spans, secretKey: emu.secretKey, accessKey: emu.accessKey, requests: log.length })}\n`);
} finally {
  await emu.close();
}
