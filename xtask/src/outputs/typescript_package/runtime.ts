// The two helpers ajv's standalone code may call (for `uniqueItems`/`const`/`enum` of objects,
// and `minLength`/`maxLength`), so the compiled validators need no ajv at run time. It is
// copied into the package as `src/runtime.ts` by `cargo xtask schemas`; the compiling script
// maps `ajv/dist/runtime/equal` and `ajv/dist/runtime/ucs2length` here.

/** Deep equality of JSON values, as `fast-deep-equal` (ajv's `equal`) decides it. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return a !== a && b !== b;
  }
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => equal(item, b[i]));
  }
  if (Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  const other = b as Record<string, unknown>;
  return keys.every((key) => Object.prototype.hasOwnProperty.call(other, key) && equal((a as Record<string, unknown>)[key], other[key]));
}

/** A string's length in Unicode code points (as JSON Schema counts `minLength`), as ajv's `ucs2length`. */
export function ucs2length(text: string): number {
  let length = 0;
  for (const _ of text) length++;
  return length;
}
