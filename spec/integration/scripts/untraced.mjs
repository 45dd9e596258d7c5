// The package as installed, used without OpenTelemetry (run with hide-otel.cjs preloaded): an async
// listing, a synchronous lazy read and an action with its job. Prints what it read as JSON.
const { Server, configure } = await import('mixcoatl');
const { startEmulatorInWorker } = await import('mixcoatl/emulator');
const emu = await startEmulatorInWorker({ port: 0, jobDelayMs: 0 });
try {
  configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false });
  const servers = await Server.all({ include: ['region'] });
  const running = servers.find((s) => s.status === 'RUNNING');
  const [first] = await emu.items('infrastructure/Server');
  const name = new Server(first.serverId, {}).name;
  await (await running.stop({ reason: 'untraced' })).wait({ intervalMs: 0 });
  process.stdout.write(`${JSON.stringify({ servers: servers.length, region: typeof running.region.name, name: name === first.name })}\n`);
} finally {
  await emu.close();
}
