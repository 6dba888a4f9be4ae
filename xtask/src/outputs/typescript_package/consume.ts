// The package's consumer API: parse and validate an EventBridge event, narrow it to its type,
// and route it to a handler. It is copied into the package as `src/consume.ts` by
// `cargo xtask schemas`. It knows no event: `parser`, `guard` and `router` take a table of
// validators (compiled ahead of time into `validators/`, so nothing compiles a schema at run
// time), and `index.ts` (every event) and `sources/<module>.ts` (one source's, or one event's)
// build their functions from their own tables, so a bundle holds only the validators it uses.
import type { DetailType, EventBridgeEvent, EventDetails, PlatformEvent, Source } from "./events.js";

/** One way an event breaks its contract: where (a JSON Pointer into the event) and what. */
export interface EventError {
  path: string;
  message: string;
}

/** What `parseEvent` found: the typed event, or every error with its path. */
export type ParseResult<E = PlatformEvent> = { ok: true; event: E } | { ok: false; errors: EventError[] };

/** The event `S`/`D` as EventBridge delivers it. */
export type EventOf<S extends Source, D extends DetailType<S>> = EventBridgeEvent<S, D, EventDetails[S][D]>;

/** A function handling the event `S`/`D`. */
export type Handler<S extends Source, D extends DetailType<S>> = (event: EventOf<S, D>) => unknown;

/**
 * Handlers by source, then detail-type: the TypeScript counterpart of the Rust `Manifest`.
 * `M` maps source, then detail-type, to the payload type (every event's by default).
 */
export type Handlers<M = EventDetails> = {
  [S in keyof M & string]?: { [D in keyof M[S] & string]?: (event: EventBridgeEvent<S, D, M[S][D]>) => unknown };
};

/** Any event of the map `M` (source, then detail-type, to payload), in its envelope. */
export type EventIn<M> = {
  [S in keyof M & string]: { [D in keyof M[S] & string]: EventBridgeEvent<S, D, M[S][D]> }[keyof M[S] & string];
}[keyof M & string];

/** An event's validator, compiled ahead of time: whether `data` is valid, and if not, why. */
export interface Validator {
  (data: unknown): boolean;
  errors?: ReadonlyArray<{ instancePath: string; message?: string }> | null;
}

/** A validator for every event of the map `M`, by source, then detail-type. */
export type ValidatorsOf<M> = { readonly [S in keyof M]: { readonly [D in keyof M[S]]: Validator } };

/** The event is not an EventBridge event, or its `detail` breaks its schema. */
export class InvalidEventError extends Error {
  constructor(readonly errors: EventError[]) {
    super(errors.map((e) => `${e.path || "(root)"}: ${e.message}`).join("; "));
    this.name = "InvalidEventError";
  }
}

/** A valid event no handler was given for. */
export class UnhandledEventError extends Error {
  constructor(readonly source: string, readonly detailType: string) {
    super(`no handler for source "${source}", detail-type "${detailType}"`);
    this.name = "UnhandledEventError";
  }
}

/**
 * A `parseEvent` for the events of `validators`: it reads an EventBridge event (as
 * `JSON.parse` or a Lambda runtime gives it) into the typed event, or gives every way it
 * breaks the envelope or its event's schema, each with its JSON Pointer. An event the table
 * does not hold is reported at `/detail-type`.
 */
export function parser<M>(validators: ValidatorsOf<M>): (json: unknown) => ParseResult<EventIn<M>> {
  const table = validators as unknown as Record<string, Record<string, Validator>>;
  return (json: unknown) => {
    const errors = envelopeErrors(json);
    if (errors.length > 0) {
      return { ok: false, errors };
    }
    const event = json as { source: string; "detail-type": string; detail: unknown };
    const bySource = own(table, event.source);
    const validate = bySource === undefined ? undefined : own(bySource, event["detail-type"]);
    if (validate === undefined) {
      const message = `unknown event: source "${event.source}", detail-type "${event["detail-type"]}"`;
      return { ok: false, errors: [{ path: "/detail-type", message }] };
    }
    if (!validate(event.detail)) {
      const found = (validate.errors ?? []).map((e) => ({ path: `/detail${e.instancePath}`, message: e.message ?? "is invalid" }));
      return { ok: false, errors: found };
    }
    return { ok: true, event: json as EventIn<M> };
  };
}

/** An `isEvent` over `parse`: whether `json` is a valid event of `source` and `detailType`, narrowing its type. */
export function guard<M>(
  parse: (json: unknown) => ParseResult<EventIn<M>>,
): <S extends keyof M & string, D extends keyof M[S] & string>(json: unknown, source: S, detailType: D) => json is EventBridgeEvent<S, D, M[S][D]> {
  return <S extends keyof M & string, D extends keyof M[S] & string>(json: unknown, source: S, detailType: D): json is EventBridgeEvent<S, D, M[S][D]> => {
    const parsed = parse(json);
    // Widened to strings: TypeScript cannot relate `D` to the detail-types of a source it
    // has not narrowed to.
    const event: { source: string; "detail-type": string } | undefined = parsed.ok ? parsed.event : undefined;
    return event !== undefined && event.source === source && event["detail-type"] === detailType;
  };
}

