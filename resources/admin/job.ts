/**
 * An asynchronous job. The class belongs to the ORM, which hands jobs out from
 * actions and waits for them (lib/orm/job.ts); it is re-exported here with the other admin
 * resources.
 */
export { Job, type JobStatus, type JobWaitOptions } from '../../lib/orm/job.js';
