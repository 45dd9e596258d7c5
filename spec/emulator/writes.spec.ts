/**
 * The API's writes (creates, updates, actions, deletes), one family per describe: documented payloads, documented statuses
 * (201 envelope, 202 jobs, 204, 418), the effect visible through a later GET, and validation
 * answering 400 with a message naming the bad or missing member. Server launch/start/stop/pause/
 * terminate are in ./jobs.spec.ts.
 */
import { startEmulator, type EmulatorHandle } from '../../lib/emulator/index.js';
import { api, getOne, jobIdOf, settleJob } from '../support/emulator-http.js';

let emu: EmulatorHandle;
beforeAll(async () => { emu = await startEmulator(); });
afterAll(() => emu.close());

/** POST/PUT and expect a 400 whose message matches. */
async function rejects(method: string, path: string, body: unknown, message: RegExp | string): Promise<void> {
  const res = await api(emu, method, path, { body });
  expect(res.status).toBe(400);
  if (typeof message === 'string') expect(res.json.error.message).toBe(message);
  else expect(res.json.error.message).toMatch(message);
}

/** A 202 job run to completion; returns the finished job. */
async function completes(method: string, path: string, body?: unknown, query?: Record<string, string>): Promise<any> {
  const res = await api(emu, method, path, { body, query });
  const job = await settleJob(emu, jobIdOf(res));
  expect(job.status).toBe('COMPLETE');
  return job;
}

describe('emulator writes: request bodies', () => {
  it('answers 400 for an empty body, invalid JSON, an unknown root key and two root keys', async () => {
    await rejects('POST', 'admin/Group', '', /request body is empty/);
    await rejects('POST', 'admin/Group', '{"addGroup":', /request body is not valid JSON/);
    await rejects('POST', 'admin/Group', { makeGroup: {} }, 'unknown root key "makeGroup" for POST admin/Group; expected one of: addGroup');
    await rejects('PUT', 'infrastructure/Server/331810', { describeServer: [{ name: 'a' }], assignBudget: [{ budget: 10287 }] }, /exactly one root key/);
  });

  it('answers 404 for a PUT/DELETE of a missing object and 405 for an unsupported method', async () => {
    const missing = await api(emu, 'PUT', 'infrastructure/Volume/1', { body: { detach: [{}] } });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe('No such Volume ID: 1');
    const del = await api(emu, 'DELETE', 'network/Firewall/119182');
    expect(del.status).toBe(405);
    expect(del.headers.allow).toBe('GET, HEAD');
    const noId = await api(emu, 'DELETE', 'infrastructure/Server');
    expect(noId.status).toBe(400);
    expect(noId.json.error.message).toMatch(/needs an id/);
  });
});

