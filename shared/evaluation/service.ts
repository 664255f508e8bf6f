import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { audited } from '../audit/record';
import type { Principal } from '../auth/principal';
import { cancellationCodes } from '../awards/transact';
import type { Contract } from '../contracts/model';
import { type ContractRead, ContractRepository, contractWrite } from '../contracts/repository';
import { type WriteOptions, type Writer, writerOf } from '../contracts/writer';
import { keys } from '../db/keys';
import { withoutKeys } from '../db/query';
import {
  ConflictError,
  type FieldError,
  NotFoundError,
  RuleViolationError,
  ServiceUnavailableError,
  ValidationError,
} from '../errors';
import type { Deps } from '../http/deps';
import { ledgerEntryPut } from '../ledger/entries';
import { ReportRepository } from '../reports/repository';
import { formatCenti } from '../scoring/arithmetic';
import {
  achievementPointsCenti,
  compareOutputs,
  EVALUATION_GROUPS,
  type EvaluationSheet,
  finalTranchePayable,
  type OutputAchievement,
  scoreEvaluation,
} from './grade';
import {
  AUTOMATIC_OUTPUT_IDS,
  type Evaluation,
  type EvaluationInput,
  EvaluationSchema,
  type EvaluationStage,
} from './model';

const CCF = 'ConditionalCheckFailed';

export const evaluationIdOf = (contractId: string, stage: EvaluationStage) => `ev-${contractId}-${stage}`;

const OUTPUT_NAMES: Record<(typeof AUTOMATIC_OUTPUT_IDS)[number], string> = {
  visits: '探访建档服务对象',
  cases: '个案工作',
  groups: '小组工作',
  activities: '社区活动',
  peopleServed: '服务困难群众',
};

const isAutomatic = (id: string) => (AUTOMATIC_OUTPUT_IDS as readonly string[]).includes(id);

/** What the approved reports of a contract add up to, in the shape `compareOutputs` reads. */
export function achievementOf(c: Contract): OutputAchievement[] {
  return compareOutputs(c.targets, {
    visits: { total: c.reported.visits },
    cases: { total: c.reported.cases },
    groups: { total: c.reported.groups },
    activities: { total: c.reported.activities },
    peopleServed: { total: c.reported.peopleServed },
  });
}

/**
 * Builds the scored sheet from the officer's input: weights from the contract (the call's), the
 * 产出 group's automatic indicators (ids `visits`, `cases`, `groups`, `activities`,
 * `peopleServed`) scored from achievement against the targets — the officer cannot override them
 * (a differing `points` is refused, naming the computed value); other output indicators
 * (quality, timeliness, cost) are scored by the officer. Without an 产出 group, one is built from
 * the five outputs, the weight split evenly.
 */
export function composeSheet(
  c: Contract,
  input: EvaluationInput,
  achievement: OutputAchievement[],
): {
  sheet: EvaluationSheet & { groups: { indicators: { automatic?: boolean }[] }[] };
  problems: FieldError[];
} {
  const problems: FieldError[] = [];
  const byOutput = new Map(achievement.map((a) => [a.output as string, a]));
  const groups = EVALUATION_GROUPS.map((key) => {
    const weight = c.evaluationWeights[key];
    const gi = input.sheet.groups.findIndex((g) => g.key === key);
    const given = input.sheet.groups[gi];
    if (!given) {
      // Only the outputs group may be left out (the input schema checked the others).
      const share = (weight * 100) / AUTOMATIC_OUTPUT_IDS.length / 100;
      return {
        key,
        weight,
        indicators: AUTOMATIC_OUTPUT_IDS.map((id) => ({
          id,
          name: OUTPUT_NAMES[id],
          maxPoints: share,
          points: achievementPointsCenti(byOutput.get(id)!.percentCenti, share) / 100,
          automatic: true,
        })),
      };
    }
    return {
      key,
      weight,
      indicators: given.indicators.map((ind, ii) => {
        const field = `sheet.groups.${gi}.indicators.${ii}.points`;
        if (key === 'outputs' && isAutomatic(ind.id)) {
          const a = byOutput.get(ind.id)!;
          const computed = achievementPointsCenti(a.percentCenti, ind.maxPoints) / 100;
          if (ind.points !== undefined && Math.round(ind.points * 100) !== Math.round(computed * 100))
            problems.push({
              field,
              message: `Indicator "${ind.id}" is scored from the approved reports: ${a.reported} of ${a.target} (${
                a.percentCenti === null ? 'no target' : `${formatCenti(a.percentCenti)}%`
              }) earns ${formatCenti(Math.round(computed * 100))} of ${ind.maxPoints} points, not ${ind.points}. Leave its points out.`,
              messageZh: `指标“${ind.id}”按已审核报告自动计分：完成 ${a.reported}／目标 ${a.target}（${
                a.percentCenti === null ? '无目标' : `${formatCenti(a.percentCenti)}%`
              }），得 ${formatCenti(Math.round(computed * 100))} 分（满分 ${ind.maxPoints}），不是 ${ind.points} 分，请勿填写`,
            });
          return { id: ind.id, name: ind.name, maxPoints: ind.maxPoints, points: computed, automatic: true };
        }
        if (ind.points === undefined)
          problems.push({
            field,
            message: `Indicator "${ind.id}" needs its points.`,
            messageZh: `指标“${ind.id}”须填写得分`,
          });
        return { id: ind.id, name: ind.name, maxPoints: ind.maxPoints, points: ind.points ?? 0 };
      }),
    };
  });
  return { sheet: { groups }, problems };
}

