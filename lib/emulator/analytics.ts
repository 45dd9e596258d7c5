/**
 * Analytics items, computed on request rather than stored: one item per server
 * (`analytics/ServerAnalytics/<serverId>`) or tier (`analytics/TierAnalytics/<tierId>`). Values are
 * deterministic per subject id and seed; every metric is a number encoded as a string, as on the
 * wire. `interval` (minutes), `periodStart` and `periodEnd` (epoch ms) are honoured; the default
 * period is the last hour in 15-minute steps, at most 96 points.
 */
import { ApiError } from './api-error.js';
import { Prng, deriveSeed } from './prng.js';
import { dcmTimestamp } from './time.js';
import type { Query } from './filters.js';
import type { Rec } from './types.js';

function period(query: Query, now: number): { start: number; end: number; minutes: number } {
  const num = (name: string, fallback: number) => {
    const raw = query[name];
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw)) throw ApiError.badRequest(`${name} must be a non-negative integer, got "${raw}"`);
    return Number(raw);
  };
  const minutes = Math.max(1, num('interval', 15));
  const end = num('periodEnd', Math.floor(now / 900_000) * 900_000);
  const start = num('periodStart', end - 3_600_000);
  if (start > end) throw ApiError.badRequest('periodStart must not be after periodEnd');
  return { start, end, minutes };
}

function steps(start: number, end: number, minutes: number): number[] {
  const out: number[] = [];
  for (let t = start; t < end && out.length < 96; t += minutes * 60_000) out.push(t);
  return out;
}

const s = (n: number) => n.toFixed(2);

export function serverAnalytics(seed: number, serverId: number, query: Query, now: number): Rec {
  const rng = new Prng(deriveSeed(seed, `server-analytics-${serverId}`));
  const { start, end, minutes } = period(query, now);
  const dataPoints = steps(start, end, minutes).map((t) => {
    const cpu = rng.next() * 100;
    const hv = (base: number) => ({ average: s(base), maximum: s(base * 1.5), minimum: s(base * 0.5) });
    const h = { cpu: hv(cpu), dr: hv(rng.next() * 1e6), dro: hv(rng.next() * 100), dw: hv(rng.next() * 1e6), dwo: hv(rng.next() * 100), ni: hv(rng.next() * 1e6) };
    return {
      timestamp: dcmTimestamp(t), operationalState: 'NORMAL', resourceState: cpu > 80 ? 'OVERUTILIZED' : 'NORMAL',
      icmpPingResponseTimeInMillis: s(rng.next() * 5),
      guest: { cpuCount: '1', cpuLoad: s(cpu / 50), cpuUtilization: s(cpu), processCount: String(rng.int(40, 200)), ramInUseInMb: String(rng.int(200, 1600)), responseTimeInMillis: '-1', totalRamInMb: '1700' },
      hypervisor: {
        averageCpuUtilization: h.cpu.average, maximumCpuUtilization: h.cpu.maximum, minimumCpuUtilization: h.cpu.minimum,
        averageDiskReadBytes: h.dr.average, maximumDiskReadBytes: h.dr.maximum, minimumDiskReadBytes: h.dr.minimum,
        averageDiskReadOps: h.dro.average, maximumDiskReadOps: h.dro.maximum, minimumDiskReadOps: h.dro.minimum,
        averageDiskWriteBytes: h.dw.average, maximumDiskWriteBytes: h.dw.maximum, minimumDiskWriteBytes: h.dw.minimum,
        averageDiskWriteOps: h.dwo.average, maximumDiskWriteOps: h.dwo.maximum, minimumDiskWriteOps: h.dwo.minimum,
        averageNetworkInput: h.ni.average, maximumNetworkInput: h.ni.maximum, minimumNetworkInput: h.ni.minimum,
      },
    };
  });
  return { serverId, intervalInMinutes: minutes, periodStart: dcmTimestamp(start), periodEnd: dcmTimestamp(end), dataPoints };
}

export function tierAnalytics(seed: number, tierId: number, query: Query, now: number): Rec {
  const rng = new Prng(deriveSeed(seed, `tier-analytics-${tierId}`));
  const { start, end, minutes } = period(query, now);
  const dataPoints = steps(start, end, minutes).map((t) => {
    const d = new Date(t);
    const metric = () => s(rng.next() * 100);
    const cpu = rng.next() * 100;
    return {
      averageCpuUtilization: s(cpu), averageDiskUtilization: metric(), averageRamUtilization: metric(),
      breachState: cpu < 10 ? 'BREACH_LOWER' : cpu > 80 ? 'BREACH_UPPER' : 'NONE',
      cpuEfficiency: metric(), cpuImpairment: metric(), cpuOverallocation: metric(), cpuUnderallocation: metric(), cpuWaste: metric(),
      diskEfficiency: metric(), diskImpairment: metric(), diskOverallocation: metric(), diskUnderallocation: metric(), diskWaste: metric(),
      ramEfficiency: metric(), ramImpairment: metric(), ramOverallocation: metric(), ramUnderallocation: metric(), ramWaste: metric(),
      dayOfMonth: String(d.getUTCDate()), hour: String(d.getUTCHours()), minute: String(d.getUTCMinutes()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()),
      maximumActiveServers: String(rng.int(1, 4)), maximumActiveVolumes: String(rng.int(1, 8)), maximumDiskAllocatedInGb: String(rng.int(8, 200)),
      netServerChange: '0', operationalState: 'NORMAL', resourceState: 'NORMAL', timestamp: dcmTimestamp(t),
      trailingDailyAvailability: '100.00', trailingWeeklyAvailability: '99.90', trailingMonthlyAvailability: '99.95', trailingYearlyAvailability: '99.99',
    };
  });
  return { tierId, intervalInMinutes: minutes, periodStart: dcmTimestamp(start), periodEnd: dcmTimestamp(end), dataPoints };
}
