/**
 * Exact arithmetic for scores.
 *
 * Why: published scores are rounded to two decimals, and a floating-point mean or price ratio can
 * land a hair below a .xx5 boundary (e.g. 8.125 computed as 8.12499…) and round the wrong way —
 * a difference a bidder can check by hand and challenge (质疑). So:
 * - a sheet's points are integer hundredths (centi-points) from the start: they carry at most two
 *   decimals, so sums of them are exact integers;
 * - a mean (Σ totals / members) and the 87号令 第55条 price score
 *   (评标基准价 / 投标报价 × 价格分) are exact rationals with BigInt numerator and denominator;
 * - the only rounding is `roundHalfUp2`, applied once per published component.
 */

/** n / d in points, with d > 0. Not reduced: comparisons cross-multiply. */
export interface Rational {
  readonly n: bigint;
  readonly d: bigint;
}

export function rational(n: bigint | number, d: bigint | number = 1n): Rational {
  let nb = BigInt(n);
  let db = BigInt(d);
  if (db === 0n) throw new RangeError('A rational needs a non-zero denominator.');
  if (db < 0n) {
    nb = -nb;
    db = -db;
  }
  return { n: nb, d: db };
}

export const ZERO: Rational = { n: 0n, d: 1n };

/** Points given in hundredths: 1234 → 12.34. */
export const fromCenti = (c: number | bigint): Rational => ({ n: BigInt(c), d: 100n });

export function compareRational(a: Rational, b: Rational): -1 | 0 | 1 {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const equalsRational = (a: Rational, b: Rational) => compareRational(a, b) === 0;

export const addRational = (a: Rational, b: Rational): Rational => ({
  n: a.n * b.d + b.n * a.d,
  d: a.d * b.d,
});

/**
 * Points → integer hundredths, rounded half-up (四舍五入): 8.125 → 813, 8.1249… → 812.
 * Negative values round half away from zero, the same rule mirrored (scores are never negative).
 */
export function roundHalfUp2(r: Rational): number {
  const neg = r.n < 0n;
  const n = neg ? -r.n : r.n;
  // floor(n × 100 / d + 1/2) = floor((200n + d) / 2d), in integers.
  const q = (200n * n + r.d) / (2n * r.d);
  return Number(neg ? -q : q);
}

/**
 * Half-up rounding of the integer quotient num / den (den > 0, num ≥ 0), for the hot path where
 * both fit in doubles exactly (|values| < 2^53): the same result as `roundHalfUp2` without BigInt.
 */
export function roundQuotientHalfUp(num: number, den: number): number {
  const a = 2 * num + den;
  const b = 2 * den;
  let q = Math.floor(a / b);
  // The float quotient can be one off next to an integer; integer products settle it exactly.
  if (q * b > a) q -= 1;
  else if ((q + 1) * b <= a) q += 1;
  return q;
}

/**
 * Points with at most two decimals → integer hundredths, refusing anything else: a third decimal
 * would be rounded away silently and the sum would no longer be what the member wrote.
 */
export function pointsToCenti(points: number): number {
  const c = Math.round(points * 100);
  if (!Number.isFinite(points) || Math.abs(points * 100 - c) > 1e-6) {
    throw new RangeError(`Points must have at most two decimals: ${points}.`);
  }
  return c;
}

/** 1234 → "12.34", for messages and published tables. */
export function formatCenti(c: number): string {
  const sign = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
}
