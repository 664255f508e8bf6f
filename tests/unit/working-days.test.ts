import { isWorkday } from 'chinese-days';
import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  beijingDate,
  CALENDAR_YEARS,
  CalendarUnavailableError,
  endOfBeijingDay,
  isWorkingDay,
  workingDaysDeadline,
} from '../../shared/awards/working-days';

const days = (from: string, to: string) => {
  const out: string[] = [];
  for (
    let d = new Date(`${from}T00:00:00Z`);
    d <= new Date(`${to}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
};

describe('isWorkingDay on the official calendar', () => {
  it('covers 2025 and 2026', () => {
    expect(CALENDAR_YEARS.first).toBeLessThanOrEqual(2025);
    expect(CALENDAR_YEARS.last).toBeGreaterThanOrEqual(2026);
  });

  it('2025 Spring Festival: 1月28日–2月4日 off, Sunday 1月26日 and Saturday 2月8日 worked (调休)', () => {
    for (const d of days('2025-01-28', '2025-02-04')) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2025-01-26')).toBe(true); // a Sunday
    expect(isWorkingDay('2025-02-08')).toBe(true); // a Saturday
    expect(isWorkingDay('2025-02-05')).toBe(true);
    expect(isWorkingDay('2025-02-09')).toBe(false); // an ordinary Sunday
  });

  it('2025 National Day: 10月1日–8日 off, Sunday 9月28日 and Saturday 10月11日 worked', () => {
    for (const d of days('2025-10-01', '2025-10-08')) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2025-09-28')).toBe(true);
    expect(isWorkingDay('2025-10-11')).toBe(true);
  });

  it('2026: Spring Festival 2月15日–23日 off with Saturday 2月14日 and 2月28日 worked; 元旦 Sunday 1月4日 worked', () => {
    for (const d of days('2026-02-15', '2026-02-23')) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(isWorkingDay('2026-02-28')).toBe(true);
    expect(isWorkingDay('2026-01-01')).toBe(false);
    expect(isWorkingDay('2026-01-02')).toBe(false); // a Friday, off
    expect(isWorkingDay('2026-01-04')).toBe(true); // a Sunday, worked
  });

  it('2026 National Day and Mid-Autumn: 10月1日–7日 off, Sunday 9月20日 and Saturday 10月10日 worked', () => {
    for (const d of days('2026-10-01', '2026-10-07')) expect(isWorkingDay(d), d).toBe(false);
    expect(isWorkingDay('2026-09-20')).toBe(true);
    expect(isWorkingDay('2026-10-10')).toBe(true);
    expect(isWorkingDay('2026-09-25')).toBe(false); // 中秋, a Friday
  });

  it("agrees with chinese-days' own isWorkday on every day of 2025 and 2026", () => {
    for (const d of days('2025-01-01', '2026-12-31')) {
      const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
      // Local noon: chinese-days reads dates in the process's time zone.
      expect(isWorkingDay(d), d).toBe(isWorkday(new Date(y, m - 1, dd, 12)));
    }
  });

  it('rejects malformed dates', () => {
    expect(() => isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => isWorkingDay('26-1-1')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('does not count the start day (民法典 第201条) and n = 0 is the start', () => {
    expect(addWorkingDays('2026-06-01', 0)).toBe('2026-06-01');
    expect(addWorkingDays('2026-06-01', 1)).toBe('2026-06-02');
    expect(addWorkingDays('2026-06-05', 1)).toBe('2026-06-08'); // Friday → Monday
  });

  it('counts a make-up Sunday and skips the Spring Festival week (2025)', () => {
    expect(addWorkingDays('2025-01-24', 1)).toBe('2025-01-26'); // Friday → the 调休 Sunday
    expect(addWorkingDays('2025-01-24', 2)).toBe('2025-01-27');
    expect(addWorkingDays('2025-01-24', 3)).toBe('2025-02-05');
  });

  it('7 working days across National Day 2026 end on 10月15日', () => {
    // 10/8 Thu, 10/9 Fri, 10/10 Sat (补班), 10/12, 10/13, 10/14, 10/15
    expect(addWorkingDays('2026-09-30', 7)).toBe('2026-10-15');
    // 5 working days from Friday 9月18日: 9/20 Sunday (补班), 21, 22, 23, 24
    expect(addWorkingDays('2026-09-18', 5)).toBe('2026-09-24');
  });

  it('refuses to count into a year the calendar does not cover', () => {
    const next = CALENDAR_YEARS.last + 1;
    expect(() => isWorkingDay(`${next}-03-02`)).toThrow(CalendarUnavailableError);
    expect(() => addWorkingDays(`${CALENDAR_YEARS.last}-12-28`, 7)).toThrow(CalendarUnavailableError);
    try {
      addWorkingDays(`${CALENDAR_YEARS.last}-12-28`, 7);
    } catch (e) {
      expect((e as CalendarUnavailableError).status).toBe(422);
      expect((e as CalendarUnavailableError).year).toBe(next);
    }
    expect(() => addWorkingDays('2026-01-05', -1)).toThrow(RangeError);
  });
});

describe('deadlines in Beijing time', () => {
  it('reads the Beijing date of an instant', () => {
    expect(beijingDate(new Date('2026-09-30T15:59:59Z'))).toBe('2026-09-30');
    expect(beijingDate(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
  });

  it('ends at 24:00 Beijing time of the last working day (民法典 第203条)', () => {
    expect(endOfBeijingDay('2026-10-15').toISOString()).toBe('2026-10-15T16:00:00.000Z');
    expect(workingDaysDeadline(new Date('2026-09-30T10:00:00+08:00'), 7).toISOString()).toBe(
      '2026-10-15T16:00:00.000Z',
    );
    // Late evening in Beijing is already the next UTC day's morning: the Beijing date counts.
    expect(workingDaysDeadline(new Date('2026-09-29T23:30:00+08:00'), 1).toISOString()).toBe(
      '2026-09-30T16:00:00.000Z',
    );
  });
});
