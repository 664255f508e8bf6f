import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerKeys } from '../../shared/ledger/entries';
import { type ContractJson, figures, finalAward, json, signContract, YUAN } from '../support/contracts';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Performance evaluations on real moto: weights from the contract, outputs scored from the
 * approved reports against the targets (not overridable), grades at their boundaries, the
 * mid-term tranche released, and the final tranche paid by the grade policy — what a grade
 * withholds goes back to the pool with a ledger `release` entry, in the same transaction.
 */
let p: TestPlatform;
const as = (u: string) => p.signIn(u);

/** Targets one report of `figures()` meets exactly: outputs earn their full weight. */
const smallTargets = {
  visits: 100,
  cases: 2,
  groups: 1,
  activities: 4,
  peopleServed: { minimumLiving: 40, extremePoverty: 10, childrenInDifficulty: 10, disabled: 10, other: 10 },
};

interface EvaluationJson {
  evaluation: {
    stage: string;
    result: { total: string; totalCenti: number; grade: string };
    achievement: { output: string; target: number; reported: number; percentCenti: number | null }[];
    sheet: {
      groups: {
        key: string;
        weight: number;
        indicators: { id: string; points: number; automatic?: boolean }[];
      }[];
    };
    finalTranche?: { amountFen: number; payableFen: number; withheldFen: number; percent: number };
  };
  contract: ContractJson;
}

/** An officer's sheet: 决策, 过程 and 效益 with one indicator each carrying the group's weight. */
function sheet(
  weights: { decision: number; process: number; benefits: number },
  points: [number, number, number],
) {
  return {
    groups: [
      {
        key: 'decision',
        indicators: [{ id: 'D1', name: '决策', maxPoints: weights.decision, points: points[0] }],
      },
      {
        key: 'process',
        indicators: [{ id: 'P1', name: '过程', maxPoints: weights.process, points: points[1] }],
      },
      {
        key: 'benefits',
        indicators: [{ id: 'B1', name: '效益', maxPoints: weights.benefits, points: points[2] }],
      },
    ],
  };
}
const DEFAULT = { decision: 15, process: 25, benefits: 20 };

async function contractWithTemplate(
  template: { milestone: string; percent: number }[],
  evaluation?: { weights: Record<string, number>; payoutPolicy: Record<string, number> },
  amountFen = 33_333_333,
) {
  const { award, poolId } = await finalAward(p, 'purchase', {
    amountFen,
    poolBudgetFen: 1_100_000 * YUAN,
    paymentTemplate: template as never,
    ...(evaluation ? { evaluation: evaluation as never } : {}),
  });
  const c = await signContract(p, award.id, {
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    targets: smallTargets,
    stationIds: ['st-410621101'],
  });
  p.clock.set(new Date('2026-09-28T10:00:00+08:00'));
  return { c, poolId };
}

async function approvedReport(contractId: string, milestone: 'midterm' | 'final', month: string) {
  const filed = await p.api('POST', `/contracts/${contractId}/reports`, {
    token: await as('qicai-applicant'),
    body: { milestone, stationId: 'st-410621101', month, figures: figures() },
  });
  expect(filed.status).toBe(201);
  const r = await json<{ id: string; version: number }>(filed);
  return {
    id: r.id,
    approve: async () => {
      const res = await p.api('POST', `/reports/${r.id}/approve`, {
        token: await as('xun-officer'),
        body: { version: r.version },
      });
      expect(res.status).toBe(200);
    },
  };
}

const evaluate = async (contractId: string, body: Record<string, unknown>, user = 'xun-officer') =>
  p.api('POST', `/contracts/${contractId}/evaluations`, { token: await as(user), body });

async function pool(id: string) {
  return json<{ committedFen: number }>(
    await p.api('GET', `/pools/${id}`, { token: await as('xun-officer') }),
  );
}

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
}, 60_000);
afterAll(() => p?.stop());