describe('emulator writes: admin', () => {
  it('addAccount → 201 accounts envelope; the account is retrievable and secrets are not echoed', async () => {
    const res = await api(emu, 'POST', 'admin/Account', {
      body: { addAccount: [{ name: 'acme', cloudSubscription: { accountNumber: '111', cloudId: 1, apiKeyId: 'AKIA', apiKeySecret: 'shh' }, customer: { customerId: 12345 }, setAdminDefaults: true }] },
    });
    expect(res.status).toBe(201);
    const account = res.json.accounts[0];
    expect(account).toMatchObject({ name: 'acme', customer: { customerId: 12345 }, cloudSubscription: { accountNumber: '111', cloudId: 1 } });
    expect(res.text).not.toContain('shh');
    expect((await getOne(emu, `admin/Account/${account.accountId}`)).name).toBe('acme');
    await rejects('POST', 'admin/Account', { addAccount: [{ name: 'x', cloudSubscription: { accountNumber: '1', cloudId: 1, apiKeyId: 'k' } }] },
      'addAccount[0].cloudSubscription.apiKeySecret is required');
  });

  it('assignCloud → 204 and a new cloudSubscription (accounts is an object, not an array)', async () => {
    const res = await api(emu, 'PUT', 'admin/Account/16001', {
      body: { assignCloud: { accounts: { cloudSubscription: { cloudId: 2, accountNumber: '222', apiKeyId: 'id', apiKeySecret: 'secret' } } } },
    });
    expect(res.status).toBe(204);
    expect((await getOne(emu, 'admin/Account/16001')).cloudSubscription).toMatchObject({ cloudId: 2, accountNumber: '222', cloudSubscriptionId: expect.any(Number) });
    await rejects('PUT', 'admin/Account/16001', { assignCloud: { accounts: { cloudSubscription: { cloudId: 99, accountNumber: '1', apiKeyId: 'a', apiKeySecret: 'b' } } } },
      'assignCloud.accounts.cloudSubscription.cloudId: no such Cloud 99');
  });

  it('addBillingCode (quota values as strings) → 201; DELETE with replacementCode moves users → 204', async () => {
    const res = await api(emu, 'POST', 'admin/BillingCode', {
      body: { addBillingCode: [{ softQuota: { value: '100', currency: 'USD' }, hardQuota: { value: '200', currency: 'USD' }, status: 'ACTIVE', name: 'Proj', financeCode: 'PRJ', description: 'project' }] },
    });
    expect(res.status).toBe(201);
    const code = res.json.billingCodes[0];
    expect(code).toMatchObject({ name: 'Proj', financeCode: 'PRJ', softQuota: { value: 100, currency: 'USD' }, hardQuota: { value: 200, currency: 'USD' } });
    expect((await api(emu, 'PUT', 'infrastructure/Server/339452', { body: { assignBudget: [{ budget: String(code.billingCodeId) }] } })).status).toBe(204);
    const del = await api(emu, 'DELETE', `admin/BillingCode/${code.billingCodeId}`, { query: { reason: 'closed', replacementCode: '10670' } });
    expect(del.status).toBe(204);
    expect((await getOne(emu, 'infrastructure/Server/339452')).budget).toBe(10670);
    expect((await api(emu, 'GET', `admin/BillingCode/${code.billingCodeId}`)).status).toBe(404);
    await rejects('POST', 'admin/BillingCode', { addBillingCode: [{ softQuota: { value: 1 }, hardQuota: { value: 2 }, name: 'n', description: 'd' }] },
      'addBillingCode[0].financeCode is required');
  });

  it('addGroup → 201; setRole, describeGroup, addRoleAssignments → 204; DELETE → 204', async () => {
    const res = await api(emu, 'POST', 'admin/Group', { body: { addGroup: { group: { name: 'ops', description: 'operators' } } } });
    expect(res.status).toBe(201);
    const groupId = res.json.groups[0].groupId;
    const path = `admin/Group/${groupId}`;
    expect((await api(emu, 'PUT', path, { body: { setRole: { group: { role: { roleId: 14039 }, account: { accountId: 16000 } } } } })).status).toBe(204);
    expect((await api(emu, 'PUT', path, { body: { describeGroup: { group: { name: 'ops2', description: 'renamed' } } } })).status).toBe(204);
    expect((await api(emu, 'PUT', path, {
      body: { addRoleAssignments: { group: { roleAssignments: [{ accountId: 16001, roleId: 13712 }], groupAccountBudgetCodes: [{ accountId: 16001, budgetCodes: [10287, 10670] }] } } },
    })).status).toBe(204);
    const group = await getOne(emu, path);
    expect(group).toMatchObject({ name: 'ops2', description: 'renamed' });
    expect(group.roleAssignments).toEqual([{ accountId: 16000, roleId: 14039, roleName: 'Dev' }, { accountId: 16001, roleId: 13712, roleName: 'Admin' }]);
    expect(group.groupAccountBudgetCodes).toEqual([{ accountId: 16001, budgetCodes: [10287, 10670] }]);
    expect((await api(emu, 'PUT', path, { body: { describeGroup: { group: { description: 'only the description' } } } })).status).toBe(204);
    const described = await api(emu, 'GET', path);
    expect((described.json as any).groups[0]).toMatchObject({ name: 'ops2', description: 'only the description' });
    const empty = await api(emu, 'PUT', path, { body: { describeGroup: { group: {} } } });
    expect(empty.status).toBe(400);
    expect((empty.json as any).error.message).toMatch(/name and\/or a description/);
    await rejects('POST', 'admin/Group', { addGroup: [{ group: { name: 'x', description: 'y' } }] }, /addGroup must be an object/);
    await rejects('PUT', path, { setRole: { group: { role: { roleId: 1 } } } }, 'setRole.group.role.roleId: no such Role 1');
    expect((await api(emu, 'DELETE', path)).status).toBe(204);
    expect((await api(emu, 'GET', path)).status).toBe(404);
  });

  it('addRole → 201; grant (both document forms) → 204', async () => {
    const res = await api(emu, 'POST', 'admin/Role', { body: { addRole: [{ status: 'ACTIVE', name: 'Auditor', description: 'read only' }] } });
    expect(res.status).toBe(201);
    const path = `admin/Role/${res.json.roles[0].roleId}`;
    expect((await api(emu, 'PUT', path, { body: { grant: [{ acl: [{ action: 'Attach', qualifier: 'MINE', resourceType: 'VOLUME', role: 51200 }] }] } })).status).toBe(204);
    expect((await api(emu, 'PUT', path, { body: { role: 'Auditor', grant: [{ action: 'UseAPI', qualifier: 'ANY', resourceType: 'CONSOLE' }] } })).status).toBe(204);
    expect((await getOne(emu, path)).acl).toEqual([
      { action: 'Attach', qualifier: 'MINE', resourceType: 'VOLUME' }, { action: 'UseAPI', qualifier: 'ANY', resourceType: 'CONSOLE' },
    ]);
    await rejects('PUT', path, { grant: [{ acl: [{ action: 'Attach', qualifier: 'MINE' }] }] }, 'grant[0].acl[0].resourceType is required');
  });

  it('addUser (ids as strings) → 201 without the password; grant → 204', async () => {
    const res = await api(emu, 'POST', 'admin/User', {
      body: { addUser: [{ givenName: 'John', familyName: 'Vincent', email: 'j@example.com', groups: [{ groupId: '9465' }], account: { accountId: '16000' },
        billingCodes: [{ billingCodeId: 10287 }, { billingCodeId: 10288 }], password: 'pw-secret' }] },
    });
    expect(res.status).toBe(201);
    const user = res.json.users[0];
    expect(user).toMatchObject({ alphaName: 'Vincent, John', groups: [{ groupId: 9465 }], account: { accountId: 16000 } });
    expect(res.text).not.toContain('pw-secret');
    const path = `admin/User/${user.userId}`;
    expect((await api(emu, 'PUT', path, { body: { grant: [{ account: { accountId: 16001 }, groups: [{ groupId: 9466 }], billingCodes: [{ billingCodeId: 10670 }] }] } })).status).toBe(204);
    const after = await getOne(emu, path);
    expect(after.groups).toEqual([{ groupId: 9465 }, { groupId: 9466 }]);
    expect(after.billingCodes).toEqual([{ billingCodeId: 10287 }, { billingCodeId: 10288 }, { billingCodeId: 10670 }]);
    await rejects('POST', 'admin/User', { addUser: [{ givenName: 'A', familyName: 'B', email: 'not-an-address', groups: [{ groupId: 9465 }], account: { accountId: 16000 }, billingCodes: [{ billingCodeId: 10287 }] }] },
      /addUser\[0\]\.email is not an e-mail address/);
  });
});