/**
 * Performance evaluations (绩效评价) of a contract, one per stage (mid-term, final), each in the
 * contract's partition (`CONTRACT#id` / `EVAL#<stage>`) with an audit chain of its own.
 */
export class EvaluationService {
  private readonly contracts: ContractRepository;
  private readonly reports: ReportRepository;
  private readonly write: Writer;
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    private readonly deps: Deps,
    options: WriteOptions = {},
  ) {
    this.doc = deps.doc;
    this.contracts = new ContractRepository(deps.doc, deps.config.tableName);
    this.reports = new ReportRepository(deps.doc, deps.config.tableName);
    this.write = writerOf(deps.doc, options);
  }

  private get table() {
    return this.deps.config.tableName;
  }

  async get(contractId: string, stage: EvaluationStage): Promise<Evaluation | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.evaluation(contractId, stage),
        ConsistentRead: true,
      }),
    );
    return out.Item ? EvaluationSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  async ofContract(contractId: string): Promise<Evaluation[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :e)',
        ExpressionAttributeValues: { ':pk': keys.contract(contractId).pk, ':e': keys.evaluationPrefix },
        ConsistentRead: true,
      }),
    );
    // Mid-term before final.
    return (out.Items ?? [])
      .map((i) => EvaluationSchema.parse(withoutKeys(i)))
      .sort((a, b) => (a.stage === b.stage ? 0 : a.stage === 'midterm' ? -1 : 1));
  }

  /**
   * Records the evaluation of a stage. Rules (decided here; the issue leaves them open):
   * - at least one APPROVED report of the same milestone (mid-term or final) is needed: an
   *   evaluation judges delivered, reviewed outputs;
   * - the final evaluation needs the mid-term one when the payment template has a mid-term
   *   tranche (that tranche is released by it);
   * - one evaluation per stage, never re-recorded (conditional Put).
   *
   * In one transaction with the evaluation (audited `evaluation.recorded`): the contract (audited
   * `contract.evaluated`) with the stage's grade, the mid-term tranche `due`, or for the final
   * stage the final tranche's payable amount by the grade policy (`due`, or `withheld` when 0);
   * what the grade withholds is released to the pool (`committedFen >= withheld`) with a ledger
   * `release` entry, and added to the contract's `withheldFen`. A concurrent change of the contract
   * (a payment, a report approved) is re-read and everything recomputed.
   */
  async record(
    contractId: string,
    input: EvaluationInput,
    officer: Principal,
  ): Promise<{ evaluation: Evaluation; contract: Contract }> {
    const stage = input.stage;
    if (await this.get(contractId, stage)) throw alreadyRecorded(stage);
    const reports = await this.reports.allOfContract(contractId);
    for (let round = 0; round < 3; round++) {
      const read: ContractRead | undefined = await this.contracts.get(contractId);
      if (!read) throw new NotFoundError('contract');
      const c = read.contract;
      if (c.status !== 'active')
        throw new RuleViolationError(
          'contract-completed',
          'The contract is completed; no evaluation can be recorded.',
          '合同已履行完毕，不能再记录评价',
        );
      if (!reports.some((r) => r.milestone === stage && r.status === 'approved'))
        throw new RuleViolationError(
          'no-approved-report',
          `A ${stage} evaluation needs at least one approved ${stage} report.`,
          `${stage === 'midterm' ? '中期' : '末期'}评估至少需要一份已审核通过的${stage === 'midterm' ? '中期' : '末期'}报告`,
        );
      if (stage === 'final' && c.tranches.some((t) => t.milestone === 'midterm') && !c.grades.midterm)
        throw new RuleViolationError(
          'midterm-evaluation-missing',
          'The payment schedule has a mid-term tranche: record the mid-term evaluation before the final one.',
          '拨付方案包含中期款：须先完成中期评估，再进行末期评估',
        );

      const achievement = achievementOf(c);
      const { sheet, problems } = composeSheet(c, input, achievement);
      if (problems.length)
        throw new ValidationError(problems.map((e) => ({ ...e, field: `body.${e.field}` })));
      let result: ReturnType<typeof scoreEvaluation>;
      try {
        result = scoreEvaluation(sheet);
      } catch (e) {
        if (e instanceof ValidationError)
          throw new ValidationError(e.errors.map((p) => ({ ...p, field: `body.sheet.${p.field}` })));
        throw e;
      }

      const at = this.deps.now().toISOString();
      let withheld = 0;
      let finalTranche: Evaluation['finalTranche'];
      const tranches = c.tranches.map((t) => {
        if (stage === 'midterm' && t.milestone === 'midterm' && t.status === 'pending')
          return { ...t, status: 'due' as const };
        if (stage === 'final' && t.milestone === 'final' && t.status === 'pending') {
          const payable = finalTranchePayable(t.amountFen, result.grade, c.payoutPolicy);
          withheld = t.amountFen - payable;
          finalTranche = {
            amountFen: t.amountFen,
            payableFen: payable,
            withheldFen: withheld,
            percent: c.payoutPolicy[result.grade],
          };
          return {
            ...t,
            payableFen: payable,
            status: payable === 0 ? ('withheld' as const) : ('due' as const),
          };
        }
        return t;
      });
      const next: Contract = {
        ...c,
        tranches,
        grades: { ...c.grades, [stage]: result.grade },
        withheldFen: c.withheldFen + withheld,
        status: tranches.every((t) => t.status === 'paid' || t.status === 'withheld')
          ? 'completed'
          : 'active',
        version: c.version + 1,
      };
      const evaluation: Evaluation = {
        id: evaluationIdOf(c.id, stage),
        contractId: c.id,
        stage,
        jurisdictionPath: c.jurisdictionPath,
        orgId: c.orgId,
        sheet,
        achievement,
        result,
        ...(finalTranche ? { finalTranche } : {}),
        ...(input.comments ? { comments: input.comments } : {}),
        recordedAt: at,
        recordedBy: officer.userId,
        version: 1,
      };
      const items = [
        ...audited(
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.evaluation(c.id, stage), ...evaluation },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          undefined,
          { actor: officer.userId, at, action: 'evaluation.recorded' },
        ),
        ...audited(contractWrite(this.table, next, c.version), read.head, {
          actor: officer.userId,
          at,
          action: 'contract.evaluated',
        }),
        ...(withheld > 0
          ? [
              {
                Update: {
                  TableName: this.table,
                  Key: keys.pool(c.poolId),
                  UpdateExpression: 'SET committedFen = committedFen - :amount',
                  ConditionExpression: 'committedFen >= :amount',
                  ExpressionAttributeValues: { ':amount': withheld },
                },
              },
              ledgerEntryPut(this.table, {
                id: randomUUID(),
                poolId: c.poolId,
                kind: 'release',
                amountFen: withheld,
                at,
                actor: officer.userId,
                awardId: c.awardId,
                contractId: c.id,
                cause: 'evaluation.final',
              }),
            ]
          : []),
      ];
      try {
        await this.write(items);
        return { evaluation, contract: next };
      } catch (e) {
        const codes = cancellationCodes(e);
        if (!codes) throw e;
        if (codes[0] === CCF || codes[1] === CCF) throw alreadyRecorded(stage);
        if (codes[2] === CCF || codes[3] === CCF) continue; // the contract changed: recompute
        if (codes[4] === CCF)
          throw new ConflictError(
            'The pool holds less committed money than the grade withholds; the ledger needs checking.',
            '资金池已承诺金额少于应扣留的尾款，请核对资金台账',
          );
        throw e;
      }
    }
    throw new ServiceUnavailableError('The contract kept changing during the evaluation; retry shortly.');
  }
}

function alreadyRecorded(stage: EvaluationStage) {
  return new ConflictError(
    `The ${stage} evaluation of this contract is already recorded; an evaluation is recorded once.`,
    `本合同的${stage === 'midterm' ? '中期' : '末期'}评估已记录，每个阶段只记录一次`,
    { stage },
  );
}
