import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../db/keys';
import type { Arrangement } from './arrangement';
import { CalendarUnavailableError, type CalendarYearData, WorkingCalendar } from './working-calendar';

/**
 * The confirmed calendars, read from the table one year at a time and cached in the process: a
 * warm function counts working days with no I/O, a cold one pays one GetItem per year it touches
 * (`npm run bench`). Only confirmed years are cached, for `ttlMs` (a correction confirmed in
 * another function is seen within that time; the function that confirms drops its own copy at
 * once). A year not yet published is asked for again next time: publishing it must take effect.
 *
 * Schema-free on purpose: the reviews and page functions import this, and the item is written by
 * the calendar service alone (which validates it).
 */
const cache = new Map<string, { data: CalendarYearData; until: number }>();

export const CALENDAR_CACHE_MS = 5 * 60_000;

export class CalendarSource {
  /** GetItems sent (the benchmark counts them). */
  reads = 0;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly ttlMs: number = CALENDAR_CACHE_MS,
  ) {}

  /** Drops a year from this process's cache (after a confirmation). */
  static invalidate(table: string, year: number): void {
    cache.delete(`${table}#${year}`);
  }

  /** The confirmed arrangement of a year and its version, or undefined if none is confirmed. */
  async year(year: number): Promise<CalendarYearData | undefined> {
    const key = `${this.table}#${year}`;
    const hit = cache.get(key);
    if (hit && hit.until > Date.now()) return hit.data;
    this.reads++;
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.calendarYear(year), ConsistentRead: true }),
    );
    const item = out.Item;
    const arrangement = item?.arrangement as Arrangement | undefined;
    if (!item || typeof item.calendarVersion !== 'number' || item.calendarVersion < 1 || !arrangement) {
      cache.delete(key);
      return undefined;
    }
    const data = { version: item.calendarVersion, arrangement };
    cache.set(key, { data, until: Date.now() + this.ttlMs });
    return data;
  }

  /**
   * Runs a computation over the calendar, loading each year it reaches: the computation is pure
   * and synchronous, so it is run again after each year it asked for is loaded (a 7-working-day
   * window touches one or two years). Returns the value and the version of every year it read;
   * a year that is not confirmed ends it with `CalendarUnavailableError` naming that year.
   */
  async run<T>(
    compute: (calendar: WorkingCalendar) => T,
    /** Years to use instead of the confirmed ones (a proposed correction, before it is confirmed). */
    overrides?: ReadonlyMap<number, CalendarYearData>,
  ): Promise<{ value: T; versions: Record<string, number> }> {
    const years = new Map<number, CalendarYearData>(overrides);
    for (let attempt = 0; attempt < 50; attempt++) {
      const calendar = new WorkingCalendar(years);
      try {
        const value = compute(calendar);
        return { value, versions: calendar.versionsUsed() };
      } catch (e) {
        if (!(e instanceof CalendarUnavailableError) || years.has(e.year)) throw e;
        const data = await this.year(e.year);
        if (!data) throw e;
        years.set(e.year, data);
      }
    }
    throw new RangeError('A working-day computation reached more than 50 years');
  }
}
