/**
 * `npm start`: a short tour of the library and the CLI against the built-in emulator.
 *
 * The emulator runs in a worker thread (a synchronous read blocks this thread, so the server
 * must live elsewhere); the demo configures the client with the emulator's demo keys, then shows
 * what a user meets first: a synchronous lazy read, a listing, pprint, a typed 404, a launch
 * whose job is waited on, and `dcm-get`. Nothing here touches the network beyond 127.0.0.1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEmulatorInWorker } from './emulator/index.js';
import { apply, configure, configureJournal, exportRecords, formatPlan, managedTypes, NotFoundError, offline, parseRecords, provenanceOf, Server, ValidationError, Volume, withBudget } from './index.js';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[22m` : s);

function section(title: string, code: string): void {
  console.log(`\n${bold(`── ${title}`)}`);
  for (const line of code.trim().split('\n')) console.log(`  > ${line}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const emulator = await startEmulatorInWorker({ port: 0, jobDelayMs: 150 });
  console.log(`Emulator of the DCM API listening at ${emulator.url}`);
  console.log(`(start one yourself with: npx dcm sim --port 15000)`);
  try {
    configure({ endpoint: emulator.url, accessKey: emulator.accessKey, secretKey: emulator.secretKey, envFile: false });
    // The demo's writes are not kept in the user's journal of real work.
    configureJournal({ enabled: false });

    section('A lazy object: construction is free, the first read is ONE signed GET', `
const server = new Server(331810)
server.name`);
    const server = new Server(331810);
    console.log(`  server.lastRequest before the read: ${JSON.stringify(server.lastRequest)} (no I/O yet)`);
    console.log(`  ${JSON.stringify(server.name)}`);
    const first = server.lastRequest;
    console.log(`  lastRequest: ${first?.method} ${first?.url} → ${first?.statusCode} in ${first?.durationMs} ms`);
    console.log(`  server.status, server.providerProductId: ${server.status}, ${server.providerProductId} (no further request: ${server.lastRequest === first})`);

    section('A listing is one request; its items are already loaded', `
const servers = await Server.all()
servers.map((s) => s.name)`);
    const servers = await Server.all();
    console.log(`  ${servers.length} servers: ${servers.slice(0, 5).map((s) => s.name).join(', ')}${servers.length > 5 ? ', …' : ''}`);

    section('pprint() prints every attribute', 'servers[0].pprint()');
    const printed = servers[0]!.pprint();
    void printed;

    section('Finding things by what you know: names, regions, e-mails; filters are checked', `
await Server.find({ region: 'us-west-2', status: 'RUNNING' })
await Volume.find({ server: 'Sample-Tier-independent-node-0' })
await Server.findOne({ owningUser: { email: 'sean.kang@enstratus.com' }, name: /^jdsAD/ })
await Server.all({ regionID: 19344 })`);
    const running = await Server.find({ region: 'us-west-2', status: 'RUNNING' });
    console.log(`  ${running.length} running in us-west-2: ${running.map((s) => s.name).join(', ')}`);
    const volumes = await Volume.find({ server: 'Sample-Tier-independent-node-0' });
    console.log(`  its volumes: ${volumes.map((v) => `${v.name} (${v.sizeInGb} GB)`).join(', ')}`);
    const owned = await Server.findOne({ owningUser: { email: 'sean.kang@enstratus.com' }, name: /^jdsAD/ });
    console.log(`  found by owner and name: ${String(owned.id)} ${owned.name}`);
    try {
      await Server.all({ regionID: 19344 } as never);
    } catch (error) {
      console.log(`  ${(error as ValidationError).name}: ${(error as Error).message}`);
    }

    section('Controlling requests: include references, forbid or cap requests, ask where a value came from', `
const listed = await Server.all({ include: ['region'] })
offline(() => listed.map((s) => s.region.name))
await withBudget(1, async () => { await Server.get(331810); await Server.get(329613) })
provenanceOf(listed[0], 'name')`);
    const listed = await Server.all({ include: ['region'] });
    console.log(`  regions, read offline: ${[...new Set(offline(() => listed.map((s) => s.region.name)))].join(', ')}`);
    try {
      await withBudget(1, async () => {
        await Server.get(331810);
        await Server.get(329613);
      });
    } catch (error) {
      console.log(`  ${(error as Error).name}: ${(error as Error).message.replace(/ at .*$/, '')}`);
    }
    const origin = provenanceOf(listed[0]!, 'name');
    console.log(`  provenance of name: ${origin.state}, by ${origin.how} from ${origin.request?.method} ${origin.request?.url} (${origin.details})`);

    section('Failures throw typed errors and are kept on the object', `
const ghost = new Server(999999)
try { ghost.name } catch (error) { error instanceof NotFoundError }`);
    const ghost = new Server(999999);
    try {
      void ghost.name;
    } catch (error) {
      console.log(`  ${(error as Error).name}: ${(error as Error).message} (instanceof NotFoundError: ${error instanceof NotFoundError})`);
      console.log(`  ghost.lastError.statusCode: ${(ghost.lastError as NotFoundError | null)?.statusCode}`);
      console.log(`  ghost.lastRequest: ${ghost.lastRequest?.method} ${ghost.lastRequest?.url} → ${ghost.lastRequest?.statusCode}`);
    }

    section('Writes return jobs you can wait on', `
const twin = await Server.launch({ name: 'demo-twin', description: 'launched by the demo',
  budget: server.budget, providerProductId: server.providerProductId,
  machineImage: server.machineImage, dataCenter: server.dataCenter })
await twin.currentJob.wait({ onProgress: (job) => console.log(job.status) })
twin.status`);
    const twin = await Server.launch({
      name: 'demo-twin',
      description: 'launched by the demo',
      budget: server.budget,
      providerProductId: server.providerProductId,
      machineImage: server.machineImage,
      dataCenter: server.dataCenter,
    });
    const job = twin.currentJob!;
    console.log(`  launch job ${String(job.id)}: ${job.status}`);
    await job.wait({ timeoutMs: 10_000, intervalMs: 100, onProgress: (j) => console.log(`  … job ${String(j.id)} ${j.status}`) });
    await twin.reload();
    console.log(`  new server ${String(twin.id)} "${twin.name}" is ${twin.status}`);
    await twin.waitFor('RUNNING', { timeoutMs: 10_000, intervalMs: 100 });
    console.log(`  after waitFor('RUNNING'): ${twin.status}`);

    section('A desired state: validated, planned, applied all-or-nothing; the same file again changes nothing', `
const records = parseRecords(yaml)   // a firewall with a rule, a volume, a server using both
formatPlan((await apply(records, { dryRun: true, allowIrreversible: true })).plan)
await apply(records, { allowIrreversible: true })
(await apply(records, { allowIrreversible: true })).plan.noChanges`);
    const records = parseRecords(`
- { type: Firewall, ref: demo-fw, name: demo-fw, description: demo web tier, budget: 10287, region: 19344 }
- { type: FirewallRule, firewall: "@demo-fw", direction: INGRESS, source: 0.0.0.0/0, sourceType: CIDR, permission: ALLOW, protocol: TCP, startPort: 443, endPort: 443 }
- { type: Volume, name: demo-data, description: demo data, sizeInGb: 20, budget: 10287, dataCenter: 64351, server: "@demo-web" }
- { type: Server, ref: demo-web, name: demo-web, description: demo web server, budget: 10287, providerProductId: m1.small, machineImage: 284831, dataCenter: 64351, firewalls: ["@demo-fw"] }
`);
    const planned = await apply(records, { dryRun: true, allowIrreversible: true });
    for (const line of formatPlan(planned.plan).split('\n').filter((l) => !/^\s+body:/.test(l))) console.log(`  ${line}`);
    const applied = await apply(records, { allowIrreversible: true, intervalMs: 100, onStep: (e) => e.phase === 'apply' && e.status === 'done' && console.log(`  ✓ step ${e.step.step}: ${e.step.kind} ${e.step.label}`) });
    console.log(`  applied: ${applied.records.map((r) => String(r?.name ?? r?.source ?? '')).join(', ')}`);
    console.log(`  again → no changes: ${(await apply(records, { allowIrreversible: true })).plan.noChanges}`);

    section('Export what exists, apply it back: "No changes", not one write', `
const estate = await exportRecords(managedTypes().map((t) => t.name))   // every type apply manages
(await apply(estate, { dryRun: true })).plan.noChanges   // dcm export … > estate.yaml; dcm apply estate.yaml`);
    await emulator.clearLog();
    const estate = await exportRecords(managedTypes().map((t) => t.name));
    const exportReads = (await emulator.requestLog()).length;
    console.log(`  exported ${estate.length} records with ${exportReads} requests (one listing per type; rules per firewall, networks per region)`);
    const rule = estate.find((r) => r.type === 'FirewallRule');
    if (rule) console.log(`  e.g. ${JSON.stringify(rule)}`);
    await emulator.clearLog();
    const back = await apply(estate, { dryRun: true });
    const sent = await emulator.requestLog();
    console.log(`  planned back → ${back.plan.noChanges ? 'No changes' : `${back.plan.steps.length} steps`}: ${sent.filter((e) => e.method !== 'GET').length} writes, ${sent.length} reads (the same listings)`);

    const env = { ...process.env, ES_ENDPOINT: emulator.url, ES_ACCESS_KEY: emulator.accessKey, ES_SECRET_KEY: emulator.secretKey };
    const tool = (name: string, args: string[], maxLines: number): void => {
      const file = fileURLToPath(new URL(`../bin/${name}.js`, import.meta.url));
      if (!existsSync(file)) {
        console.log(`  (${name} is not built)`);
        return;
      }
      const result = spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', env });
      // Progress lines of --wait go to stderr; show them before the result, as a terminal would.
      if (result.status === 0) for (const line of result.stderr.trimEnd().split('\n').filter(Boolean)) console.log(`  ${line}`);
      const lines = result.stdout.trimEnd().split('\n');
      for (const line of lines.slice(0, maxLines)) console.log(`  ${line}`);
      if (lines.length > maxLines) console.log(`  … (${lines.length - maxLines} more lines)`);
      if (result.status !== 0) console.log(`  ${name} exited ${result.status}: ${result.stderr.trim()}`);
    };

    section('dcm-get: any signed GET from the shell; parameters are parsed, never evaluated', `dcm-get geography/DataCenter "{'regionId': ${String(server.region.regionId)}}"`);
    tool('dcm-get', ['geography/DataCenter', `{'regionId': ${String(server.region.regionId)}}`], 16);

    section('dcm: one command for every resource and action', `
dcm server list --table --columns serverId,name,status
dcm server stop ${String(twin.id)} --wait --interval 200 --table`);
    tool('dcm', ['server', 'list', '--table', '--columns', 'serverId,name,status'], 8);
    tool('dcm', ['server', 'stop', String(twin.id), '--wait', '--interval', '200', '--table'], 40);

    console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s. Try it yourself: npx dcm sim, then npx dcm console.`);
  } finally {
    await emulator.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    process.exit(1);
  },
);