describe('a 40/30/30 contract evaluated 良 at mid-term and 差 at the end', () => {
  let c: ContractJson;
  let poolId: string;
  beforeAll(async () => {
    ({ c, poolId } = await contractWithTemplate([
      { milestone: 'signing', percent: 40 },
      { milestone: 'midterm', percent: 30 },
      { milestone: 'final', percent: 30 },
    ]));
  }, 60_000);

  it('needs an approved report of the stage first', async () => {
    const none = await evaluate(c.id, { stage: 'midterm', sheet: sheet(DEFAULT, [15, 25, 10]) });
    expect(none.status).toBe(422);
    expect((await json<{ type: string }>(none)).type).toMatch(/no-approved-report$/);
    const report = await approvedReport(c.id, 'midterm', '2026-05');
    const pending = await evaluate(c.id, { stage: 'midterm', sheet: sheet(DEFAULT, [15, 25, 10]) });
    expect(pending.status).toBe(422);
    await report.approve();
  });

  it('scores outputs from the reports and refuses an override of them, naming the computed points', async () => {
    const override = await evaluate(c.id, {
      stage: 'midterm',
      sheet: {
        groups: [
          ...sheet(DEFAULT, [15, 25, 9.99]).groups,
          {
            key: 'outputs',
            indicators: [
              { id: 'visits', name: '探访', maxPoints: 20, points: 15 },
              { id: 'quality', name: '服务质量', maxPoints: 20 },
            ],
          },
        ],
      },
    });
    const errors = (await json<{ errors: { field: string; message: string }[] }>(override)).errors;
    expect(override.status).toBe(422);
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'body.sheet.groups.3.indicators.0.points',
        message: expect.stringContaining('100 of 100 (100.00%) earns 20.00 of 20 points, not 15'),
      }),
      expect.objectContaining({ field: 'body.sheet.groups.3.indicators.1.points' }),
    ]);
    const overMax = await evaluate(c.id, { stage: 'midterm', sheet: sheet(DEFAULT, [16, 25, 10]) });
    expect(overMax.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(overMax)).errors[0]!.field).toBe(
      'body.sheet.groups.0.indicators.0.points',
    );
    const noDecision = await evaluate(c.id, {
      stage: 'midterm',
      sheet: { groups: sheet(DEFAULT, [15, 25, 10]).groups.slice(1) },
    });
    expect(noDecision.status).toBe(422);
    const unchanged = await json<ContractJson>(
      await p.api('GET', `/contracts/${c.id}`, { token: await as('xun-officer') }),
    );
    expect(unchanged.grades).toEqual({});
    expect(unchanged.tranches[1]!.status).toBe('pending');
  });

  it('89.99 is 良; the mid-term tranche becomes due; recorded once', async () => {
    const res = await evaluate(c.id, { stage: 'midterm', sheet: sheet(DEFAULT, [15, 25, 9.99]) });
    expect(res.status).toBe(201);
    const { evaluation, contract } = await json<EvaluationJson>(res);
    expect(evaluation.result).toMatchObject({ total: '89.99', grade: '良' });
    expect(evaluation.achievement.map((a) => [a.output, a.target, a.reported, a.percentCenti])).toEqual([
      ['visits', 100, 100, 10_000],
      ['cases', 2, 2, 10_000],
      ['groups', 1, 1, 10_000],
      ['activities', 4, 4, 10_000],
      ['peopleServed', 80, 80, 10_000],
    ]);
    const outputs = evaluation.sheet.groups.find((g) => g.key === 'outputs')!;
    expect(outputs.weight).toBe(40);
    expect(outputs.indicators.map((i) => [i.id, i.points, i.automatic])).toEqual([
      ['visits', 8, true],
      ['cases', 8, true],
      ['groups', 8, true],
      ['activities', 8, true],
      ['peopleServed', 8, true],
    ]);
    expect(contract.grades).toEqual({ midterm: '良' });
    expect(contract.tranches.map((t) => t.status)).toEqual(['due', 'due', 'pending']);
    const again = await evaluate(c.id, { stage: 'midterm', sheet: sheet(DEFAULT, [15, 25, 20]) });
    expect(again.status).toBe(409);
  });

  it('59.99 is 差: the final tranche is withheld and its money released to the pool with a ledger entry', async () => {
    const before = await pool(poolId);
    const report = await approvedReport(c.id, 'final', '2026-08');
    const early = await evaluate(c.id, { stage: 'final', sheet: sheet(DEFAULT, [0, 0, 19.99]) });
    expect(early.status).toBe(422);
    await report.approve();
    const res = await evaluate(c.id, { stage: 'final', sheet: sheet(DEFAULT, [0, 0, 19.99]) });
    expect(res.status).toBe(201);
    const { evaluation, contract } = await json<EvaluationJson>(res);
    expect(evaluation.result).toMatchObject({ total: '59.99', grade: '差' });
    const finalAmount = 10_000_001; // 33,333,333 at 40/30/30: the remainder sits on the last
    expect(evaluation.finalTranche).toEqual({
      amountFen: finalAmount,
      payableFen: 0,
      withheldFen: finalAmount,
      percent: 0,
    });
    expect(contract.tranches[2]).toMatchObject({ amountFen: finalAmount, payableFen: 0, status: 'withheld' });
    expect(contract.withheldFen).toBe(finalAmount);
    expect(contract.committedFen).toBe(33_333_333 - finalAmount);
    expect(contract.grades).toEqual({ midterm: '良', final: '差' });
    expect((await pool(poolId)).committedFen).toBe(before.committedFen - finalAmount);
    const ledger = await p.deps.doc.send(
      new QueryCommand({
        TableName: p.deps.config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': ledgerKeys.pool(poolId) },
      }),
    );
    expect(
      (ledger.Items ?? []).filter((e) => e.contractId === c.id).map((e) => [e.kind, e.amountFen, e.cause]),
    ).toEqual([['release', finalAmount, 'evaluation.final']]);

    const list = await json<{ items: { stage: string; result: { grade: string } }[] }>(
      await p.api('GET', `/contracts/${c.id}/evaluations`, { token: await as('qicai-applicant') }),
    );
    expect(list.items.map((e) => [e.stage, e.result.grade])).toEqual([
      ['midterm', '良'],
      ['final', '差'],
    ]);
    expect(
      (await p.api('GET', `/contracts/${c.id}/evaluations`, { token: await as('yc-officer') })).status,
    ).toBe(404);
    // Amounts are settled by the final evaluation: no more re-splitting.
    const amend = await p.api('PATCH', `/contracts/${c.id}`, {
      token: await as('xun-officer'),
      body: { version: contract.version, reason: '调整合同金额', amountFen: 30_000_000 },
    });
    expect(amend.status).toBe(422);
  });
});

