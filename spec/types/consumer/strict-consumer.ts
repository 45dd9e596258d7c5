/**
 * A strict consumer of the built package (compiled by spec/types/types.spec.ts with `strict`,
 * `skipLibCheck: false`, module NodeNext, importing `mixcoatl` as an application does). Never run:
 * it states what compiles and, with `@ts-expect-error`, what must not (the spec fails if one of
 * those lines ever compiles, and checks each fails with the error it names).
 */
import { action, JobFailedError, request, Resource, Server, Volume, ApiKey, type Id, type Job, type NumericId, type ServerStatus } from 'mixcoatl';
import { Server as StrictServer } from 'mixcoatl/strict';

// Values whose types are inferred can be exported (their types are all named by the package).
export const server = new Server(331810);
export const byText = new Server('331810');
export const key = new ApiKey('ABCDEFGHIJKL');
export const anId: Id = 331810;
export const aNumericId: NumericId = '331810';
export const listing = (): Promise<Server[]> => Server.all({ regionId: 19344 });
export const keys = () => Server.all({ keysOnly: true });
/** `keysOnly` is typed by the class's identifier: numbers for Server, text for ApiKey. */
export const serverKeys = (): Promise<number[]> => Server.all({ regionId: 19344, keysOnly: true });
export const accessKeys = (): Promise<string[]> => ApiKey.all({ keysOnly: true });
export const stopping = (s: Server) => s.stop();

/** Actions the API always answers with a job resolve with a Job: no `!`, no `?.`. */
export async function stopThenStart(s: Server): Promise<Job> {
  await (await s.stop({ reason: 'maintenance' })).wait();
  const job = await s.start();
  return job.wait({ timeoutMs: 60_000 });
}

export async function launchAndWait(): Promise<Server> {
  const launched = await Server.launch({ name: 'web-1', description: 'web', budget: 10287, providerProductId: 'm1.small', machineImage: 'ubuntu-22', dataCenter: 'us-west-2a', firewalls: [61234] });
  await launched.currentJob?.wait();
  return launched.waitFor('RUNNING');
}

export async function volumes(volume: Volume, s: Server): Promise<Array<Job | undefined>> {
  const attached: Job = await volume.attach(s, { deviceId: '/dev/xvdh' });
  const deleted: Job = await volume.delete({ reason: 'done' });
  const maybeGone: Job | undefined = await volume.delete({ ignoreMissing: true });
  // @ts-expect-error TS2322 a delete that may find nothing does not promise a job
  const notAlways: Job = await volume.delete({ ignoreMissing: true });
  // @ts-expect-error TS2322 a rename answers 204: no job is promised
  const renamed: Job = await s.rename('web-2');
  const ended = await s.terminate();
  // @ts-expect-error TS18048 terminate may answer 204 without a job: its job may be undefined
  await ended.wait();
  return [attached, deleted, maybeGone, notAlways, renamed];
}

/** `status` is the known union (open to other strings); `waitFor` takes only known states. */
export function describeStatus(s: Server): string {
  const status: ServerStatus | (string & {}) = s.status;
  switch (status) {
    case 'RUNNING':
    case 'PAUSED':
      return 'up';
    default:
      return status;
  }
}

/** Errors carry typed fields. */
export async function failure(job: Job): Promise<string> {
  try {
    await job.wait();
    return 'done';
  } catch (error) {
    if (error instanceof JobFailedError) {
      const failed: Job = error.job;
      return `${String(error.jobId)}: ${failed.message}`;
    }
    throw error;
  }
}

/** The raw escape hatch types `data` as the caller states. */
export async function raw(): Promise<number | undefined> {
  const r = await request<{ servers: Array<{ serverId: number }> }>('GET', 'infrastructure/Server');
  return r.data.servers[0]?.serverId;
}

/** An extension's action: the decorator checks that the method's type matches the declaration. */
export class Widget extends Resource {
  @action('PUT', 'spin', { job: 'always' })
  async spin(): Promise<Job> {
    return this.actForJob('spin');
  }

  @action('PUT', 'rename')
  async rename(name: string): Promise<Job | undefined> {
    return this.act('rename', { name });
  }

  // @ts-expect-error TS1241 a method that promises a Job must be declared job: 'always'
  @action('PUT', 'pause')
  async pause(): Promise<Job> {
    return (await this.act('pause'))!;
  }
}

/** What must not compile. */
export async function typos(s: Server): Promise<void> {
  // @ts-expect-error TS2561 `firewall` is not a launch attribute (`firewalls` is)
  await Server.launch({ name: 'a', description: 'b', budget: 1, providerProductId: 'm1.small', machineImage: 1, dataCenter: 2, firewall: [1] });
  // @ts-expect-error TS2345 not a server status
  await s.waitFor('RUNNNING');
  // @ts-expect-error TS2345 Server ids are integers
  void new Server('abc');
  // @ts-expect-error TS2769 `regionID` is not a filter of Server (`regionId` is)
  await Server.all({ regionID: 1 });
  // @ts-expect-error TS2322 Server keys are numbers, not text
  const texts: string[] = await Server.all({ keysOnly: true });
  void texts;
  // @ts-expect-error TS2561 `reson` is not an option of stop()
  await s.stop({ reson: 'typo' });
}

/**
 * Loaded state in the types (`mixcoatl/strict`): the references a read included are loaded
 * objects; the others must be loaded before their attributes are read.
 */
export async function typedInclude(): Promise<string> {
  const [first] = await StrictServer.all({ include: ['region'] });
  if (!first) return '';
  const region: string = first.region.name;
  // @ts-expect-error TS2339 the data center was not included: load() it first
  const center: string = first.dataCenter.name;
  const loaded = await first.dataCenter.load();
  const one = await StrictServer.get(331810, { include: ['dataCenter'] });
  const found = await StrictServer.find({ name: 'web-1' }, { include: ['firewalls'] });
  // Without the strict entry nothing changes: a lazy read of a reference compiles as before.
  const [plain] = await Server.all();
  return `${region} ${center} ${loaded.name} ${one.dataCenter.name} ${found[0]?.firewalls[0]?.name} ${plain?.dataCenter.name}`;
}
