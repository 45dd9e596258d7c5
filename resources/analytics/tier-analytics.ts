/**
 * Performance data of one tier. Read-only; the identifier is the tier's.
 *
 * API note: `GET analytics/TierAnalytics/<tierId>` is both the single read and the "listing".
 * Metric values in `dataPoints` are numbers encoded as strings.
 */
import { attribute, resource } from '../../lib/orm/metadata.js';
import { defineFilters } from '../../lib/orm/filters.js';
import { Resource } from '../../lib/orm/resource.js';

/** One sample; every metric is a number encoded as a string. */
export type TierDataPoint = Record<string, string>;

@resource({ path: 'analytics/TierAnalytics', collection: 'analytics', id: 'tierId' })
export class TierAnalytics extends Resource {
  /** The list filters of `TierAnalytics.all()` and `find()`. */
  static override readonly filters = defineFilters({ tierId: { type: 'number', required: true, description: 'the tier whose data to read' } });
  @attribute() tierId!: number;
  @attribute() intervalInMinutes!: number;
  @attribute() periodStart!: string;
  @attribute() periodEnd!: string;
  @attribute() dataPoints!: TierDataPoint[];
}
