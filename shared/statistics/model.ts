import * as z from 'zod/mini';
import type { ReportFigures } from '../reports/model';
import { named } from '../schema';
import { RECIPIENT_CATEGORIES } from '../submissions/constants';

/**
 * Service statistics (服务统计), pre-aggregated: every approved milestone report ADDs its figures
 * to the counters of its station and month, and of every jurisdiction above the station
 * (township, county, city), in the same transaction as the approval. A dashboard then reads
 * counters instead of reports: for a county, 11 stations × 12 months are two Queries.
 *
 * Counters are flat numeric attributes (ADD needs no existing item or map), 23 per item:
 * - visits and people served: the total, one counter per recipient category, and `unclassified`
 *   (the part of a total a report gave no breakdown for), so the categories add up to the total;
 * - case work, group work, community activities: the total;
 * - resourcesLinkedFen; training and supervision sessions and hours; the number of reports.
 */
export const OUTPUTS = ['visits', 'cases', 'groups', 'activities', 'peopleServed'] as const;
export type Output = (typeof OUTPUTS)[number];
/** The outputs counted by recipient category (the others by total only). */
export const BY_CATEGORY = ['visits', 'peopleServed'] as const satisfies readonly Output[];
const byCategory = (o: Output) => (BY_CATEGORY as readonly Output[]).includes(o);
export const STAT_CATEGORIES = [...RECIPIENT_CATEGORIES, 'unclassified'] as const;
export type StatCategory = (typeof STAT_CATEGORIES)[number];

export const SCALAR_COUNTERS = [
  'resourcesLinkedFen',
  'trainingSessions',
  'trainingHours',
  'supervisionSessions',
  'supervisionHours',
  'reports',
] as const;

/** Every counter attribute name: `visits`, `visits_minimumLiving`, …, `reports`. */
export const COUNTER_NAMES: readonly string[] = [
  ...OUTPUTS.flatMap((o) => [o, ...(byCategory(o) ? STAT_CATEGORIES.map((c) => `${o}_${c}`) : [])]),
  ...SCALAR_COUNTERS,
];

export type Counters = Record<string, number>;

export const zeroCounters = (): Counters => Object.fromEntries(COUNTER_NAMES.map((n) => [n, 0]));

/** The counter increments of one approved report. */
export function countersOf(f: ReportFigures): Counters {
  const out = zeroCounters();
  for (const o of OUTPUTS) {
    const counted = f[o];
    out[o] = counted.total;
    if (!byCategory(o)) continue;
    let classified = 0;
    if (counted.byCategory)
      for (const c of RECIPIENT_CATEGORIES) {
        out[`${o}_${c}`] = counted.byCategory[c];
        classified += counted.byCategory[c];
      }
    out[`${o}_unclassified`] = counted.total - classified;
  }
  out.resourcesLinkedFen = f.resourcesLinkedFen;
  out.trainingSessions = f.training.sessions;
  out.trainingHours = f.training.hours;
  out.supervisionSessions = f.supervision.sessions;
  out.supervisionHours = f.supervision.hours;
  out.reports = 1;
  return out;
}

export function addCounters(a: Counters, b: Counters): Counters {
  const out: Counters = {};
  for (const n of COUNTER_NAMES) out[n] = (a[n] ?? 0) + (b[n] ?? 0);
  return out;
}

/** Counters as read back: every counter present (0 when absent). */
export const pickCounters = (item: Record<string, unknown>): Counters =>
  Object.fromEntries(COUNTER_NAMES.map((n) => [n, typeof item[n] === 'number' ? (item[n] as number) : 0]));

const categorized = (c: Counters, o: Output) => ({
  total: c[o] ?? 0,
  byCategory: Object.fromEntries(STAT_CATEGORIES.map((k) => [k, c[`${o}_${k}`] ?? 0])) as Record<
    StatCategory,
    number
  >,
});

/** Counters in a readable shape: per output {total, byCategory}, and the rest. */
export function shapeCounters(c: Counters) {
  return {
    visits: categorized(c, 'visits'),
    cases: { total: c.cases ?? 0 },
    groups: { total: c.groups ?? 0 },
    activities: { total: c.activities ?? 0 },
    peopleServed: categorized(c, 'peopleServed'),
    resourcesLinkedFen: c.resourcesLinkedFen ?? 0,
    training: { sessions: c.trainingSessions ?? 0, hours: c.trainingHours ?? 0 },
    supervision: { sessions: c.supervisionSessions ?? 0, hours: c.supervisionHours ?? 0 },
    reports: c.reports ?? 0,
  };
}
export type ShapedCounters = ReturnType<typeof shapeCounters>;

const ByCategory = z.object(
  Object.fromEntries(STAT_CATEGORIES.map((k) => [k, z.int()])) as Record<StatCategory, z.ZodMiniInt>,
);
const OutputCounters = z.object({ total: z.int(), byCategory: ByCategory });
export const CountersSchema = named(
  z.object({
    visits: OutputCounters,
    cases: z.object({ total: z.int() }),
    groups: z.object({ total: z.int() }),
    activities: z.object({ total: z.int() }),
    peopleServed: OutputCounters,
    resourcesLinkedFen: z.int(),
    training: z.object({ sessions: z.int(), hours: z.int() }),
    supervision: z.object({ sessions: z.int(), hours: z.int() }),
    reports: z.int(),
  }),
  'ServiceCounters',
);

export const StatisticsSchema = named(
  z.object({
    jurisdiction: z.object({ id: z.string(), name: z.string(), level: z.string(), path: z.string() }),
    year: z.int(),
    /** `YYYY-01` … `YYYY-12`, the columns of every row below. */
    months: z.array(z.string()),
    /** The jurisdiction's rollup per month (zero where nothing was reported). */
    rollup: z.array(z.extend(CountersSchema, { month: z.string() })),
    total: CountersSchema,
    stations: z.array(
      z.object({
        stationId: z.string(),
        stationName: z.string(),
        jurisdictionId: z.string(),
        months: z.array(z.extend(CountersSchema, { month: z.string() })),
        total: CountersSchema,
      }),
    ),
    /** DynamoDB Queries the read took (the dashboard's round trips). */
    queries: z.int(),
  }),
  'Statistics',
);
export type Statistics = z.infer<typeof StatisticsSchema>;
