/**
 * The dashboard's cost and its behaviour under load, measured in headless Chromium (the system's,
 * as in the browser specs):
 *
 * - P9 with the page open: emulator throughput (./emulator-throughput.ts) with the dashboard open
 *   on its live Requests panel, against the same measurement without a page, in alternating rounds
 *   (the order flips every round); medians compared. Goal: within 10 %.
 * - A minute with the page open while 1,000 requests are made (evenly spread): the longest stall
 *   of the page's main thread (a 100 ms timer in the page, late by how much), the log rows it
 *   keeps, and how long a filter typed at the end takes to apply.
 *
 *   node dist/spec/bench/dashboard-open.js [rounds]
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { startEmulatorInWorker, type EmulatorHandle } from '../../lib/emulator/index.js';
import { launchBrowser } from '../support/browser.js';
import { api } from '../support/emulator-http.js';
import { benchEmulator } from './emulator-throughput.js';
import { median } from './raw.js';

/** The page's globals, as functions run inside the page see them. */
declare const document: any;
declare const window: any;

export interface OpenPageResult {
  withPage: number;
  withoutPage: number;
  /** withPage / withoutPage, medians. */
  ratio: number;
}

async function openDashboard(browser: Browser, emu: EmulatorHandle): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${emu.dashboardUrl}#requests`);
  await page.locator('#conn.live').waitFor({ timeout: 60_000 });
  return page;
}

export async function benchWithPage(rounds = 3, durationMs = 3_000): Promise<OpenPageResult> {
  const browser = await launchBrowser();
  try {
    const withPage: number[] = [];
    const withoutPage: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const open of round % 2 === 0 ? [false, true] : [true, false]) {
        const r = await benchEmulator({
          durationMs,
          connections: 16,
          alongside: open ? async (emu) => { const page = await openDashboard(browser, emu); return () => page.close(); } : undefined,
        });
        (open ? withPage : withoutPage).push(r.requestsPerSecond);
      }
    }
    const w = median(withPage);
    const wo = median(withoutPage);
    return { withPage: Math.round(w), withoutPage: Math.round(wo), ratio: w / wo };
  } finally {
    await browser.close();
  }
}

export interface SoakResult {
  requests: number;
  seconds: number;
  /** Longest lateness of a 100 ms timer in the page, in ms. */
  maxStallMs: number;
  /** Request-log rows the page held at the end. */
  rows: number;
  /** From typing a path filter to the table showing only matching rows, in ms. */
  filterMs: number;
}

export async function soakDashboard(requests = 1_000, durationMs = 60_000): Promise<SoakResult> {
  const emu = await startEmulatorInWorker({ port: 0 });
  const browser = await launchBrowser();
  try {
    const page = await openDashboard(browser, emu);
    await page.evaluate(() => {
      window.maxStall = 0;
      let last = performance.now();
      window.setInterval(() => {
        const now = performance.now();
        window.maxStall = Math.max(window.maxStall, now - last - 100);
        last = now;
      }, 100);
    });
    const started = performance.now();
    const paths = ['geography/Region', 'admin/Job', 'infrastructure/Server', 'network/Firewall', 'admin/Job/2'];
    for (let i = 0; i < requests; i++) {
      const due = started + ((i + 1) * durationMs) / requests;
      const res = await api(emu, 'GET', paths[i % paths.length]);
      if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const seconds = (performance.now() - started) / 1000;
    await page.waitForFunction((n) => new RegExp(`the emulator's log holds ${n}\\b`).test(document.querySelector('#requests-note')?.textContent ?? ''), requests, { timeout: 60_000 });
    const rows = await page.locator('#log-table tbody tr').count();
    const filterStarted = performance.now();
    await page.locator('#path-filter').fill('admin/Job/2');
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('#log-table tbody tr td:nth-child(4)')].map((td: any) => String(td.textContent));
      return cells.length > 0 && cells.every((c: string) => c.endsWith('admin/Job/2'));
    }, undefined, { timeout: 60_000 });
    const filterMs = performance.now() - filterStarted;
    const maxStallMs = await page.evaluate(() => window.maxStall as number);
    return { requests, seconds, maxStallMs: Math.round(maxStallMs), rows, filterMs: Math.round(filterMs) };
  } finally {
    await browser.close();
    await emu.close();
  }
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2]) || 3;
  const r = await benchWithPage(rounds);
  process.stdout.write(`emulator throughput with the dashboard open: ${r.withPage} req/s, without: ${r.withoutPage} req/s (${(r.ratio * 100).toFixed(1)} %)\n`);
  const s = await soakDashboard();
  process.stdout.write(`dashboard open ${s.seconds.toFixed(0)} s during ${s.requests} requests: longest stall ${s.maxStallMs} ms, ${s.rows} log rows kept, a filter applied in ${s.filterMs} ms\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
