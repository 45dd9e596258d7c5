// Builds a small environment (a firewall with two rules, a server, two data volumes attached to it) and tears it down.
import { configureJobs, DataCenter, Firewall, Server, Volume } from 'mixcoatl';

configureJobs({ intervalMs: 1_000 });

const budget = 10287;
// Objects by name: one listing of regions, one of the region's data centers.
const dataCenter = await DataCenter.findOne({ region: 'ap-southeast-2', name: 'ap-southeast-2a' });

// A firewall: assign attributes, then save({ wait: true }) creates it and adopts its new id.
const firewall = new Firewall();
Object.assign(firewall, { name: 'example-web', description: 'web tier', budget, region: dataCenter.region });
await firewall.save({ wait: true });
for (const port of [80, 443]) {
  await firewall.addRule({ direction: 'INGRESS', source: '0.0.0.0/0', sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: port, endPort: port });
}
console.log(`firewall ${firewall.firewallId} with rules ${(await firewall.rules()).map((r) => `${r.protocol}/${r.startPort}`).join(', ')}`);

const server = await Server.launch(
  { name: 'example-web-1', description: 'web tier', budget, providerProductId: 'm1.small', machineImage: { name: 'dcm-ubuntu1204-amd64-ap-southeast-2' }, dataCenter, firewalls: [firewall] },
  { wait: true },
);
await server.waitFor('RUNNING');
console.log(`server ${server.serverId} ${server.status}`);

const volumes = [];
for (const [i, device] of ['/dev/sdf', '/dev/sdg'].entries()) {
  const volume = Object.assign(new Volume(), { name: `example-data-${i + 1}`, description: 'web tier data', dataCenter, sizeInGb: 10, budget });
  await volume.save({ wait: true });
  await volume.attach('example-web-1', { deviceId: device, wait: true }); // the server by name
  volumes.push(volume);
  console.log(`volume ${volume.volumeId} attached to ${volume.server?.serverId} as ${volume.deviceId}`);
}

// Tear down in reverse order. Every step waits for its job, so nothing is left half-done.
for (const volume of volumes) {
  await volume.detach({ wait: true });
  const job = await volume.delete({ reason: 'example finished' }); // a Job when the API answers 202
  await job?.wait();
}
await server.terminate({ reason: 'example finished', wait: true });
for (const rule of await firewall.rules()) await rule.remove({ reason: 'example finished' });
console.log(`torn down: server ${server.status}, ${volumes.length} volumes deleted, firewall ${firewall.firewallId} has ${(await firewall.rules()).length} rules left`);
