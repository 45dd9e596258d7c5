// Launches a server from an image, waits for the launch job and for RUNNING, then terminates it (even when a step fails).
import { configureJobs, MachineImage, Server } from 'mixcoatl';

configureJobs({ intervalMs: 1_000 }); // poll every second (the default, 5 s, is the original client's pace)

const image = await MachineImage.get(283735);
const server = await Server.launch(
  {
    name: 'example-web-1',
    description: 'launched by examples/launch-and-wait.mjs',
    budget: image.budget,
    providerProductId: 'm1.small',
    machineImage: image,
    dataCenter: 64716,
  },
  { wait: true, onProgress: (job) => console.log(`launch job ${job.jobId}: ${job.status}`) },
);
try {
  console.log(`server ${server.serverId} launched, now ${server.status}`);
  await server.waitFor('RUNNING', { timeoutMs: 10 * 60_000, onProgress: (s) => console.log(`  ${s.status}`) });
  console.log(`${server.name} is RUNNING at ${server.publicIpAddress ?? 'no public address'}`);
} finally {
  await server.terminate({ reason: 'example finished', wait: true });
  console.log(`terminated: ${server.status}`);
}
