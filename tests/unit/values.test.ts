import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../shared/db/keys';
import { checkCreditCode, creditCodeCheckChar, withCheckChar } from '../../shared/domain/credit-code';
import { formatYuan, yuanToFen } from '../../shared/domain/money';
import { beijingLocalToIso, formatBeijing, isoToBeijingLocal } from '../../shared/domain/time';
import { InvalidCursorError } from '../../shared/errors';

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts a published sample code', () => {
    expect(checkCreditCode('91350100M000100Y43')).toBeUndefined();
  });
  it('computes the check character, with 31 mapping to 0', () => {
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
    expect(checkCreditCode(withCheckChar('52410621MJY000001'))).toBeUndefined();
  });
  it('names what is wrong', () => {
    expect(checkCreditCode('91350100M000100Y44')).toBe('check-digit');
    expect(checkCreditCode('91350100M000100Y4')).toBe('length');
    expect(checkCreditCode('91350100M000100I43')).toBe('alphabet');
    expect(checkCreditCode('91350100m000100Y43')).toBe('alphabet');
  });
});

describe('money in fen', () => {
  it('parses yuan text exactly, without floating point', () => {
    expect(yuanToFen('1,200,000')).toBe(120_000_000);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('65000.05')).toBe(6_500_005);
    expect(yuanToFen('1.005')).toBeUndefined();
    expect(yuanToFen('-1')).toBeUndefined();
    expect(yuanToFen('abc')).toBeUndefined();
  });
  it('formats fen as yuan', () => {
    expect(formatYuan(120_000_000)).toBe('¥1,200,000.00');
    expect(formatYuan(6_500_005)).toBe('¥65,000.05');
    expect(formatYuan(7)).toBe('¥0.07');
  });
});

describe('Beijing time', () => {
  it('reads a form value as UTC+8 and back', () => {
    expect(beijingLocalToIso('2026-12-31T17:00')).toBe('2026-12-31T09:00:00.000Z');
    expect(isoToBeijingLocal('2026-12-31T09:00:00.000Z')).toBe('2026-12-31T17:00');
    expect(formatBeijing('2026-12-31T16:30:00.000Z')).toBe('2027-01-01 00:30');
    expect(beijingLocalToIso('31/12/2026')).toBeUndefined();
  });
});

describe('cursors', () => {
  it('round-trip and are bound to their list and partition', () => {
    const key = { pk: 'CALL#1', sk: 'CALL', gsi1pk: 'CALLS#410600', gsi1sk: '410600/x' };
    const c = encodeCursor('calls', key)!;
    expect(decodeCursor('calls', c, { gsi1pk: 'CALLS#410600' })).toEqual(key);
    expect(() => decodeCursor('pools', c, { gsi1pk: 'CALLS#410600' })).toThrow(InvalidCursorError);
    expect(() => decodeCursor('calls', c, { gsi1pk: 'CALLS#640100' })).toThrow(InvalidCursorError);
    expect(() => decodeCursor('calls', 'not base64 json', {})).toThrow(InvalidCursorError);
    expect(encodeCursor('calls', undefined)).toBeUndefined();
  });
});
