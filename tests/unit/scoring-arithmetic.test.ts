import { describe, expect, it } from 'vitest';
import {
  addRational,
  compareRational,
  equalsRational,
  formatCenti,
  fromCenti,
  pointsToCenti,
  rational,
  roundHalfUp2,
  roundQuotientHalfUp,
} from '../../shared/scoring/arithmetic';

describe('exact score arithmetic', () => {
  describe('rounding to two decimals, half-up (四舍五入)', () => {
    it('rounds a value exactly on the .xx5 boundary up', () => {
      expect(roundHalfUp2(rational(8125, 1000))).toBe(813); // 8.125 → 8.13
      expect(roundHalfUp2(rational(80005, 1000))).toBe(8001); // 80.005 → 80.01
      expect(roundHalfUp2(rational(1005, 1000))).toBe(101); // 1.005 → 1.01 (the float way gives 1.00)
    });

    it('rounds just below the boundary down and just above it up', () => {
      expect(roundHalfUp2(rational(81249, 10000))).toBe(812); // 8.1249
      expect(roundHalfUp2(rational(81251, 10000))).toBe(813); // 8.1251
    });

    it('rounds repeating decimals to the nearer hundredth', () => {
      expect(roundHalfUp2(rational(80, 9))).toBe(889); // 8.888…
      expect(roundHalfUp2(rational(1, 3))).toBe(33); // 0.333…
      expect(roundHalfUp2(rational(2, 3))).toBe(67); // 0.666…
    });

    it('leaves whole hundredths unchanged, zero included', () => {
      expect(roundHalfUp2(fromCenti(1000))).toBe(1000);
      expect(roundHalfUp2(rational(0))).toBe(0);
    });

    it('mirrors the rule below zero (half away from zero)', () => {
      expect(roundHalfUp2(rational(-8125, 1000))).toBe(-813);
      expect(roundHalfUp2(rational(8125, -1000))).toBe(-813);
    });

    it('gives the same answer with integers only on the hot path', () => {
      for (let num = 0; num <= 2_000; num++) {
        for (const den of [1, 2, 3, 4, 5, 7, 8]) {
          expect(roundQuotientHalfUp(num, den)).toBe(roundHalfUp2(rational(num, den * 100)));
        }
      }
      expect(roundQuotientHalfUp(35_609, 5)).toBe(7122); // 71.218 → 71.22
      expect(roundQuotientHalfUp(16_001, 2)).toBe(8001); // 80.005 → 80.01
    });
  });

  describe('rationals', () => {
    it('compare by cross-multiplying, without reducing', () => {
      expect(compareRational(rational(1, 2), rational(50, 100))).toBe(0);
      expect(compareRational(rational(1, 3), rational(33, 100))).toBe(1);
      expect(compareRational(rational(33, 100), rational(1, 3))).toBe(-1);
      expect(equalsRational(addRational(rational(1, 10), rational(2, 10)), rational(3, 10))).toBe(true);
    });

    it('refuse a zero denominator and normalise a negative one', () => {
      expect(() => rational(1, 0)).toThrow(RangeError);
      expect(rational(1, -2)).toEqual({ n: -1n, d: 2n });
    });
  });

  describe('points in hundredths', () => {
    it('converts points with at most two decimals exactly', () => {
      expect(pointsToCenti(8.89)).toBe(889);
      expect(pointsToCenti(0.1 + 0.2)).toBe(30);
      expect(pointsToCenti(100)).toBe(10_000);
    });

    it('refuses a third decimal rather than rounding it away', () => {
      expect(() => pointsToCenti(8.885)).toThrow(RangeError);
      expect(() => pointsToCenti(Number.NaN)).toThrow(RangeError);
      expect(() => pointsToCenti(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    });

    it('formats hundredths as published', () => {
      expect(formatCenti(889)).toBe('8.89');
      expect(formatCenti(8000)).toBe('80.00');
      expect(formatCenti(5)).toBe('0.05');
      expect(formatCenti(-813)).toBe('-8.13');
    });
  });
});
