/**
 * An in-memory transport that answers from fixture items, synchronously and asynchronously,
 * and records every request. It replaces the HTTP layer through `configure({ transport })`,
 * so synchronous lazy reads can be counted in-process (nock cannot reach the sync worker).
 */
import type { Transport, WireRequest, WireResponse } from '../../lib/index.js';

export interface FakeRoute {
  path: string;
  collection: string;
  id: string;
  items: Record<string, unknown>[];
}

export class FakeTransport implements Transport {
  readonly requests: WireRequest[] = [];
  constructor(private readonly routes: FakeRoute[]) {}

  get count(): number {
    return this.requests.length;
  }

  answer(request: WireRequest): WireResponse {
    this.requests.push(request);
    const url = new URL(request.url);
    const rest = url.pathname.replace(/^\/api\/enstratus\/\d{4}-\d{2}-\d{2}\//, '');
    const json = (statusCode: number, body: unknown): WireResponse => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), durationMs: 1, attempts: 1 });
    for (const route of this.routes) {
      if (rest === route.path) {
        let items = route.items;
        for (const [k, v] of url.searchParams) items = items.filter((i) => String((i[k] as object | undefined) ?? '') === v);
        return json(200, { [route.collection]: items });
      }
      if (rest.startsWith(`${route.path}/`)) {
        const id = decodeURIComponent(rest.slice(route.path.length + 1));
        const item = route.items.find((i) => String(i[route.id]) === id);
        return item ? json(200, { [route.collection]: [item] }) : json(404, { error: { message: `no ${route.path} ${id}` } });
      }
    }
    return json(404, { error: { message: `no route ${rest}` } });
  }

  async send(request: WireRequest): Promise<WireResponse> {
    return this.answer(request);
  }

  sendSync(request: WireRequest): WireResponse {
    return this.answer(request);
  }
}
