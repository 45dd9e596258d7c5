/**
 * A virtual machine. `product` carries `productId` (the DCM product id) while
 * `providerProductId` is the cloud's name for it (e.g. `m1.small`).
 *
 * API notes:
 * - `launch` sends `product: { productId: <providerProductId> }` — the PROVIDER product id string,
 *   not the DCM product id. It answers 202 with a job whose `message` is the new server id.
 * - Launching and waiting, three equivalent ways:
 *     const server = await Server.launch({ name, … }, { wait: true });           // loaded, RUNNING or on its way
 *     const job = await server.launch(); await job.wait(); await server.reload(); // id adopted by job.wait()
 *     await server.save({ wait: true });                                          // save() of a new server = launch
 *   `wait` waits for the launch JOB; `await server.waitFor('RUNNING')` then waits for the state.
 * - Terminating is a DELETE with `?reason=`; `?terminateAfter=<ms>` instead schedules it.
 * - name/description/label change through `describeServer`, budget through `assignBudget`,
 *   owning groups through `assignGroups` (all 204), which is what `save()` sends.
 */
import { attribute, reference, resource, action } from '../../lib/orm/metadata.js';
import { lifecycle, NON_EMPTY } from '../../lib/orm/lifecycle.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource, type IdOr, type ResourceInit } from '../../lib/orm/resource.js';
import { collect, refuse, type ActionOptions, type RemoveOptions } from '../../lib/orm/actions.js';
import { waitForStatus, type StatusWaitOptions } from '../../lib/orm/waiters.js';
import { referenceTo } from '../../lib/orm/ids.js';
import { isComposite, launchComposite, type CompositeLaunchOptions, type NewVolume } from '../../lib/apply/composite.js';
import type { Persistence } from '../../lib/orm/save.js';
import type { PlainRef, Ref } from '../types.js';
import { DEFAULT_REASON } from '../types.js';
import { assignBudgetWith, assignGroupsWith, describeWith, manageableUpdates, type DescribeInput, MANAGEABLE_UPDATES } from '../common-actions.js';
import { Customer } from '../admin/customer.js';
import { Group } from '../admin/group.js';
import { User } from '../admin/user.js';
import { BillingCode } from '../admin/billing-code.js';
import type { Job } from '../admin/job.js';
import { ConfigurationManagementAccount } from '../automation/configuration-management-account.js';
import { Environment } from '../automation/environment.js';
import { Personality } from '../automation/personality.js';
import { Script } from '../automation/script.js';
import { Cloud } from '../geography/cloud.js';
import { DataCenter } from '../geography/data-center.js';
import { Region } from '../geography/region.js';
import { Firewall } from '../network/firewall.js';
import { Network } from '../network/network.js';
import { MachineImage } from './machine-image.js';
import { ServerProduct } from './server-product.js';

/** Attributes accepted by `Server.launch({...})`: the settable ones. */
export interface LaunchAttributes {
  name: string;
  description: string;
  budget: number;
  /** The cloud's product name, e.g. `m1.small`. */
  providerProductId: string;
  machineImage: IdOr<MachineImage, 'machineImageId'>;
  dataCenter: IdOr<DataCenter, 'dataCenterId'>;
  keypair?: string;
  label?: string;
  userData?: string;
  /** Existing firewalls, or `@name` of a new one given in the launch's `define` option. */
  firewalls?: Array<IdOr<Firewall, 'firewallId'>>;
  /** New volumes, created and attached with the launch (all undone if a step fails). */
  volumes?: NewVolume[];
  network?: IdOr<Network, 'networkId'>;
  subnet?: PlainRef<'subnetId'>;
  vlan?: PlainRef<'vlanId'>;
  cmAccount?: IdOr<ConfigurationManagementAccount, 'cmAccountId'>;
  environment?: IdOr<Environment, 'sharedEnvironmentCode'>;
  scripts?: Array<IdOr<Script, 'sharedScriptCode'>>;
  personalities?: Array<IdOr<Personality, 'sharedPersonalityCode'>>;
  volumeConfiguration?: Record<string, unknown>;
  owningGroups?: Array<IdOr<Group, 'groupId'>>;
}

