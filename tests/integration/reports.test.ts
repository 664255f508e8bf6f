import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ContractJson,
  figures,
  finalAward,
  json,
  purchaseTargets,
  signContract,
  YUAN,
} from '../support/contracts';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Milestone reports on real moto: filed by the contract's organization for one of its stations
 * and a month of its period; breakdowns that do not add up are refused naming the numbers;
 * officers approve (figures into the contract and the statistics) or return them; returned
 * reports are resubmitted as new revisions, all kept.
 */
let p: TestPlatform;
let contract: ContractJson;
let foreignContract: ContractJson;
const as = (u: string) => p.signIn(u);

interface ReportJson {
  id: string;
  contractId: string;
  status: string;
  revision: number;
  version: number;
  month: string;
  stationId: string;
  stationName: string;
  figures: ReturnType<typeof figures>;
  reviews: { revision: number; decision: string; comments?: string }[];
}

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
  const { award } = await finalAward(p, 'purchase', {
    amountFen: 500_000 * YUAN,
    poolBudgetFen: 1_100_000 * YUAN,
  });
  contract = await signContract(p, award.id, {
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    targets: purchaseTargets,
    stationIds: ['st-410621101', 'st-410621104'],
  });
  const other = await finalAward(p, 'venture', { amountFen: 20_000 * YUAN, orgKey: 'qianshou' });
  foreignContract = await signContract(p, other.award.id, { startDate: '2026-01-01' });
  // Late September 2026 in Beijing: months up to 2026-09 have begun.
  p.clock.set(new Date('2026-09-28T10:00:00+08:00'));
}, 90_000);
afterAll(() => p?.stop());

const file = async (body: Record<string, unknown>, contractId = contract.id, user = 'qicai-applicant') =>
  p.api('POST', `/contracts/${contractId}/reports`, { token: await as(user), body });

const reportsOf = async (contractId = contract.id) =>
  json<{ items: ReportJson[] }>(
    await p.api('GET', `/contracts/${contractId}/reports?limit=100`, { token: await as('xun-officer') }),
  );

const errorsOf = async (res: Response) => {
  expect(res.status).toBe(422);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  return (await json<{ errors: { field: string; message: string; messageZh: string }[] }>(res)).errors;
};

describe('filing a report', () => {
  it('refuses the seed’s own visit figures, naming both numbers, and stores nothing', async () => {
    const seedVisits = {
      total: 5665,
      byCategory: {
        minimumLiving: 4139,
        extremePoverty: 373,
        childrenInDifficulty: 801,
        disabled: 441,
        other: 711,
      },
    };
    const res = await file({
      milestone: 'midterm',
      stationId: 'st-410621101',
      month: '2026-03',
      figures: figures({ visits: seedVisits }),
    });
    const errors = await errorsOf(res);
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'body.figures.visits.byCategory',
        message: expect.stringMatching(/add up to 6,465 but the total says 5,665/),
        messageZh: expect.stringContaining('6465'),
      }),
    ]);
    expect((await reportsOf()).items).toEqual([]);
  });

  it('refuses negative and absurd values, each with its field', async () => {
    const negative = await errorsOf(
      await file({
        milestone: 'midterm',
        stationId: 'st-410621101',
        month: '2026-03',
        figures: figures({ cases: { total: -1 } }),
      }),
    );
    expect(negative.map((e) => e.field)).toEqual(['body.figures.cases.total']);
    const absurd = await errorsOf(
      await file({
        milestone: 'midterm',
        stationId: 'st-410621101',
        month: '2026-03',
        figures: figures({ resourcesLinkedFen: 10_000_000_000 * YUAN }),
      }),
    );
    expect(absurd.map((e) => e.field)).toEqual(['body.figures.resourcesLinkedFen']);
    const hours = await errorsOf(
      await file({
        milestone: 'midterm',
        stationId: 'st-410621101',
        month: '2026-03',
        figures: figures({ training: { sessions: 1, hours: 30 } }),
      }),
    );
    expect(hours).toEqual([
      expect.objectContaining({
        field: 'body.figures.training.hours',
        message: expect.stringContaining('30 hours'),
      }),
    ]);
    expect((await reportsOf()).items).toEqual([]);
  });

  it('needs a station of the contract and a month of its period that has begun', async () => {
    const base = { milestone: 'midterm', figures: figures() };
    expect(await errorsOf(await file({ ...base, stationId: 'st-410621102', month: '2026-03' }))).toEqual([
      expect.objectContaining({ field: 'body.stationId', message: expect.stringContaining('st-410621104') }),
    ]);
    expect(await errorsOf(await file({ ...base, stationId: 'st-410621101', month: '2025-12' }))).toEqual([
      expect.objectContaining({
        field: 'body.month',
        message: expect.stringContaining('outside the contract period'),
      }),
    ]);
    expect(await errorsOf(await file({ ...base, stationId: 'st-410621101', month: '2026-10' }))).toEqual([
      expect.objectContaining({ field: 'body.month', message: expect.stringContaining('not begun') }),
    ]);
    expect(
      (await errorsOf(await file({ ...base, stationId: 'st-410621101', month: '2026-13' })))[0]!.field,
    ).toBe('body.month');
    expect((await reportsOf()).items).toEqual([]);
  });

  it('files one report per station and month; a duplicate is 409 naming the first', async () => {
    const res = await file({
      milestone: 'midterm',
      stationId: 'st-410621101',
      month: '2026-02',
      figures: figures(),
    });
    expect(res.status).toBe(201);
    const r = await json<ReportJson>(res);
    expect(r).toMatchObject({
      status: 'submitted',
      revision: 1,
      version: 1,
      stationId: 'st-410621101',
      stationName: '善堂镇社会工作服务站',
      month: '2026-02',
    });
    const dup = await file({
      milestone: 'final',
      stationId: 'st-410621101',
      month: '2026-02',
      figures: figures(),
    });
    expect(dup.status).toBe(409);
    expect((await json<{ detail: string }>(dup)).detail).toContain(r.id);
    // Another station, same month: fine.
    const other = await file({
      milestone: 'midterm',
      stationId: 'st-410621104',
      month: '2026-02',
      figures: figures(),
    });
    expect(other.status).toBe(201);
    expect((await reportsOf()).items.map((x) => [x.month, x.stationId])).toEqual([
      ['2026-02', 'st-410621101'],
      ['2026-02', 'st-410621104'],
    ]);
  });

  it('is only for the contract’s own organization', async () => {
    const res = await file(
      { milestone: 'midterm', stationId: 'st-410621101', month: '2026-04', figures: figures() },
      foreignContract.id,
    );
    expect(res.status).toBe(404);
    const officer = await file(
      { milestone: 'midterm', stationId: 'st-410621101', month: '2026-04', figures: figures() },
      contract.id,
      'xun-officer',
    );
    expect(officer.status).toBe(403);
    expect((await reportsOf(foreignContract.id)).items).toEqual([]);
  });
});

