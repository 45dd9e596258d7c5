/**
 * OpenTelemetry spans, for programs that trace with OpenTelemetry.
 *
 * Nothing is loaded and nothing is spent unless a tracer provider is registered: each operation
 * first looks at the OpenTelemetry API's process-wide registry (a global the API itself keeps under
 * `Symbol.for('opentelemetry.js.api.1')`), a property read; only when a provider is registered
 * there is `@opentelemetry/api` (the optional peer dependency) loaded, once, and used. A program
 * without it installed, or that never registers a provider, runs no span code.
 *
 * The spans: one per operation (`Server.all`, `Server.get`, `Server.name (lazy read)`, an action
 * such as `Server.stop`, `Job.wait` with a `Job.poll` per poll, `apply` and each `apply.step`),
 * and one per HTTP request (kind CLIENT, named by its method) as a child of the operation's, with
 * the HTTP semantic-convention attributes: `http.request.method`, `url.full` (the secret key
 * replaced), `server.address`, `server.port`, `http.response.status_code`,
 * `http.request.resend_count` and `error.type`. No attribute holds a key, a signature or a body.
 *
 * Synchronous reads: the request span is made on the calling thread, around the blocking call,
 * as a child of the span active there (a lazy read in a traced request handler is a child of the
 * handler's span); its context crosses to the worker in the W3C `traceparent` header, which the
 * worker sends with the request, as the async path does.
 */
import { createRequire } from 'node:module';

/** What a span attribute may hold. */
type AttributeValue = string | number | boolean;
/** Span attributes. */
type Attributes = Record<string, AttributeValue>;

/** The parts of the OpenTelemetry API this module uses (the package's types stay out of ours). */
type Context = object;
interface Span {
  setAttributes(attributes: Attributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  spanContext(): { traceId: string; spanId: string; traceFlags: number };
  end(): void;
}
interface Tracer {
  startSpan(name: string, options: { kind: number; attributes: Attributes }, context: Context): Span;
}
interface Api {
  trace: { getTracer(name: string): Tracer; setSpan(context: Context, span: Span): Context };
  context: { active(): Context; with<T>(context: Context, fn: () => T): T };
}

/** Where the OpenTelemetry API keeps its registrations (version 1 of the API). */
const REGISTRY = Symbol.for('opentelemetry.js.api.1');
const SPAN_KIND = { internal: 0, client: 2 } as const;
const STATUS_ERROR = 2;

/** The API once loaded; null when it could not be. */
let api: Api | null | undefined;
let tracer: Tracer | undefined;

/** The API and tracer when a tracer provider is registered (and the API can be loaded), else undefined. */
function active(): { api: Api; tracer: Tracer } | undefined {
  const registry = (globalThis as Record<symbol, { trace?: unknown } | undefined>)[REGISTRY];
  if (registry?.trace === undefined) return undefined;
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)('@opentelemetry/api') as Api;
    } catch {
      api = null;
    }
  }
  if (!api) return undefined;
  tracer ??= api.trace.getTracer('mixcoatl');
  return { api, tracer };
}

/** Marks the span failed, with the error's name and code only (its message may quote a response). */
function failed(span: Span, error: unknown): void {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  const type = typeof code === 'string' && code ? code : typeof name === 'string' && name ? name : 'Error';
  span.setAttributes({ 'error.type': type });
  span.setStatus({ code: STATUS_ERROR, message: typeof name === 'string' ? name : undefined });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `fn` inside a span named `name` (the active span while it runs, so requests and nested
 * operations are its children), ended when `fn` returns or its promise settles. Without a
 * registered tracer provider, just runs `fn`.
 */
export function withSpan<T>(name: string, attributes: Attributes, fn: () => T): T {
  const on = active();
  if (!on) return fn();
  const parent = on.api.context.active();
  const span = on.tracer.startSpan(name, { kind: SPAN_KIND.internal, attributes }, parent);
  let result: T;
  try {
    result = on.api.context.with(on.api.trace.setSpan(parent, span), fn);
  } catch (error) {
    failed(span, error);
    span.end();
    throw error;
  }
  if (!isThenable(result)) {
    span.end();
    return result;
  }
  return result.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      failed(span, error);
      span.end();
      throw error;
    },
  ) as T;
}

/** A request's span, started: its `traceparent`, and how to end it with the outcome. */
export interface RequestSpan {
  /** The W3C trace context of the span, sent as the request's `traceparent` header. */
  traceparent: string;
  /** Ends the span with the outcome: status (null when no response arrived), attempts and error. */
  end(outcome: { status: number | null; attempts: number; error?: { name: string; code: string } }): void;
}

/**
 * Starts the span of one HTTP request, a child of the active span; undefined without a
 * registered tracer provider. `url` must be the URL as it may be shown (the secret key replaced).
 */
export function startRequestSpan(method: string, url: string): RequestSpan | undefined {
  const on = active();
  if (!on) return undefined;
  const target = new URL(url);
  const span = on.tracer.startSpan(
    method,
    {
      kind: SPAN_KIND.client,
      attributes: {
        'http.request.method': method,
        'url.full': url,
        'url.scheme': target.protocol.slice(0, -1),
        'server.address': target.hostname,
        'server.port': Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
      },
    },
    on.api.context.active(),
  );
  const { traceId, spanId, traceFlags } = span.spanContext();
  return {
    traceparent: `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`,
    end({ status, attempts, error }) {
      if (status !== null) span.setAttributes({ 'http.response.status_code': status });
      if (attempts > 1) span.setAttributes({ 'http.request.resend_count': attempts - 1 });
      if (error) failed(span, error);
      span.end();
    },
  };
}