/** One event a router handles. */
export interface Handled {
  readonly source: string;
  readonly detailType: string;
}

/** What `handlers` returns: the Lambda handler, which also lists the events it routes. */
export interface Routed {
  (json: unknown): Promise<unknown>;
  /** Every event with a handler, sorted by source, then detail-type. */
  readonly handles: readonly Handled[];
}

/**
 * A `handlers` over `parse`: given handlers by source and detail-type, a function that parses
 * an EventBridge event and calls the handler of its source and detail-type, with
 * `event.detail` typed. It rejects with `InvalidEventError` for an event that breaks its
 * contract, and `UnhandledEventError` for one no handler takes.
 */
export function router<M>(parse: (json: unknown) => ParseResult<EventIn<M>>): (map: Handlers<M>) => Routed {
  return (map: Handlers<M>) => {
    const table = map as Record<string, Record<string, (event: unknown) => unknown>>;
    const route = async (json: unknown) => {
      const parsed = parse(json);
      if (!parsed.ok) {
        throw new InvalidEventError(parsed.errors);
      }
      const { source, "detail-type": detailType } = parsed.event;
      const bySource = own(table, source);
      const handler = bySource === undefined ? undefined : own(bySource, detailType);
      if (handler === undefined) {
        throw new UnhandledEventError(source, detailType);
      }
      return await handler(parsed.event);
    };
    const handles: Handled[] = [];
    for (const source of Object.keys(table).sort()) {
      for (const detailType of Object.keys(table[source] ?? {}).sort()) {
        if (typeof own(table[source] ?? {}, detailType) === "function") {
          handles.push({ source, detailType });
        }
      }
    }
    return Object.assign(route, { handles: Object.freeze(handles) });
  };
}

/**
 * Who a consumer is, and the fields of each event it reads: JSON Pointers into `detail`, `*`
 * for any array item or map value (`/trade/id`, `/tags/*`). An event it
 * handles but lists no reads for is taken to be read whole.
 */
export interface Consumer<M = EventDetails> {
  name: string;
  team: string;
  repository: string;
  reads?: { [S in keyof M & string]?: { [D in keyof M[S] & string]?: readonly string[] } };
}

/**
 * The consumer declaration of a `handlers(...)` router as `consumer`: the TOML file the
 * contracts repository keeps as `schemas/consumers/<name>.toml`, byte for byte what the Rust
 * runtime's `Manifest::declaration` prints. `cargo xtask schemas` checks each event and
 * pointer against the schemas; the catalog and the compatibility gate read it. Throws if
 * `consumer` declares reads of an event the router does not handle.
 */
export function declaration<M = EventDetails>(consumer: Consumer<M>, routed: Routed): string {
  const reads = (consumer.reads ?? {}) as Record<string, Record<string, readonly string[] | undefined> | undefined>;
  for (const source of Object.keys(reads)) {
    for (const detailType of Object.keys(reads[source] ?? {})) {
      if (!routed.handles.some((h) => h.source === source && h.detailType === detailType)) {
        throw new Error(
          `the consumer declares what it reads of ${source} ${JSON.stringify(detailType)}, which its router has no handler for; add the handler or drop the reads`,
        );
      }
    }
  }
  const q = (text: string) => JSON.stringify(text);
  let out =
    `# The events the consumer \`${consumer.name}\` handles and the fields it reads: printed from its code.\n` +
    "# Checked against the event schemas by `cargo xtask schemas`.\n" +
    `name = ${q(consumer.name)}\nteam = ${q(consumer.team)}\nrepository = ${q(consumer.repository)}\n`;
  for (const { source, detailType } of routed.handles) {
    out += `\n[[handles]]\nsource = ${q(source)}\ndetail-type = ${q(detailType)}\n`;
    const read = reads[source]?.[detailType];
    if (read !== undefined) {
      out += `reads = [${[...new Set(read)].sort().map(q).join(", ")}]\n`;
    }
  }
  return out;
}

/** `object[key]` when `object` has it as its own property (never a prototype's). */
function own<T>(object: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

const ENVELOPE_STRINGS = ["version", "id", "detail-type", "source", "time"] as const;

/** Every way `json` is not an EventBridge envelope. */
function envelopeErrors(json: unknown): EventError[] {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return [{ path: "", message: "an EventBridge event is a JSON object" }];
  }
  const event = json as Record<string, unknown>;
  const errors: EventError[] = [];
  for (const field of ENVELOPE_STRINGS) {
    if (typeof event[field] !== "string") {
      errors.push({ path: `/${field}`, message: `must be a string` });
    }
  }
  for (const field of ["account", "region"]) {
    if (field in event && typeof event[field] !== "string") {
      errors.push({ path: `/${field}`, message: "must be a string when present" });
    }
  }
  const resources = event["resources"];
  if (resources !== undefined && !(Array.isArray(resources) && resources.every((r) => typeof r === "string"))) {
    errors.push({ path: "/resources", message: "must be a list of strings" });
  }
  if (!("detail" in event)) {
    errors.push({ path: "/detail", message: "is missing" });
  }
  return errors;
}
