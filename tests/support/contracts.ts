import { expect } from 'vitest';
import type { Award } from '../../shared/awards/model';
import { AwardService } from '../../shared/awards/service';
import type { Call } from '../../shared/calls/model';
import { CallRepository } from '../../shared/calls/repository';
import type { EvaluationWeights, PayoutPolicySetting } from '../../shared/evaluation/model';
import type { MilestoneReportInput } from '../../shared/reports/validation';
import { closedCall } from './awards';
import type { TestPlatform } from './platform';

const DAY = 24 * 3600_000;
export const YUAN = 100;
/** Thursday 17 September 2026, 10:00 in Beijing. */
export const AWARD_START = new Date('2026-09-17T10:00:00+08:00');

export interface FinalAward {
  award: Award;
  call: Call;
  poolId: string;
}

/**
 * A FINAL award of a Xun County call to 七彩 (the demo applicant's organization): a closed call,
 * proposed by one officer, confirmed by another (the money committed), and the clock moved past
 * its notice and challenge windows (unless `final: false`). Optionally the call's payment
 * template and evaluation settings are set first (as if the call had been published with them).
 */
export async function finalAward(
  p: TestPlatform,
  kind: 'purchase' | 'venture',
  options: {
    amountFen: number;
    orgKey?: string;
    poolBudgetFen?: number;
    paymentTemplate?: Call['paymentTemplate'];
    evaluation?: { weights: EvaluationWeights; payoutPolicy: PayoutPolicySetting };
    final?: boolean;
    /** When the call closes (default AWARD_START). */
    at?: Date;
  },
): Promise<FinalAward> {
  const orgKey = options.orgKey ?? 'qicai';
  // Every award starts from the same day: the working-day calendar covers 2026 only.
  p.clock.set(options.at ?? AWARD_START);
  const fx = await closedCall(
    p,
    kind,
    [
      {
        orgId: p.demo.orgs[orgKey],
        orgName: orgKey === 'qicai' ? '鹤壁七彩社会工作服务中心' : orgKey,
        ...(kind === 'purchase'
          ? { priceFen: options.amountFen, lot: '1' }
          : { requestedFen: options.amountFen }),
        totals: [85, 86, 87, 88, 89],
      },
    ],
    { poolBudgetFen: options.poolBudgetFen ?? 2_000_000 * YUAN },
  );
  if (options.paymentTemplate || options.evaluation) {
    // Recorded like any change of the call (its audit chain stays verifiable).
    const calls = new CallRepository(p.deps.doc, p.deps.config.tableName);
    const call = (await calls.get(fx.call.id))!;
    await calls.save(
      {
        ...call,
        paymentTemplate: options.paymentTemplate ?? call.paymentTemplate,
        ...(options.evaluation ? { evaluation: options.evaluation } : {}),
        version: call.version + 1,
      },
      call.version,
      { actor: p.demo.users['xun-officer']!.userId, at: p.deps.now().toISOString(), action: 'call.edited' },
    );
  }
  const proposal = await fx.propose(await p.signIn('xun-officer'));
  expect(proposal.status).toBe(201);
  const [proposed] = ((await proposal.json()) as { proposed: Award[] }).proposed;
  const service = new AwardService(p.deps);
  const confirmed = await service.confirm(proposed!, proposed!.version, p.demo.users['xun-officer-2']!);
  if (options.final !== false) p.clock.set(new Date(Date.parse(confirmed.closesAt!) + DAY));
  return { award: confirmed, call: fx.call, poolId: fx.pool.id };
}

/** Deliverables of a purchase contract, as the officer types them from the tender. */
export const purchaseTargets = {
  visits: 1000,
  cases: 10,
  groups: 10,
  activities: 40,
  peopleServed: { minimumLiving: 300, extremePoverty: 50, childrenInDifficulty: 80, disabled: 40, other: 30 },
};

/** A sound report: every breakdown adds up. */
export function figures(overrides: Partial<MilestoneReportInput> = {}): MilestoneReportInput {
  return {
    visits: {
      total: 100,
      byCategory: { minimumLiving: 60, extremePoverty: 10, childrenInDifficulty: 15, disabled: 5, other: 10 },
    },
    cases: { total: 2 },
    groups: { total: 1 },
    activities: { total: 4 },
    peopleServed: { total: 80 },
    resourcesLinkedFen: 5_000 * YUAN,
    training: { sessions: 1, hours: 8 },
    supervision: { sessions: 2, hours: 4 },
    narrative: '本月开展入户探访、个案跟进与社区活动。',
    ...overrides,
  };
}

export const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;

export interface ContractJson {
  id: string;
  awardId: string;
  callKind: string;
  buyerName: string;
  orgId: string;
  orgName: string;
  amountFen: number;
  startDate: string;
  endDate: string;
  periodReason?: string;
  targets: typeof purchaseTargets;
  stationIds: string[];
  tranches: {
    milestone: string;
    percent: number;
    amountFen: number;
    payableFen: number;
    status: string;
    paidFen: number;
  }[];
  payoutPolicy: Record<string, number>;
  evaluationWeights: Record<string, number>;
  reported: Record<string, number>;
  grades: { midterm?: string; final?: string };
  withheldFen: number;
  paidFen: number;
  committedFen: number;
  remainingFen: number;
  status: string;
  amendments: number;
  version: number;
}

/** Signs the contract of a final award through the API (officer of Xun County). */
export async function signContract(
  p: TestPlatform,
  awardId: string,
  body: Record<string, unknown> = {},
): Promise<ContractJson> {
  const res = await p.api('POST', `/awards/${awardId}/contract`, {
    token: await p.signIn('xun-officer'),
    body,
  });
  if (res.status !== 201) throw new Error(`signing failed: ${res.status} ${await res.text()}`);
  return json<ContractJson>(res);
}
