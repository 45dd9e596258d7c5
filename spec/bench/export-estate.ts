/**
 * P13: export of the seeded estate (every managed type) plus extra servers, then an apply of that
 * export. Counts the requests at the emulator (a child process): the export must read one listing
 * per type (and one per firewall for rules, per region for networks, with the listing of the
 * regions), the apply send 0 writes and read one listing per type. Used by the bench (spec/bench/run.ts) and by spec/apply/export-counts.spec.ts,
 * which asserts the counts in `npm test`.
 */
import { apply, configure, exportRecords, managedTypes } from '../../lib/index.js';
import type { EmulatorHandle } from '../../lib/emulator/index.js';

/** The types exported and applied back: every type apply manages. */
export function estateTypes(): string[] {
  return managedTypes().map((t) => t.name);
}

/** What P13 measured. */
export interface ExportFigures {
  records: number;
  /** Requests of the export, by `METHOD path` (query left out). */
  exportRequests: Record<string, number>;
  exportMs: number;
  /** Requests of the apply (a plan of the export: nothing to send), by `METHOD path`. */
  applyRequests: Record<string, number>;
  applyMs: number;
  noChanges: boolean;
  /** Live firewalls that have rules in the export (the apply lists the rules of each once). */
  firewallsWithRules: number;
  /** Regions that have networks in the export (the apply lists the networks of each once). */
  regionsWithNetworks: number;
}

async function counted(emu: EmulatorHandle): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const entry of await emu.requestLog()) {
    const key = `${entry.method} ${entry.path.replace(/^.*?\/api\/enstratus\/[^/]+\//, '').replace(/\?.*$/, '')}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/** Exports every managed type from `emu` ({@link estateTypes}), then applies the export (no write is due). */
export async function exportEstate(emu: EmulatorHandle): Promise<ExportFigures> {
  configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, transport: undefined });
  await emu.clearLog();
  let started = performance.now();
  const records = await exportRecords(estateTypes());
  const exportMs = performance.now() - started;
  const exportRequests = await counted(emu);
  await emu.clearLog();
  started = performance.now();
  // What `dcm apply FILE` does: plan, and with nothing to change, send nothing further.
  const { plan } = await apply(records, { dryRun: true });
  const applyMs = performance.now() - started;
  const applyRequests = await counted(emu);
  const firewallsWithRules = new Set(records.filter((r) => r.type === 'FirewallRule').map((r) => String(r.firewall))).size;
  const regionsWithNetworks = new Set(records.filter((r) => r.type === 'Network').map((r) => JSON.stringify(r.region))).size;
  return { records: records.length, exportRequests, exportMs, applyRequests, applyMs, noChanges: plan.noChanges, firewallsWithRules, regionsWithNetworks };
}
