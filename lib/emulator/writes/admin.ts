/**
 * admin writes. All synchronous: creates answer 201 with the envelope,
 * updates 204, deletes 204.
 *
 * Quirks: `addGroup` and `setRole`/`describeGroup`/`addRoleAssignments` take an object (`{group:…}`),
 * not an array; `assignCloud` wraps an *object* named `accounts`; Role `grant` also accepts the
 * installer's raw `{"role": "<name>", "grant": [...]}` documents, and each grant item may be either
 * `{acl:[...]}` or a bare ACL entry. Secrets sent with `addAccount`/`assignCloud` and user
 * passwords are never echoed.
 */
import { ApiError } from '../api-error.js';
import type { Reply } from '../context.js';
import { toIntId } from '../ids.js';
import {
  int, isObject, money, mustExist, object, objectList, optBool, optRef, optStr, ref, refList, str,
} from '../payload.js';
import { dcmTimestamp } from '../time.js';
import type { Rec } from '../types.js';
import { caller, created, noContent, type WriteCtx, type WriteRoutes } from './common.js';

const ACCOUNT = 'admin/Account';
const BILLING = 'admin/BillingCode';
const GROUP = 'admin/Group';
const ROLE = 'admin/Role';
const USER = 'admin/User';
const API_KEY = 'admin/ApiKey';

function cloudSubscription(ctx: WriteCtx, o: Rec, where: string): Rec {
  const sub = object(o, 'cloudSubscription', where);
  const w = `${where}.cloudSubscription`;
  const cloudId = int(sub, 'cloudId', w);
  mustExist(ctx.world.store, 'geography/Cloud', cloudId, `${w}.cloudId`);
  const accountNumber = str(sub, 'accountNumber', w);
  // The cloud credentials must be present but are never stored or echoed.
  str(sub, 'apiKeyId', w);
  str(sub, 'apiKeySecret', w);
  return { accountNumber, cloudId, cloudSubscriptionId: 20000 + ctx.world.store.rng.int(0, 79999), storageAccountNumber: null };
}

function addAccount(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const name = str(o, 'name', where);
    const subscription = cloudSubscription(ctx, o, where);
    const customerId = optRef(store, o, 'customer', 'customerId', 'admin/Customer', where) ?? caller(ctx).customerId;
    optBool(o, 'setAdminDefaults', where);
    const groupBudgetCodes = o.groupBudgetCodes === undefined ? [] : objectList(o.groupBudgetCodes, `${where}.groupBudgetCodes`);
    groupBudgetCodes.forEach((gb, j) => {
      const w = `${where}.groupBudgetCodes[${j}]`;
      mustExist(store, GROUP, int(gb, 'groupId', w), `${w}.groupId`);
      if (!Array.isArray(gb.budgetCodes)) throw ApiError.badRequest(`${w}.budgetCodes must be an array`);
      gb.budgetCodes.forEach((c: unknown, k: number) => billingCodeRef(ctx, c, `${w}.budgetCodes[${k}]`));
    });
    const groupRoles = o.groupRoles === undefined ? [] : objectList(o.groupRoles, `${where}.groupRoles`);
    groupRoles.forEach((gr, j) => {
      mustExist(store, GROUP, int(gr, 'groupId', `${where}.groupRoles[${j}]`), `${where}.groupRoles[${j}].groupId`);
      mustExist(store, ROLE, int(gr, 'roleId', `${where}.groupRoles[${j}]`), `${where}.groupRoles[${j}].roleId`);
    });
    const accountId = store.allocateId(ACCOUNT);
    const account: Rec = {
      accountId, alertConfiguration: { alertIntervalInMinutes: 5, allowIndividualEmailAlerts: true, allowIndividualSmsAlerts: true, globalEmailThreshold: 11, globalSmsThreshold: 11, stopAlertsAfterMinutes: 60 },
      billingSystemId: String(accountId), cloudSubscription: subscription, cloudSubscriptionId: { ...subscription }, configured: true,
      customer: { customerId }, defaultBudget: 10287, name, owner: { userId: caller(ctx).userId }, planId: 2, provisioned: true, status: 'ACTIVE', subscribed: true,
    };
    store.put(ACCOUNT, account);
    for (const gr of groupRoles) {
      const group = store.get(GROUP, toIntId(gr.groupId) as number) as Rec;
      const role = store.get(ROLE, toIntId(gr.roleId) as number) as Rec;
      group.roleAssignments = [...(group.roleAssignments ?? []), { accountId, roleId: role.roleId, roleName: role.name }];
    }
    return account;
  });
  return created(ctx, ACCOUNT, made);
}

