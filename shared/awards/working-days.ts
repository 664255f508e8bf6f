/**
 * Working days (工作日) on the official Chinese calendar: weekends and the statutory holidays off,
 * the swapped working weekends (调休补班) on, as the State Council's General Office publishes them
 * each year (国务院办公厅关于某年部分节假日安排的通知). Pure.
 *
 * The data is the `chinese-days` package's published JSON (`dist/chinese-days.json`: holidays,
 * make-up working days), read directly rather than through its date functions, which format dates
 * in the process's local time zone; here every date is a civil date in Beijing time.
 *
 * Years the installed data does not cover are REFUSED (`CalendarUnavailableError`), not guessed:
 * a notice period and a challenge window (质疑期) are legal deadlines, and a Mon–Fri guess is
 * certainly wrong around 元旦, 春节 and 国庆 and their make-up weekends. The arrangement for the
 * next year is published in the autumn and the package follows within days; updating it is the fix.
 *
 * Counting follows 民法典 第二百零一条 (the starting day is not counted; counting starts the next
 * day) and 第二百零三条 (a period ends at 24:00 of its last day).
 */
import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { RuleViolationError } from '../errors';

/** A civil date in Beijing time, `YYYY-MM-DD`. */
export type CivilDate = string;

const data = calendar as { holidays: Record<string, string>; workdays: Record<string, string> };

function coveredYears(): { first: number; last: number } {
  const years = new Set(Object.keys(data.holidays).map((d) => Number(d.slice(0, 4))));
  const sorted = [...years].sort((a, b) => a - b);
  const first = sorted[0]!;
  let last = first;
  // Only the unbroken run of years counts: a gap would be a year without data.
  while (years.has(last + 1)) last++;
  return { first, last };
}

/** The years the installed calendar data covers (every day of them). */
export const CALENDAR_YEARS = coveredYears();

export class CalendarUnavailableError extends RuleViolationError {
  constructor(readonly year: number) {
    super(
      'working-calendar-unavailable',
      `The official holiday arrangement for ${year} is not in the installed calendar data (it covers ${CALENDAR_YEARS.first}–${CALENDAR_YEARS.last}); working days cannot be counted until the chinese-days package is updated.`,
      `已安装的节假日数据（${CALENDAR_YEARS.first}–${CALENDAR_YEARS.last} 年）不含 ${year} 年的放假安排，暂无法计算工作日；请更新 chinese-days`,
      { year, coveredYears: CALENDAR_YEARS },
    );
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parse(date: CivilDate): Date {
  const m = DATE.exec(date);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.toISOString().slice(0, 10) !== date) throw new RangeError(`Not a date: ${date}`);
  return d;
}

const format = (d: Date): CivilDate => d.toISOString().slice(0, 10);

/** The civil date in Beijing (UTC+8, no daylight saving) of an instant. */
export function beijingDate(instant: Date): CivilDate {
  return format(new Date(instant.getTime() + 8 * 3600_000));
}

/** Whether a date is a working day: a make-up working weekend is; a statutory holiday is not. */
export function isWorkingDay(date: CivilDate): boolean {
  const d = parse(date);
  const year = d.getUTCFullYear();
  if (year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last) throw new CalendarUnavailableError(year);
  if (data.workdays[date]) return true;
  if (data.holidays[date]) return false;
  const weekday = d.getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The n-th working day after `start` (the start day itself is not counted, whatever it is);
 * n = 0 gives `start`.
 */
export function addWorkingDays(start: CivilDate, n: number): CivilDate {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`Working days must be a whole number ≥ 0, not ${n}`);
  const d = parse(start);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(format(d))) left--;
  }
  return format(d);
}

/** 24:00 Beijing time at the end of a date, as an instant (00:00 +08:00 of the next day). */
export function endOfBeijingDay(date: CivilDate): Date {
  return new Date(parse(date).getTime() + 24 * 3600_000 - 8 * 3600_000);
}

/**
 * The instant a period of `n` working days that starts at `start` ends: 24:00 Beijing time of
 * the n-th working day after the day of `start`.
 */
export function workingDaysDeadline(start: Date, n: number): Date {
  return endOfBeijingDay(addWorkingDays(beijingDate(start), n));
}
