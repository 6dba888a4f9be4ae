// The formats the contracts' schemas use, checked as the generator's validator checks them.
// It is copied into the package as `src/formats.ts` by `cargo xtask schemas`. The validators
// in `validators/` were compiled ahead of time with placeholders of these names (the list in
// `scripts/compile-validators.cjs`, which a test keeps equal to this one) and read each check
// from here: ajv compiles the JSON type test around it, so each check sees its type only.

/** A format's check, as the compiled validators call it, and the JSON type it applies to. */
export interface FormatCheck<T> {
  type: T extends number ? "number" : "string";
  validate(value: T): boolean;
}

/** An integer format: an integer within the type's range (64-bit bounds as JSON.parse rounds them). */
function integer(min: number, max: number): FormatCheck<number> {
  return { type: "number", validate: (n: number) => Number.isInteger(n) && n >= min && n <= max };
}

/** A string format matching `pattern`. */
function matching(pattern: RegExp): FormatCheck<string> {
  return { type: "string", validate: (text: string) => pattern.test(text) };
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

/** Every format's check, by name. */
export const formats: Readonly<Record<string, FormatCheck<string> | FormatCheck<number>>> = {
  "date-time": {
    type: "string",
    validate: (text: string) => {
      const [date, time] = text.split(/[Tt]/);
      return date !== undefined && time !== undefined && isDate(date) && TIME.test(time);
    },
  },
  date: { type: "string", validate: isDate },
  time: matching(TIME),
  uuid: matching(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/),
  uri: matching(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/),
  email: matching(/^[^\s@]+@[^\s@]+\.[^\s@]+$/),
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
