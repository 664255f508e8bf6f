/**
 * Calls are published in Beijing time (Asia/Shanghai, UTC+8, no daylight saving). Instants are
 * stored as UTC ISO strings; inputs must carry an explicit offset so nothing is ambiguous.
 */
export const TIME_ZONE = 'Asia/Shanghai';

const fmt = new Intl.DateTimeFormat('zh-CN', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** `2026-12-31 17:00` in Beijing time. */
export function formatBeijing(iso: string): string {
  const parts = Object.fromEntries(fmt.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** A `datetime-local` form value ("2026-12-31T17:00") read as Beijing time → UTC ISO. */
export function beijingLocalToIso(local: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return undefined;
  const d = new Date(`${local.length === 16 ? `${local}:00` : local}+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** UTC ISO → `datetime-local` value in Beijing time. */
export function isoToBeijingLocal(iso: string): string {
  return new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}