describe('emulator writes: automation and platform', () => {
  it('addService accepts cmSystemID (capital ID) → 201', async () => {
    const res = await api(emu, 'POST', 'automation/ConfigurationManagementService', {
      body: { addService: [{ budget: 10287, serviceEndpoint: 'http://chef.example', description: 'chef', name: 'chef-1', label: 'red', cmSystem: { cmSystemID: 1 } }] },
    });
    expect(res.status).toBe(201);
    expect(res.json.cmServices[0]).toMatchObject({ cmSystem: { cmSystemId: 1 }, name: 'chef-1', label: 'red' });
    await rejects('POST', 'automation/ConfigurationManagementService', { addService: [{ budget: 10287, serviceEndpoint: 'x', description: 'd', name: 'n', cmSystem: { cmSystemId: 9 } }] },
      'addService[0].cmSystem.cmSystemId: no such ConfigurationManagementSystem 9');
  });

  it('addDeployment, addTier, addLaunchConfiguration → 201 (earlier versions)', async () => {
    const dep = await api(emu, 'POST', 'automation/Deployment', { body: { addDeployment: [{ budget: 10287, regionId: 19344, description: 'd', name: 'dep' }] } });
    expect(dep.status).toBe(201);
    const deploymentId = dep.json.deployments[0].deploymentId;
    const tier = await api(emu, 'POST', 'automation/Tier', {
      body: { addTier: [{ budget: 10287, deployment: { deploymentId }, description: 'web', name: 'web', minimumServers: 1, maximumServers: 2, breachIncrement: 1,
        breachPeriodInMinutes: 5, cooldownPeriodInMinutes: 5, lowerCpuThreshold: 10, upperCpuThreshold: 80, lowerRamThreshold: 10, upperRamThreshold: 80 }] },
    });
    expect(tier.status).toBe(201);
    const tierId = tier.json.tiers[0].tierId;
    const lc = await api(emu, 'POST', 'automation/LaunchConfiguration', {
      body: { addLaunchConfiguration: [{ tier: { tierId }, primaryMachineImage: { machineImageId: 284831 }, primaryProduct: { productId: 'm1.small' }, firewalls: [{ firewallId: 117164 }], region: { regionId: 19344 } }] },
    });
    expect(lc.status).toBe(201);
    expect(lc.json.launchConfigurations[0]).toMatchObject({ tier: { tierId }, deployment: { deploymentId }, primaryProduct: { productId: 'm1.small' } });
    await rejects('POST', 'automation/Tier', { addTier: [{ budget: 10287, deployment: { deploymentId }, description: 'd', name: 'n', minimumServers: 3, maximumServers: 2 }] },
      'addTier[0].maximumServers (2) must not be below minimumServers (3)');
  });

  it('DELETE platform/RelationalDatabase → 202 job; the database is gone afterwards', async () => {
    await completes('DELETE', 'platform/RelationalDatabase/12002', undefined, { reason: 'retired' });
    expect((await api(emu, 'GET', 'platform/RelationalDatabase/12002')).status).toBe(404);
  });
});

