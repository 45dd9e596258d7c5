/**
 * Accounts, users, groups, roles, billing codes, API keys and jobs.
 * @module mixcoatl/admin
 */
/// <reference types="node" preserve="true" />
/** `mixcoatl/admin`: accounts, users, groups, roles, billing codes, API keys, jobs. */
export { Account, type AddAccountOptions, type AssignCloudInput, type AlertConfiguration, type CloudSubscription } from './account.js';
export { ApiKey, type InvalidateOptions } from './api-key.js';
export { BillingCode, type DeleteBillingCodeOptions } from './billing-code.js';
export { Customer } from './customer.js';
export { Group, type RoleAssignment, type SetRoleOptions, type AddRoleAssignmentsOptions, type DescribeGroupInput } from './group.js';
export { Job, type JobStatus } from './job.js';
export { License } from './license.js';
export { Role, type AclEntry } from './role.js';
export { User, type GrantAccessOptions } from './user.js';
