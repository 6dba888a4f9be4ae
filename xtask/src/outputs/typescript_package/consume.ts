// The package's consumer API: parse and validate an EventBridge event at runtime, narrow it
// to its type, and route it to a handler. It is copied into the package as `src/consume.ts`
// by `cargo xtask schemas`; `schemas.ts` beside it holds every event's JSON Schema, compiled
// by ajv (the package's one runtime dependency) the first time an event of its kind arrives.
import Ajv from "ajv";
import type { Format, ValidateFunction } from "ajv";
import type { DetailType, EventBridgeEvent, EventDetails, PlatformEvent, Source } from "./events";
import { schemas } from "./schemas";

/** One way an event breaks its contract: where (a JSON Pointer into the event) and what. */
export interface EventError {
  path: string;
  message: string;
}

/** What `parseEvent` found: the typed event, or every error with its path. */
export type ParseResult = { ok: true; event: PlatformEvent } | { ok: false; errors: EventError[] };

/** The event `S`/`D` as EventBridge delivers it. */
export type EventOf<S extends Source, D extends DetailType<S>> = EventBridgeEvent<S, D, EventDetails[S][D]>;

/** A function handling the event `S`/`D`. */
export type Handler<S extends Source, D extends DetailType<S>> = (event: EventOf<S, D>) => unknown;

/** Handlers by source, then detail-type: the TypeScript counterpart of the Rust `Manifest`. */
export type Handlers = { [S in Source]?: { [D in DetailType<S>]?: Handler<S, D> } };

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
 * Reads an EventBridge event (as `JSON.parse` or a Lambda runtime gives it): the typed
 * `PlatformEvent`, or every way it breaks the envelope or its event's schema, each with its
 * JSON Pointer. An event of an unknown source and detail-type is reported at `/detail-type`.
 */
export function parseEvent(json: unknown): ParseResult {
  const errors = envelopeErrors(json);
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  const event = json as { source: string; "detail-type": string; detail: unknown };
  const validate = validatorFor(event.source, event["detail-type"]);
  if (validate === undefined) {
    const message = `unknown event: source "${event.source}", detail-type "${event["detail-type"]}"`;
    return { ok: false, errors: [{ path: "/detail-type", message }] };
  }
  if (!validate(event.detail)) {
    const found = (validate.errors ?? []).map((e) => ({ path: `/detail${e.instancePath}`, message: e.message ?? "is invalid" }));
    return { ok: false, errors: found };
  }
  return { ok: true, event: json as PlatformEvent };
}

/** Whether `json` is a valid event of `source` and `detailType`, narrowing its type. */
export function isEvent<S extends Source, D extends DetailType<S>>(json: unknown, source: S, detailType: D): json is EventOf<S, D> {
  const parsed = parseEvent(json);
  return parsed.ok && parsed.event.source === source && parsed.event["detail-type"] === detailType;
}

/**
 * A function that parses an EventBridge event and calls the handler of its source and
 * detail-type, with `event.detail` typed. It rejects with `InvalidEventError` for an event
 * that breaks its contract, and `UnhandledEventError` for one no handler takes.
 */
export function handlers(map: Handlers): (json: unknown) => Promise<unknown> {
  return async (json: unknown) => {
    const parsed = parseEvent(json);
    if (!parsed.ok) {
      throw new InvalidEventError(parsed.errors);
    }
    const { source, "detail-type": detailType } = parsed.event;
    const bySource = own(map as Record<string, Record<string, (event: PlatformEvent) => unknown>>, source);
    const handler = bySource === undefined ? undefined : own(bySource, detailType);
    if (handler === undefined) {
      throw new UnhandledEventError(source, detailType);
    }
    return await handler(parsed.event);
  };
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

const validators = new Map<string, ValidateFunction>();

/** The compiled validator of an event's `detail`, or `undefined` for an unknown event. */
function validatorFor(source: string, detailType: string): ValidateFunction | undefined {
  const key = `${source}\u0000${detailType}`;
  const cached = validators.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const bySource = own(schemas as Record<string, Record<string, object>>, source);
  const schema = bySource === undefined ? undefined : own(bySource, detailType);
  if (schema === undefined) {
    return undefined;
  }
  const validate = ajv.compile(schema);
  validators.set(key, validate);
  return validate;
}

/** An integer format: an integer within the type's range (64-bit bounds as JSON.parse rounds them). */
function integer(min: number, max: number): Format {
  return { type: "number", validate: (n: number) => Number.isInteger(n) && n >= min && n <= max };
}

/** `YYYY-MM-DD` naming a real day. */
function isDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** The formats the contracts' schemas use, checked as the generator's validator checks them. */
const FORMATS: Record<string, Format> = {
  "date-time": (text: string) => {
    const [date, time] = text.split(/[Tt]/);
    return date !== undefined && time !== undefined && isDate(date) && TIME.test(time);
  },
  date: isDate,
  time: TIME,
  uuid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  int8: integer(-128, 127),
  int16: integer(-32768, 32767),
  int32: integer(-2147483648, 2147483647),
  int64: integer(-(2 ** 63), 2 ** 63),
  int: integer(-Infinity, Infinity),
  uint8: integer(0, 255),
  uint16: integer(0, 65535),
  uint32: integer(0, 4294967295),
  uint64: integer(0, 2 ** 64),
  uint: integer(0, Infinity),
  float: { type: "number", validate: () => true },
  double: { type: "number", validate: () => true },
};

const ajv = new Ajv({ allErrors: true, strict: false, formats: FORMATS });
