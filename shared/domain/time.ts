/**
 * Calls are published in Beijing time (Asia/Shanghai, UTC+8, no daylight saving). Instants are
 * stored as UTC ISO strings; inputs must carry an explicit offset so nothing is ambiguous.
 */
export const TIME_ZONE = 'Asia/Shanghai';

/** Beijing time is UTC+8 all year (no daylight saving since 1991). */
const OFFSET_MS = 8 * 3600_000;

/**
 * `2026-12-31 17:00` in Beijing time. Plain arithmetic rather than an `Intl.DateTimeFormat`
 * for Asia/Shanghai: building that formatter loads ICU's time-zone and locale data, about
 * 10 ms of every page function's cold start (`npm run bench`).
 */
export function formatBeijing(iso: string): string {
  return new Date(new Date(iso).getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** A `datetime-local` form value ("2026-12-31T17:00") read as Beijing time → UTC ISO. */
export function beijingLocalToIso(local: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return undefined;
  const d = new Date(`${local.length === 16 ? `${local}:00` : local}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** UTC ISO → `datetime-local` value in Beijing time. */
export function isoToBeijingLocal(iso: string): string {
  return new Date(new Date(iso).getTime() + OFFSET_MS).toISOString().slice(0, 16);
}

/** Today in Beijing, `YYYY-MM-DD`. */
export function beijingToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