function assignCloud(ctx: WriteCtx, value: unknown, root: string): Reply {
  if (!isObject(value)) throw ApiError.badRequest(`${root} must be an object with an "accounts" object`);
  const accounts = object(value, 'accounts', root);
  const subscription = cloudSubscription(ctx, accounts, `${root}.accounts`);
  const account = ctx.item as Rec;
  account.cloudSubscription = subscription;
  account.cloudSubscriptionId = { ...subscription };
  account.configured = true;
  return noContent();
}

function generateApiKey(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const key = store.get(API_KEY, ctx.accessKey);
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const rec: Rec = {
      accessKey: `EMU${store.rng.hex(17).toUpperCase()}`,
      account: { accountId: caller(ctx).accountId },
      activation: dcmTimestamp(ctx.now),
      customer: { customerId: caller(ctx).customerId },
      customerManagementKey: false,
      description: str(o, 'description', where),
      name: str(o, 'name', where),
      secretKey: Buffer.from(store.rng.hex(40), 'hex').toString('base64'),
      state: 'ACTIVE',
      systemManagementKey: false,
      user: { userId: key?.user?.userId ?? -1 },
    };
    return store.put(API_KEY, rec);
  });
  return created(ctx, API_KEY, made);
}

function addBillingCode(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const soft = money(o, 'softQuota', where);
    const hard = money(o, 'hardQuota', where);
    if (soft.value > hard.value) throw ApiError.badRequest(`${where}.softQuota.value (${soft.value}) must not exceed ${where}.hardQuota.value (${hard.value})`);
    const status = optStr(o, 'status', where) ?? 'ACTIVE';
    const rec: Rec = {
      billingCodeId: store.allocateId(BILLING), budgetState: 'NORMAL', currentUsage: { currency: 'USD', value: 0 },
      customer: { customerId: caller(ctx).customerId }, description: str(o, 'description', where), financeCode: str(o, 'financeCode', where),
      hardQuota: hard, name: str(o, 'name', where), projectedUsage: { currency: 'USD', value: 0 }, softQuota: soft, status,
    };
    return store.put(BILLING, rec);
  });
  return created(ctx, BILLING, made);
}

/** DELETE admin/BillingCode/<id>?reason&replacementCode: users of the code move to the replacement. */
function deleteBillingCode(ctx: WriteCtx): Reply {
  const store = ctx.world.store;
  const id = ctx.id as number;
  const raw = ctx.query.replacementCode;
  if (raw !== undefined && raw !== '') {
    const replacement = toIntId(raw);
    if (replacement === undefined) throw ApiError.badRequest(`replacementCode must be a numeric billing code id, got "${raw}"`);
    if (replacement === id) throw ApiError.badRequest(`replacementCode must differ from the billing code being deleted (${id})`);
    if (!store.has(BILLING, replacement)) throw ApiError.badRequest(`replacementCode: no such BillingCode ${replacement}`);
    for (const table of store.tables.values()) {
      for (const rec of table.values()) if (rec.budget === id) rec.budget = replacement;
    }
  }
  store.remove(BILLING, id);
  return noContent();
}

/** A budget code given as a billing-code id or as its finance code (the CLI passes comma-split strings). */
function billingCodeRef(ctx: WriteCtx, value: unknown, where: string): number | string {
  const id = toIntId(value);
  if (id !== undefined) {
    mustExist(ctx.world.store, BILLING, id, where);
    return id;
  }
  if (typeof value !== 'string' || value === '') throw ApiError.badRequest(`${where} must be a billing code id or finance code`);
  for (const code of ctx.world.store.table(BILLING).values()) if (code.financeCode === value) return value;
  throw ApiError.badRequest(`${where}: no billing code with finance code "${value}"`);
}

