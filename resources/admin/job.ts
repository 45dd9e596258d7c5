/**
 * An asynchronous job (REFERENCE §3.5). Actions answered with 202 return one. On success of a
 * create, `message` is the new resource's id as a decimal string; on ERROR, the error text.
 */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { Resource } from '../../lib/orm/resource.js';

export type JobStatus = 'RUNNING' | 'COMPLETE' | 'ERROR';

@resource({ path: 'admin/Job', collection: 'jobs', id: 'jobId' })
export class Job extends Resource {
  @attribute() jobId!: number;
  @attribute() status!: JobStatus;
  @attribute() description!: string;
  @attribute() message!: string;
  @attribute() startDate!: string;
  @attribute() endDate!: string;
  @attribute() jobMessage!: string;
}
