/**
 * admin seed: the fixture API keys, billing codes, groups, jobs, roles and users, the account and
 * customers embedded in the API-key sample, plus the objects those samples reference but do not
 * ship (account owner user 98765, two more accounts, billing code 10288 used in the reference's
 * `addUser` example) and one API-key item per configured key pair (so the caller's key is listed
 * and can be invalidated like any other).
 *
 * Additions to fixture items: groups carry `roleAssignments` (a declared member, needed
 * for the Role `group_id`/`account_id` filters); accounts carry `cloudSubscription` next to the
 * sample's `cloudSubscriptionId` object, because the client reads
 * `cloudSubscription.cloudSubscriptionId` after `assignCloud`.
 */
import { EPOCH_ZERO } from '../time.js';
import type { Rec } from '../types.js';
import {
  FIXTURE_API_KEYS, FIXTURE_BILLING_CODES, FIXTURE_EMBEDDED_ACCOUNTS, FIXTURE_EMBEDDED_CUSTOMERS, FIXTURE_EMBEDDED_USERS,
  FIXTURE_GROUPS, FIXTURE_JOBS, FIXTURE_ROLES, FIXTURE_USERS,
} from './fixtures-admin.js';
import { CUSTOMER_ID } from './geography.js';

export const DEFAULT_ACCOUNT_ID = 16000;
export const DEFAULT_USER_ID = 54321;

export interface AdminSeed {
  accounts: Rec[];
  apiKeys: Rec[];
  billingCodes: Rec[];
  customers: Rec[];
  groups: Rec[];
  jobs: Rec[];
  roles: Rec[];
  users: Rec[];
  license: Rec;
}

function account(accountId: number, name: string, cloudId: number, cloudSubscriptionId: number, owner: number): Rec {
  const subscription = { accountNumber: String(900000000 + accountId), cloudId, cloudSubscriptionId, storageAccountNumber: null };
  return {
    accountId,
    alertConfiguration: structuredClone(FIXTURE_EMBEDDED_ACCOUNTS[0].alertConfiguration),
    billingSystemId: String(accountId),
    cloudSubscription: subscription,
    cloudSubscriptionId: { ...subscription },
    configured: true,
    customer: { customerId: CUSTOMER_ID },
    defaultBudget: 10287,
    name,
    owner: { userId: owner },
    planId: 2,
    provisioned: true,
    status: 'ACTIVE',
    subscribed: true,
  };
}

export function seedAdmin(keys: Array<{ accessKey: string; secretKey: string }>): AdminSeed {
  const fixtureAccount = structuredClone(FIXTURE_EMBEDDED_ACCOUNTS[0]);
  fixtureAccount.cloudSubscription = { ...fixtureAccount.cloudSubscriptionId };
  const accounts = [fixtureAccount, account(16001, 'Azure Dev', 2, 12621, DEFAULT_USER_ID), account(16002, 'Private Lab', 3, 12622, DEFAULT_USER_ID)];

  const users = [
    ...structuredClone(FIXTURE_USERS),
    ...structuredClone(FIXTURE_EMBEDDED_USERS),
    {
      account: { accountId: DEFAULT_ACCOUNT_ID }, accountUserId: 16000, alphaName: 'Owner, Account',
      billingCodes: [{ billingCodeId: 10287 }], customer: { customerId: CUSTOMER_ID }, editable: true,
      email: 'account.owner@example.com', familyName: 'Owner', givenName: 'Account', groups: [{ groupId: 9465 }],
      hasCloudAPIAccess: true, hasCloudConsoleAccess: true, status: 'ACTIVE', timeZone: 'UTC', userId: 98765, vmLoginId: 'p98765',
    },
  ];

  const groups = structuredClone(FIXTURE_GROUPS);
  groups[0].roleAssignments = [{ accountId: DEFAULT_ACCOUNT_ID, roleId: 13712, roleName: 'Admin' }];
  groups[1].roleAssignments = [{ accountId: DEFAULT_ACCOUNT_ID, roleId: 14039, roleName: 'Dev' }];
  groups.push({
    customer: { customerId: CUSTOMER_ID }, description: 'Operations staff', groupId: 9466, name: 'Operations', status: 'ACTIVE',
    roleAssignments: [{ accountId: 16001, roleId: 14039, roleName: 'Dev' }],
  });

  const billingCodes = structuredClone(FIXTURE_BILLING_CODES);
  billingCodes.push({
    billingCodeId: 10288, budgetState: 'NORMAL', currentUsage: { currency: 'USD', value: 12.5 }, customer: { customerId: CUSTOMER_ID },
    description: 'Research projects', financeCode: 'RND', name: 'Research', projectedUsage: { currency: 'USD', value: 80 }, status: 'ACTIVE',
    softQuota: { currency: 'USD', value: 500 }, hardQuota: { currency: 'USD', value: 1000 },
  });

  const apiKeys = structuredClone(FIXTURE_API_KEYS);
  keys.forEach((k, i) => {
    apiKeys.push({
      accessKey: k.accessKey, account: { accountId: DEFAULT_ACCOUNT_ID }, activation: EPOCH_ZERO, customer: { customerId: CUSTOMER_ID },
      customerManagementKey: false, description: 'Emulator key pair', name: i === 0 ? 'emulator' : `emulator-${i + 1}`,
      secretKey: k.secretKey, state: 'ACTIVE', systemManagementKey: false, user: { userId: DEFAULT_USER_ID },
    });
  });

  return {
    accounts,
    apiKeys,
    billingCodes,
    customers: structuredClone(FIXTURE_EMBEDDED_CUSTOMERS),
    groups,
    jobs: structuredClone(FIXTURE_JOBS),
    roles: structuredClone(FIXTURE_ROLES),
    users,
    license: { expirationDateTime: '2030-12-31T23:59:59.000+0000', daysUntilExpiration: 0, licensee: 'CSE', serverLimit: 0, valid: true },
  };
}
