/**
 * admin items of the API's sample payloads, embedded so the emulator never
 * reads a payload file at runtime (derivation: see seed/index.ts).
 */
import type { Rec } from '../types.js';

export const FIXTURE_API_KEYS: Rec[] = [
  {
    "accessKey": "ABCDEFGHIJKL",
    "account": { "accountId": 16000 },
    "activation": "2012-11-28T04:05:57.722+0000",
    "customer": { "customerId": 98765 },
    "customerManagementKey": false,
    "description": "David Pando",
    "name": "dpando",
    "secretKey": "abcdefg+hijklmnop+qrstuv",
    "state": "ACTIVE",
    "systemManagementKey": false,
    "user": { "userId": -1 },
  },
  {
    "accessKey": "OXDEADBEAF",
    "account": { "accountId": 16000 },
    "activation": "2012-12-18T21:49:38.993+0000",
    "customer": { "customerId": 12345 },
    "customerManagementKey": false,
    "description": "jv api key",
    "name": "jv-api",
    "secretKey": "abcdefg+hijklmnop",
    "state": "ACTIVE",
    "systemManagementKey": false,
    "user": { "userId": -1 },
  },
  {
    "accessKey": "SLARTIBARTFAST",
    "account": { "accountId": 16000 },
    "activation": "2012-11-15T21:42:09.429+0000",
    "customer": { "customerId": 12345 },
    "customerManagementKey": false,
    "description": "Brian's Keys",
    "name": "brian-api",
    "secretKey": "abcdefg+hijklmnop",
    "state": "ACTIVE",
    "systemManagementKey": false,
    "user": { "userId": -1 },
  },
];

export const FIXTURE_BILLING_CODES: Rec[] = [
  {
    "billingCodeId": 10287,
    "budgetState": "NORMAL",
    "currentUsage": { "currency": "USD", "value": 150.90899658203125 },
    "customer": { "customerId": 12345 },
    "description": "Default Billing Code",
    "financeCode": "DEF",
    "name": "Default",
    "projectedUsage": { "currency": "USD", "value": 1023.989990234375 },
    "status": "ACTIVE",
  },
  {
    "billingCodeId": 10670,
    "budgetState": "NORMAL",
    "currentUsage": { "currency": "USD", "value": 0 },
    "customer": { "customerId": 12345 },
    "description": "a test budget code",
    "financeCode": "TEST",
    "name": "Test",
    "projectedUsage": { "currency": "USD", "value": 0 },
    "status": "ACTIVE",
  },
];

export const FIXTURE_GROUPS: Rec[] = [
  {
    "customer": { "customerId": 12345 },
    "description": "Default administrative group with full permissions.",
    "groupId": 9465,
    "name": "Admin",
    "status": "ACTIVE",
  },
  {
    "customer": { "customerId": 12345 },
    "description": "The Development group",
    "groupId": 9848,
    "name": "Development",
    "status": "ACTIVE",
  },
];

export const FIXTURE_JOBS: Rec[] = [
  {
    "description": "Stop Deployment test_launch_1203",
    "endDate": "2013-01-08T21:13:39.621+0000",
    "jobId": 1,
    "message": "",
    "startDate": "2013-01-08T21:05:29.598+0000",
    "status": "COMPLETE",
  },
  {
    "description": "Launch Server dpando-CentosLB",
    "endDate": "2013-01-08T21:29:59.662+0000",
    "jobId": 2,
    "message": "339452",
    "startDate": "2013-01-08T21:29:22.733+0000",
    "status": "COMPLETE",
  },
  {
    "description": "Start Deployment test_launch_1203",
    "endDate": "2013-01-08T21:47:43.734+0000",
    "jobId": 3,
    "message": "",
    "startDate": "2013-01-08T21:37:22.906+0000",
    "status": "COMPLETE",
  },
  {
    "description": "Grant Access to 13516",
    "endDate": "2013-01-08T21:44:55.698+0000",
    "jobId": 4,
    "message": "",
    "startDate": "2013-01-08T21:44:50.067+0000",
    "status": "RUNNING",
  },
  {
    "description": "Perform task 56",
    "endDate": "2013-01-08T21:44:55.698+0000",
    "jobId": 5,
    "message": "kaboom!",
    "startDate": "2013-01-08T21:44:50.067+0000",
    "status": "ERROR",
  },
];

