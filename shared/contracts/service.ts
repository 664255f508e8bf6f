import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { audited } from '../audit/record';
import type { Principal } from '../auth/principal';
import { effectiveAwardStatus } from '../awards/model';
import { AwardRepository } from '../awards/repository';
import { cancellationCodes } from '../awards/transact';
import type { Call } from '../calls/model';
import { CallRepository } from '../calls/repository';
import { keys } from '../db/keys';
import { Fen, PositiveFen } from '../domain/money';
import { beijingToday } from '../domain/time';
import {
  ConflictError,
  type FieldError,
  NotFoundError,
  RuleViolationError,
  ServiceUnavailableError,
  StaleVersionError,
  ValidationError,
} from '../errors';
import { DEFAULT_EVALUATION_WEIGHTS, DEFAULT_PAYOUT_POLICY } from '../evaluation/settings';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import { ledgerEntryPut } from '../ledger/entries';
import type { Pool } from '../pools/model';
import { PoolRepository } from '../pools/repository';
import { ReportRepository } from '../reports/repository';
import { described, named, text } from '../schema';
import { TargetsSchema } from '../submissions/targets';
import {
  type Contract,
  ContractSchema,
  type ContractTranche,
  committedFor,
  type TrancheStatus,
} from './model';
import {
  type ContractRead,
  ContractRepository,
  type ContractVersion,
  contractVersionPut,
  contractWrite,
} from './repository';
import { contractPeriodProblems, splitTranches } from './tranches';
import { type WriteOptions, type Writer, writerOf } from './writer';

const CCF = 'ConditionalCheckFailed';
const DAY_MS = 86_400_000;

/** The deterministic id of an award's contract: one contract per award. */
export const contractIdOf = (awardId: string) => `ct-${awardId}`;

const Day = described(
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  'Calendar day YYYY-MM-DD (Asia/Shanghai)',
  '2026-01-01',
);
const StationIds = z.array(text(1, 64)).check(z.minLength(1), z.maxLength(50));

export const SignInputSchema = named(
  z.strictObject({
    /** Default: today in Beijing. */
    startDate: z.optional(Day),
    /** Default: one year from the start (the day before its anniversary). */
    endDate: z.optional(Day),
    /** Required when the period is longer than one year (at most three; 102号令 第二十四条). */
    periodReason: z.optional(text(4, 1000)),
    /** Purchase calls: the deliverables the tender specified (a bid has no structured targets). */
    targets: z.optional(TargetsSchema),
    /** Purchase calls: the stations served (default: the lot's station, if the lot names one). */
    stationIds: z.optional(StationIds),
  }),
  'ContractSignInput',
);
export type SignInput = z.infer<typeof SignInputSchema>;

export const AmendInputSchema = named(
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    reason: text(4, 1000),
    endDate: z.optional(Day),
    periodReason: z.optional(text(4, 1000)),
    amountFen: z.optional(PositiveFen),
    targets: z.optional(TargetsSchema),
    stationIds: z.optional(StationIds),
  }),
  'ContractAmendInput',
);
export type AmendInput = z.infer<typeof AmendInputSchema>;

/** What a reader sees: the contract with what the pool holds for it and what is left to pay. */
export const ContractViewSchema = named(
  z.extend(ContractSchema, { committedFen: Fen, remainingFen: Fen }),
  'ContractView',
);
export const contractView = (c: Contract) => ({
  ...c,
  committedFen: committedFor(c),
  remainingFen: committedFor(c) - c.paidFen,
});

/** Tranche statuses after which the schedule is in finance's hands (or settled): no re-split. */
const LOCKED: readonly TrancheStatus[] = ['requested', 'approved', 'paid', 'withheld'];

export { beijingToday };

/** The last day of a one-year contract starting on `start` (2024-01-01 → 2024-12-31). */
export function oneYearFrom(start: string): string {
  const [y, m, d] = start.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + 1, m - 1, d) - DAY_MS).toISOString().slice(0, 10);
}

export class InsufficientPoolError extends RuleViolationError {
  constructor(pool: Pool, increaseFen: number) {
    const available = pool.budgetFen - pool.committedFen;
    super(
      'insufficient-funds',
      `The pool has ${available} fen available; the amendment needs ${increaseFen} fen more.`,
      `资金池可用余额 ${available} 分，不足以支付本次变更增加的 ${increaseFen} 分`,
      { availableFen: available, increaseFen },
    );
  }
}

