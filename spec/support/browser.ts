/**
 * A headless Chromium for the dashboard specs, driven by playwright-core with the system's browser
 * (Debian's `chromium` package; `.ci/run` installs it when missing). Nothing is downloaded: the
 * browser is found at CHROMIUM_PATH or the usual install paths, and its absence is an error that
 * says how to install it, not a skipped test.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Where screenshots go: `artifacts/dashboard/` at the project root (git-ignored; CI keeps it). */
export const SCREENSHOT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'artifacts', 'dashboard');

/** The browser executable: CHROMIUM_PATH, else the first of the usual paths that exists. */
export function chromiumPath(): string {
  const given = process.env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given)) throw new Error(`CHROMIUM_PATH=${given} does not exist`);
    return given;
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`no Chromium found at ${CANDIDATES.join(', ')}; install it (apt-get install chromium; .ci/run does this) or set CHROMIUM_PATH`);
  return found;
}

/** A headless browser on the system's Chromium. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, timeout: 60_000 });
}

/** Collects the page's console errors and uncaught exceptions, for a spec to assert there are none. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return errors;
}

/** Writes `name`.png of the page into SCREENSHOT_DIR. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
