/**
 * The dashboard in a real browser (headless system Chromium through playwright-core): the emulator
 * runs in a worker thread, the library calls it from this thread, and the page, opened once, must
 * follow without being reloaded. Every wait is on a condition in the page; each panel is written as
 * a screenshot to artifacts/dashboard/.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import { jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { clearIdentityMaps, configure, configureJobs, resetConfiguration, Server, ServerError } from '../../../lib/index.js';
import { startEmulatorInWorker, type EmulatorHandle } from '../../../lib/emulator/index.js';
import { STORED_RESOURCES } from '../../../lib/emulator/resources.js';
import { RDBMS_ENGINES } from '../../../lib/emulator/seed/platform.js';
import { collectErrors, launchBrowser, screenshot } from '../../support/browser.js';
import { api } from '../../support/emulator-http.js';

/** The page's `document`, as functions run inside the page see it (specs compile without the DOM library). */
declare const document: any;

/** Generous: the machine may be slow and busy; every wait ends as soon as its condition holds. */
const WAIT = { timeout: 60_000 };
jest.setTimeout(180_000);

let emu: EmulatorHandle;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let errors: string[];
let launchedId: number;

beforeAll(async () => {
  emu = await startEmulatorInWorker({ port: 0 });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  errors = collectErrors(page);
  await page.goto(emu.dashboardUrl as string);
  await page.locator('#conn.live').waitFor(WAIT);
  // Set once: still there at the end means the page was never reloaded.
  await page.evaluate(() => { (globalThis as Record<string, unknown>).loadedOnce = true; });
  configureJobs({ intervalMs: 0 });
});

afterAll(async () => {
  configureJobs();
  resetConfiguration();
  await context?.close();
  await browser?.close();
  await emu?.close();
});

beforeEach(() => {
  configure({ endpoint: emu.url, accessKey: emu.accessKey, secretKey: emu.secretKey, envFile: false, retry: { limit: 0 } });
  clearIdentityMaps();
});

/**
 * Lists a type the way the API lists it in full: its plain listing, or, where the API requires a
 * filter (or applies a default one), the union of the listings for every value of that filter.
 */
const BY_CM_ACCOUNT = [{ filter: 'cmAccountId', from: 'automation/ConfigurationManagementAccount' }];
const BY_REGION = [{ filter: 'regionId', from: 'geography/Region' }];
const SPLIT: Record<string, Array<{ filter: string; from?: string; values?: string[] }>> = {
  'automation/Environment': BY_CM_ACCOUNT,
  'automation/Personality': BY_CM_ACCOUNT,
  'automation/Script': BY_CM_ACCOUNT,
  'geography/DataCenter': BY_REGION,
  'infrastructure/ServerProduct': BY_REGION,
  'platform/StorageObject': BY_REGION,
  'platform/RelationalDatabaseProduct': [...BY_REGION, { filter: 'engine', values: [...RDBMS_ENGINES] }],
  'network/FirewallRule': [{ filter: 'firewallId', from: 'network/Firewall' }],
  'network/Network': [{ filter: 'accountId', from: 'admin/Account' }],
  'infrastructure/MachineImage': [{ filter: 'active', values: ['true', 'false'] }],
};

const defOf = (path: string) => STORED_RESOURCES.find((d) => d.path === path) as (typeof STORED_RESOURCES)[number];

async function listed(path: string, query?: Record<string, string>): Promise<any[]> {
  const res = await api(emu, 'GET', path, { query });
  if (res.status !== 200) throw new Error(`GET ${path}${query ? ` ${JSON.stringify(query)}` : ''} answered ${res.status}: ${res.text}`);
  return res.json[defOf(path).collection];
}

async function apiCount(path: string): Promise<number> {
  const split = SPLIT[path];
  if (!split) return (await listed(path)).length;
  let queries: Array<Record<string, string>> = [{}];
  for (const { filter, from, values } of split) {
    const choices = values ?? (await listed(from as string)).map((x) => String(x[defOf(from as string).idKey]));
    queries = queries.flatMap((q) => choices.map((v) => ({ ...q, [filter]: v })));
  }
  const ids = new Set<unknown>();
  for (const query of queries) for (const item of await listed(path, query)) ids.add(item[defOf(path).idKey]);
  return ids.size;
}

