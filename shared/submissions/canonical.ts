import { createHash } from 'node:crypto';

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) for the value types the platform stores: null,
 * booleans, finite numbers, strings, arrays and plain objects.
 *
 * - Object members are sorted by their names as arrays of UTF-16 code units (RFC 8785 §3.2.3);
 *   members whose value is `undefined` are left out, as JSON.stringify does.
 * - Numbers are serialized as ECMAScript's Number.prototype.toString (§3.2.2.3): `4.50` → `4.5`,
 *   `1e30` → `1e+30`, `-0` → `0`. NaN and ±Infinity are not JSON and are refused.
 * - Strings (§3.2.2.2) escape only `"`, `\` and the controls below U+0020 (`\b \t \n \f \r`, the
 *   rest as lowercase `\u00xx`); everything else, including non-ASCII, is written as is. A lone
 *   surrogate is not I-JSON (RFC 7493) and is refused.
 * - No whitespace anywhere.
 *
 * Anything else (undefined inside an array, bigint, functions, class instances such as Date) is
 * refused with a TypeError rather than silently coerced: a hash must not depend on a guess.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, '$');
  return out.join('');
}

/** SHA-256 (lowercase hex) of the UTF-8 bytes of the canonical JSON. */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex');
}

function write(value: unknown, out: string[], at: string): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${at}: ${value} is not a JSON number`);
      // ECMAScript Number::toString is the serialization RFC 8785 prescribes; -0 becomes "0".
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'string':
      out.push(quote(value, at));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((v, i) => {
          if (v === undefined) throw new TypeError(`${at}[${i}]: undefined is not JSON`);
          if (i) out.push(',');
          write(v, out, `${at}[${i}]`);
        });
        out.push(']');
        return;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null)
        throw new TypeError(`${at}: only plain objects can be canonicalized`);
      const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
      // Default sort compares UTF-16 code units, which is exactly RFC 8785's order.
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      out.push('{');
      entries.forEach(([k, v], i) => {
        if (i) out.push(',');
        out.push(quote(k, at), ':');
        write(v, out, `${at}.${k}`);
      });
      out.push('}');
      return;
    }
    default:
      throw new TypeError(`${at}: a ${typeof value} is not JSON`);
  }
}

const SHORT: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };

function quote(s: string, at: string): string {
  let r = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) r += '\\"';
    else if (c === 0x5c) r += '\\\\';
    else if (c < 0x20) r += SHORT[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) throw new TypeError(`${at}: lone surrogate in a string`);
      r += s[i]! + s[i + 1]!;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) throw new TypeError(`${at}: lone surrogate in a string`);
    else r += s[i]!;
  }
  return `${r}"`;
}
