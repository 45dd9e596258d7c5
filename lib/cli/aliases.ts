/**
 * The original tools' names as aliases of `dcm` commands: one table maps each name
 * to a `dcm` argv prefix and translates the original's flags (`dcm-stop-server -s 331810` →
 * `dcm server stop 331810`). Flags not in an entry's map pass through unchanged, so `--json`,
 * `--wait`, `--endpoint`, `--help` work on every alias. bin/ has one two-line file per name.
 *
 * Original flags that look things up by name or e-mail (`-m/--email`, `-G/--groupname`,
 * `-B/--budgetname`, `-R/--regionpid`) become `--find` queries, applied after one listing as the
 * original did (`dcm-list-servers -G Admin` → `dcm server list --find owningGroups=Admin`).
 */
import { asksForHelp, printAliasHelp } from './alias-help.js';
import { usage } from './args.js';
import { handleError } from './errors.js';
import type { CliIO } from './io.js';
import { RAW_TOOLS } from './registry.js';

/**
 * Where an original flag goes:
 * - `id`: the object's identifier (placed after the prefix); with `verb`, the verb is replaced
 *   (`dcm-list-jobs -j 5` → `dcm job describe 5`);
 * - `arg`: the next positional argument of the action;
 * - `--name`: that `dcm` flag with the same value (`boolean`: without one);
 * - `filter:key`: `--filter key=value`; `where:key`: `--where key=value` (checked client-side);
 * - `find:key`: `--find key=value` (an exact match; a reference by name, provider id or `key.sub`);
 * - `of:type.key`: `--of type.key=value` (what one object of another type refers to: a user's groups);
 * - `ignore`: accepted and dropped (flags the original ignored too, `-v` verbosity);
 * - `unsupported`: refused, with `note`.
 */
export interface FlagRule {
  to: 'id' | 'arg' | 'ignore' | 'unsupported' | `--${string}` | `filter:${string}` | `where:${string}` | `find:${string}` | `of:${string}`;
  /** The flag takes no value. */
  boolean?: boolean;
  /** With `to: 'id'`: the verb to use instead of the prefix's. */
  verb?: string;
  /** Converts the value (hours → milliseconds, …). */
  transform?: (value: string, command: string) => string;
  /** Why an unsupported flag is refused and what to do instead. */
  note?: string;
}

export interface AliasSpec {
  /** `dcm` argv prefix, e.g. `['server', 'stop']`. */
  argv: readonly string[];
  /** Original flags (`-s`, `--server_id`) → rule. */
  flags?: Readonly<Record<string, FlagRule>>;
  /** What the original's positional arguments become (default: passed on as they are). */
  positionals?: ReadonlyArray<'id' | 'arg'>;
}

const ID: FlagRule = { to: 'id' };
const ARG: FlagRule = { to: 'arg' };
const IGNORE_SWITCH: FlagRule = { to: 'ignore', boolean: true };
const flag = (name: string, boolean = false): FlagRule => ({ to: `--${name}`, boolean });
const filter = (key: string): FlagRule => ({ to: `filter:${key}` });
const where = (key: string): FlagRule => ({ to: `where:${key}` });
const find = (key: string): FlagRule => ({ to: `find:${key}` });
const unsupported = (note: string, boolean = false): FlagRule => ({ to: 'unsupported', note, boolean });
const BY_EMAIL = find('owningUser.email');
const BY_GROUP_NAME = find('owningGroups');
const BY_BUDGET_NAME = find('budget');
const REGION_PID = find('region');

/** `-s/--server_id` style pairs. */
function both(short: string, long: string, rule: FlagRule): Record<string, FlagRule> {
  return { [`-${short}`]: rule, [`--${long}`]: rule };
}

function hoursToMs(value: string, command: string): string {
  if (!/^\d+(\.\d+)?$/.test(value)) throw usage(command, `--extend takes a number of hours, got ${JSON.stringify(value)}`);
  return String(Math.round(Number(value) * 3_600_000));
}

