import { isWorkday } from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { knownArrangements } from '../../infra/bootstrap/known-years';
import { type Arrangement, arrangementProblems } from '../../shared/calendar/arrangement';
import {
  beijingDate,
  CalendarUnavailableError,
  endOfBeijingDay,
  WorkingCalendar,
} from '../../shared/calendar/working-calendar';

/** The years the bootstrap loads (2004–2026), each as its confirmed version 1. */
const known = knownArrangements();
const CALENDAR_YEARS = { first: known[0]!.year, last: known.at(-1)!.year };
const cal = new WorkingCalendar(new Map(known.map((a) => [a.year, { version: 1, arrangement: a }])));
const isWorkingDay = (d: string) => cal.isWorkingDay(d);
const addWorkingDays = (d: string, n: number) => cal.addWorkingDays(d, n);
const workingDaysDeadline = (start: Date, n: number) => cal.deadline(start, n);

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
  it('the bootstrap knows 2004 to 2026, every year of them', () => {
    expect(known.map((a) => a.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
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

describe('the calendar records what it used', () => {
  it('names the version of every year a window touched', () => {
    const a2027: Arrangement = {
      year: 2027,
      holidays: { '2027-01-01': 'newYear' },
      workdays: {},
      notice: { title: 't' },
    };
    const c = new WorkingCalendar(
      new Map([
        [2026, { version: 1, arrangement: known.at(-1)! }],
        [2027, { version: 3, arrangement: a2027 }],
      ]),
    );
    // From Monday 2026-12-28: 29, 30, 31, (1 Jan off), 4, 5, 6, 7 → 7 working days end 2027-01-07.
    expect(c.addWorkingDays('2026-12-28', 7)).toBe('2027-01-07');
    expect(c.versionsUsed()).toEqual({ '2026': 1, '2027': 3 });
  });
});

describe('arrangementProblems', () => {
  const base = (over: Partial<Arrangement>): Arrangement => ({
    year: 2027,
    holidays: {},
    workdays: {},
    notice: { title: '国务院办公厅关于2027年部分节假日安排的通知' },
    ...over,
  });
  it('accepts every arrangement the bootstrap loads', () => {
    for (const a of known) expect(arrangementProblems(a), String(a.year)).toEqual([]);
  });
  it('refuses a date outside the year, naming it', () => {
    expect(arrangementProblems(base({ holidays: { '2026-12-31': 'newYear' } }))).toEqual([
      expect.objectContaining({ field: 'holidays.2026-12-31', message: '2026-12-31 is not in 2027.' }),
    ]);
  });
  it('refuses a day that is both off and worked', () => {
    const p = arrangementProblems(
      base({ holidays: { '2027-02-06': 'springFestival' }, workdays: { '2027-02-06': 'springFestival' } }),
    );
    expect(p.map((x) => x.field)).toEqual(['workdays.2027-02-06']);
    expect(p[0]!.messageZh).toContain('同时');
  });
  it('refuses a weekday marked as a swapped working day', () => {
    // 2027-02-03 is a Wednesday.
    const p = arrangementProblems(base({ workdays: { '2027-02-03': 'springFestival' } }));
    expect(p).toEqual([expect.objectContaining({ field: 'workdays.2027-02-03' })]);
    expect(p[0]!.message).toMatch(/weekday/);
  });
  it('refuses impossible dates and an empty title', () => {
    const p = arrangementProblems(
      base({ holidays: { '2027-02-30': 'springFestival' }, notice: { title: ' ' } }),
    );
    expect(p.map((x) => x.field).sort()).toEqual(['holidays.2027-02-30', 'notice.title']);
  });
});
