/** `mixcoatl/admin`: accounts, users, groups, roles, billing codes, API keys, jobs. */
export { Job, type JobStatus } from './job.js';