export interface TerminateOptions extends RemoveOptions {
  /** Default `no reason provided`. */
  reason?: string;
}

export interface StopOptions extends ActionOptions {
  reason?: string;
}

/** What `describe()` of a server may change (those of `name`, `description`, `label` its action declares), with the action options. */
export type DescribeServerInput = DescribeInput;

export interface ProvisionUserOptions extends ActionOptions {
  /** Optional administrative role on the machine. */
  adminRole?: string;
}

/**
 * The states a server is known to pass through: those the reference lists (RUNNING, PAUSED,
 * STOPPED, TERMINATED), the transitional ones the emulator follows (PENDING after a launch or
 * start, STOPPING during a stop) and ERROR, which the waiter treats as a failure. `waitFor()`
 * takes only these (a typo such as `'RUNNNING'` does not compile). `server.status` is this union
 * widened to any string: the reference marks STOPPED and TERMINATED as inferred, so a real API
 * may report states not listed here, and the type does not claim otherwise.
 */
export type ServerStatus = 'PENDING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'PAUSED' | 'TERMINATED' | 'ERROR';

/** Sent in this order; the first six are required. */
const LAUNCH_REQUIRED = ['providerProductId', 'budget', 'machineImage', 'description', 'name', 'dataCenter'];
/**
 * The item of a launch from the server's attributes: the provider product id travels as
 * `product.productId`; the others as they are.
 */
export function launchItem(values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(values)) {
    if (key === 'providerProductId') item.product = { productId: value };
    else item[key] = value;
  }
  return item;
}

const LAUNCH_OPTIONAL = ['keypair', 'vlan', 'network', 'subnet', 'firewalls', 'label', 'userData', 'cmAccount', 'environment', 'scripts', 'personalities', 'volumeConfiguration'];

@lifecycle({
  create: { action: 'launch', item: launchItem },
  updates: MANAGEABLE_UPDATES,
  delete: { action: 'terminate', how: 'terminate the server' },
  identity: { by: 'name' },
  rules: { name: NON_EMPTY },
})
@resource({ path: 'infrastructure/Server', collection: 'servers', id: 'serverId' })
export class Server extends Resource {
  /** The list filters of `Server.all()` and `find()`. */
  static override readonly filters = defineFilters({ regionId: { type: 'number', description: 'servers of this region' } });
  @attribute() serverId!: number;
  @attribute() agentVersion!: number;
  @attribute() architecture?: string;
  @attribute({ settable: true, idOf: () => BillingCode }) budget!: number;
  @reference(() => Cloud) cloud!: Ref<Cloud>;
  @reference(() => ConfigurationManagementAccount, { settable: true }) cmAccount?: Ref<ConfigurationManagementAccount>;
  @reference(() => Customer) customer!: Ref<Customer>;
  @reference(() => DataCenter, { settable: true }) dataCenter!: Ref<DataCenter>;
  @attribute({ settable: true }) description!: string;
  /** `{ sharedEnvironmentCode }` on the wire. */
  @reference(() => Environment, { settable: true }) environment?: Ref<Environment>;
  @reference(() => Firewall, { many: true, settable: true }) firewalls!: Array<Ref<Firewall>>;
  @attribute({ settable: true }) label?: string;
  @attribute() lastAgentContactTimestamp?: string;
  @attribute({ settable: true }) legacyOwnerId?: number;
  @reference(() => MachineImage, { settable: true }) machineImage!: Ref<MachineImage>;
  @attribute({ settable: true }) name!: string;
  @reference(() => Network, { settable: true }) network?: Ref<Network>;
  /** Changed on an existing server through `assignGroups`. */
  @reference(() => Group, { many: true, settable: true }) owningGroups?: Array<Ref<Group>>;
  @reference(() => User) owningUser?: Ref<User>;
  @attribute() pauseAfter?: string;
  @reference(() => Personality, { many: true, settable: true }) personalities?: Array<Ref<Personality>>;
  @attribute() platform!: string;
  @attribute() privateIpAddresses?: string[];
  @reference(() => ServerProduct) product?: Ref<ServerProduct>;
  /** e.g. `i-5f2e1b3c`. */
  @attribute() providerId!: string;
  /** The cloud's product name, e.g. `m1.small`. */
  @attribute({ settable: true }) providerProductId!: string;
  @attribute() publicIpAddress?: string;
  @attribute() publicIpAddresses?: string[];
  @reference(() => Region) region!: Ref<Region>;
  @attribute({ type: 'array' }) runList?: Array<Record<string, unknown>>;
  @reference(() => Script, { many: true, settable: true }) scripts?: Array<Ref<Script>>;
  @attribute() startDate!: string;
  /** A {@link ServerStatus}; open to other strings, which a real API may report. */
  @attribute({ type: 'string' }) status!: ServerStatus | (string & {});
  @attribute() stopDate?: string;
  @attribute({ type: 'object', settable: true }) subnet?: PlainRef<'subnetId'>;
  @attribute({ settable: true }) terminateAfter?: string;
  @attribute({ settable: true }) userData?: string;
  /** Deprecated by DCM; kept for old payloads. */
  @attribute({ type: 'object', settable: true }) vlan?: PlainRef<'vlanId'>;
  @attribute({ type: 'object', settable: true }) volumeConfiguration?: Record<string, unknown>;
  /** Sent with a launch, never returned. */
  @attribute({ settable: true, writeOnly: true }) keypair?: string;

