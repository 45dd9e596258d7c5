// Builds a small environment (a firewall with two rules, a server, two data volumes attached to it) and tears it down.
// It can run again on the same account: whatever it made is removed even when a step fails.
import { configureJobs, DataCenter, Firewall, Server, Volume } from 'mixcoatl';

configureJobs({ intervalMs: 1_000 });

const budget = 10287;
// Objects by name: one listing of regions, one of the region's data centers.
const dataCenter = await DataCenter.findOne({ region: 'ap-southeast-2', name: 'ap-southeast-2a' });

// The API offers no delete of a firewall: the one a previous run made is used again.
let firewall = (await Firewall.find({ name: 'example-web', region: dataCenter.region }))[0];
if (!firewall) {
  // A firewall: assign attributes, then save({ wait: true }) creates it and adopts its new id.
  firewall = new Firewall();
  Object.assign(firewall, { name: 'example-web', description: 'web tier', budget, region: dataCenter.region });
  await firewall.save({ wait: true });
}

/** @type {Server | undefined} */
let server;
/** @type {Volume[]} */
const volumes = [];
try {
  for (const port of [80, 443]) {
    await firewall.addRule({ direction: 'INGRESS', source: '0.0.0.0/0', sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: port, endPort: port });
  }
  console.log(`firewall ${firewall.firewallId} with rules ${(await firewall.rules()).map((r) => `${r.protocol}/${r.startPort}`).join(', ')}`);

  server = await Server.launch(
    { name: 'example-web-1', description: 'web tier', budget, providerProductId: 'm1.small', machineImage: { name: 'dcm-ubuntu1204-amd64-ap-southeast-2' }, dataCenter, firewalls: [firewall] },
    { wait: true },
  );
  await server.waitFor('RUNNING');
  console.log(`server ${server.serverId} ${server.status}`);

  for (const [i, device] of ['/dev/sdf', '/dev/sdg'].entries()) {
    const volume = Object.assign(new Volume(), { name: `example-data-${i + 1}`, description: 'web tier data', dataCenter, sizeInGb: 10, budget });
    await volume.save({ wait: true });
    volumes.push(volume);
    // The server by name: only live servers answer to it, so an earlier run's terminated one does not.
    await volume.attach('example-web-1', { deviceId: device, wait: true });
    console.log(`volume ${volume.volumeId} attached to ${volume.server?.serverId} as ${volume.deviceId}`);
  }
} finally {
  // Tear down in reverse order, whatever happened above. Every step waits for its job.
  for (const volume of volumes) {
    if (volume.server) await volume.detach({ wait: true });
    const job = await volume.delete({ reason: 'example finished', ignoreMissing: true }); // a Job when the API answers 202
    await job?.wait();
  }
  await server?.terminate({ reason: 'example finished', wait: true });
  for (const rule of await firewall.rules()) await rule.remove({ reason: 'example finished' });
}
console.log(`torn down: server ${server?.status}, ${volumes.length} volumes deleted, firewall ${firewall.firewallId} has ${(await firewall.rules()).length} rules left`);
