/**
 * Decorators. They only RECORD metadata; `registry.ts` reads, validates and
 * installs it. Reference targets are thunks (`() => Region`) so resource files may refer to
 * each other in any import order.
 *
 * The one import of reflect-metadata: every decorated class imports this module first, so the
 * `design:*` metadata TypeScript emits for it is recorded.
 */
import 'reflect-metadata';

export type AttributeType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'any';

export interface ResourceOptions {
  /** `<scope>/<Type>`, e.g. `infrastructure/Server`. */
  path: string;
  /** Envelope member holding the items, e.g. `servers`. */
  collection: string;
  /** JSON key of the identifier, e.g. `serverId`. Omit for resources without one (License). */
  id?: string;
  /** Identifier values are strings (ApiKey) rather than integers. */
  idType?: 'number' | 'string';
  /** `GET <path>` answers one flat object, not an envelope (License). */
  flat?: boolean;
  /** Single objects cannot be read by id (the API offers only the collection). */
  listOnly?: boolean;
}

const TYPE_CHECKS: Record<AttributeType, (v: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
  any: () => true,
};

/** Whether `value` is of an attribute's declared type (a finite number, a non-null non-array object…). */
export function hasType(type: AttributeType, value: unknown): boolean {
  return TYPE_CHECKS[type](value);
}

export interface AttributeOptions {
  /** The attribute may be assigned; it is then sent by save/actions. */
  settable?: boolean;
  /** Never received from the API, only sent. */
  writeOnly?: boolean;
  /** Overrides the type read from the TypeScript declaration. */
  type?: AttributeType;
  /**
   * The value is the bare identifier of another resource (`budget` holds a billing code's id):
   * it may then be given, and found, by that object's name (`budget: 'Research'`).
   */
  idOf?: () => unknown;
}

export interface ReferenceOptions extends AttributeOptions {
  /** The value is an array of references (`owningGroups: [{groupId}]`). */
  many?: boolean;
}

export interface AttributeMeta extends AttributeOptions {
  name: string;
  type: AttributeType;
  reference?: {
    /** The referenced class, as a thunk (`() => Region`). */
    target: () => unknown;
    /** The value is an array of references. */
    many: boolean;
  };
}

/**
 * The shape of an action method's arguments, declared next to it so the `dcm` command can map a
 * command line onto a call without reading the method's source (which a minifier or another
 * transpiler would change). `rename(name: string, options: ActionOptions = {})` is
 * `{ args: ['name'] }`; `describe(input: DescribeServerInput)` reading `input.name` and
 * `input.label` is `{ optionsParam: 'input', options: ['name', 'label'] }`. Argument TYPES are
 * not declared: they come from TypeScript's `design:paramtypes` metadata.
 */
export interface ActionSignature {
  /** Names of the positional parameters before the options object, in order. Default none. */
  args?: readonly string[];
  /** Name of the last parameter, the options/input object; `null` when there is none. Default `'options'`. */
  optionsParam?: string | null;
  /**
   * Keys of that object the command line offers as `--key` flags. Default none. The waiter's
   * options of `ActionOptions` (`wait`, `timeoutMs`, `intervalMs`, …) are not listed: every
   * action command has its own flags for them. A creating action may also list attributes it
   * sends (the command line assigns those to the new object rather than passing them).
   */
  options?: readonly string[];
  /**
   * The object the action is called on: `'new'`, a fresh object filled from attribute flags
   * (launch, create, add), or `'existing'`, the one named by its id (stop, attach — and a POST
   * such as `Volume.snapshot` that makes something else from an existing object). Default:
   * `'new'` for POST, `'existing'` for PUT and DELETE.
   */
  receiver?: 'new' | 'existing';
  /**
   * Where the values sit in the body: `'list'` (default) sends `{ <operation>: [values] }`,
   * `'object'` sends `{ <operation>: values }`. A DELETE sends its values as query parameters.
   */
  envelope?: 'list' | 'object';
  /**
   * The attributes of the new object a create sends: all required ones must be set (every
   * missing one is named in one ValidationError before any request), optional ones are sent
   * when set. Once sent they stop being pending changes.
   */
  sends?: { required?: readonly string[]; optional?: readonly string[] };
  /** Statuses that also mean success (FirewallRule create: 418 "already exists"). */
  alsoSuccess?: readonly number[];
  /**
   * `'always'`: the API answers this action with 202 and a job (launch, start,
   * stop, volume attach…). The method then resolves with a `Job` (its return type is
   * `Promise<Job>`, which the decorator checks), and a success answer without a job is refused
   * with a ResponseError. Default `'maybe'`: 202 with a job, or 201/204 without one.
   */
  job?: 'always' | 'maybe';
}

export interface ActionMeta {
  /** Method name on the class. */
  name: string;
  method: 'POST' | 'PUT' | 'DELETE';
  /** Body root key or query parameter that identifies the operation. */
  operation: string;
  /** The declared signature, defaults filled in (`optionsParam` undefined: no options object). */
  signature: { args: readonly string[]; optionsParam: string | undefined; options: readonly string[]; receiver: 'new' | 'existing' };
  envelope: 'list' | 'object';
  sends: { required: readonly string[]; optional: readonly string[] };
  alsoSuccess: readonly number[];
  /** Whether every success answer carries a job (`'always'`) or may not (`'maybe'`). */
  job: 'always' | 'maybe';
}

