/**
 * Performance data of one server. Read-only; the identifier is the server's.
 *
 * API notes: read one server's data with `ServerAnalytics.get(serverId)`
 * (`GET analytics/ServerAnalytics/<serverId>`).
 * There is no "all servers" listing. Every metric in `dataPoints` is a number
 * encoded as a STRING, `"-1"` meaning unavailable.
 */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';

/** One sample; metric values are numbers encoded as strings (`"0.05"`, `"-1"`). */
export interface ServerDataPoint {
  timestamp: string;
  operationalState: string;
  resourceState: string;
  icmpPingResponseTimeInMillis: string;
  guest: Record<string, string>;
  hypervisor: Record<string, string>;
  [key: string]: unknown;
}

@resource({ path: 'analytics/ServerAnalytics', collection: 'analytics', id: 'serverId' })
export class ServerAnalytics extends Resource {
  /** The list filters of `ServerAnalytics.all()` and `find()`. */
  static override readonly filters = defineFilters({ serverId: { type: 'number', required: true, wire: 'server_id', description: 'the server whose data to read' } });
  @attribute() serverId!: number;
  @attribute() intervalInMinutes!: number;
  @attribute() periodStart!: string;
  @attribute() periodEnd!: string;
  @attribute() dataPoints!: ServerDataPoint[];
}