export const FIXTURE_ROLES: Rec[] = [
  {
    "acl": [],
    "customer": { "customerId": 12345 },
    "description": "General Dev Role",
    "name": "Dev",
    "roleId": 14039,
    "status": "ACTIVE",
  },
  {
    "acl": [{ "action": "ANY", "qualifier": "ANY", "resourceType": "ANY" }],
    "customer": { "customerId": 12345 },
    "description": "General Admin Role",
    "name": "Admin",
    "roleId": 13712,
    "status": "ACTIVE",
  },
];

export const FIXTURE_USERS: Rec[] = [
  {
    "alphaName": "Smith, Bob",
    "customer": { "customerId": 12345 },
    "editable": false,
    "email": "bob.smith@domain.com",
    "familyName": "Smith",
    "givenName": "Bob",
    "groups": [{ "groupId": 9465 }],
    "hasCloudAPIAccess": false,
    "hasCloudConsoleAccess": false,
    "status": "ACTIVE",
    "timeZone": "America/Chicago",
    "userId": 9876,
    "vmLoginId": "p9876",
  },
  {
    "alphaName": "Vincent, John",
    "customer": { "customerId": 12345 },
    "editable": false,
    "email": "john.vincent@domain.com",
    "familyName": "Vincent",
    "givenName": "John",
    "groups": [{ "groupId": 9465 }],
    "hasCloudAPIAccess": false,
    "hasCloudConsoleAccess": false,
    "status": "ACTIVE",
    "sshPublicKey": "ssh-rsa AAAABsshkey user@machine",
    "timeZone": "America/New_York",
    "userId": 6789,
    "vmLoginId": "p6789",
  },
];

export const FIXTURE_EMBEDDED_ACCOUNTS: Rec[] = [
  {
    "accountId": 16000,
    "alertConfiguration": {
      "alertIntervalInMinutes": 5,
      "allowIndividualEmailAlerts": true,
      "allowIndividualSmsAlerts": true,
      "globalEmailThreshold": 11,
      "globalSmsThreshold": 11,
      "stopAlertsAfterMinutes": 60,
    },
    "billingSystemId": "16000",
    "cloudSubscriptionId": {
      "accountNumber": "1234567890",
      "cloudId": 1,
      "cloudSubscriptionId": 12620,
      "storageAccountNumber": null,
    },
    "configured": true,
    "customer": { "customerId": 12345 },
    "defaultBudget": 10287,
    "name": "CSE",
    "owner": { "userId": 98765 },
    "planId": 2,
    "provisioned": true,
    "status": "ACTIVE",
    "subscribed": true,
  },
];

export const FIXTURE_EMBEDDED_CUSTOMERS: Rec[] = [
  {
    "accountingCurrency": "USD",
    "automatedExchangeRates": true,
    "businessName": "CSE",
    "created": "2012-11-07T16:38:26.885+0000",
    "createdTimestamp": "2012-11-07T16:38:26.885+0000",
    "customerId": 12345,
    "status": "ACTIVE",
    "timeZone": "UTC",
  },
  {
    "accountingCurrency": "USD",
    "automatedExchangeRates": true,
    "businessName": "CSE",
    "created": "2012-11-07T16:38:26.885+0000",
    "createdTimestamp": "2012-11-07T16:38:26.885+0000",
    "customerId": 98765,
    "status": "ACTIVE",
    "timeZone": "UTC",
  },
];

export const FIXTURE_EMBEDDED_USERS: Rec[] = [
  {
    "account": { "accountId": 16000 },
    "accountUserId": 16898,
    "alphaName": "Kang, Sean",
    "billingCodes": [{ "billingCodeId": 10287 }],
    "customer": { "customerId": 12345 },
    "editable": false,
    "email": "sean.kang@enstratus.com",
    "familyName": "Kang",
    "givenName": "Sean",
    "groups": [{ "groupId": 9465 }],
    "hasCloudAPIAccess": false,
    "hasCloudConsoleAccess": false,
    "sshPublicKey": "ssh-rsa mykey user@host",
    "status": "ACTIVE",
    "timeZone": "Pacific/Auckland",
    "userId": 54321,
    "vmLoginId": "p15314",
  },
];