function addGroup(ctx: WriteCtx, value: unknown, root: string): Reply {
  if (!isObject(value)) throw ApiError.badRequest(`${root} must be an object {"group": {...}} (not an array)`);
  const g = object(value, 'group', root);
  const where = `${root}.group`;
  const rec: Rec = {
    customer: { customerId: caller(ctx).customerId }, description: str(g, 'description', where), groupId: ctx.world.store.allocateId(GROUP),
    name: str(g, 'name', where), roleAssignments: [], status: 'ACTIVE',
  };
  return created(ctx, GROUP, [ctx.world.store.put(GROUP, rec)]);
}

/** The `group` object of a group PUT. */
function groupBody(value: unknown, root: string): Rec {
  if (!isObject(value)) throw ApiError.badRequest(`${root} must be an object {"group": {...}} (not an array)`);
  return object(value, 'group', root);
}

function setRole(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const g = groupBody(value, root);
  const where = `${root}.group`;
  const roleId = ref(store, g, 'role', 'roleId', ROLE, where);
  const accountId = optRef(store, g, 'account', 'accountId', ACCOUNT, where) ?? caller(ctx).accountId;
  const group = ctx.item as Rec;
  const role = store.get(ROLE, roleId) as Rec;
  // One role per group and account: replace any earlier assignment.
  group.roleAssignments = [...(group.roleAssignments ?? []).filter((a: Rec) => a.accountId !== accountId), { accountId, roleId, roleName: role.name }];
  return noContent();
}

function describeGroup(ctx: WriteCtx, value: unknown, root: string): Reply {
  const g = groupBody(value, root);
  const where = `${root}.group`;
  const group = ctx.item as Rec;
  // Either member alone is enough; both are accepted too.
  const name = optStr(g, 'name', where);
  const description = optStr(g, 'description', where);
  if (name === undefined && description === undefined) throw ApiError.badRequest(`${where} needs a name and/or a description`);
  if (name !== undefined) {
    if (!name) throw ApiError.badRequest(`${where}.name must not be empty`);
    group.name = name;
  }
  if (description !== undefined) group.description = description;
  return noContent();
}

function addRoleAssignments(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const g = groupBody(value, root);
  const where = `${root}.group`;
  const assignments = objectList(g.roleAssignments, `${where}.roleAssignments`).map((a, i) => {
    const w = `${where}.roleAssignments[${i}]`;
    const accountId = int(a, 'accountId', w);
    mustExist(store, ACCOUNT, accountId, `${w}.accountId`);
    const roleId = int(a, 'roleId', w);
    mustExist(store, ROLE, roleId, `${w}.roleId`);
    return { accountId, roleId, roleName: (store.get(ROLE, roleId) as Rec).name };
  });
  const budgets = g.groupAccountBudgetCodes === undefined ? [] : objectList(g.groupAccountBudgetCodes, `${where}.groupAccountBudgetCodes`).map((b, i) => {
    const w = `${where}.groupAccountBudgetCodes[${i}]`;
    const accountId = int(b, 'accountId', w);
    mustExist(store, ACCOUNT, accountId, `${w}.accountId`);
    if (!Array.isArray(b.budgetCodes)) throw ApiError.badRequest(`${w}.budgetCodes must be an array`);
    const budgetCodes = b.budgetCodes.map((c: unknown, j: number) => billingCodeRef(ctx, c, `${w}.budgetCodes[${j}]`));
    return { accountId, budgetCodes };
  });
  const group = ctx.item as Rec;
  const keep = (group.roleAssignments ?? []).filter((x: Rec) => !assignments.some((a) => a.accountId === x.accountId && a.roleId === x.roleId));
  group.roleAssignments = [...keep, ...assignments];
  if (budgets.length) group.groupAccountBudgetCodes = [...(group.groupAccountBudgetCodes ?? []), ...budgets];
  return noContent();
}

function addRole(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const rec: Rec = {
      acl: [], customer: { customerId: caller(ctx).customerId }, description: str(o, 'description', where), name: str(o, 'name', where),
      roleId: store.allocateId(ROLE), status: optStr(o, 'status', where) ?? 'ACTIVE',
    };
    return store.put(ROLE, rec);
  });
  return created(ctx, ROLE, made);
}

