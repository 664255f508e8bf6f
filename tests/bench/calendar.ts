/**
 * Issue 8, item 11: the working-day count of a 7-working-day window — warm, it stays under 1 ms;
 * cold, it costs at most one GetItem per calendar year it touches (then cached in the process).
 * Measured on the local moto with the bootstrap's years and the demo 2027 arrangement, against a
 * baseline in the same run: the same 7-day count over plain weekends (no calendar data at all).
 *
 *   npx tsx tests/bench/calendar.ts [--runs=N]
 */
import { randomUUID } from 'node:crypto';
import { bootstrapPlatform } from '../../infra/bootstrap/bootstrap';
import { demo2027, publishDemo2027 } from '../../infra/local/demo-calendar';
import { startMoto } from '../../infra/local/moto';
import { localDeps } from '../../infra/local/platform';
import { createTables } from '../../infra/local/tables';
import { CalendarSource } from '../../shared/calendar/source';
import { awardWindows } from '../../shared/calendar/windows';
import { WorkingCalendar } from '../../shared/calendar/working-calendar';
import { loadConfig } from '../../shared/config';
import { makeDynamoClient } from '../../shared/db/client';
import { createLog } from '../../shared/http/log';
import { option } from './cli';
import { countOperations } from './latency';
import { median, round } from './stats';

export const WARM_TARGET_MS = 1;

/** The naive count a platform without a calendar would do: Monday to Friday, nothing else. */
function weekdaysOnly(start: Date, n: number): Date {
  const d = new Date(start.getTime() + 8 * 3600_000);
  d.setUTCHours(0, 0, 0, 0);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const w = d.getUTCDay();
    if (w !== 0 && w !== 6) left--;
  }
  return new Date(d.getTime() + 16 * 3600_000);
}

function timeEach(runs: number, fn: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

export async function benchCalendar(options: { runs?: number } = {}) {
  const runs = options.runs ?? option('runs', 2000);
  const moto = await startMoto();
  try {
    const id = randomUUID().slice(0, 8);
    const config = {
      ...loadConfig(),
      dynamoEndpoint: moto.endpoint,
      tableName: `bench-cal-${id}`,
      idempotencyTableName: `bench-cal-${id}-idem`,
    };
    const deps = localDeps(
      config,
      () => new Date('2026-12-28T02:00:00Z'),
      createLog({}, () => {}),
    );
    await createTables(makeDynamoClient(config), config);
    await bootstrapPlatform(deps);
    // The demo's 2027, published through the service as the demo does (two administrators).
    const admin = (name: string) => ({
      userId: `bench-${name}`,
      role: 'admin' as const,
      name,
      jurisdictionId: 'platform',
      jurisdictionPath: 'platform/',
    });
    await publishDemo2027(deps, {
      users: { admin: admin('admin'), 'admin-2': admin('admin-2') },
    } as unknown as Parameters<typeof publishDemo2027>[1]);

    const counter = countOperations(deps.doc, 'calendar');
    const start = new Date('2026-12-28T10:00:00+08:00');
    const window = (cal: WorkingCalendar) => awardWindows(cal, start, 7, 7);

    // Cold: a fresh process has no cached year (dropped here, as in a new Lambda instance).
    for (const y of [2026, 2027]) CalendarSource.invalidate(config.tableName, y);
    const source = new CalendarSource(deps.doc, config.tableName);
    counter.reset();
    const t0 = performance.now();
    const cold = await source.run(window);
    const coldMs = performance.now() - t0;
    const coldGets = counter.commands.filter((c) => /^Get(Item)?$/.test(c)).length;
    const coldCommands = [...counter.commands];
    const yearsTouched = Object.keys(cold.versions).length;

    // Warm: the same window again, through the cached source, and the pure count alone.
    counter.reset();
    const warmAsync: number[] = [];
    for (let i = 0; i < Math.min(runs, 500); i++) {
      const t = performance.now();
      await source.run(window);
      warmAsync.push(performance.now() - t);
    }
    const warmGets = counter.commands.length;
    const years = new Map([
      [2026, (await source.year(2026))!],
      [2027, { version: 1, arrangement: demo2027() }],
    ]);
    const pureMs = timeEach(runs, () => new WorkingCalendar(years).deadline(start, 7));
    const baselineMs = timeEach(runs, () => weekdaysOnly(start, 7));
    const warmMs = median(warmAsync);
    return {
      window: '7 working days from 2026-12-28 (into 2027)',
      yearsTouched,
      cold: { ms: round(coldMs), getItems: coldGets, commands: coldCommands },
      warm: { ms: round(warmMs, 4), getItems: warmGets, pureMs: round(pureMs, 4) },
      baselineWeekdaysOnlyMs: round(baselineMs, 4),
      ratioPureToBaseline: round(pureMs / baselineMs),
      met: warmMs < WARM_TARGET_MS && coldGets <= yearsTouched && warmGets === 0,
    };
  } finally {
    await moto.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchCalendar();
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
