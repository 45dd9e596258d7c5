/**
 * mixcoatl: the Dell Cloud Manager (enStratus) API as lazy-loading local objects.
 * Every export is named here (no `export *`), each with a short note.
 */
import 'reflect-metadata';

/** Process-wide settings (keys, endpoint, strict mode, timeouts, transport…); resolved at first request. */
export { configure, resetConfiguration, type ConfigureOptions, type LazyMode, type Details } from './config/resolve.js';
/** An API root with its keys; per object (`new Server(id, { endpoint })`) or per call. */
export { Endpoint, type EndpointOptions } from './endpoint.js';
/** The base class of every resource. */
export { Resource, type ResourceInit, type ListOptions, type ResourceClass } from './orm/resource.js';
/** Decorators for declaring resource classes (used by resources/, available for extensions). */
export { resource, attribute, reference, action } from './orm/metadata.js';
/** Registry look-ups: every declared resource class and its metadata. */
export { allResources, findResource, describe as describeResource, type ResourceMeta } from './orm/registry.js';
/** Forget every shared object identity (the identity map). */
export { clearIdentityMaps } from './orm/identity.js';
/** The raw escape hatch: any signed request by path. */
export { request, requestSync, type RawRequestOptions, type RawResponse } from './api.js';
/** Request signing (REFERENCE §2), exposed for tooling and tests. */
export { sign, stringToSign, USER_AGENT } from './http/signing.js';
/** The replaceable transport and the wire shapes it handles. */
export { defaultTransport, TransportFailure, type Transport } from './http/transport.js';
export type { WireRequest, WireResponse, HttpMethod } from './http/wire.js';
export type { RequestRecord } from './http/client.js';
/** Errors: API/transport branch and usage branch. */
export {
  DcmError,
  BadRequestError,
  AuthenticationError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  RateLimitError,
  ServerError,
  NetworkError,
  TimeoutError,
  ResponseError,
  JobFailedError,
  UsageError,
  ConfigError,
  NotLoadedError,
  ValidationError,
  MetadataError,
} from './errors.js';

/** Resources, by scope. */
export { Job, type JobStatus } from '../resources/admin/index.js';
export { Cloud, DataCenter, Region } from '../resources/geography/index.js';
export { Server } from '../resources/infrastructure/index.js';
export { Firewall } from '../resources/network/index.js';