const typeButton = (path: string) => page.locator(`#type-list button[data-type="${path}"]`);
const countOf = async (path: string) => Number(await typeButton(path).locator('.count').textContent());

describe('the dashboard in a browser', () => {
  it('is served at the handle\'s dashboard address, also from a worker thread', () => {
    expect(emu.dashboardUrl).toBe(`${emu.origin}/__emulator/dashboard/`);
  });

  it('lists every resource type with the same count as the API\'s listing', async () => {
    await typeButton('infrastructure/Server').waitFor(WAIT);
    const listed = await page.locator('#type-list button').evaluateAll((bs) => bs.map((b) => (b as any).dataset.type));
    expect(listed).toEqual(STORED_RESOURCES.map((d) => d.path));
    for (const def of STORED_RESOURCES) {
      expect({ path: def.path, count: await countOf(def.path) }).toEqual({ path: def.path, count: await apiCount(def.path) });
    }
    // Keyboard: a row opens its object's full JSON with Enter.
    const row = page.locator('#items-table tbody tr').first();
    await row.focus();
    await page.keyboard.press('Enter');
    await page.locator('#item-json', { hasText: '"serverId"' }).waitFor(WAIT);
    await screenshot(page, 'resources');
  });

  it('shows a server launched through the library in the Servers table and the request log, without reloading', async () => {
    const before = await countOf('infrastructure/Server');
    const server = await Server.launch(
      { name: 'dashboard-web-1', description: 'launched while the page is open', providerProductId: 'm1.small', budget: 10287,
        machineImage: { name: 'dcm-ubuntu1204-amd64-us-west-2' }, dataCenter: 'us-west-2a', firewalls: ['keithweb'] },
      { wait: true },
    );
    launchedId = server.serverId as number;
    await page.locator('#items-table tbody tr', { hasText: 'dashboard-web-1' }).waitFor(WAIT);
    await page.waitForFunction((n) => Number(document.querySelector('#type-list button[data-type="infrastructure/Server"] .count')?.textContent) === n, before + 1, WAIT);

    await page.locator('#tab-jobs').click();
    await page.locator('#jobs-table tbody tr', { hasText: 'COMPLETE' }).first().waitFor(WAIT);
    await screenshot(page, 'jobs');

    await page.locator('#tab-requests').click();
    const post = page.locator('#log-table tbody tr', { hasText: '/infrastructure/Server' }).filter({ hasText: 'POST' });
    await post.waitFor(WAIT);
    expect(await post.locator('td').allTextContents()).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3}$/), emu.accessKey, 'POST', '/api/enstratus/2015-05-25/infrastructure/Server', '202', expect.stringMatching(/^\d+\.\d$/), 'valid', '—',
    ]);
    await post.click();
    await page.locator('#details-request', { hasText: '"dashboard-web-1"' }).waitFor(WAIT);
    await page.locator('#details-response', { hasText: '"jobs"' }).waitFor(WAIT);
    expect(await page.locator('#request-details').textContent()).not.toContain(emu.secretKey);
    await screenshot(page, 'requests');
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>).loadedOnce)).toBe(true);
  });

  it('adds a fault rule that makes the library\'s next matching call fail with the typed error; removing it restores success', async () => {
    await page.locator('#tab-faults').click();
    await page.locator('#fault-input').fill(`infrastructure/Server/${launchedId}:503`);
    await page.keyboard.press('Enter');
    await page.locator('#fault-table tbody tr', { hasText: `infrastructure/Server/${launchedId}:503` }).waitFor(WAIT);
    const failed = await Server.get(launchedId).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ServerError);
    expect(failed).toMatchObject({ statusCode: 503 });

    // A bad rule is refused with the --fault flag's message, and the rules stay as they were.
    await page.locator('#fault-input').fill('infrastructure/**:200');
    await page.locator('#fault-submit').click();
    await page.locator('#fault-error', { hasText: 'status must be an HTTP error status (400-599), got 200' }).waitFor(WAIT);
    await page.locator('#fault-input').fill('');
    await screenshot(page, 'faults');

    await page.getByRole('button', { name: 'Remove rule 1' }).click();
    await page.locator('#faults-empty').waitFor({ state: 'visible', ...WAIT });
    expect((await emu.summary()).faultRules).toBe(0);
    clearIdentityMaps();
    expect((await Server.get(launchedId)).name).toBe('dashboard-web-1');
  });

  it('refuses a cross-site POST to a state-changing route (a form post and a no-cors fetch from another origin)', async () => {
    await emu.setFaults([{ path: 'admin/Nothing', status: 500, name: 'marker' }]);
    const evil: HttpServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form id="f" method="POST" action="${emu.origin}/__emulator/reset"><input name="a" value="1"></form>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const other = await context.newPage();
    try {
      await other.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const fetched = await other.evaluate(async (origin) => {
        await fetch(`${origin}/__emulator/dashboard/faults`, { method: 'POST', mode: 'no-cors', body: '{"rule":"**:500"}' });
        await fetch(`${origin}/__emulator/faults`, { method: 'DELETE' }).catch(() => undefined);
        return 'sent';
      }, emu.origin);
      expect(fetched).toBe('sent');
      const [answer] = await Promise.all([
        other.waitForResponse((r) => r.url() === `${emu.origin}/__emulator/reset`, WAIT),
        other.locator('#f').evaluate((f) => (f as any).submit()),
      ]);
      expect(answer.status()).toBe(403);
      expect(await answer.text()).toMatch(/cross-site|Origin/);
    } finally {
      await other.close();
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
    const summary = await emu.summary();
    expect(summary.faultRules).toBe(1);
    expect(summary.counts['infrastructure/Server']).toBe(14);
    await emu.setFaults([]);
  });

  it('resets, and refuses an invalid state file upload with its problems', async () => {
    await page.locator('#tab-state').click();
    await page.locator('#upload-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"mixcoatl-emulator-state","version":1}') });
    await page.getByRole('button', { name: 'Upload and replace the state' }).click();
    await page.locator('#state-error', { hasText: 'the uploaded state file was refused (nothing changed)' }).waitFor(WAIT);
    await screenshot(page, 'state');
    await page.getByRole('button', { name: 'Reset to seed' }).click();
    await page.locator('#state-message', { hasText: 'Reset to the seed data' }).waitFor(WAIT);
    await page.waitForFunction(() => Number(document.querySelector('#type-list button[data-type="infrastructure/Server"] .count')?.textContent) === 13, undefined, WAIT);
  });

  it('stays responsive and keeps a bounded number of log rows while 1,000 requests are made', async () => {
    await page.locator('#tab-requests').click();
    const paths = ['geography/Region', 'admin/Job', 'infrastructure/Server', 'network/Firewall'];
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < 1000) {
        const i = next++;
        const res = await api(emu, 'GET', paths[i % paths.length]);
        if (res.status !== 200) throw new Error(`request ${i} answered ${res.status}`);
      }
    }));
    // The last request reaches the page, and the rows stay within the page's bound.
    await page.waitForFunction(() => /the emulator's log holds 1000\b/.test(document.querySelector('#requests-note')?.textContent ?? ''), undefined, WAIT);
    const rows = await page.locator('#log-table tbody tr').count();
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(300);
    // Responsive: a filter typed now is applied.
    await page.locator('#path-filter').fill('network/Firewall');
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('#log-table tbody tr td:nth-child(4)')].map((td: any) => String(td.textContent));
      return cells.length > 0 && cells.every((c: string) => c.includes('network/Firewall'));
    }, undefined, WAIT);
    await page.locator('#path-filter').fill('');
  });

  it('reads at phone width', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#tab-resources').click();
    await page.locator('#items-table tbody tr').first().waitFor(WAIT);
    // Nothing sticks out sideways but the tables, which scroll within their own box.
    const wide = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      return [...document.querySelectorAll('body *')]
        .filter((e: any) => e.getBoundingClientRect().right > width + 1 && !e.closest('.scroll'))
        .map((e: any) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`);
    });
    expect(wide).toEqual([]);
    await screenshot(page, 'resources-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('showed no errors in the browser console', () => {
    expect(errors).toEqual([]);
    expect(page.url()).toBe(`${emu.dashboardUrl}#resources`);
  });
});
