/**
 * Proxies: which proxy a request goes through, and the agents that tunnel through it.
 *
 * The proxy is chosen on the thread that builds the request (both paths carry the choice in the
 * WireRequest, so the synchronous worker needs no environment of its own):
 * - a `proxy` setting (`configure({ proxy })`, `DCM_PROXY`, a profile, an endpoint file) first;
 * - else `HTTPS_PROXY` for an https URL, `HTTP_PROXY` for an http one (either case, the lower-case
 *   spelling first, as curl reads them);
 * - none when `NO_PROXY` (either case) matches the host: `*`, a host name (which also matches its
 *   subdomains; a leading `.` or `*.` is allowed), an IP address, each optionally with `:port`.
 *
 * Requests tunnel through the proxy with CONNECT (hpagent, the agent got's documentation
 * recommends), kept alive like direct ones and guarded the same way (connections.ts). The proxy's
 * user name and password, if its URL has them, never appear in a message (`shownProxy` and
 * `scrubProxy`, lib/redaction.ts).
 */
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { guardAgent } from './connections.js';
import type { ProxySettings } from '../wire.js';

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** Whether `NO_PROXY` (comma- or space-separated entries) exempts the URL's host. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || defaultPort(url.protocol);
  for (const raw of noProxy.split(/[\s,]+/)) {
    let entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const hostPort = /^([^:]+):(\d+)$/.exec(entry);
    if (bracketed) [entry, entryPort] = [bracketed[1]!, bracketed[2]];
    else if (hostPort) [entry, entryPort] = [hostPort[1]!, hostPort[2]];
    entry = entry.replace(/^\*?\./, '');
    if (entryPort !== undefined && entryPort !== port) continue;
    if (host === entry || host.endsWith(`.${entry}`)) return true;
  }
  return false;
}

/** The proxy URL a request to `url` goes through, or undefined for a direct connection. */
export function proxyFor(url: string, settings: ProxySettings): string | undefined {
  const target = new URL(url);
  const proxy = settings.proxy ?? (target.protocol === 'https:' ? settings.httpsProxy : settings.httpProxy);
  if (!proxy || bypassesProxy(target, settings.noProxy)) return undefined;
  return proxy;
}

/** Checks a proxy URL from the settings; returns the problem, or undefined when it is usable. */
export function proxyProblem(proxy: string): string | undefined {
  let url: URL;
  try {
    url = new URL(proxy);
  } catch {
    return 'is not a URL (e.g. http://proxy.example.com:3128)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be an http:// or https:// URL, got ${url.protocol}`;
  return undefined;
}

/** The agents of one proxy for got's `agent` option. */
export interface ProxyAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

const pooled = new Map<string, ProxyAgents>();

/**
 * The agents that tunnel through `proxy`: kept-alive and shared per proxy (at most 32 connections
 * per origin, as direct ones), or, with `fresh`, new ones that keep no connection (a read retried
 * after a stale connection).
 */
export function proxyAgents(proxy: string, fresh = false): ProxyAgents {
  if (fresh) return { http: new HttpProxyAgent({ proxy, keepAlive: false }), https: new HttpsProxyAgent({ proxy, keepAlive: false }) };
  let agents = pooled.get(proxy);
  if (!agents) {
    agents = {
      http: guardAgent(new HttpProxyAgent({ proxy, keepAlive: true, maxSockets: 32 })),
      https: guardAgent(new HttpsProxyAgent({ proxy, keepAlive: true, maxSockets: 32 })),
    };
    pooled.set(proxy, agents);
  }
  return agents;
}
