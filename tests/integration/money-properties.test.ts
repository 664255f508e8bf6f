import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principal';
import type { Award } from '../../shared/awards/model';
import { AwardRepository } from '../../shared/awards/repository';
import { AwardService } from '../../shared/awards/service';
import { committedFor } from '../../shared/contracts/model';
import { ContractRepository } from '../../shared/contracts/repository';
import { ContractService } from '../../shared/contracts/service';
import { keys } from '../../shared/db/keys';
import { ProblemError } from '../../shared/errors';
import { EvaluationService } from '../../shared/evaluation/service';
import {
  beijingDate,
  FinanceService,
  verifyContractLedger,
  verifyLedger,
} from '../../shared/finance/service';
import { PoolRepository } from '../../shared/pools/repository';
import { ReportService } from '../../shared/reports/service';
import type { MilestoneReportInput } from '../../shared/reports/validation';
import { closedCall } from '../support/awards';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Issue item 7: random sequences of awards (confirm, cancel by an upheld challenge, re-budget),
 * then contracts (amendments, milestone reports, evaluations, payments and rejected payment
 * requests), run through the services on real moto. After EVERY step:
 *
 * - committed ≤ budget and disbursed ≤ committed, for the pool;
 * - every ledger total equals the sum of its entries: the pool's committed = Σ commit − Σ release,
 *   disbursed = Σ disburse; each contract's paid = Σ its disburse entries = Σ its tranches' paid;
 * - and the money agrees with the domain: committed = Σ confirmed awards without a contract +
 *   Σ contracts (amount − withheld), disbursed = Σ contracts' paid.
 *
 * Refusals (4xx problems) are expected along the way — a payment before its milestone, an
 * amendment after a payment request, a confirmation the budget no longer covers — and must leave
 * the invariants intact; anything else (5xx, a crash) fails the property.
 */
let p: TestPlatform;
const START = new Date('2026-03-02T10:00:00+08:00');
const DAY = 24 * 3600_000;
const YUAN = 100;

beforeAll(async () => {
  p = await testPlatform({ start: START });
}, 60_000);
afterAll(() => p?.stop());

type Stage = 'midterm' | 'final';
type Milestone = 'signing' | Stage;
type AwardStep =
  | { kind: 'confirm'; award: number }
  | { kind: 'cancel'; award: number }
  | { kind: 'rebudget'; budgetYuan: number };
/** `due`: whichever tranche is due when the step runs (the signing one if none is). */
type Target = Milestone | 'due';
type ContractStep =
  | { kind: 'pay'; contract: number; milestone: Target }
  | { kind: 'reject'; contract: number; milestone: Target }
  | { kind: 'amend'; contract: number; amountYuan: number }
  | { kind: 'report'; contract: number; stage: Stage }
  | { kind: 'evaluate'; contract: number; stage: Stage | 'next'; quality: number };

const milestone = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Target>('due') },
  { weight: 1, arbitrary: fc.constantFrom<Target>('signing', 'midterm', 'final') },
);
const stage = fc.constantFrom<Stage>('midterm', 'final');
const index = fc.nat({ max: 2 });
const awardStep: fc.Arbitrary<AwardStep> = fc.oneof(
  { weight: 4, arbitrary: index.map((award) => ({ kind: 'confirm' as const, award })) },
  { weight: 1, arbitrary: index.map((award) => ({ kind: 'cancel' as const, award })) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 20, max: 200 })
      .map((k) => ({ kind: 'rebudget' as const, budgetYuan: k * 1000 })),
  },
);
const contractStep: fc.Arbitrary<ContractStep> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('pay' as const), contract: index, milestone }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reject' as const), contract: index, milestone }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('amend' as const),
      contract: index,
      amountYuan: fc.integer({ min: 5, max: 90 }).map((k) => k * 1000),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('report' as const), contract: index, stage }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('evaluate' as const),
      contract: index,
      // `next`: the mid-term one while the schedule has a mid-term tranche not yet evaluated.
      stage: fc.oneof(
        { weight: 3, arbitrary: fc.constant('next' as const) },
        { weight: 1, arbitrary: stage },
      ),
      // 0–100% of each group's points: low values grade 差 (the final tranche withheld), 中 (80%)…
      quality: fc.constantFrom(20, 50, 70, 85, 100),
    }),
  },
);
const scenario = fc.record({
  amountsYuan: fc.array(
    fc.integer({ min: 10, max: 60 }).map((k) => k * 1000),
    { minLength: 2, maxLength: 3 },
  ),
  headroomYuan: fc.integer({ min: 0, max: 60 }).map((k) => k * 1000),
  template: fc.constantFrom('50/50', '40/30/30'),
  awards: fc.array(awardStep, { maxLength: 5 }),
  contracts: fc.array(contractStep, { minLength: 3, maxLength: 7 }),
});