describe('review', () => {
  it('return with comments, resubmit as a new revision, approve: every revision kept', async () => {
    const filed = await json<ReportJson>(
      await file({ milestone: 'midterm', stationId: 'st-410621104', month: '2026-05', figures: figures() }),
    );
    const officer = await as('xun-officer');
    const queue = await json<{ items: ReportJson[] }>(
      await p.api('GET', '/reports?limit=100', { token: officer }),
    );
    expect(queue.items.map((r) => r.id)).toContain(filed.id);

    expect(
      (
        await errorsOf(
          await p.api('POST', `/reports/${filed.id}/return`, { token: officer, body: { version: 1 } }),
        )
      )[0]!.field,
    ).toBe('body.comments');
    const returned = await p.api('POST', `/reports/${filed.id}/return`, {
      token: officer,
      body: { version: 1, comments: '个案数量与台账不符，请核实' },
    });
    expect(returned.status).toBe(200);
    expect(await json<ReportJson>(returned)).toMatchObject({
      status: 'returned',
      version: 2,
      reviews: [{ revision: 1, decision: 'returned', comments: '个案数量与台账不符，请核实' }],
    });
    // Not in the queue any more; cannot be approved while returned.
    const queue2 = await json<{ items: ReportJson[] }>(
      await p.api('GET', '/reports?limit=100', { token: officer }),
    );
    expect(queue2.items.map((r) => r.id)).not.toContain(filed.id);
    const early = await p.api('POST', `/reports/${filed.id}/approve`, {
      token: officer,
      body: { version: 2 },
    });
    expect(early.status).toBe(409);

    const applicant = await as('qicai-applicant');
    const stale = await p.api('PUT', `/reports/${filed.id}`, {
      token: applicant,
      body: { version: 1, figures: figures({ cases: { total: 3 } }) },
    });
    expect(stale.status).toBe(409);
    const wrong = await p.api('PUT', `/reports/${filed.id}`, {
      token: applicant,
      body: {
        version: 2,
        figures: figures({
          cases: {
            total: 3,
            byCategory: {
              minimumLiving: 1,
              extremePoverty: 1,
              childrenInDifficulty: 0,
              disabled: 0,
              other: 0,
            },
          },
        }),
      },
    });
    expect((await errorsOf(wrong))[0]).toMatchObject({
      field: 'body.figures.cases.byCategory',
      message: expect.stringContaining('add up to 2 but the total says 3'),
    });
    const resubmitted = await p.api('PUT', `/reports/${filed.id}`, {
      token: applicant,
      body: { version: 2, figures: figures({ cases: { total: 3 } }) },
    });
    expect(resubmitted.status).toBe(200);
    expect(await json<ReportJson>(resubmitted)).toMatchObject({
      status: 'submitted',
      revision: 2,
      version: 3,
    });

    const before = await json<ContractJson>(
      await p.api('GET', `/contracts/${contract.id}`, { token: officer }),
    );
    const approved = await p.api('POST', `/reports/${filed.id}/approve`, {
      token: officer,
      body: { version: 3, comments: '已核实' },
    });
    expect(approved.status).toBe(200);
    expect(await json<ReportJson>(approved)).toMatchObject({
      status: 'approved',
      version: 4,
      reviews: [
        { revision: 1, decision: 'returned' },
        { revision: 2, decision: 'approved', comments: '已核实' },
      ],
    });
    const after = await json<ContractJson>(
      await p.api('GET', `/contracts/${contract.id}`, { token: officer }),
    );
    expect(after.reported).toEqual({
      visits: before.reported.visits! + 100,
      cases: before.reported.cases! + 3,
      groups: before.reported.groups! + 1,
      activities: before.reported.activities! + 4,
      peopleServed: before.reported.peopleServed! + 80,
      resourcesLinkedFen: before.reported.resourcesLinkedFen! + 5_000 * YUAN,
    });
    expect(after.version).toBe(before.version + 1);

    const again = await p.api('POST', `/reports/${filed.id}/approve`, {
      token: officer,
      body: { version: 4 },
    });
    expect(again.status).toBe(409);
    const late = await p.api('PUT', `/reports/${filed.id}`, {
      token: applicant,
      body: { version: 4, figures: figures() },
    });
    expect(late.status).toBe(409);

    const versions = await json<{ items: { revision: number; figures: { cases: { total: number } } }[] }>(
      await p.api('GET', `/reports/${filed.id}/versions`, { token: applicant }),
    );
    expect(versions.items.map((v) => [v.revision, v.figures.cases.total])).toEqual([
      [1, 2],
      [2, 3],
    ]);

    // The approval fed the statistics of the station, township, county and city.
    const stats = await json<{
      rollup: { month: string; cases: { total: number }; reports: number }[];
      stations: { stationId: string; months: { month: string; cases: { total: number } }[] }[];
    }>(await p.api('GET', '/statistics?jurisdictionId=410621104&year=2026', { token: officer }));
    expect(stats.rollup.find((m) => m.month === '2026-05')).toMatchObject({
      cases: { total: 3 },
      reports: 1,
    });
    expect(stats.stations.map((s) => s.stationId)).toEqual(['st-410621104']);
    expect(stats.stations[0]!.months.find((m) => m.month === '2026-05')!.cases.total).toBe(3);
  });

  it('approvals at the same moment all land: each re-reads the contract its neighbour moved on', async () => {
    const applicant = await as('qicai-applicant');
    const filed = await Promise.all(
      ['2026-06', '2026-07', '2026-08'].map(async (month) =>
        json<ReportJson>(
          await p.api('POST', `/contracts/${contract.id}/reports`, {
            token: applicant,
            body: { milestone: 'final', stationId: 'st-410621101', month, figures: figures() },
          }),
        ),
      ),
    );
    const officer = await as('xun-officer');
    const before = await json<ContractJson>(
      await p.api('GET', `/contracts/${contract.id}`, { token: officer }),
    );
    const results = await Promise.all(
      filed.map((r) =>
        p.api('POST', `/reports/${r.id}/approve`, { token: officer, body: { version: r.version } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const after = await json<ContractJson>(
      await p.api('GET', `/contracts/${contract.id}`, { token: officer }),
    );
    expect(after.version).toBe(before.version + 3);
    expect(after.reported.visits).toBe(before.reported.visits! + 300);
  });

  it('officers of another city and other organizations see no report', async () => {
    const [r] = (await reportsOf()).items;
    for (const [user, path] of [
      ['yc-officer', `/reports/${r!.id}`],
      ['yc-officer', `/contracts/${contract.id}/reports`],
      ['yc-officer', `/reports/${r!.id}/versions`],
    ] as const)
      expect((await p.api('GET', path, { token: await as(user) })).status).toBe(404);
    const approve = await p.api('POST', `/reports/${r!.id}/approve`, {
      token: await as('yc-officer'),
      body: { version: r!.version },
    });
    expect(approve.status).toBe(404);
    const self = await p.api('POST', `/reports/${r!.id}/approve`, {
      token: await as('qicai-applicant'),
      body: { version: r!.version },
    });
    expect(self.status).toBe(403);
  });
});