function dateToMs(value: string, command: string): string {
  const when = Date.parse(value.replace(' ', 'T'));
  if (Number.isNaN(when)) throw usage(command, `--date_format takes 'YYYY-MM-DD HH:MM:SS', got ${JSON.stringify(value)}`);
  const ms = when - Date.now();
  if (ms <= 0) throw usage(command, `${value} is in the past`);
  return String(ms);
}

export const ALIASES: Readonly<Record<string, AliasSpec>> = {
  mixcoatl: {
    argv: [],
    flags: { ...both('v', 'version', flag('version', true)), ...both('r', 'reset_config', { to: '--reset-config', boolean: true }) },
  },
  'dcm-api-tests': {
    argv: ['check'],
    flags: {
      '--get': IGNORE_SWITCH,
      '--full': flag('full', true),
      '--post': unsupported('launching test servers is not supported; use dcm server launch … --wait', true),
      '--log': unsupported('use --csv and redirect the output', true),
    },
  },
  'dcm-assign-cloud': {
    argv: ['account', 'assign-cloud'],
    flags: {
      ...both('i', 'accountid', ID),
      ...both('c', 'cloudid', flag('cloudId')),
      ...both('n', 'accountnumber', flag('accountNumber')),
      ...both('a', 'accesskey', flag('apiKeyId')),
      ...both('s', 'secretkey', flag('apiKeySecret')),
    },
  },
  'dcm-attach-volume': {
    argv: ['volume', 'attach'],
    flags: { ...both('v', 'volumeid', ID), ...both('s', 'serverid', ARG), ...both('d', 'deviceid', flag('deviceId')) },
  },
  'dcm-check-job': { argv: ['job', 'describe', '--field', 'status'], positionals: ['id'] },
  'dcm-create-account': {
    argv: ['account', 'add'],
    flags: {
      ...both('a', 'account_name', flag('name')),
      ...both('c', 'cloud_id', flag('cloud')),
      ...both('n', 'account_number', flag('accountNumber')),
      ...both('k', 'api_key', flag('apiKeyId')),
      ...both('s', 'api_secret', flag('apiKeySecret')),
      ...both('C', 'customer', flag('customer')),
      ...both('g', 'group_id', flag('groupId')),
      ...both('r', 'role_id', flag('roleId')),
      ...both('b', 'budget_codes', flag('budgetCodes')),
    },
  },
  'dcm-create-billing-code': {
    argv: ['billing-code', 'add'],
    flags: {
      ...both('n', 'name', flag('name')),
      ...both('c', 'code', flag('financeCode')),
      '--soft': flag('softQuota'),
      '--hard': flag('hardQuota'),
      ...both('d', 'description', flag('description')),
    },
  },
  'dcm-create-cm': {
    argv: ['configuration-management-service', 'create'],
    flags: {
      ...both('b', 'budget', flag('budget')),
      ...both('e', 'endpoint', flag('serviceEndpoint')),
      ...both('d', 'description', flag('description')),
      ...both('n', 'name', flag('name')),
      ...both('k', 'system', flag('cmSystem')),
      ...both('a', 'access', unsupported('CM service credentials are not part of the API payload')),
      ...both('s', 'secret', unsupported('CM service credentials are not part of the API payload')),
      ...both('c', 'code', unsupported('CM service credentials are not part of the API payload')),
      '-j': unsupported('create services one by one with dcm configuration-management-service create'),
      '-v': IGNORE_SWITCH,
    },
  },
  'dcm-create-group': {
    argv: ['group', 'create'],
    flags: { ...both('n', 'name', flag('name')), ...both('d', 'description', flag('description')), ...both('v', 'verbose', IGNORE_SWITCH) },
  },
  'dcm-create-machine-image': {
    argv: ['machine-image', 'create'],
    flags: {
      ...both('D', 'description', flag('description')),
      ...both('n', 'name', flag('name')),
      ...both('b', 'budget', flag('budget')),
      ...both('s', 'server', flag('server')),
      ...both('g', 'group', flag('owningGroups')),
    },
  },
  'dcm-create-network': {
    argv: ['network', 'create'],
    flags: {
      ...both('b', 'budgetid', flag('budget')),
      ...both('n', 'name', flag('name')),
      ...both('a', 'netaddress', flag('networkAddress')),
      ...both('r', 'regionid', flag('region')),
      ...both('D', 'description', flag('description')),
      ...both('d', 'dnsserver', flag('dnsServers')),
      ...both('g', 'groupid', flag('owningGroups')),
    },
  },
  'dcm-create-role': {
    argv: ['role', 'create'],
    flags: { ...both('n', 'name', flag('name')), ...both('d', 'description', flag('description')), ...both('v', 'verbose', IGNORE_SWITCH) },
  },
  'dcm-create-server': {
    argv: ['server', 'launch'],
    flags: {
      ...both('p', 'productid', flag('providerProductId')),
      ...both('m', 'machineimage', flag('machineImage')),
      ...both('d', 'datacenter', flag('dataCenter')),
      ...both('D', 'description', flag('description')),
      ...both('n', 'name', flag('name')),
      ...both('b', 'budgetid', flag('budget')),
      ...both('k', 'keypair', flag('keypair')),
      ...both('v', 'vlan', flag('vlan')),
      ...both('e', 'network', flag('network')),
      ...both('s', 'subnet', flag('subnet')),
      ...both('u', 'userdata', flag('userData')),
    },
  },
  'dcm-create-user': {
    argv: ['user', 'create'],
    flags: {
      ...both('a', 'account', flag('account')),
      ...both('f', 'given_name', flag('givenName')),
      ...both('l', 'family_name', flag('familyName')),
      ...both('e', 'email', flag('email')),
      ...both('g', 'groups', flag('groups')),
      ...both('b', 'billing_codes', flag('billingCodes')),
      ...both('p', 'password', flag('password')),
      ...both('v', 'verbose', IGNORE_SWITCH),
      ...both('j', 'json_file', unsupported('create users one by one with dcm user create')),
    },
  },
  'dcm-create-volume': {
    argv: ['volume', 'create'],
    flags: {
      ...both('b', 'budgetid', flag('budget')),
      ...both('d', 'datacenter', flag('dataCenter')),
      ...both('D', 'description', flag('description')),
      ...both('n', 'name', flag('name')),
      ...both('s', 'size', flag('sizeInGb')),
    },
  },
  'dcm-delete-billing-code': {
    argv: ['billing-code', 'delete'],
    flags: { ...both('b', 'billingcodeid', ID), ...both('r', 'reason', flag('reason')), ...both('R', 'replacementcodeid', flag('replacementCode')) },
  },
  'dcm-delete-group': { argv: ['group', 'delete'], positionals: ['id'] },
  'dcm-delete-network': { argv: ['network', 'delete'], flags: { ...both('i', 'networkid', ID), ...both('r', 'reason', flag('reason')) } },
  'dcm-delete-volume': { argv: ['volume', 'delete'], positionals: ['id'], flags: both('r', 'reason', flag('reason')) },
  'dcm-describe-job': { argv: ['job', 'describe'], positionals: ['id'], flags: both('v', 'verbose', IGNORE_SWITCH) },
  'dcm-describe-license': { argv: ['license', 'describe'] },
  'dcm-describe-machine-image': { argv: ['machine-image', 'describe'], positionals: ['id'], flags: both('v', 'verbose', IGNORE_SWITCH) },
  'dcm-describe-server': { argv: ['server', 'describe'], positionals: ['id'], flags: both('v', 'verbose', IGNORE_SWITCH) },
  'dcm-detach-volume': { argv: ['volume', 'detach'], flags: both('v', 'volumeid', ID) },
  'dcm-list-accounts': { argv: ['account', 'list'] },
  'dcm-list-api-keys': { argv: ['api-key', 'list'], flags: both('k', 'key', { to: 'id', verb: 'describe' }) },
  'dcm-list-api-versions': {
    argv: ['api-versions'],
    flags: { ...both('a', 'active', flag('active', true)), ...both('l', 'latest', flag('latest', true)), ...both('s', 'supported', flag('supported', true)) },
  },
  'dcm-list-billing-codes': { argv: ['billing-code', 'list'] },
  'dcm-list-clouds': { argv: ['cloud', 'list'] },
  'dcm-list-cm': { argv: ['configuration-management-service', 'list'] },
  'dcm-list-cm-environments': { argv: ['environment', 'list'], flags: both('c', 'cm', filter('cmAccountId')) },
  'dcm-list-cm-personalities': { argv: ['personality', 'list'], flags: both('c', 'cm', filter('cmAccountId')) },
  'dcm-list-cm-scripts': { argv: ['script', 'list'], flags: both('c', 'cm', filter('cmAccountId')) },
  'dcm-list-cm-systems': { argv: ['configuration-management-system', 'list'] },
  'dcm-list-customers': { argv: ['customer', 'list'] },
  'dcm-list-datacenters': { argv: ['data-center', 'list'], flags: { ...both('r', 'regionid', filter('regionId')), ...both('R', 'regionpid', REGION_PID) } },
  'dcm-list-firewall-rules': { argv: ['firewall-rule', 'list'], flags: both('f', 'firewall', filter('firewallId')) },
  'dcm-list-firewalls': { argv: ['firewall', 'list'], flags: { ...both('i', 'accountid', filter('accountId')), ...both('r', 'regionid', filter('regionId')) } },
  'dcm-list-groups': {
    argv: ['group', 'list'],
    flags: {
      ...both('u', 'userid', { to: 'of:user.vmLoginId' }),
      ...both('m', 'email', { to: 'of:user.email' }),
    },
  },
  'dcm-list-jobs': { argv: ['job', 'list'], flags: { ...both('v', 'verbose', IGNORE_SWITCH), ...both('j', 'job-id', { to: 'id', verb: 'describe' }) } },
  'dcm-list-loadbalancers': { argv: ['load-balancer', 'list'] },
  'dcm-list-machine-images': {
    argv: ['machine-image', 'list'],
    flags: {
      ...both('i', 'image', { to: 'id', verb: 'describe' }),
      ...both('r', 'regionid', filter('regionId')),
      ...both('R', 'regionpid', REGION_PID),
      ...both('e', 'registered', { to: 'filter:registered', boolean: true }),
    },
  },
  'dcm-list-networks': { argv: ['network', 'list'], flags: { ...both('i', 'accountid', filter('accountId')), ...both('r', 'regionid', filter('regionId')) } },
  'dcm-list-rdbms': { argv: ['relational-database', 'list'] },
  'dcm-list-rdbms-products': { argv: ['relational-database-product', 'list'], flags: { ...both('r', 'region', filter('regionId')), ...both('e', 'engine', filter('engine')) } },
  'dcm-list-regions': { argv: ['region', 'list'] },
  'dcm-list-role-assignments': { argv: ['group', 'list', '--columns', 'groupId,name,description,roleAssignments,status'] },
  'dcm-list-roles': { argv: ['role', 'list'], flags: both('v', 'verbose', IGNORE_SWITCH) },
  'dcm-list-server-analytics': { argv: ['server-analytics', 'describe'], flags: both('s', 'server', ID) },
  'dcm-list-server-products': { argv: ['server-product', 'list'], flags: { ...both('r', 'regionid', filter('regionId')), ...both('p', 'regionpid', find('regionId')) } },
  'dcm-list-server-terminate': {
    argv: ['server', 'list', '--columns', 'serverId,cloud,region,providerId,name,owningUser,status,terminateAfter'],
    flags: { ...both('a', 'all', IGNORE_SWITCH), ...both('s', 'serverid', { to: 'id', verb: 'describe' }) },
  },
  'dcm-list-servers': {
    argv: ['server', 'list'],
    flags: {
      ...both('r', 'region', filter('regionId')),
      ...both('e', 'extended', flag('extended', true)),
      ...both('v', 'verbose', IGNORE_SWITCH),
      ...both('u', 'userid', where('owningUser')),
      ...both('m', 'email', BY_EMAIL),
      ...both('g', 'groupid', where('owningGroups')),
      ...both('G', 'groupname', BY_GROUP_NAME),
      ...both('b', 'budgetid', where('budget')),
      ...both('B', 'budgetname', BY_BUDGET_NAME),
    },
  },
  'dcm-list-snapshots': {
    argv: ['snapshot', 'list'],
    flags: {
      ...both('r', 'regionid', filter('regionId')),
      ...both('R', 'regionpid', REGION_PID),
      ...both('g', 'groupid', where('owningGroups')),
      ...both('G', 'groupname', BY_GROUP_NAME),
      ...both('b', 'budgetid', where('budget')),
      ...both('B', 'budgetname', BY_BUDGET_NAME),
    },
  },
  'dcm-list-storage-objects': { argv: ['storage-object', 'list'], flags: both('r', 'regionid', filter('regionId')) },
  'dcm-list-subscriptions': { argv: ['subscription', 'list'], flags: both('r', 'region', { to: 'id', verb: 'describe' }) },
  'dcm-list-users': { argv: ['user', 'list'], flags: { ...both('i', 'accountid', { to: 'ignore' }), ...both('r', 'regionid', { to: 'ignore' }) } },
  'dcm-list-volumes': {
    argv: ['volume', 'list'],
    flags: {
      ...both('r', 'regionid', filter('regionId')),
      ...both('R', 'regionpid', REGION_PID),
      ...both('u', 'userid', where('owningUser')),
      ...both('m', 'email', BY_EMAIL),
      ...both('g', 'groupid', where('owningGroups')),
      ...both('b', 'budgetid', where('budget')),
      ...both('n', 'nonattached', IGNORE_SWITCH),
      '--minsize': unsupported('filter with --json and a JSON tool instead'),
    },
  },
  'dcm-pause-server': { argv: ['server', 'pause'], flags: both('s', 'server_id', ID) },
  'dcm-rename-server': { argv: ['server', 'rename'], flags: { ...both('s', 'server_id', ID), ...both('n', 'name', ARG) } },
  'dcm-set-acl': {
    argv: ['role', 'grant'],
    flags: {
      ...both('r', 'role_id', ID),
      ...both('i', 'input', { to: 'arg', transform: (value) => `@${value}` }),
      ...both('u', 'url', unsupported('save the ACL as a JSON file and give it with -i')),
      ...both('a', 'action', unsupported('write the rule as JSON and give it with -i')),
      ...both('R', 'resource', unsupported('write the rule as JSON and give it with -i')),
      ...both('q', 'qualifier', unsupported('write the rule as JSON and give it with -i')),
    },
  },
  'dcm-set-role': {
    argv: ['group', 'set-role'],
    flags: { ...both('g', 'group_id', ID), ...both('r', 'role_id', flag('role')), ...both('a', 'account_id', flag('account')) },
  },
  'dcm-set-server-terminate': {
    argv: ['server', 'schedule-termination'],
    flags: {
      ...both('s', 'serverid', ID),
      ...both('x', 'extend', { to: 'arg', transform: hoursToMs }),
      ...both('d', 'date_format', { to: 'arg', transform: dateToMs }),
    },
  },
  'dcm-start-server': { argv: ['server', 'start'], flags: both('s', 'server_id', ID) },
  'dcm-stop-server': { argv: ['server', 'stop'], flags: both('s', 'server_id', ID) },
  'dcm-terminate-server': { argv: ['server', 'terminate'], flags: { ...both('s', 'server_id', ID), ...both('r', 'reason', flag('reason')) } },
  'dcm-update-group': {
    argv: ['group', 'update'],
    flags: { ...both('g', 'group_id', ID), ...both('n', 'name', flag('name')), ...both('d', 'description', flag('description')) },
  },
  'dcm-update-machine-image-billing-code': { argv: ['machine-image', 'assign-budget'], flags: { ...both('m', 'machine_image_id', ID), ...both('b', 'billing_code', ARG) } },
  'dcm-update-machine-image-group': { argv: ['machine-image', 'assign-groups'], flags: { ...both('m', 'machine_image_id', ID), ...both('g', 'group_id', ARG) } },
  'dcm-update-server-billing-code': { argv: ['server', 'assign-budget'], flags: { ...both('s', 'server_id', ID), ...both('b', 'billing_code', ARG) } },
  'dcm-update-server-group': { argv: ['server', 'assign-groups'], flags: { ...both('s', 'server_id', ID), ...both('g', 'group_id', ARG) } },
  'dcm-update-volume-billing-code': { argv: ['volume', 'assign-budget'], flags: { ...both('v', 'volume_id', ID), ...both('b', 'billing_code', ARG) } },
  'dcm-update-volume-group': { argv: ['volume', 'assign-groups'], flags: { ...both('v', 'volume_id', ID), ...both('g', 'group_id', ARG) } },
};

