/**
 * Working days (工作日) on the official Chinese calendar: weekends and the statutory holidays off,
 * the swapped working weekends (调休上班) on, as the State Council's General Office publishes them
 * each year. Pure: the arrangements come from the table (shared/calendar/source.ts), where
 * platform administrators publish them; no package's data is consulted on a request path.
 *
 * A year whose arrangement is not confirmed on the platform is REFUSED
 * (`CalendarUnavailableError`), not guessed: a notice period and a challenge window (质疑期) are
 * legal deadlines, and a Mon–Fri guess is certainly wrong around 元旦, 春节 and 国庆.
 *
 * Counting follows 民法典 第二百零一条 (the starting day is not counted; counting starts the next
 * day) and 第二百零三条 (a period ends at 24:00 of its last day).
 */
import { RuleViolationError } from '../errors';
import { type Arrangement, type CivilDate, formatDate, isWorkingDayIn, parseDate } from './arrangement';

export type { CivilDate } from './arrangement';

export class CalendarUnavailableError extends RuleViolationError {
  constructor(readonly year: number) {
    super(
      'working-calendar-unavailable',
      `The official holiday arrangement for ${year} has not been published on this platform, so working days in ${year} cannot be counted. A platform administrator must publish the ${year} arrangement (from the State Council notice) and a second administrator confirm it.`,
      `本平台尚未发布 ${year} 年节假日安排，无法计算 ${year} 年的工作日；请系统管理员依据国务院办公厅通知发布 ${year} 年安排，并由另一名系统管理员确认`,
      { year },
    );
  }
}

/** A confirmed year as the calendar uses it: the arrangement and the version it is. */
export interface CalendarYearData {
  version: number;
  arrangement: Arrangement;
}

/**
 * The working-day arithmetic over the years it was given. Each year it reads is remembered
 * (`versionsUsed`), so that a window records the calendar versions it was computed with.
 */
export class WorkingCalendar {
  private readonly used = new Map<number, number>();

  constructor(private readonly years: ReadonlyMap<number, CalendarYearData>) {}

  /** `{ "2026": 1, "2027": 2 }`: the version of every year this calendar has read. */
  versionsUsed(): Record<string, number> {
    return Object.fromEntries([...this.used].sort(([a], [b]) => a - b).map(([y, v]) => [String(y), v]));
  }

  isWorkingDay(date: CivilDate): boolean {
    const year = parseDate(date).getUTCFullYear();
    const data = this.years.get(year);
    if (!data) throw new CalendarUnavailableError(year);
    this.used.set(year, data.version);
    return isWorkingDayIn(data.arrangement, date);
  }

  /** The n-th working day after `start` (the start day itself is not counted); n = 0 gives `start`. */
  addWorkingDays(start: CivilDate, n: number): CivilDate {
    if (!Number.isInteger(n) || n < 0)
      throw new RangeError(`Working days must be a whole number ≥ 0, not ${n}`);
    const d = parseDate(start);
    let left = n;
    while (left > 0) {
      d.setUTCDate(d.getUTCDate() + 1);
      if (this.isWorkingDay(formatDate(d))) left--;
    }
    return formatDate(d);
  }

  /** The instant a period of `n` working days that starts at `start` ends: 24:00 Beijing of its last day. */
  deadline(start: Date, n: number): Date {
    return endOfBeijingDay(this.addWorkingDays(beijingDate(start), n));
  }
}

/** The civil date in Beijing (UTC+8, no daylight saving) of an instant. */
export function beijingDate(instant: Date): CivilDate {
  return formatDate(new Date(instant.getTime() + 8 * 3600_000));
}

/** 24:00 Beijing time at the end of a date, as an instant (00:00 +08:00 of the next day). */
export function endOfBeijingDay(date: CivilDate): Date {
  return new Date(parseDate(date).getTime() + 24 * 3600_000 - 8 * 3600_000);
}