  static override persistence: Persistence<Server> = {
    create: (server, options) => server.launch(options),
    update: manageableUpdates<Server>(),
  };

  /**
   * Launches a new server from `attributes` (assigned through the setters, so they are
   * checked); with `{ wait: true }` it resolves once the launch job is COMPLETE and the server
   * is loaded. `server.currentJob` is the launch job.
   *
   * With `volumes` (new ones) or `@name` firewalls (new ones, given in `options.define` with their
   * rules), the launch is a composite build on the apply engine (lib/apply/composite.ts): every
   * part is validated first, created in dependency order, volumes attached, and what was done is
   * undone if a step fails; it always waits, and resolves with the loaded server.
   */
  static async launch(attributes: LaunchAttributes, options: ActionOptions & ResourceInit & CompositeLaunchOptions = {}): Promise<Server> {
    const given = attributes as unknown as Record<string, unknown>;
    if (isComposite(given, options as Record<string, unknown>)) {
      // New volumes or firewalls too: planned and applied together, undone together on failure.
      const { details: _details, wait: _wait, ...applyOptions } = options;
      const result = await launchComposite(given, applyOptions);
      const record = result.records[result.records.length - 1] as Record<string, unknown>;
      const server = new Server(record.serverId as number, { endpoint: options.endpoint, details: options.details });
      await server.reload();
      return server;
    }
    const { endpoint, details, ...actionOptions } = options;
    const server = Object.assign(new Server(undefined, { endpoint, details }), attributes);
    await server.launch(actionOptions);
    return server;
  }

  /**
   * Launches this new server from its assigned attributes (POST, 202). Needs providerProductId,
   * budget, machineImage, description, name, dataCenter; the others are sent when assigned.
   * Resolves with the launch job; the server adopts its id when a waiter sees the job COMPLETE.
   */
  @action('POST', 'launch', { args: [], options: [], sends: { required: LAUNCH_REQUIRED, optional: LAUNCH_OPTIONAL }, job: 'always' })
  async launch(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('launch', launchItem(collect(this, 'launch')), options);
  }

  /** Stops the server, with an optional reason (202). */
  @action('PUT', 'stop', { args: [], options: ['reason'], job: 'always' })
  async stop(options: StopOptions = {}): Promise<Job> {
    return this.actForJob('stop', { reason: options.reason }, options);
  }

  /** Starts a stopped or paused server (202). */
  @action('PUT', 'start', { args: [], options: [], job: 'always' })
  async start(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('start', {}, options);
  }

  /** Pauses the server (202; unsupported by some clouds, e.g. AWS). */
  @action('PUT', 'pause', { args: [], options: [], job: 'always' })
  async pause(options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('pause', {}, options);
  }