/**
 * Contracts (合同): signing from a final award, and amendments that keep every version. Pages and
 * the JSON API call these methods alike. Money moves only in transactions whose conditions make
 * over-commitment impossible; every change writes its audit entry in the same transaction.
 */
export class ContractService {
  readonly contracts: ContractRepository;
  private readonly awards: AwardRepository;
  private readonly calls: CallRepository;
  private readonly pools: PoolRepository;
  private readonly jurisdictions: JurisdictionRepository;
  private readonly write: Writer;

  constructor(
    private readonly deps: Deps,
    options: WriteOptions = {},
  ) {
    const table = deps.config.tableName;
    this.contracts = new ContractRepository(deps.doc, table);
    this.awards = new AwardRepository(deps.doc, table);
    this.calls = new CallRepository(deps.doc, table);
    this.pools = new PoolRepository(deps.doc, table);
    this.jurisdictions = new JurisdictionRepository(deps.doc, table);
    this.write = writerOf(deps.doc, options);
  }

  private get table() {
    return this.deps.config.tableName;
  }

  /** Station ids that are not stations of the call's jurisdiction subtree. */
  private async foreignStations(call: Call, ids: readonly string[]): Promise<string[]> {
    const j = await this.jurisdictions.get(call.jurisdictionId);
    const known = new Set(j ? (await this.jurisdictions.stationsUnder(j)).map((s) => s.id) : []);
    return ids.filter((id) => !known.has(id));
  }

  private stationProblems(field: string, foreign: string[], call: Call): FieldError[] {
    if (!foreign.length) return [];
    return [
      {
        field,
        message: `Not a station of the call's jurisdiction (${call.jurisdictionId}): ${foreign.join(', ')}.`,
        messageZh: `不是本项目所属辖区（${call.jurisdictionId}）的社工站：${foreign.join('、')}`,
      },
    ];
  }