const figures = (): MilestoneReportInput => ({
  visits: {
    total: 60,
    byCategory: { minimumLiving: 30, extremePoverty: 10, childrenInDifficulty: 10, disabled: 5, other: 5 },
  },
  cases: { total: 3 },
  groups: { total: 1 },
  activities: { total: 5 },
  peopleServed: { total: 40 },
  resourcesLinkedFen: 2_000 * YUAN,
  training: { sessions: 1, hours: 6 },
  supervision: { sessions: 1, hours: 2 },
  narrative: '本月入户探访、个案跟进与社区活动。',
});

/** Runs a step; a 4xx problem is a refusal (expected), anything else fails the property. */
async function attempt(log: string[], label: string, run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    log.push(`${label}: ok`);
    return true;
  } catch (e) {
    if (e instanceof ProblemError && e.status >= 400 && e.status < 500) {
      log.push(`${label}: ${e.status} ${e.slug}`);
      return false;
    }
    throw new Error(`${label} failed unexpectedly after [${log.join('; ')}]: ${String(e)}`, { cause: e });
  }
}

describe('money invariants under random sequences of awards, amendments, reports, evaluations and payments', () => {
  it('hold after every step', async () => {
    const deps = p.deps;
    const table = deps.config.tableName;
    const users = p.demo.users;
    const officerA = users['xun-officer']!;
    const officerB = users['xun-officer-2']!;
    const finance = users['xun-finance']!;
    const applicant: Principal = users['qicai-applicant']!;
    const awardService = new AwardService(deps);
    const awardRepo = new AwardRepository(deps.doc, table);
    const contractService = new ContractService(deps);
    const contractRepo = new ContractRepository(deps.doc, table);
    const reports = new ReportService(deps);
    const evaluations = new EvaluationService(deps);
    const financeService = new FinanceService(deps);
    const pools = new PoolRepository(deps.doc, table);
    let runs = 0;
    let steps = 0;
    const outcomes = new Map<string, number>();

    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        runs++;
        const log: string[] = [];
        p.clock.set(START);
        const fx = await closedCall(
          p,
          'venture',
          s.amountsYuan.map((y, i) => ({
            requestedFen: y * YUAN,
            totals: [90 - i, 90 - i, 90 - i, 90 - i, 90 - i],
            orgId: applicant.orgId,
            orgName: '鹤壁七彩社会工作服务中心',
          })),
        );
        // The call was published against the default budget; the pool now holds the awards and
        // a little headroom (a re-budget step may cut it further).
        const opened = (await pools.get(fx.pool.id, true))!;
        await pools.update(
          fx.pool.id,
          opened.version,
          { budgetFen: (s.amountsYuan.reduce((a, b) => a + b, 0) + s.headroomYuan) * YUAN },
          { actor: officerA.userId, at: deps.now().toISOString() },
        );
        if (s.template === '40/30/30')
          await deps.doc.send(
            new UpdateCommand({
              TableName: table,
              Key: keys.call(fx.call.id),
              UpdateExpression: 'SET paymentTemplate = :t',
              ExpressionAttributeValues: {
                ':t': [
                  { milestone: 'signing', percent: 40 },
                  { milestone: 'midterm', percent: 30 },
                  { milestone: 'final', percent: 30 },
                ],
              },
            }),
          );
        const proposal = await fx.propose(await p.signIn('xun-officer'));
        expect(proposal.status).toBe(201);
        const proposed = ((await proposal.json()) as { proposed: Award[] }).proposed;
        const poolId = fx.pool.id;
        const contractIds: string[] = [];

        const check = async (after: string) => {
          steps++;
          const pool = (await pools.get(poolId, true))!;
          const where = `after ${after} [${log.join('; ')}]`;
          expect(pool.committedFen, `committed ≤ budget ${where}`).toBeLessThanOrEqual(pool.budgetFen);
          expect(pool.disbursedFen, `disbursed ≤ committed ${where}`).toBeLessThanOrEqual(pool.committedFen);
          const ledger = await verifyLedger(deps, poolId);
          expect(ledger.problems, `pool ledger ${where}`).toEqual([]);
          let committed = 0;
          let disbursed = 0;
          const withContract = new Set<string>();
          for (const id of contractIds) {
            const c = (await contractRepo.get(id))!.contract;
            withContract.add(c.awardId);
            committed += committedFor(c);
            disbursed += c.paidFen;
            const v = await verifyContractLedger(deps, id);
            expect(v.problems, `contract ${id} ${where}`).toEqual([]);
          }
          for (const a of proposed) {
            const award = (await awardRepo.get(a.id))!;
            if ((award.status === 'confirmed' || award.status === 'final') && !withContract.has(award.id))
              committed += award.amountFen;
          }
          expect({ committed: pool.committedFen, disbursed: pool.disbursedFen }, `domain ${where}`).toEqual({
            committed,
            disbursed,
          });
        };

        // Phase 1: awards — confirmations commit, upheld challenges release, budgets change.
        for (const step of s.awards) {
          if (step.kind === 'rebudget') {
            const pool = (await pools.get(poolId, true))!;
            await attempt(log, `rebudget ${step.budgetYuan}`, () =>
              pools.update(
                poolId,
                pool.version,
                { budgetFen: step.budgetYuan * YUAN },
                {
                  actor: officerA.userId,
                  at: deps.now().toISOString(),
                },
              ),
            );
          } else {
            const a = proposed[step.award % proposed.length]!;
            const award = (await awardRepo.get(a.id))!;
            if (step.kind === 'confirm')
              await attempt(log, `confirm ${step.award}`, () =>
                awardService.confirm(award, award.version, officerB),
              );
            else
              await attempt(log, `cancel ${step.award}`, async () => {
                const ch = await awardService.challenge(award, applicant, '评分有误，请复核');
                await awardService.answer(
                  ch,
                  { version: ch.version, outcome: 'upheld', answer: '质疑成立' },
                  officerA,
                );
              });
          }
          await check(JSON.stringify(step));
        }

        // The notice and challenge windows pass: confirmed awards are final and get contracts.
        p.clock.advance(30 * DAY);
        for (const a of proposed) {
          const award = (await awardRepo.get(a.id))!;
          if (award.status !== 'confirmed' && award.status !== 'final') continue;
          const c = await contractService.sign(award.id, {}, officerA);
          contractIds.push(c.id);
          await check(`signing ${c.id}`);
        }
        if (!contractIds.length) return;

        // Phase 2: contracts — amendments, reports, evaluations, payment requests and payments.
        const reported = new Set<string>();
        /** A milestone report filed by the provider and approved by an officer, in a new month. */
        const fileAndApprove = async (id: string, stage: Stage) => {
          p.clock.advance(31 * DAY); // one report per contract, station and month
          const read = (await contractRepo.get(id))!;
          const r = await reports.file(
            read,
            {
              milestone: stage,
              stationId: read.contract.stationIds[0]!,
              month: beijingDate(deps.now()).slice(0, 7),
              figures: figures(),
            },
            applicant,
          );
          await reports.approve((await reports.reports.get(r.id))!, { version: r.version }, officerA);
          reported.add(`${id}#${stage}`);
        };
        for (const step of s.contracts) {
          const id = contractIds[step.contract % contractIds.length]!;
          const label = JSON.stringify(step);
          const tranche = async (target: Target): Promise<Milestone> => {
            if (target !== 'due') return target;
            const c = (await contractRepo.get(id))!.contract;
            return c.tranches.find((t) => t.status === 'due')?.milestone ?? 'signing';
          };
          switch (step.kind) {
            case 'pay':
              await attempt(log, label, async () => {
                const d = await financeService.request(officerA, {
                  contractId: id,
                  milestone: await tranche(step.milestone),
                });
                const ok = await financeService.approve(finance, d.id, d.version);
                await financeService.pay(finance, ok.id, {
                  version: ok.version,
                  bankReference: `P-${ok.id.slice(-12)}-${runs}-${steps}`.replace(/[^A-Za-z0-9\-_/.]/g, ''),
                  paidOn: beijingDate(deps.now()),
                });
              });
              break;
            case 'reject':
              await attempt(log, label, async () => {
                const d = await financeService.request(officerA, {
                  contractId: id,
                  milestone: await tranche(step.milestone),
                });
                await financeService.reject(finance, d.id, d.version, '材料不全，退回');
              });
              break;
            case 'amend':
              await attempt(log, label, async () => {
                const read = (await contractRepo.get(id))!;
                await contractService.amend(
                  read,
                  {
                    version: read.contract.version,
                    reason: '调整服务规模',
                    amountFen: step.amountYuan * YUAN,
                  },
                  officerA,
                );
              });
              break;
            case 'report':
              await attempt(log, label, () => fileAndApprove(id, step.stage));
              break;
            case 'evaluate':
              await attempt(log, label, async () => {
                const before = (await contractRepo.get(id))!.contract;
                const stage: Stage =
                  step.stage !== 'next'
                    ? step.stage
                    : before.tranches.some((t) => t.milestone === 'midterm') && !before.grades.midterm
                      ? 'midterm'
                      : 'final';
                // An evaluation judges approved reports: file one for the stage first if none is.
                if (!reported.has(`${id}#${stage}`)) await fileAndApprove(id, stage);
                const c = (await contractRepo.get(id))!.contract;
                const w = c.evaluationWeights;
                const group = (key: 'decision' | 'process' | 'benefits', weight: number) => ({
                  key,
                  indicators: [
                    {
                      id: `${key}-1`,
                      name: key,
                      maxPoints: weight,
                      points: Math.round(weight * step.quality) / 100,
                    },
                  ],
                });
                await evaluations.record(
                  id,
                  {
                    stage,
                    sheet: {
                      groups: [
                        group('decision', w.decision),
                        group('process', w.process),
                        group('benefits', w.benefits),
                      ],
                    },
                  },
                  officerA,
                );
              });
              break;
          }
          const outcome = log.at(-1)!.split(': ')[1]!;
          const key = `${step.kind} ${outcome}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
          await check(label);
        }
      }),
      { numRuns: 15, endOnFailure: true },
    );
    expect(runs).toBe(15);
    // The sequences reached the interesting places, not only refusals.
    expect(outcomes.get('pay ok') ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].some((k) => k.startsWith('evaluate ok'))).toBe(true);
    expect(steps).toBeGreaterThan(15 * 3);
  }, 600_000);
});
