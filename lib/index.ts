/**
 * mixcoatl: the Dell Cloud Manager (enStratus) API as lazy-loading local objects.
 * Every export is named here (no `export *`), each with a short note.
 *
 * @module mixcoatl
 */
/// <reference types="node" preserve="true" />
// First, so that the synchronous-read worker starts while the rest is imported (see the module).
import './http/prestart.js';
/** Process-wide settings (keys, endpoint, strict mode, timeouts, transport…); resolved at first request. */
export { configure, resetConfiguration, type ConfigureOptions, type LazyMode, type Details, type DebugLogger } from './config/resolve.js';
/** An API root with its keys; per object (`new Server(id, { endpoint })`) or per call. */
export { Endpoint, type EndpointOptions } from './endpoint.js';
/** The base class of every resource, and the layer below it (what a Job is). */
export { Resource, type ResourceInit, type ListOptions, type ListControls, type ListArgs, type GetOptions, type IncludeOption, type ReferenceNames, type ResourceClass, type IdOr, type NameQuery, type KeyOf } from './orm/resource.js';
export { ResourceBase, type BaseClass, type CallOptions } from './orm/base.js';
/** How a class creates and updates its objects (`static persistence`, used by save()). */
export type { Persistence, UpdateRoute } from './orm/save.js';
/** List filters: declared per class, typed and checked before any request. */
export { defineFilters, type FilterDef, type FilterDecl, type FilterRules, type FilterType, type FilterValue, type FilterValues, type RequiredFilterNames } from './orm/filters.js';
/** Queries of `find()` / `findOne()`. */
export type { FindQuery, FindOptions, Matcher, MatcherFor, ReferenceMatcher, AttributeNames } from './orm/finder.js';
/** Loaded state in the types, as the strict entry `mixcoatl/strict` types its classes. */
export type { Strict, StrictClass, StrictListArgs, StrictListOptions, Unloaded, UnloadedRef, LoadedRef } from './orm/typed.js';
/** Decorators for declaring resource classes (used by resources/, available for extensions). */
export {
  resource,
  attribute,
  reference,
  action,
  type ActionSignature,
  type ActionMeta,
  type AlwaysJobDecorator,
  type MaybeJobDecorator,
  type JobShape,
  type ResourceOptions,
  type AttributeOptions,
  type AttributeType,
  type AttributeMeta,
  type ReferenceOptions,
} from './orm/metadata.js';
/** Registry look-ups: every declared resource class and its metadata. */
export { allResources, findResource, metaOf, metaOf as describeResource, type ResourceMeta, type Scope } from './orm/registry.js';
/** Lifecycle declarations: how apply() creates, changes, deletes and identifies each managed type. */
export {
  lifecycle,
  lifecycleOf,
  managedTypes,
  managedType,
  undeclaredWriters,
  isRefusal,
  breaksRule,
  type Lifecycle,
  type LifecycleDeclaration,
  type CreateDeclaration,
  type UpdateDeclaration,
  type DeleteDeclaration,
  type Identity,
  type Refusal,
  type ItemBuilder,
  type StepContext,
  type ValueRule,
} from './orm/lifecycle.js';
/** Request control: forbid requests (`offline`), cap them (`withBudget`), and see what remains. */
export { offline, withBudget, remainingBudget } from './http/budget.js';
/** Events: `on('request', e => …)` for every request, `on('nPlusOne', e => …)` for N+1 loops. */
export { on, off, type RequestEvent, type NPlusOneEvent, type MixcoatlEvents, type EventName } from './events.js';
/** Provenance: where an attribute's value came from, without a request. */
export { provenanceOf, type Provenance } from './orm/provenance.js';
export type { Source, SourceKind, Id, NumericId, ResourceConstructor, ResourceObject } from './orm/state.js';
/** Forget every shared object identity (the identity map). */
export { clearIdentityMaps } from './orm/identity.js';
/** The raw escape hatch: any signed request by path. */
export { request, requestSync, apiVersions, type RawRequestOptions, type RawResponse, type ApiVersions } from './api.js';
/** Request signing, exposed for tooling and tests. */
export { sign, stringToSign, USER_AGENT } from './http/signing.js';
/** The replaceable transport and the wire shapes it handles. */
export { defaultTransport, TransportFailure, type Transport } from './http/transport.js';
export type { WireRequest, WireResponse, HttpMethod } from './wire.js';
export type { RequestRecord, QueryValue } from './http/client.js';
export type { Timeouts, RetryPolicy, WireError } from './wire.js';
/** What the pipeline hands a transport beside the request: the abort signal and the limiter's gate. */
export type { SendOptions, AttemptGate, AttemptSlot } from './wire.js';
export type { SignInput } from './http/signing.js';
/** Desired state: `apply(records, { dryRun })` plans, then applies all-or-nothing where the API allows it. */
export { apply, formatPlan, ApplyError, DEFAULT_LOCK_TIMEOUT_MS, type ApplyOptions, type ApplyResult, type ApplyStepEvent, type DoneStep } from './apply/apply.js';
export type { RecoveryWait, UnfinishedWrite } from './apply/recover.js';
export { LocalRef, type ApplyRecord, type Plan, type PlanStep, type StepKind } from './apply/plan.js';
export { parseRecords, MAX_INPUT_BYTES, MAX_RECORDS } from './apply/file.js';
export type { PlanOptions } from './apply/plan.js';
export type { CompositeLaunchOptions, NewFirewall, NewVolume } from './apply/composite.js';
/** The differences a plan step makes (`attribute: current → desired`), as `dcm apply --check` prints them. */
export { formatChanges, type AttributeChange, type ChangedStep } from './apply/changes.js';
/** Export: live objects as apply records (`toRecords(objects)`, `exportRecords(types)`, `dcm export`). */
export { toRecords, exportRecords, exportableType, type ExportOptions } from './apply/export.js';
/** Undo of an apply run: `undo(run)` removes what it created, newest first (`dcm undo RUN`). */
export { undo, type UndoOptions, type UndoResult, type Removal, type NotUndone } from './apply/undo.js';
/** Saved plans: `savePlan(records)` to review and keep, `applyPlan(saved)` to carry out exactly that plan, refused when stale. */
export { savePlan, applyPlan, readPlan, checkSavedPlan, StalePlanError, PLAN_FORMAT, PLAN_VERSION, MAX_PLAN_BYTES, type SavedPlan, type SavedStep, type PlannedFrom } from './apply/saved.js';
/** The journal of requests: `log()`, `log(serial)`, its settings and its flush. */
export { log, journalPath, journalFileFor, readJournalEntries, configureJournal, resetJournal, journalSettings, flushJournal, JournalError, type JournalEntry, type JournalOutcome, type JournalSettings, type LogOptions } from './journal/index.js';
/** Errors: API/transport branch and usage branch. */
export {
  type DcmErrorOptions,
  type UsageErrorOptions,
  type RequestSummary,
  type ResponseSummary,
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
  TlsError,
  ResponseError,
  UnexpectedStateError,
  UsageError,
  ConfigError,
  NotLoadedError,
  ValidationError,
  MetadataError,
  AmbiguousError,
  BudgetExceededError,
  LockedError,
  type LockHolder,
} from './errors.js';