  /** Terminates the server now: `DELETE …?reason=` (202 with a job, or 204). */
  @action('DELETE', 'reason', { args: [], options: ['reason'] })
  async terminate(options: TerminateOptions = {}): Promise<Job | undefined> {
    return this.act('terminate', { reason: options.reason ?? DEFAULT_REASON }, options);
  }

  /**
   * Schedules (or extends) automatic termination: `DELETE …?terminateAfter=<ms>`, in
   * milliseconds from now (`scheduleTermination(4 * 3_600_000)` = in four hours).
   */
  @action('DELETE', 'terminateAfter', { args: ['terminateAfterMs'], options: [] })
  async scheduleTermination(terminateAfterMs: number, options: ActionOptions = {}): Promise<Job | undefined> {
    refuse(this, 'scheduleTermination', Number.isSafeInteger(terminateAfterMs) && terminateAfterMs > 0 ? [] : [`terminateAfterMs must be a positive whole number of milliseconds, got ${JSON.stringify(terminateAfterMs)}`]);
    return this.act('scheduleTermination', { terminateAfter: terminateAfterMs }, options);
  }

  /** Renames the server: `describeServer` with the name only (204). */
  @action('PUT', 'describeServer', { args: ['name'], options: [] })
  async rename(name: string, options: ActionOptions = {}): Promise<Job | undefined> {
    refuse(this, 'rename', typeof name === 'string' && name.trim() ? [] : ['give the new name (a non-empty string)']);
    return this.act('rename', { name }, options);
  }

  /** Changes name, description and/or label: `describeServer` with the members given (204). */
  @action('PUT', 'describeServer', { args: [], optionsParam: 'input', options: ['name', 'description', 'label'] })
  async describe(input: DescribeServerInput): Promise<Job | undefined> {
    return describeWith(this, input);
  }

  /** Sets the billing code (id, BillingCode or `{ billingCodeId }`) (204). */
  @action('PUT', 'assignBudget', { args: ['budget'], options: [] })
  async assignBudget(budget: IdOr<BillingCode, 'billingCodeId'>, options: ActionOptions = {}): Promise<Job | undefined> {
    return assignBudgetWith(this, budget, options);
  }

  /** Sets the owning groups (ids, Group objects or `{ groupId }`, one or several) (204). */
  @action('PUT', 'assignGroups', { args: ['groups'], options: [] })
  async assignGroups(groups: IdOr<Group, 'groupId'> | Array<IdOr<Group, 'groupId'>>, options: ActionOptions = {}): Promise<Job | undefined> {
    return assignGroupsWith(this, groups, options);
  }

  /** Creates the user's login on the machine, optionally with an admin role (202). */
  @action('PUT', 'provisionUser', { args: ['user'], options: ['adminRole'], job: 'always' })
  async provisionUser(user: IdOr<User, 'userId'>, options: ProvisionUserOptions = {}): Promise<Job> {
    const entry: Record<string, unknown> = { ...referenceTo(User, user, 'Server.provisionUser() user') };
    if (options.adminRole !== undefined) entry.adminRole = options.adminRole;
    return this.actForJob('provisionUser', { user: entry }, options);
  }

  /** Removes the user's login from the machine (202). */
  @action('PUT', 'deprovisionUser', { args: ['user'], options: [], job: 'always' })
  async deprovisionUser(user: IdOr<User, 'userId'>, options: ActionOptions = {}): Promise<Job> {
    return this.actForJob('deprovisionUser', { user: referenceTo(User, user, 'Server.deprovisionUser() user') }, options);
  }

  /**
   * Polls (reloading the server) until `status` is `wanted` (default RUNNING); the server is left
   * refreshed. ERROR or TERMINATED first (when not the one awaited) rejects with
   * UnexpectedStateError; the deadline with TimeoutError; an abort with `signal.reason`.
   */
  async waitFor(wanted: ServerStatus = 'RUNNING', options: StatusWaitOptions<Server> = {}): Promise<this> {
    return waitForStatus(this, wanted, { failOn: ['ERROR', 'TERMINATED'], ...options });
  }
}
