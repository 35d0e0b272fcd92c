// Compact JSON text and its length, computed without recursion and with a cap, so a preview never
// walks more of a huge value than it can show. Invariant: jsonSize(v, cap) === serializeJson(v).length
// whenever that length is ≤ cap, and both follow JSON.stringify's rules (toJSON, boxed primitives,
// undefined/functions/symbols dropped from objects and null in arrays, non-finite numbers null).

/** The JSON kind of a value after JSON.stringify's conversions; 'skip' is what JSON.stringify drops. */
export type JsonKind = 'null' | 'boolean' | 'number' | 'string' | 'array' | 'object' | 'skip';

/** The value JSON.stringify would serialize in place of `v` (toJSON applied, boxed primitives unwrapped). */
export function jsonView(v: unknown, key: string | number): unknown {
  if (v === null || typeof v !== 'object') return v;
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return (toJSON as (k: string) => unknown).call(v, String(key));
  if (v instanceof Number) return Number(v);
  if (v instanceof String) return String(v);
  if (v instanceof Boolean) return v.valueOf();
  return v;
}

/** Kind of a value that already went through jsonView. */
export function jsonKind(v: unknown): JsonKind {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'bigint':
      return 'number'; // written as its digits: valid JSON, where JSON.stringify would throw
    case 'object':
      return v === null ? 'null' : Array.isArray(v) ? 'array' : 'object';
    default:
      return 'skip'; // undefined, function, symbol
  }
}

/** JSON text of a scalar (null, boolean, number, bigint); non-finite numbers are `null`. */
export function scalarText(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return 'null';
}

// Characters JSON.stringify escapes: quote, backslash, controls, and (well-formed JSON.stringify)
// lone surrogates; pairs are rare enough that strings holding any surrogate take the slow path.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Length of JSON.stringify(s); a number > cap (a lower bound) when that is more than cap. */
export function stringSize(s: string, cap = Infinity): number {
  if (s.length + 2 > cap) return s.length + 2;
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s).length : s.length + 2;
}

/** Cost in JSON text of the character (or surrogate pair) at `i`, and how many code units it takes. */
export function charCost(s: string, i: number): [cost: number, units: number] {
  const c = s.charCodeAt(i);
  if (c >= 0x20 && c !== 0x22 && c !== 0x5c && (c < 0xd800 || c > 0xdfff)) return [1, 1];
  if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x0c || c === 0x0a || c === 0x0d || c === 0x09) return [2, 1];
  if (c < 0x20) return [6, 1];
  if (c <= 0xdbff && i + 1 < s.length) {
    const d = s.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return [2, 2];
  }
  return [6, 1]; // lone surrogate: \udxxx
}

/** Own enumerable keys of an object whose values JSON keeps (not undefined, functions, symbols). */
export function jsonKeys(obj: object): string[] {
  const keys = Object.keys(obj);
  const rec = obj as Record<string, unknown>;
  let drop = false;
  for (const k of keys) {
    if (jsonKind(jsonView(rec[k], k)) === 'skip') {
      drop = true;
      break;
    }
  }
  return drop ? keys.filter((k) => jsonKind(jsonView(rec[k], k)) !== 'skip') : keys;
}

/**
 * Length of the compact JSON text of `value` (as serializeJson writes it). Stops as soon as the length
 * exceeds `cap` and returns a number > cap, so the work is bounded by the cap, not by the value.
 * A value that is `skip` at the top level measures as `null` (4). `keysOf` lets a caller reuse key lists
 * it already has (it may return jsonKeys or Object.keys: skipped values are skipped either way).
 */
export function jsonSize(value: unknown, cap = Infinity, keysOf: (obj: object) => readonly string[] = Object.keys): number {
  // Each pending value counts 1 (the least any JSON value takes) until it is measured, so the early
  // exit also sees children that are only queued.
  const stack: unknown[] = [jsonView(value, '')];
  let total = 1;
  while (stack.length > 0) {
    if (total > cap) return total;
    const v = stack.pop();
    switch (jsonKind(v)) {
      case 'string':
        total += stringSize(v as string, cap - total + 1) - 1;
        break;
      case 'array': {
        const arr = v as unknown[];
        total += 1 + Math.max(0, arr.length - 1); // [] plus commas (one of the two brackets was pending)
        for (let i = 0; i < arr.length; i++) {
          if (total > cap) return total;
          const item = jsonView(arr[i], i);
          total += 1;
          stack.push(jsonKind(item) === 'skip' ? null : item);
        }
        break;
      }
      case 'object': {
        const rec = v as Record<string, unknown>;
        let count = 0;
        for (const k of keysOf(rec)) {
          if (total > cap) return total;
          const item = jsonView(rec[k], k);
          if (jsonKind(item) === 'skip') continue;
          total += (count > 0 ? 1 : 0) + stringSize(k) + 1 + 1; // comma, "key", colon, pending value
          count++;
          stack.push(item);
        }
        total += 1; // {} (one of the two braces was pending)
        break;
      }
      default:
        total += scalarText(v).length - 1;
    }
  }
  return total;
}

type Frame = { arr: unknown[]; i: number } | { rec: Record<string, unknown>; keys: string[]; i: number; n: number };

/** Compact JSON text of `value`, like JSON.stringify but without recursion (any depth) and writing
 *  bigints as digits. A top-level `skip` value is written as `null`. */
export function serializeJson(value: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  // Writes a scalar or opens a container (pushing its frame); `v` went through jsonView already.
  const put = (v: unknown): void => {
    switch (jsonKind(v)) {
      case 'string':
        out.push(JSON.stringify(v));
        return;
      case 'array':
        out.push('[');
        stack.push({ arr: v as unknown[], i: 0 });
        return;
      case 'object':
        out.push('{');
        stack.push({ rec: v as Record<string, unknown>, keys: Object.keys(v as object), i: 0, n: 0 });
        return;
      default:
        out.push(scalarText(v));
    }
  };
  put(jsonView(value, ''));
  while (stack.length > 0) {
    const f = stack[stack.length - 1] as Frame;
    if ('arr' in f) {
      if (f.i >= f.arr.length) {
        out.push(']');
        stack.pop();
        continue;
      }
      if (f.i > 0) out.push(',');
      const i = f.i++;
      const item = jsonView(f.arr[i], i);
      if (jsonKind(item) === 'skip') out.push('null');
      else put(item);
    } else {
      if (f.i >= f.keys.length) {
        out.push('}');
        stack.pop();
        continue;
      }
      const k = f.keys[f.i++] as string;
      const item = jsonView(f.rec[k], k);
      if (jsonKind(item) === 'skip') continue;
      out.push(f.n++ > 0 ? ',' : '', JSON.stringify(k), ':');
      put(item);
    }
  }
  return out.join('');
}
