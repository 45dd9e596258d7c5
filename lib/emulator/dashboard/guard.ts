/**
 * Who may use the control routes and the dashboard. A web page the user happens to visit can make
 * the browser send requests to 127.0.0.1 (a form post, a no-cors fetch, or a page whose name was
 * rebound to 127.0.0.1); none of them may reset the emulator, change its faults or read its log.
 *
 * - A request with an `Origin` must come from the emulator's own origin (`http://127.0.0.1:PORT`,
 *   `http://localhost:PORT`, `http://[::1]:PORT`, or the configured host at that port; https with
 *   `tls`).
 * - A request with `Sec-Fetch-Site` must be `same-origin` or `none` (typed into the address bar).
 * - A request from a browser (either header present) must name one of those hosts in `Host`, so a
 *   rebound name cannot pass as same-origin.
 *
 * Requests without these headers (the library, scripts, curl, tests) pass as before. Opening the
 * dashboard page itself is a navigation and may come from anywhere (a link in a terminal or a
 * README); the page is inert until its own scripts call the guarded routes.
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** `host:port` forms under which this server is its own origin. */
function ownHosts(req: IncomingMessage, configuredHost: string): Set<string> {
  const port = req.socket.localPort;
  const names = new Set(LOOPBACK_NAMES);
  if (configuredHost !== '0.0.0.0' && configuredHost !== '::') names.add(configuredHost.includes(':') ? `[${configuredHost}]` : configuredHost);
  return new Set([...names].map((n) => `${n}:${port}`));
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Why a request to a control or dashboard route is refused, or undefined when it may proceed. */
export function foreignRequest(req: IncomingMessage, configuredHost: string): string | undefined {
  const origin = header(req, 'origin');
  const site = header(req, 'sec-fetch-site');
  if (origin === undefined && site === undefined) return undefined;
  const hosts = ownHosts(req, configuredHost);
  const host = (header(req, 'host') ?? '').toLowerCase();
  if (!hosts.has(host)) return `a browser request must address this emulator as one of ${[...hosts].join(', ')}, not "${host}"`;
  // The scheme is the connection's: an emulator started with `tls` is its own origin over https.
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https://' : 'http://';
  if (origin !== undefined && !(origin.toLowerCase().startsWith(scheme) && hosts.has(origin.slice(scheme.length).toLowerCase()))) {
    return `Origin ${origin} is not this emulator's own (${scheme}${host}); control routes answer only their own dashboard`;
  }
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  return undefined;
}

/** True when the peer is this machine: the dashboard is served to loopback clients only. */
export function fromLoopback(req: IncomingMessage): boolean {
  const a = req.socket.remoteAddress ?? '';
  return a === '127.0.0.1' || a === '::1' || a === '::ffff:127.0.0.1' || a.startsWith('127.') || a.startsWith('::ffff:127.');
}