describe('emulator writes: servers, volumes, snapshots, images', () => {
  it('validates launch: missing, unknown and inconsistent members are named', async () => {
    const base = { product: { productId: 'm1.small' }, budget: 10287, machineImage: { machineImageId: 284831 }, description: 'd', name: 'n', dataCenter: { dataCenterId: 64351 } };
    await rejects('POST', 'infrastructure/Server', { launch: [{ ...base, dataCenter: undefined }] }, 'launch[0].dataCenter is required');
    await rejects('POST', 'infrastructure/Server', { launch: [{ ...base, dataCentre: {} }] }, /launch\[0\]\.dataCentre is not a known member/);
    await rejects('POST', 'infrastructure/Server', { launch: [{ ...base, budget: 'abc' }] }, 'launch[0].budget must be an integer, got "abc"');
    await rejects('POST', 'infrastructure/Server', { launch: [{ ...base, machineImage: { machineImageId: 283735 } }] }, /image 283735 is in region 19556, but data center 64351 is in region 19344/);
    await rejects('POST', 'infrastructure/Server', { launch: [{ ...base, product: { productId: 'z9.huge' } }] }, /product "z9.huge" is not offered in region 19344/);
    await rejects('POST', 'infrastructure/Server', { launch: { ...base } }, 'launch must be a non-empty array of objects');
  });

  it('provisionUser / deprovisionUser → 202 jobs', async () => {
    await completes('PUT', 'infrastructure/Server/331810', { provisionUser: [{ user: { userId: 9876, adminRole: 'sudo' } }] });
    await completes('PUT', 'infrastructure/Server/331810', { deprovisionUser: [{ user: { userId: 9876 } }] });
    await rejects('PUT', 'infrastructure/Server/331810', { provisionUser: [{ user: { userId: 1 } }] }, 'provisionUser[0].user.userId: no such User 1');
  });

  it('describeServer, assignGroups, assignBudget → 204', async () => {
    const path = 'infrastructure/Server/329613';
    expect((await api(emu, 'PUT', path, { body: { describeServer: [{ name: 'renamed', description: 'new text', label: 'blue' }] } })).status).toBe(204);
    expect((await api(emu, 'PUT', path, { body: { assignGroups: [{ owningGroups: [{ groupId: 9848 }] }] } })).status).toBe(204);
    expect((await api(emu, 'PUT', path, { body: { assignBudget: [{ budget: 10670 }] } })).status).toBe(204);
    expect(await getOne(emu, path)).toMatchObject({ name: 'renamed', description: 'new text', label: 'blue', owningGroups: [{ groupId: 9848 }], budget: 10670 });
    await rejects('PUT', path, { describeServer: [{ colour: 'red' }] }, 'describeServer[0] must contain at least one of: name, description, label');
    await rejects('PUT', path, { assignBudget: [{ budget: 1 }] }, 'assignBudget[0].budget: no such BillingCode 1');
  });

  it('addVolume → 202 (message = new volume id); attach → 202; detach → 204; describe/budget/groups → 204; DELETE → 202', async () => {
    const job = await completes('POST', 'infrastructure/Volume', { addVolume: [{ name: 'data', description: 'data disk', dataCenter: { dataCenterId: 64351 }, sizeInGb: 10, budget: 10287 }] });
    expect(job.description).toContain('CREATE VOLUME');
    const path = `infrastructure/Volume/${job.message}`;
    expect(await getOne(emu, path)).toMatchObject({ volumeId: Number(job.message), name: 'data', sizeInGb: 10, sizeString: '10GB', server: null, region: { regionId: 19344 } });

    await completes('PUT', path, { attach: [{ server: { serverId: 331810 }, deviceId: '/dev/xvdh' }] });
    expect(await getOne(emu, path)).toMatchObject({ server: { serverId: 331810 }, deviceId: '/dev/xvdh' });
    const attached = await api(emu, 'DELETE', path);
    expect(attached.status).toBe(409);
    expect(attached.json.error.message).toMatch(/detach it before deleting/);
    expect((await api(emu, 'PUT', path, { body: { detach: [{}] } })).status).toBe(204);
    expect((await getOne(emu, path)).server).toBeNull();

    expect((await api(emu, 'PUT', path, { body: { describeVolume: [{ label: 'green' }] } })).status).toBe(204);
    expect((await api(emu, 'PUT', path, { body: { assignBudget: [{ budget: 10670 }] } })).status).toBe(204);
    expect((await api(emu, 'PUT', path, { body: { assignGroups: [{ owningGroups: [{ groupId: 9848 }] }] } })).status).toBe(204);
    expect(await getOne(emu, path)).toMatchObject({ label: 'green', budget: 10670, owningGroups: [{ groupId: 9848 }], name: 'data' });

    await completes('DELETE', path, undefined, { reason: 'cleanup' });
    expect((await api(emu, 'GET', path)).status).toBe(404);
    await rejects('POST', 'infrastructure/Volume', { addVolume: [{ name: 'v', description: 'd', dataCenter: { dataCenterId: 64351 }, sizeInGb: 0, budget: 10287 }] },
      'addVolume[0].sizeInGb must be at least 1, got 0');
    await rejects('PUT', 'infrastructure/Volume/219001', { attach: [{ server: { serverId: 322765 } }] }, /server 322765 is in data center 64716, volume 219001 in 64351/);
  });

  it('addSnapshot → 202 (message = new snapshot id); describeSnapshot → 204; DELETE → 202', async () => {
    const job = await completes('POST', 'infrastructure/Snapshot', { addSnapshot: [{ volume: { volumeId: 215683 }, name: 'snap-1', description: 'nightly', budget: 10287, label: 'red' }] });
    expect(job.description).toContain('Snapshot of');
    const path = `infrastructure/Snapshot/${job.message}`;
    expect(await getOne(emu, path)).toMatchObject({ volume: { volumeId: 215683 }, name: 'snap-1', region: { regionId: 19344 } });
    expect((await api(emu, 'PUT', path, { body: { describeSnapshot: [{ name: 'snap-1b' }] } })).status).toBe(204);
    expect((await getOne(emu, path)).name).toBe('snap-1b');
    await completes('DELETE', path);
    expect((await api(emu, 'GET', path)).status).toBe(404);
    await rejects('POST', 'infrastructure/Snapshot', { addSnapshot: [{ name: 's', description: 'd', budget: 10287 }] }, 'addSnapshot[0].volume is required');
  });

  it('imageServer → 202 (message = new image id); describeImage/registerAgent/unRegisterAgent/assignGroups/assignBudget → 204; deprecateImage → 202; DELETE → 202', async () => {
    const job = await completes('POST', 'infrastructure/MachineImage', {
      imageServer: [{ budget: 10287, description: 'golden', name: 'golden-1', server: { serverId: 331810 }, owningGroups: [{ groupId: 9465 }] }],
    });
    expect(job.description).toContain('Create Image');
    const path = `infrastructure/MachineImage/${job.message}`;
    expect(await getOne(emu, path)).toMatchObject({ name: 'golden-1', region: { regionId: 19344 }, status: 'ACTIVE' });
    for (const body of [
      { describeImage: [{ description: 'gold', label: 'yellow' }] }, { registerAgent: [{ agentVersion: 17 }] }, { assignGroups: [{ owningGroups: [{ groupId: 9848 }] }] },
      { assignBudget: [{ budget: 10670 }] },
    ]) expect((await api(emu, 'PUT', path, { body })).status).toBe(204);
    expect(await getOne(emu, path)).toMatchObject({ description: 'gold', label: 'yellow', agentVersion: 17, owningGroups: [{ groupId: 9848 }], budget: 10670 });
    expect((await api(emu, 'PUT', path, { body: { unRegisterAgent: [{}] } })).status).toBe(204);
    expect((await getOne(emu, path)).agentVersion).toBe(0);
    await completes('PUT', path, { deprecateImage: [{}] });
    expect((await getOne(emu, path)).status).toBe('DEPRECATED');
    expect((await api(emu, 'GET', 'infrastructure/MachineImage', { query: { regionId: '19344' } })).json.images.map((i: any) => i.machineImageId)).not.toContain(Number(job.message));
    expect((await api(emu, 'PUT', path, { body: { deprecateImage: [{}] } })).status).toBe(409);
    await completes('DELETE', path, undefined, { reason: 'old' });
    expect((await api(emu, 'GET', path)).status).toBe(404);
    await rejects('POST', 'infrastructure/MachineImage', { imageServer: [{ budget: 10287, description: 'd', name: 'n', server: { serverId: 331810 } }] },
      'imageServer[0].owningGroups is required');
  });
});