interface PendingMeta {
  attributes: AttributeMeta[];
  actions: ActionMeta[];
}

const PENDING = Symbol('mixcoatl.pending');

function pendingOf(proto: object): PendingMeta {
  const own = Object.prototype.hasOwnProperty.call(proto, PENDING) ? (proto as Record<symbol, PendingMeta>)[PENDING] : undefined;
  if (own) return own;
  const created: PendingMeta = { attributes: [], actions: [] };
  Object.defineProperty(proto, PENDING, { value: created, enumerable: false });
  return created;
}

/** Metadata recorded on a class prototype (not inherited). */
export function recordedMeta(proto: object): PendingMeta {
  return pendingOf(proto);
}

function typeFromDesign(proto: object, name: string): AttributeType {
  const design = Reflect.getMetadata('design:type', proto, name) as unknown;
  switch (design) {
    case String:
      return 'string';
    case Number:
      return 'number';
    case Boolean:
      return 'boolean';
    case Array:
      return 'array';
    case Object:
    case undefined:
      return 'any';
    default:
      return 'object';
  }
}

/** An attribute received from the API, readable as a property named exactly like its JSON key. */
export function attribute(options: AttributeOptions = {}): PropertyDecorator {
  return (proto, key) => {
    const name = String(key);
    pendingOf(proto).attributes.push({ ...options, name, type: options.type ?? typeFromDesign(proto, name) });
  };
}

/** An attribute holding `{ "<type>Id": n, ... }` (or an array of them), read as lazy resource objects. */
export function reference(target: () => unknown, options: ReferenceOptions = {}): PropertyDecorator {
  return (proto, key) => {
    const name = String(key);
    const many = options.many ?? false;
    pendingOf(proto).attributes.push({ ...options, name, type: many ? 'array' : 'object', reference: { target, many } });
  };
}

/**
 * Declares a method as an API action: its HTTP method, operation (body root key, or query
 * parameter of a DELETE) and body shape are stated here and only here; the method computes the
 * values and calls `this.act('<method name>', values, options)`. The completeness spec checks it
 * has a test, and the `dcm` command offers it as a verb with the arguments and options its
 * `signature` declares.
 */
export function action(method: ActionMeta['method'], operation: string, signature: ActionSignature & { job: 'always' }): AlwaysJobDecorator;
export function action(method: ActionMeta['method'], operation: string, signature?: ActionSignature & { job?: 'maybe' }): MaybeJobDecorator;
export function action(method: ActionMeta['method'], operation: string, signature: ActionSignature = {}): MethodDecorator {
  return (proto, key) => {
    const { args = [], optionsParam = 'options', options = [], receiver = method === 'POST' ? 'new' : 'existing', envelope = 'list', sends = {}, alsoSuccess = [], job = 'maybe' } = signature;
    pendingOf(proto).actions.push({
      name: String(key),
      method,
      operation,
      signature: { args: [...args], optionsParam: optionsParam ?? undefined, options: [...options], receiver },
      envelope,
      sends: { required: [...(sends.required ?? [])], optional: [...(sends.optional ?? [])] },
      alsoSuccess: [...alsoSuccess],
      job,
    });
  };
}

/**
 * The decorator of an action declared `job: 'always'`: its method must resolve with a value (the
 * Job, or what the method makes of it, e.g. `Volume.snapshot()`'s Snapshot), never undefined.
 *
 * @typeParam M - the decorated method's type.
 */
export type AlwaysJobDecorator = <M extends (...args: never[]) => Promise<object>>(proto: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>) => void;

/**
 * What makes a value a job, for the check of {@link MaybeJobDecorator}: `Job` (lib/orm/job.ts)
 * implements it, so this module need not import the class.
 */
export interface JobShape {
  /** The job's id. */
  readonly jobId: number;
  /** Where the job stands. */
  readonly status: 'RUNNING' | 'COMPLETE' | 'ERROR';
  /** Polls until the job ends. */
  wait(...args: never[]): Promise<unknown>;
}

/**
 * The decorator of any other action. A method that promises a Job (`Promise<Job>`) is refused
 * here: it resolves with a job only if the action is declared `job: 'always'`.
 *
 * @typeParam M - the decorated method's type.
 */
export type MaybeJobDecorator = <M extends (...args: never[]) => Promise<unknown>>(proto: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M> & (Awaited<ReturnType<M>> extends JobShape ? { 'declare the action with job: always': never } : unknown)) => void;

const RESOURCE_OPTIONS = Symbol('mixcoatl.resource');
const declared: Function[] = [];

/** Declares a resource class: records its options and adds it to the list the registry reads. */
export function resource(options: ResourceOptions): ClassDecorator {
  return (cls) => {
    Object.defineProperty(cls, RESOURCE_OPTIONS, { value: { ...options }, enumerable: false });
    declared.push(cls);
  };
}

/** The options recorded by `@resource` on exactly this class (not a parent). */
export function recordedOptions(cls: Function): ResourceOptions | undefined {
  return Object.prototype.hasOwnProperty.call(cls, RESOURCE_OPTIONS) ? (cls as unknown as Record<symbol, ResourceOptions>)[RESOURCE_OPTIONS] : undefined;
}

/** Every class declared with `@resource`, in declaration order. */
export function declaredClasses(): readonly Function[] {
  return declared;
}