  /**
   * Signs the contract of a FINAL award (102号令: the purchase contract follows the award). One
   * contract per award: a conditional Put of `ct-<awardId>`, in one transaction with its audit
   * entry, its first kept version and a ConditionCheck that the award is still what was read (not
   * cancelled, no open challenge, same version). The award itself is not written: the contract's
   * deterministic id is the link, and the award keeps its own chain untouched.
   *
   * Deliverables: a venture contract copies the application's targets and station; a purchase
   * contract takes them from the officer (`targets` required; `stationIds` required unless the lot
   * names its station), validated against the stations of the call's jurisdiction.
   */
  async sign(awardId: string, input: SignInput, officer: Principal): Promise<Contract> {
    const now = this.deps.now();
    const award = await this.awards.get(awardId);
    if (!award) throw new NotFoundError('award');
    const status = effectiveAwardStatus(award, now);
    if (status !== 'final') {
      throw new RuleViolationError(
        'award-not-final',
        `A contract can be signed only for a final award (its notice and challenge periods over, no challenge open); this award is ${status}.`,
        `仅可对已生效（公示期和质疑期届满且无未决质疑）的中标（立项）签订合同，该项目当前状态为 ${status}`,
        { status },
      );
    }
    const existing = await this.contracts.get(contractIdOf(award.id));
    if (existing) throw alreadySigned(existing.contract);
    const [call, subs] = await Promise.all([
      this.calls.get(award.callId),
      this.awards.submissions([award.submissionId]),
    ]);
    const sub = subs.get(award.submissionId);
    if (!call || !sub) throw new NotFoundError('award');
    const jurisdiction = await this.jurisdictions.get(call.jurisdictionId);

    const problems: FieldError[] = [];
    const startDate = input.startDate ?? beijingToday(now);
    const endDate = input.endDate ?? oneYearFrom(startDate);
    problems.push(
      ...contractPeriodProblems(startDate, endDate, input.periodReason).map((p) =>
        p.field === 'reason' ? { ...p, field: 'periodReason' } : p,
      ),
    );
    let targets: Contract['targets'] | undefined;
    let stationIds: string[] | undefined;
    if (sub.content.kind === 'application') {
      for (const field of ['targets', 'stationIds'] as const)
        if (input[field] !== undefined)
          problems.push({
            field,
            message: `A venture contract takes its ${field === 'targets' ? 'targets' : 'station'} from the application; change it by an amendment after signing.`,
            messageZh: `公益创投合同的${field === 'targets' ? '产出目标' : '服务站点'}取自申报书，签订后可通过合同变更调整`,
          });
      targets = sub.content.targets;
      stationIds = [sub.content.stationId];
    } else {
      const lot = call.lots.find((l) => l.code === award.lot);
      targets = input.targets;
      stationIds = input.stationIds ?? (lot?.stationId ? [lot.stationId] : undefined);
      if (!targets)
        problems.push({
          field: 'targets',
          message:
            'A purchase contract needs its deliverables (targets): a bid carries no structured targets, so give the ones the tender specified.',
          messageZh: '政府购买服务合同须填写服务产出目标（投标文件不含结构化目标，请按采购文件填写）',
        });
      if (!stationIds)
        problems.push({
          field: 'stationIds',
          message: 'Name the stations where the service is delivered (the lot names none).',
          messageZh: '请填写提供服务的社工站（该标包未指定）',
        });
      else
        problems.push(
          ...this.stationProblems('stationIds', await this.foreignStations(call, stationIds), call),
        );
    }
    if (stationIds && new Set(stationIds).size !== stationIds.length)
      problems.push({
        field: 'stationIds',
        message: 'A station is named twice.',
        messageZh: '社工站重复',
      });
    if (problems.length) throw new ValidationError(problems.map((e) => ({ ...e, field: `body.${e.field}` })));

    const at = now.toISOString();
    const tranches: ContractTranche[] = splitTranches(award.amountFen, call.paymentTemplate).map((t) => ({
      milestone: t.milestone,
      percent: t.percent,
      amountFen: t.amountFen,
      payableFen: t.amountFen,
      // The signing tranche (首付款) is due at once; the others wait for their evaluation.
      status: t.milestone === 'signing' ? 'due' : 'pending',
      paidFen: 0,
    }));
    const contract: Contract = {
      id: contractIdOf(award.id),
      awardId: award.id,
      callId: call.id,
      callKind: call.kind,
      callTitle: call.title,
      poolId: award.poolId,
      jurisdictionId: call.jurisdictionId,
      jurisdictionPath: call.jurisdictionPath,
      buyerName: jurisdiction ? `${jurisdiction.name}民政局` : call.jurisdictionId,
      orgId: award.orgId,
      orgName: award.orgName,
      ...(award.lot !== undefined ? { lot: award.lot } : {}),
      stationIds: stationIds!,
      amountFen: award.amountFen,
      startDate,
      endDate,
      ...(input.periodReason ? { periodReason: input.periodReason } : {}),
      targets: targets!,
      tranches,
      payoutPolicy: { ...(call.evaluation?.payoutPolicy ?? DEFAULT_PAYOUT_POLICY) },
      evaluationWeights: { ...(call.evaluation?.weights ?? DEFAULT_EVALUATION_WEIGHTS) },
      status: 'active',
      paidFen: 0,
      withheldFen: 0,
      reported: { visits: 0, cases: 0, groups: 0, activities: 0, peopleServed: 0, resourcesLinkedFen: 0 },
      grades: {},
      signedAt: at,
      signedBy: officer.userId,
      amendments: 0,
      version: 1,
    };
    const version: ContractVersion = {
      contractId: contract.id,
      number: 1,
      at,
      by: officer.userId,
      changes: [],
      contract,
    };
    try {
      await this.write([
        ...audited(contractWrite(this.table, contract), undefined, {
          actor: officer.userId,
          at,
          action: 'contract.signed',
        }),
        contractVersionPut(this.table, version),
        {
          ConditionCheck: {
            TableName: this.table,
            Key: keys.award(award.id),
            ConditionExpression:
              'version = :v AND #status IN (:confirmed, :final) AND openChallenges = :zero',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':v': award.version,
              ':confirmed': 'confirmed',
              ':final': 'final',
              ':zero': 0,
            },
          },
        },
      ]);
    } catch (e) {
      const codes = cancellationCodes(e);
      if (!codes) throw e;
      if (codes[0] === CCF || codes[2] === CCF) {
        const fresh = await this.contracts.get(contract.id);
        if (fresh) throw alreadySigned(fresh.contract);
        throw new ConflictError(
          'The award changed while the contract was being signed (a challenge or a cancellation); reload it.',
          '签订合同期间该中标（立项）发生变化（质疑或撤销），请刷新后重试',
        );
      }
      throw e;
    }
    return contract;
  }

  /**
   * Amends a contract (合同变更): a reason, the version read, and any of end date (with its
   * reason when over a year), amount, targets and stations. Every version is kept
   * (`CONTRACT#id` / `V#…`). An amount change re-splits the schedule by the call's template, only
   * while no tranche has been requested, paid or withheld, and moves the pool's money in the same
   * transaction: up commits more (`committedFen <= budget − increase`, precomputed) with a ledger
   * `commit` entry; down releases (`committedFen >= decrease`) with a `release` entry.
   */
  async amend(read: ContractRead, input: AmendInput, officer: Principal): Promise<Contract> {
    const c = read.contract;
    if (c.version !== input.version) throw new StaleVersionError(input.version);
    if (c.status !== 'active')
      throw new RuleViolationError(
        'contract-completed',
        'The contract is completed; it can no longer be amended.',
        '合同已履行完毕，不能再变更',
      );
    const problems: FieldError[] = [];
    const changes: ContractVersion['changes'] = [];
    const next: Contract = { ...c };

    const endDate = input.endDate ?? c.endDate;
    const periodReason = input.periodReason ?? c.periodReason;
    if (input.endDate !== undefined || input.periodReason !== undefined) {
      problems.push(
        ...contractPeriodProblems(c.startDate, endDate, periodReason).map((p) =>
          p.field === 'reason' ? { ...p, field: 'periodReason' } : p,
        ),
      );
      if (endDate !== c.endDate) changes.push({ field: 'endDate', before: c.endDate, after: endDate });
      if (periodReason !== c.periodReason)
        changes.push({ field: 'periodReason', before: c.periodReason ?? null, after: periodReason ?? null });
      next.endDate = endDate;
      if (periodReason !== undefined) next.periodReason = periodReason;
    }

    let delta = 0;
    if (input.amountFen !== undefined && input.amountFen !== c.amountFen) {
      const locked = c.tranches.filter((t) => LOCKED.includes(t.status));
      if (locked.length || c.grades.final) {
        throw new RuleViolationError(
          'schedule-locked',
          `The amount can no longer change: ${
            locked.length
              ? `the ${locked.map((t) => `${t.milestone} tranche is ${t.status}`).join(', the ')}`
              : 'the final evaluation is recorded'
          }. An amount changes only while every tranche is still pending or due.`,
          `合同金额已不能变更：${
            locked.length
              ? locked.map((t) => `${t.milestone} 期款项状态为 ${t.status}`).join('，')
              : '已完成末期评估'
          }。仅在各期款项均未申请拨付时可变更金额`,
          { tranches: locked.map((t) => ({ milestone: t.milestone, status: t.status })) },
        );
      }
      const template = c.tranches.map((t) => ({ milestone: t.milestone, percent: t.percent }));
      next.tranches = splitTranches(input.amountFen, template).map((t, i) => ({
        ...c.tranches[i]!,
        amountFen: t.amountFen,
        payableFen: t.amountFen,
      }));
      delta = input.amountFen - c.amountFen;
      next.amountFen = input.amountFen;
      changes.push({ field: 'amountFen', before: c.amountFen, after: input.amountFen });
    }

    if (input.targets !== undefined) {
      if (c.grades.final)
        throw new RuleViolationError(
          'contract-evaluated',
          'The final evaluation is recorded: the targets can no longer change.',
          '已完成末期评估，产出目标不能再变更',
        );
      if (JSON.stringify(input.targets) !== JSON.stringify(c.targets))
        changes.push({ field: 'targets', before: c.targets, after: input.targets });
      next.targets = input.targets;
    }

    if (input.stationIds !== undefined) {
      const call = await this.calls.get(c.callId);
      if (!call) throw new NotFoundError('call');
      if (new Set(input.stationIds).size !== input.stationIds.length)
        problems.push({ field: 'stationIds', message: 'A station is named twice.', messageZh: '社工站重复' });
      problems.push(
        ...this.stationProblems('stationIds', await this.foreignStations(call, input.stationIds), call),
      );
      if (JSON.stringify(input.stationIds) !== JSON.stringify(c.stationIds))
        changes.push({ field: 'stationIds', before: c.stationIds, after: input.stationIds });
      next.stationIds = input.stationIds;
    }

    // Reports already filed must stay inside the contract: their months and stations.
    if (changes.some((ch) => ch.field === 'endDate' || ch.field === 'stationIds')) {
      const filed = await this.reportKeys(c.id);
      const lastMonth = next.endDate.slice(0, 7);
      const late = filed.filter((r) => r.month > lastMonth);
      if (late.length)
        problems.push({
          field: 'endDate',
          message: `Reports are filed for ${[...new Set(late.map((r) => r.month))].join(', ')}, after the new end date ${next.endDate}.`,
          messageZh: `已有 ${[...new Set(late.map((r) => r.month))].join('、')} 的报告，晚于新的结束日期 ${next.endDate}`,
        });
      const kept = new Set(next.stationIds);
      const dropped = [...new Set(filed.filter((r) => !kept.has(r.stationId)).map((r) => r.stationId))];
      if (dropped.length)
        problems.push({
          field: 'stationIds',
          message: `Reports are filed for ${dropped.join(', ')}: these stations cannot be removed.`,
          messageZh: `社工站 ${dropped.join('、')} 已有报告，不能移除`,
        });
    }
    if (problems.length) throw new ValidationError(problems.map((e) => ({ ...e, field: `body.${e.field}` })));
    if (!changes.length)
      throw new RuleViolationError(
        'nothing-to-amend',
        'The amendment changes nothing: give a new end date, amount, targets or stations.',
        '本次变更没有修改任何内容',
      );

    const at = this.deps.now().toISOString();
    next.amendments = c.amendments + 1;
    next.version = c.version + 1;
    const kept: ContractVersion = {
      contractId: c.id,
      number: next.amendments + 1,
      at,
      by: officer.userId,
      reason: input.reason,
      changes,
      contract: next,
    };
    const writes = [
      ...audited(contractWrite(this.table, next, c.version), read.head, {
        actor: officer.userId,
        at,
        action: 'contract.amended',
      }),
      contractVersionPut(this.table, kept),
    ];
    for (let round = 0; round < 3; round++) {
      const money = delta === 0 ? [] : await this.poolMove(c, delta, at, officer.userId);
      try {
        await this.write([...writes, ...money]);
        return next;
      } catch (e) {
        const codes = cancellationCodes(e);
        if (!codes) throw e;
        if (codes[0] === CCF || codes[1] === CCF || codes[2] === CCF)
          throw new StaleVersionError(input.version);
        // The pool changed (budget or committed money): re-read it and recompute the limit.
        if (codes[3] === CCF) continue;
        throw e;
      }
    }
    throw new ServiceUnavailableError('The pool kept changing during the amendment; retry shortly.');
  }

  /**
   * The pool counter Update and ledger entry for a change of `delta` fen in what the contract
   * commits. A plain Update of `committedFen` only (not the pool's audited state, not its
   * version): the ledger entry attests it.
   */
  private async poolMove(c: Contract, delta: number, at: string, actor: string) {
    const pool = await this.pools.get(c.poolId);
    if (!pool) throw new NotFoundError('pool');
    const amount = Math.abs(delta);
    let update: Record<string, unknown>;
    if (delta > 0) {
      const limit = pool.budgetFen - amount;
      if (pool.committedFen > limit) throw new InsufficientPoolError(pool, amount);
      update = {
        TableName: this.table,
        Key: keys.pool(c.poolId),
        UpdateExpression: 'SET committedFen = committedFen + :amount',
        ConditionExpression: 'budgetFen = :budget AND committedFen <= :limit',
        ExpressionAttributeValues: { ':amount': amount, ':budget': pool.budgetFen, ':limit': limit },
      };
    } else {
      update = {
        TableName: this.table,
        Key: keys.pool(c.poolId),
        UpdateExpression: 'SET committedFen = committedFen - :amount',
        ConditionExpression: 'committedFen >= :amount',
        ExpressionAttributeValues: { ':amount': amount },
      };
    }
    return [
      { Update: update as never },
      ledgerEntryPut(this.table, {
        id: randomUUID(),
        poolId: c.poolId,
        kind: delta > 0 ? 'commit' : 'release',
        amountFen: amount,
        at,
        actor,
        awardId: c.awardId,
        contractId: c.id,
        cause: 'contract.amended',
      }),
    ];
  }

  /** Month and station of every report of a contract (a contract has at most a few hundred). */
  private async reportKeys(contractId: string): Promise<{ month: string; stationId: string }[]> {
    const all = await new ReportRepository(this.deps.doc, this.table).allOfContract(contractId);
    return all.map((r) => ({ month: r.month, stationId: r.stationId }));
  }
}

function alreadySigned(c: Contract): ConflictError {
  return new ConflictError(
    `The contract of this award is already signed (${c.id}, on ${c.signedAt}).`,
    `该中标（立项）的合同已签订（${c.id}）`,
    { contractId: c.id },
  );
}
