/**
 * P12: planning a large desired state. `largeRecords(n)` builds `n` records that mix every kind of
 * step: new firewalls with rules, new servers using those firewalls, new volumes attached to
 * those servers (a create and an attach each), and updates of existing volumes. The current state
 * is served from memory by a transport (`listingTransport`), so what is timed is the planner, not
 * an API: one listing per type, as apply reads it.
 */
import type { ApplyRecord, Transport, WireRequest, WireResponse } from '../../lib/index.js';

/** What `largeRecords()` made: the records and the objects that already exist, by collection path. */
export interface LargeInput {
  records: ApplyRecord[];
  existing: Record<string, { collection: string; items: Array<Record<string, unknown>> }>;
  /** Records by kind, for checking the plan. */
  counts: { firewalls: number; rules: number; servers: number; volumes: number; updates: number };
}

const BUDGET = 10287;
const REGION = 19344;
const DATA_CENTER = 64351;
const IMAGE = 284831;

/** `n` records (at least 10): 1% firewalls, 9% rules, 20% servers, 40% new volumes, 30% updates. */
export function largeRecords(n: number): LargeInput {
  const firewalls = Math.max(1, Math.floor(n * 0.01));
  const rules = Math.floor(n * 0.09);
  const servers = Math.max(1, Math.floor(n * 0.2));
  const updates = Math.floor(n * 0.3);
  const volumes = n - firewalls - rules - servers - updates;
  const records: ApplyRecord[] = [];
  for (let i = 0; i < firewalls; i++) records.push({ type: 'Firewall', ref: `fw-${i}`, name: `big-fw-${i}`, description: 'bench', budget: BUDGET, region: REGION });
  for (let i = 0; i < rules; i++) {
    records.push({ type: 'FirewallRule', firewall: `@fw-${i % firewalls}`, direction: 'INGRESS', source: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`, sourceType: 'CIDR', permission: 'ALLOW', protocol: 'TCP', startPort: 1 + (i % 65000), endPort: 1 + (i % 65000) });
  }
  for (let i = 0; i < servers; i++) {
    records.push({ type: 'Server', ref: `srv-${i}`, name: `big-srv-${i}`, description: 'bench', budget: BUDGET, providerProductId: 'm1.small', machineImage: IMAGE, dataCenter: DATA_CENTER, firewalls: [`@fw-${i % firewalls}`] });
  }
  for (let i = 0; i < volumes; i++) {
    records.push({ type: 'Volume', name: `big-vol-${i}`, description: 'bench', sizeInGb: 1 + (i % 100), budget: BUDGET, dataCenter: DATA_CENTER, server: `@srv-${i % servers}` });
  }
  const items: Array<Record<string, unknown>> = [];
  for (let i = 0; i < updates; i++) {
    const volumeId = 5_000_000 + i;
    items.push({ volumeId, name: `old-vol-${i}`, description: 'before', sizeInGb: 5, budget: BUDGET, dataCenter: { dataCenterId: DATA_CENTER }, status: 'AVAILABLE' });
    records.push({ type: 'Volume', name: `old-vol-${i}`, description: 'after' });
  }
  return {
    records,
    existing: {
      'infrastructure/Volume': { collection: 'volumes', items },
      'infrastructure/Server': { collection: 'servers', items: [] },
      'network/Firewall': { collection: 'firewalls', items: [] },
      'network/FirewallRule': { collection: 'rules', items: [] },
      // The image the servers launch from: references by id to a managed type are checked.
      'infrastructure/MachineImage': { collection: 'images', items: [{ machineImageId: IMAGE, name: 'bench-image', status: 'ACTIVE' }] },
    },
    counts: { firewalls, rules, servers, volumes, updates },
  };
}

/** A transport answering GET listings from `existing` (everything else: 404); it counts requests. */
export function listingTransport(existing: LargeInput['existing']): Transport & { requests: string[] } {
  const requests: string[] = [];
  const answer = (request: WireRequest): WireResponse => {
    const rest = new URL(request.url).pathname.replace(/^\/api\/enstratus\/[^/]+\//, '');
    requests.push(`${request.method} ${rest}`);
    const found = request.method === 'GET' ? existing[rest] : undefined;
    const body = found ? { [found.collection]: found.items } : { error: { message: `no route ${request.method} ${rest}` } };
    return { statusCode: found ? 200 : 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), durationMs: 0, attempts: 1 };
  };
  return { requests, send: async (request) => answer(request) };
}
