import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalSha256 } from '../../shared/submissions/canonical';

describe('RFC 8785 canonical JSON', () => {
  it('reproduces the example of RFC 8785 §3.2.2', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    );
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts member names by UTF-16 code units (RFC 8785 §3.2.3)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    // Read the names from the text: JS objects list integer-like keys first, whatever the order.
    const names = [...canonicalJson(input).matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) =>
      JSON.parse(`"${m[1]}"`),
    );
    expect(names).toEqual(['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
  });

  it('serializes numbers as ECMAScript does (RFC 8785 §3.2.2.3, appendix B samples)', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [1, '1'],
      [-1.5, '-1.5'],
      [1e21, '1e+21'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [9007199254740991, '9007199254740991'],
      [4.5, '4.5'],
      [120_000_000, '120000000'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
    ];
    for (const [n, s] of cases) expect(canonicalJson(n)).toBe(s);
  });

  it('escapes only quote, backslash and controls, in lowercase hex; keeps Chinese as is', () => {
    expect(canonicalJson('a"b\\c\u0001\u001f\b\t\n\f\r\u007f浚县\u2028')).toBe(
      '"a\\"b\\\\c\\u0001\\u001f\\b\\t\\n\\f\\r\u007f浚县\u2028"',
    );
  });

  it('writes no whitespace and drops undefined members', () => {
    expect(canonicalJson({ b: [1, { d: null, c: true }], a: undefined, e: '' })).toBe(
      '{"b":[1,{"c":true,"d":null}],"e":""}',
    );
  });

  it('refuses what is not I-JSON instead of guessing', () => {
    for (const bad of [
      Number.NaN,
      Number.POSITIVE_INFINITY,
      [undefined],
      1n,
      new Date(0),
      '\ud800',
      'x\udc00',
    ])
      expect(() => canonicalJson(bad), String(bad)).toThrow(TypeError);
  });

  it('hashes the UTF-8 bytes of the canonical form', () => {
    const v = { orgId: '七彩', version: 2, callId: 'c1' };
    expect(canonicalSha256(v)).toBe(
      createHash('sha256').update('{"callId":"c1","orgId":"七彩","version":2}', 'utf8').digest('hex'),
    );
    expect(canonicalSha256(v)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('agrees with JSON.parse and ignores member order (property)', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).filter((v) => !JSON.stringify(v).includes('"__proto__"'));
    fc.assert(
      fc.property(json, (v) => {
        const c = canonicalJson(v);
        expect(JSON.parse(c)).toEqual(JSON.parse(JSON.stringify(v)));
        // Canonicalizing the parsed canonical form changes nothing (idempotent).
        expect(canonicalJson(JSON.parse(c))).toBe(c);
        expect(c).not.toMatch(/^\s|\s$/);
      }),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (d) => {
        const reversed = Object.fromEntries(Object.entries(d).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(d));
      }),
    );
  });
});