describe('emulator writes: network', () => {
  it('addFirewall → 202 (message = new firewall id)', async () => {
    const job = await completes('POST', 'network/Firewall', { addFirewall: [{ budget: 10287, region: { regionId: 19344 }, name: 'web', description: 'web tier', label: 'red' }] });
    expect(await getOne(emu, `network/Firewall/${job.message}`)).toMatchObject({ name: 'web', region: { regionId: 19344 }, providerId: expect.stringMatching(/^sg-/) });
    await rejects('POST', 'network/Firewall', { addFirewall: [{ budget: 10287, name: 'x', description: 'd' }] }, 'addFirewall[0].region is required');
  });

  it('addRule → 201; the same rule again → 418 with the existing rule; DELETE → 204', async () => {
    const rule = { firewallId: 117164, source: '1.2.3.4/32', sourceType: 'CIDR', destination: 'sg-1', destinationType: 'GLOBAL', direction: 'INGRESS', permission: 'ALLOW', protocol: 'TCP', startPort: 443, endPort: 443, reason: 'Added by mixcoatl' };
    const res = await api(emu, 'POST', 'network/FirewallRule', { body: { addRule: [rule] } });
    expect(res.status).toBe(201);
    const created = res.json.rules[0];
    expect(created).toMatchObject({ firewall: { firewallId: 117164 }, startPort: 443, endPort: 443, protocol: 'TCP' });
    const again = await api(emu, 'POST', 'network/FirewallRule', { body: { addRule: [rule] } });
    expect(again.status).toBe(418);
    expect(again.json.rules[0].firewallRuleId).toBe(created.firewallRuleId);
    expect((await api(emu, 'DELETE', `network/FirewallRule/${created.firewallRuleId}`, { query: { reason: 'gone' } })).status).toBe(204);
    expect((await api(emu, 'GET', `network/FirewallRule/${created.firewallRuleId}`)).status).toBe(404);
    await rejects('POST', 'network/FirewallRule', { addRule: [{ ...rule, protocol: 'ICMP' }] }, 'addRule[0].protocol: ICMP rules are not supported');
    await rejects('POST', 'network/FirewallRule', { addRule: [{ ...rule, direction: 'SIDEWAYS' }] }, 'addRule[0].direction must be one of INGRESS, EGRESS, got "SIDEWAYS"');
  });

  it('addNetwork → 202 (message = new network id); DELETE → 202', async () => {
    const job = await completes('POST', 'network/Network', {
      addNetwork: [{ budget: 10287, name: 'net', networkAddress: '192.168.0.0/24', description: 'lab', region: { regionId: 19344 }, owningGroups: [{ groupId: 9465 }], ntpServers: ['10.0.0.1'], dnsServers: ['10.0.0.2'], label: 'red' }],
    });
    const path = `network/Network/${job.message}`;
    expect(await getOne(emu, path)).toMatchObject({ name: 'net', networkAddress: '192.168.0.0/24', ntpServers: ['10.0.0.1'], dnsServers: ['10.0.0.2'] });
    await completes('DELETE', path, undefined, { reason: 'lab closed' });
    expect((await api(emu, 'GET', path)).status).toBe(404);
    await rejects('POST', 'network/Network', { addNetwork: [{ budget: 10287, name: 'n', networkAddress: '300.1.1.0/24', description: 'd', region: { regionId: 19344 } }] },
      /addNetwork\[0\]\.networkAddress must be an IPv4 CIDR block/);
  });
});