function aclEntry(e: unknown, where: string): Rec {
  if (!isObject(e)) throw ApiError.badRequest(`${where} must be an object`);
  return { action: str(e, 'action', where), qualifier: str(e, 'qualifier', where), resourceType: str(e, 'resourceType', where) };
}

function grantRole(ctx: WriteCtx, value: unknown, root: string): Reply {
  const entries = objectList(value, root).flatMap((o, i) => {
    const where = `${root}[${i}]`;
    if (o.acl === undefined) return [aclEntry(o, where)];
    if (!Array.isArray(o.acl)) throw ApiError.badRequest(`${where}.acl must be an array`);
    return o.acl.map((e: unknown, j: number) => aclEntry(e, `${where}.acl[${j}]`));
  });
  const role = ctx.item as Rec;
  const key = (e: Rec) => `${e.action}/${e.qualifier}/${e.resourceType}`;
  const have = new Set((role.acl ?? []).map(key));
  role.acl = [...(role.acl ?? []), ...entries.filter((e) => !have.has(key(e)))];
  return noContent();
}

function addUser(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const made = objectList(value, root).map((o, i) => {
    const where = `${root}[${i}]`;
    const givenName = str(o, 'givenName', where);
    const familyName = str(o, 'familyName', where);
    const email = str(o, 'email', where);
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw ApiError.badRequest(`${where}.email is not an e-mail address: "${email}"`);
    const groups = refList(store, o, 'groups', 'groupId', GROUP, where, true) as number[];
    const accountId = ref(store, o, 'account', 'accountId', ACCOUNT, where);
    const billingCodes = refList(store, o, 'billingCodes', 'billingCodeId', BILLING, where, true) as number[];
    const userId = store.allocateId(USER);
    const rec: Rec = {
      account: { accountId }, accountUserId: userId, alphaName: `${familyName}, ${givenName}`, billingCodes: billingCodes.map((billingCodeId) => ({ billingCodeId })),
      customer: { customerId: caller(ctx).customerId }, editable: true, email, familyName, givenName, groups: groups.map((groupId) => ({ groupId })),
      hasCloudAPIAccess: false, hasCloudConsoleAccess: false, status: 'ACTIVE', timeZone: 'UTC', userId, vmLoginId: `p${userId}`,
    };
    const ssh = optStr(o, 'sshPublicKey', where);
    if (ssh) rec.sshPublicKey = ssh;
    optStr(o, 'password', where);
    return store.put(USER, rec);
  });
  return created(ctx, USER, made);
}

function grantUser(ctx: WriteCtx, value: unknown, root: string): Reply {
  const store = ctx.world.store;
  const user = ctx.item as Rec;
  objectList(value, root).forEach((o, i) => {
    const where = `${root}[${i}]`;
    const accountId = ref(store, o, 'account', 'accountId', ACCOUNT, where);
    const groups = refList(store, o, 'groups', 'groupId', GROUP, where) ?? [];
    const codes = refList(store, o, 'billingCodes', 'billingCodeId', BILLING, where) ?? [];
    user.account = { accountId };
    const merge = (list: Rec[] | undefined, key: string, ids: number[]) => {
      const have = new Set((list ?? []).map((x) => x[key]));
      return [...(list ?? []), ...ids.filter((id) => !have.has(id)).map((id) => ({ [key]: id }))];
    };
    user.groups = merge(user.groups, 'groupId', groups);
    user.billingCodes = merge(user.billingCodes, 'billingCodeId', codes);
  });
  return noContent();
}

export const ADMIN_WRITES: Record<string, WriteRoutes> = {
  [ACCOUNT]: { post: { addAccount }, put: { assignCloud } },
  [API_KEY]: { post: { generateApiKey }, del: (ctx) => { ctx.world.store.remove(API_KEY, ctx.id as string); return noContent(); } },
  [BILLING]: { post: { addBillingCode }, del: deleteBillingCode },
  [GROUP]: {
    post: { addGroup },
    put: { setRole, describeGroup, addRoleAssignments },
    del: (ctx) => { ctx.world.store.remove(GROUP, ctx.id as number); return noContent(); },
  },
  [ROLE]: { post: { addRole }, put: { grant: grantRole }, companions: { grant: ['role'] } },
  [USER]: { post: { addUser }, put: { grant: grantUser } },
};