/** The raw tools are executables of their own, not aliases. */
export const RAW_TOOL_NAMES: readonly string[] = Object.keys(RAW_TOOLS);

/** Every executable: `dcm`, the raw tools and the aliases. */
export function allToolNames(): string[] {
  return ['dcm', ...RAW_TOOL_NAMES, ...Object.keys(ALIASES)].sort();
}

/** The `dcm` argv an alias invocation stands for. Throws UsageError for refused flags. */
export function translate(tool: string, argv: readonly string[]): string[] {
  const spec = ALIASES[tool];
  if (!spec) throw usage(tool, 'is not a known tool name');
  let prefix = [...spec.argv];
  let id: string | undefined;
  const args: string[] = [];
  const rest: string[] = [];
  const positionalRules = [...(spec.positionals ?? [])];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = eq === -1 ? token : token.slice(0, eq);
    const rule = spec.flags?.[name];
    if (!rule) {
      if (!token.startsWith('-') || token === '-') {
        const target = positionalRules.shift();
        if (target === 'id') id = token;
        else if (target === 'arg') args.push(token);
        else rest.push(token);
      } else rest.push(token);
      continue;
    }
    let value: string | undefined;
    if (!rule.boolean) {
      if (eq !== -1) value = token.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i];
      else throw usage(tool, `${name} needs a value`);
      if (rule.transform) value = rule.transform(value, tool);
    }
    if (rule.to === 'unsupported') throw usage(tool, `${name} is not supported: ${rule.note ?? 'no equivalent'}`);
    if (rule.to === 'ignore') continue;
    if (rule.to === 'id') {
      id = value;
      if (rule.verb) prefix = [prefix[0], rule.verb];
    } else if (rule.to === 'arg') args.push(value as string);
    else if (rule.to.startsWith('filter:')) rest.push('--filter', `${rule.to.slice(7)}=${value ?? 'true'}`);
    else if (rule.to.startsWith('where:')) rest.push('--where', `${rule.to.slice(6)}=${value ?? 'true'}`);
    else if (rule.to.startsWith('find:')) rest.push('--find', `${rule.to.slice(5)}=${value ?? 'true'}`);
    else if (rule.to.startsWith('of:')) rest.push('--of', `${rule.to.slice(3)}=${value ?? 'true'}`);
    else if (rule.boolean) rest.push(rule.to);
    else rest.push(rule.to, value as string);
  }
  return [...prefix, ...(id === undefined ? [] : [id]), ...args, ...rest];
}

/** Runs an alias: translates its argv and hands it to `dcm`. */
export async function runAlias(tool: string, argv: readonly string[], io: CliIO): Promise<number> {
  const spec = ALIASES[tool];
  if (spec && asksForHelp(spec, argv)) {
    const { runDcm } = await import('./dcm.js');
    let help = '';
    const code = await runDcm([...spec.argv, '--help'], { ...io, stdout: { write: (chunk: string) => (help += chunk), columns: io.stdout.columns } }, tool);
    if (code === 0) printAliasHelp(tool, spec, help, io);
    return code;
  }
  let translated: string[];
  try {
    translated = translate(tool, argv);
  } catch (error) {
    return handleError(error, io, tool);
  }
  const { runDcm } = await import('./dcm.js');
  return runDcm(translated, io, tool);
}
