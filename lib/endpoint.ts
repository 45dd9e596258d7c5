/**
 * An endpoint: where the API lives and the keys to sign with.
 *
 * The version and the URL are combined once, here: the signed
 * base path is always the path the requests go to, a trailing `/` is harmless, a URL without a
 * version gets one appended, and a version that contradicts the URL is refused.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ConfigError } from './errors.js';
import { REDACTED_MARK, shownProxy } from './redaction.js';
import { DEFAULTS } from './config/defaults.js';
import { sslVerifyFromText } from './config/schema.js';

/** An API version, `YYYY-MM-DD`. */
export const VERSION_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The API version a URL ends in (`…/2015-05-25`), if any. */
export function versionInUrl(url: string): string | undefined {
  let path: string;
  try {
    path = new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  return /\/(\d{4}-\d{2}-\d{2})$/.exec(path)?.[1];
}

const secrets = new WeakMap<Endpoint, string>();

export interface EndpointOptions {
  /** API root, e.g. `https://dcm.example.com/api/enstratus/2015-05-25`, or just the origin. */
  url: string;
  /** API version, `YYYY-MM-DD`; default: the URL's trailing date, else `2014-07-30`. */
  apiVersion?: string;
  /** API access key. */
  accessKey: string;
  /** API secret key. */
  secretKey: string;
  /** TLS certificate verification; on unless explicitly false. */
  sslVerify?: boolean;
  /** Name to pick the endpoint by in a file of several. */
  nickname?: string;
  /** A PEM file of certificate authorities to trust besides Node's roots (else the `caFile` setting). */
  caFile?: string;
  /** The proxy to reach this endpoint through, `http://[user:password@]host:port` (else the `proxy` setting). */
  proxy?: string;
}

/** Parses an `ES_SSL_VERIFY`-style value: only `0` and `false` turn verification off. */
export function parseSslVerify(value: string | boolean | undefined): boolean {
  if (typeof value === 'boolean') return value;
  if (value === undefined) return DEFAULTS.sslVerify;
  return sslVerifyFromText(value);
}

export class Endpoint {
  /** The API root the requests go to: origin + base path, no trailing slash. */
  readonly url: string;
  /** API version, `YYYY-MM-DD`: the URL's, the one given, or the default. */
  readonly apiVersion: string;
  /** The path part of `url`; it is what the signature covers. */
  readonly basePath: string;
  /** API access key (the secret key is kept off the object). */
  readonly accessKey: string;
  /** TLS certificate verification; `false` only when turned off explicitly. */
  readonly sslVerify: boolean;
  /** Name of the endpoint in a file of several. */
  readonly nickname: string | undefined;
  /** A PEM file of certificate authorities trusted besides Node's roots, for this endpoint only. */
  readonly caFile: string | undefined;
  /** The proxy for this endpoint only; its credentials are never shown (`toJSON()`). */
  readonly proxy: string | undefined;

  /** Checks the URL, keys and version at once; a bad value throws `ConfigError` naming it. */
  constructor(options: EndpointOptions) {
    if (!options || typeof options !== 'object') throw new ConfigError({ message: 'Endpoint needs an options object: { url, accessKey, secretKey }' });
    const missing = (['url', 'accessKey', 'secretKey'] as const).filter((k) => !options[k] || typeof options[k] !== 'string');
    if (missing.length) throw new ConfigError({ message: `Endpoint is missing ${missing.join(', ')}` });
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch {
      throw new ConfigError({ message: `Endpoint url is not a URL: ${JSON.stringify(options.url)}` });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError({ message: `Endpoint url must be http or https, got ${parsed.protocol}` });
    }
    const path = parsed.pathname.replace(/\/+$/, '');
    const urlVersion = /\/(\d{4}-\d{2}-\d{2})$/.exec(path)?.[1];
    if (options.apiVersion !== undefined && !VERSION_RE.test(options.apiVersion)) {
      throw new ConfigError({ message: `API version must look like YYYY-MM-DD, got ${JSON.stringify(options.apiVersion)}` });
    }
    if (urlVersion && options.apiVersion && urlVersion !== options.apiVersion) {
      throw new ConfigError({
        message: `API version ${options.apiVersion} contradicts the endpoint URL, which ends in ${urlVersion}; change the API version (apiVersion) or the URL (url) to match the other`,
      });
    }
    const version = options.apiVersion ?? urlVersion ?? DEFAULTS.apiVersion;
    let basePath: string;
    if (urlVersion) basePath = path;
    else if (path.endsWith('/api/enstratus')) basePath = `${path}/${version}`;
    else basePath = `${path}/api/enstratus/${version}`;

    this.url = `${parsed.origin}${basePath}`;
    this.apiVersion = version;
    this.basePath = basePath;
    this.accessKey = String(options.accessKey);
    this.sslVerify = options.sslVerify ?? DEFAULTS.sslVerify;
    this.nickname = options.nickname;
    for (const key of ['caFile', 'proxy'] as const) {
      if (options[key] !== undefined && (typeof options[key] !== 'string' || options[key] === '')) throw new ConfigError({ message: `Endpoint ${key} must be a non-empty string` });
    }
    if (options.proxy !== undefined) {
      let proxy: URL | undefined;
      try {
        proxy = new URL(options.proxy);
      } catch {
        /* reported below */
      }
      if (proxy?.protocol !== 'http:' && proxy?.protocol !== 'https:') throw new ConfigError({ message: `Endpoint proxy must be an http:// or https:// URL, got ${shownProxy(options.proxy)}` });
    }
    this.caFile = options.caFile;
    this.proxy = options.proxy;
    secrets.set(this, String(options.secretKey));
    Object.freeze(this);
  }

  /** The secret key. Kept off the object itself so it never shows in inspect, JSON or logs. */
  get secretKey(): string {
    return secrets.get(this) as string;
  }

  /** `scheme://host[:port]`, for the unversioned versions listing. */
  get origin(): string {
    return new URL(this.url).origin;
  }

  /** Reads a single-endpoint JSON file. */
  static fromFile(path: string): Endpoint {
    const data = readJson(path);
    if (Array.isArray(data) || data === null || typeof data !== 'object') {
      throw new ConfigError({ message: `${path}: expected a JSON object describing one endpoint` });
    }
    return Endpoint.fromRecord(data as Record<string, unknown>, path);
  }

  /** Reads a JSON array of endpoints, keyed by their (mandatory, unique) nickname. */
  static multipleFromFile(path: string): Map<string, Endpoint> {
    const data = readJson(path);
    if (!Array.isArray(data)) throw new ConfigError({ message: `${path}: expected a JSON array of endpoints` });
    const out = new Map<string, Endpoint>();
    data.forEach((item, i) => {
      const where = `${path}[${i}]`;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new ConfigError({ message: `${where}: expected an object` });
      const endpoint = Endpoint.fromRecord(item as Record<string, unknown>, where);
      if (!endpoint.nickname) throw new ConfigError({ message: `${where}: nickname is required in a file of several endpoints` });
      if (out.has(endpoint.nickname)) throw new ConfigError({ message: `${where}: nickname ${JSON.stringify(endpoint.nickname)} is used twice` });
      out.set(endpoint.nickname, endpoint);
    });
    return out;
  }

  /** Accepts the file's snake_case members (`api_version`, `access_key`, …) or camelCase ones. */
  static fromRecord(record: Record<string, unknown>, where = 'endpoint'): Endpoint {
    const pick = (...names: string[]): unknown => names.map((n) => record[n]).find((v) => v !== undefined && v !== null);
    const url = pick('url');
    const accessKey = pick('access_key', 'accessKey');
    const secretKey = pick('secret_key', 'secretKey');
    const missing = [
      ['url', url],
      ['access_key', accessKey],
      ['secret_key', secretKey],
    ].filter(([, v]) => v === undefined || v === '').map(([k]) => k);
    if (missing.length) throw new ConfigError({ message: `${where}: missing ${missing.join(', ')}` });
    const ssl = pick('ssl_verify', 'sslVerify');
    const version = pick('api_version', 'apiVersion');
    const nickname = pick('nickname');
    const caFile = pick('ca_file', 'caFile');
    const proxy = pick('proxy');
    try {
      return new Endpoint({
        url: String(url),
        apiVersion: version === undefined ? undefined : String(version),
        accessKey: String(accessKey),
        secretKey: String(secretKey),
        sslVerify: ssl === undefined ? true : parseSslVerify(typeof ssl === 'boolean' ? ssl : String(ssl)),
        nickname: nickname === undefined ? undefined : String(nickname),
        caFile: caFile === undefined ? undefined : String(caFile),
        proxy: proxy === undefined ? undefined : String(proxy),
      });
    } catch (error) {
      if (error instanceof ConfigError) throw new ConfigError({ message: `${where}: ${error.message}` });
      throw error;
    }
  }

  /**
   * Identifies the endpoint (and its keys) without revealing the secret; used by identity maps
   * and in-flight sharing. TLS verification is part of it: an object read over an unverified
   * connection is never handed to a caller whose endpoint verifies.
   */
  get key(): string {
    return `${this.url}|${this.accessKey}${this.sslVerify ? '' : '|unverified'}`;
  }

  /** The endpoint's settings for JSON output, the secret key replaced by `[redacted]` and the proxy shown without credentials. */
  toJSON(): Record<string, unknown> {
    return {
      url: this.url,
      apiVersion: this.apiVersion,
      accessKey: this.accessKey,
      sslVerify: this.sslVerify,
      nickname: this.nickname,
      ...(this.caFile === undefined ? {} : { caFile: this.caFile }),
      ...(this.proxy === undefined ? {} : { proxy: shownProxy(this.proxy) }),
      secretKey: REDACTED_MARK,
    };
    return { url: this.url, apiVersion: this.apiVersion, accessKey: this.accessKey, sslVerify: this.sslVerify, nickname: this.nickname, secretKey: REDACTED_MARK };
  }

  /** `util.inspect` and the REPL show the endpoint without its secret key. */
  [inspect.custom](): string {
    return `Endpoint ${inspect(this.toJSON())}`;
  }
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError({ message: `cannot read endpoint file ${path}: ${(error as Error).message}` });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError({ message: `endpoint file ${path} is not valid JSON: ${(error as Error).message}` });
  }
}