describe('the call’s own weights and grade policy', () => {
  let c: ContractJson;
  let poolId: string;
  const weights = { decision: 10, process: 20, outputs: 50, benefits: 20 };
  beforeAll(async () => {
    ({ c, poolId } = await contractWithTemplate(
      [
        { milestone: 'signing', percent: 50 },
        { milestone: 'final', percent: 50 },
      ],
      { weights, payoutPolicy: { 优: 100, 良: 90, 中: 70, 差: 0 } },
    ));
  }, 60_000);

  it('takes weights and policy from the call; without a mid-term tranche the final needs no mid-term', async () => {
    expect(c.evaluationWeights).toEqual(weights);
    expect(c.payoutPolicy).toEqual({ 优: 100, 良: 90, 中: 70, 差: 0 });
    await (await approvedReport(c.id, 'midterm', '2026-04')).approve();
    const mid = await json<EvaluationJson>(
      await evaluate(c.id, { stage: 'midterm', sheet: sheet(weights, [10, 20, 10]) }),
    );
    expect(mid.evaluation.result).toMatchObject({ total: '90.00', grade: '优' });
    expect(mid.contract.tranches.map((t) => t.status)).toEqual(['due', 'pending']);
  });

  it('60.00 is 中: 70% of the final tranche in whole fen, the rest withheld and released', async () => {
    const before = await pool(poolId);
    await (await approvedReport(c.id, 'final', '2026-09')).approve();
    const res = await evaluate(c.id, { stage: 'final', sheet: sheet(weights, [0, 0, 10]) });
    expect(res.status).toBe(201);
    const { evaluation, contract } = await json<EvaluationJson>(res);
    expect(evaluation.result).toMatchObject({ total: '60.00', grade: '中' });
    // 33,333,333 at 50/50 → 16,666,666 + 16,666,667; 70% of the last = 11,666,666.9 → 11,666,666.
    expect(evaluation.finalTranche).toEqual({
      amountFen: 16_666_667,
      payableFen: 11_666_666,
      withheldFen: 5_000_001,
      percent: 70,
    });
    expect(contract.tranches[1]).toMatchObject({ payableFen: 11_666_666, status: 'due' });
    expect((await pool(poolId)).committedFen).toBe(before.committedFen - 5_000_001);
    expect(contract.remainingFen).toBe(33_333_333 - 5_000_001);
  });
});

describe('order and scope', () => {
  it('the final evaluation needs the mid-term one when the schedule has a mid-term tranche', async () => {
    const { c } = await contractWithTemplate([
      { milestone: 'signing', percent: 40 },
      { milestone: 'midterm', percent: 30 },
      { milestone: 'final', percent: 30 },
    ]);
    await (await approvedReport(c.id, 'final', '2026-06')).approve();
    const res = await evaluate(c.id, { stage: 'final', sheet: sheet(DEFAULT, [15, 25, 20]) });
    expect(res.status).toBe(422);
    expect((await json<{ type: string }>(res)).type).toMatch(/midterm-evaluation-missing$/);
    expect(
      (await evaluate(c.id, { stage: 'final', sheet: sheet(DEFAULT, [15, 25, 20]) }, 'yc-officer')).status,
    ).toBe(404);
    expect(
      (await evaluate(c.id, { stage: 'final', sheet: sheet(DEFAULT, [15, 25, 20]) }, 'xun-finance')).status,
    ).toBe(403);
  });
});
