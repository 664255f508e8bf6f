import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Demo2023Ids, demoFigures, seedDemo2023, XUN_2023 } from '../../infra/local/demo-2023';
import { hebi } from '../../infra/local/demo-data';
import { StatisticsService } from '../../shared/statistics/service';
import { RECIPIENT_CATEGORIES } from '../../shared/submissions/model';
import { json } from '../support/contracts';
import { type TestPlatform, testPlatform } from '../support/platform';
import { commandCounter } from '../support/reviews';

/**
 * Service statistics, pre-aggregated by the approval of reports: the demo's 2023 Xun County
 * history (132 reports, filed and approved through the services) must add up to the seed
 * article's figures, and a county's year — 11 stations × 12 months — must be read in at most two
 * Queries.
 */
let p: TestPlatform;
let demo: Demo2023Ids;
let loadMs: number;

interface Counted {
  total: number;
  byCategory: Record<string, number>;
}
interface Counters {
  visits: Counted;
  cases: Counted;
  groups: Counted;
  activities: Counted;
  peopleServed: Counted;
  resourcesLinkedFen: number;
  training: { sessions: number; hours: number };
  supervision: { sessions: number; hours: number };
  reports: number;
}
interface StatisticsJson {
  jurisdiction: { id: string; level: string };
  year: number;
  months: string[];
  rollup: (Counters & { month: string })[];
  total: Counters;
  stations: {
    stationId: string;
    stationName: string;
    months: (Counters & { month: string })[];
    total: Counters;
  }[];
  queries: number;
}

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
  const t0 = performance.now();
  demo = await seedDemo2023(p.deps, p.demo);
  loadMs = performance.now() - t0;
}, 180_000);
afterAll(() => p?.stop());

const stats = async (query: string, user = 'xun-officer') =>
  p.api('GET', `/statistics?${query}`, { token: await p.signIn(user) });

describe('the demo’s 2023 Xun County figures, from reports', () => {
  it('the reports’ figures are sound and add up to the article’s (visits 6,465, not the stated 5,665)', () => {
    const all = demoFigures().flat();
    expect(all).toHaveLength(132);
    const sum = (f: (r: (typeof all)[number]) => number) => all.reduce((a, r) => a + f(r), 0);
    for (const c of RECIPIENT_CATEGORIES)
      expect(sum((r) => r.visits.byCategory![c])).toBe(XUN_2023.visits[c]);
    expect(sum((r) => r.visits.total)).toBe(6465);
    expect(sum((r) => r.cases.total)).toBe(18);
    expect(sum((r) => r.supervision.hours)).toBe(145);
    expect(demo.reports).toBe(132);
    // Loading the history is part of `npm start`: keep it quick.
    expect(loadMs).toBeLessThan(60_000);
  });

  it('GET /statistics for Xun County 2023 equals the seed’s figures', async () => {
    const res = await stats('jurisdictionId=410621&year=2023');
    expect(res.status).toBe(200);
    const s = await json<StatisticsJson>(res);
    expect(s.total.visits.byCategory).toEqual({
      minimumLiving: 4139,
      extremePoverty: 373,
      childrenInDifficulty: 801,
      disabled: 441,
      other: 711,
      unclassified: 0,
    });
    expect(s.total.visits.total).toBe(6465);
    expect([s.total.cases.total, s.total.groups.total, s.total.activities.total]).toEqual([18, 20, 162]);
    expect(s.total.resourcesLinkedFen).toBe(6_500_000);
    expect(s.total.training).toEqual({ sessions: 12, hours: 120 });
    expect(s.total.supervision).toEqual({ sessions: 65, hours: 145 });
    expect(s.total.peopleServed).toEqual({
      total: 22_000,
      byCategory: expect.objectContaining({ unclassified: 22_000, minimumLiving: 0 }),
    });
    expect(s.total.reports).toBe(132);
    // 11 stations × 12 months, and the stations add up to the county's rollup month by month.
    expect(s.stations).toHaveLength(11);
    expect(s.stations.every((st) => st.months.length === 12 && st.total.reports === 12)).toBe(true);
    for (const [m, month] of s.months.entries()) {
      const byStations = s.stations.reduce((a, st) => a + st.months[m]!.visits.total, 0);
      expect(s.rollup[m]!.month).toBe(month);
      expect(s.rollup[m]!.visits.total).toBe(byStations);
    }
    expect(s.stations.reduce((a, st) => a + st.total.activities.total, 0)).toBe(162);
  });

  it('rolls up to the city and down to a township', async () => {
    // No demo user works at Hebi's city level: the service a city officer's page would call.
    const city = await new StatisticsService(p.deps).read(hebi, 2023);
    expect(city.total.visits.total).toBe(6465);
    expect(city.stations).toHaveLength(11);
    const town = await json<StatisticsJson>(await stats('jurisdictionId=410621104&year=2023'));
    expect(town.stations.map((st) => st.stationId)).toEqual(['st-410621104']);
    expect(town.total).toEqual(town.stations[0]!.total);
    expect(town.total.reports).toBe(12);
    // Another year has nothing.
    const y2022 = await json<StatisticsJson>(await stats('jurisdictionId=410621&year=2022'));
    expect(y2022.total.reports).toBe(0);
    expect(y2022.stations).toEqual([]);
  });

  it('reads a county’s 11 stations × 12 months in at most two Queries', async () => {
    const token = await p.signIn('xun-finance');
    await p.api('GET', '/statistics?jurisdictionId=410621&year=2023', { token }); // warm the reference cache
    const counter = commandCounter(p);
    const res = await p.api('GET', '/statistics?jurisdictionId=410621&year=2023', { token });
    expect(res.status).toBe(200);
    const s = await json<StatisticsJson>(res);
    expect(s.stations.length * s.months.length).toBe(132);
    const queries = counter.commands.filter((c) => c === 'Query').length;
    expect(queries).toBeLessThanOrEqual(2);
    expect(s.queries).toBe(queries);
    // Nothing else is read: no report, no contract, no Scan.
    expect(counter.commands.filter((c) => c !== 'Query')).toEqual([]);
  });

  it('answers only within the caller’s jurisdiction, and refuses bad queries', async () => {
    expect((await stats('jurisdictionId=410621&year=2023', 'yc-officer')).status).toBe(404);
    expect((await stats('jurisdictionId=410621&year=2023', 'xun-auditor')).status).toBe(200);
    expect((await stats('jurisdictionId=410600&year=2023', 'xun-officer')).status).toBe(404); // above Xun
    expect((await stats('jurisdictionId=999999&year=2023')).status).toBe(404);
    const bad = await stats('jurisdictionId=410621&year=23');
    expect(bad.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(bad)).errors[0]!.field).toBe('query.year');
    expect((await stats('jurisdictionId=410621&year=2023', 'qicai-applicant')).status).toBe(403);
  });

  it('the demo contracts carry the reports and both evaluations', async () => {
    const token = await p.signIn('xun-officer');
    const totals = { visits: 0, cases: 0 };
    for (const id of demo.contracts) {
      const c = await json<{ reported: { visits: number; cases: number }; grades: Record<string, string> }>(
        await p.api('GET', `/contracts/${id}`, { token }),
      );
      totals.visits += c.reported.visits;
      totals.cases += c.reported.cases;
      expect(Object.keys(c.grades).sort()).toEqual(['final', 'midterm']);
    }
    expect(totals).toEqual({ visits: 6465, cases: 18 });
  });
});