/** Waiters: process-wide poll interval and timeout (`configureJobs({ intervalMs: 0 })` for tests). */
export { configureJobs, jobDefaults, type WaitOptions, type JobDefaults, type StatusWaitOptions } from './orm/waiters.js';
export { JobFailedError, type JobWaitOptions, type JobWaitAllOptions, type JobOutcome, type JobsProgress } from './orm/job.js';
/** Actions over a set (`Server.where(query).stop(…)`): options, outcomes, totals, progress. */
export type { BulkOptions, BulkOutcome, BulkResult, BulkTotals, BulkProgress, BulkActions, BulkActionNames, Selection, SelectionBase, WhereOptions } from './orm/bulk.js';
/** The write a dry run of a bulk action shows instead of sending it. */
export type { PlannedRequest } from './orm/actions.js';
/** Options of actions (`{ wait: true }` …) and of save(). */
export type { ActionOptions, RemoveOptions } from './orm/actions.js';
export type { SaveOptions } from './orm/save.js';
/** Value shapes shared by resources. */
export type { Ref, Money, Window, PlainRef } from '../resources/types.js';
export type { DescribeInput } from '../resources/common-actions.js';

/** Resources, by scope (each scope is also a subpath: `mixcoatl/admin`, …). */
export {
  Account,
  ApiKey,
  BillingCode,
  Customer,
  Group,
  Job,
  License,
  Role,
  User,
  type AddAccountOptions,
  type AssignCloudInput,
  type AlertConfiguration,
  type CloudSubscription,
  type InvalidateOptions,
  type DeleteBillingCodeOptions,
  type RoleAssignment,
  type SetRoleOptions,
  type AddRoleAssignmentsOptions,
  type DescribeGroupInput,
  type JobStatus,
  type AclEntry,
  type GrantAccessOptions,
} from '../resources/admin/index.js';
export { ServerAnalytics, TierAnalytics, type ServerDataPoint, type TierDataPoint } from '../resources/analytics/index.js';
export {
  ConfigurationManagementAccount,
  ConfigurationManagementService,
  ConfigurationManagementSystem,
  DataSource,
  DataSourceBackup,
  Deployment,
  Environment,
  LaunchConfiguration,
  Personality,
  Script,
  Service,
  Tier,
  type ProviderProduct,
} from '../resources/automation/index.js';
export { Cloud, DataCenter, Region, Subscription } from '../resources/geography/index.js';
export {
  MachineImage,
  Server,
  ServerProduct,
  Snapshot,
  Volume,
  type DescribeImageInput,
  type DeleteOptions,
  type LaunchAttributes,
  type ServerStatus,
  type SnapshotStatus,
  type MachineImageStatus,
  type TerminateOptions,
  type StopOptions,
  type DescribeServerInput,
  type ProvisionUserOptions,
  type DescribeSnapshotInput,
  type DeleteSnapshotOptions,
  type AttachOptions,
  type DescribeVolumeInput,
  type DeleteVolumeOptions,
  type SnapshotInput,
  serversIn,
  findServer,
  searchImages,
  type Place,
  type ImageSearch,
} from '../resources/infrastructure/index.js';
export { Firewall, FirewallRule, LoadBalancer, Network, type FirewallRuleInput, type CreateRuleOptions, type RemoveRuleOptions, type DeleteNetworkOptions, type Subnet } from '../resources/network/index.js';
export { RelationalDatabase, RelationalDatabaseProduct, StorageObject, type DeleteDatabaseOptions } from '../resources/platform/index.js';
