import * as z from 'zod/mini';
import { issue } from '../i18n/validation';
import { named, text } from '../schema';
import { EVALUATION_GROUPS, GRADES, GROUP_ZH } from './grade';

export {
  type CallEvaluation,
  CallEvaluationSchema,
  DEFAULT_EVALUATION_WEIGHTS,
  DEFAULT_PAYOUT_POLICY,
  type EvaluationWeights,
  EvaluationWeightsSchema,
  PayoutPolicySchema,
  type PayoutPolicySetting,
} from './settings';

/**
 * Performance evaluation (绩效评价) settings and records. The settings (weights and grade policy)
 * are in settings.ts, re-exported here.
 *
 * Kept apart from contracts/model.ts so that calls/model.ts can use the schemas without an import
 * cycle (contracts/model.ts imports the call's milestones).
 */

// ---- Evaluation records -------------------------------------------------------------------------

export const EVALUATION_STAGES = ['midterm', 'final'] as const;
export type EvaluationStage = (typeof EVALUATION_STAGES)[number];

/** Second-level indicator ids the server scores itself from the reports (产出数量). */
export const AUTOMATIC_OUTPUT_IDS = ['visits', 'cases', 'groups', 'activities', 'peopleServed'] as const;

const Points = z.number().check(z.minimum(0), z.maximum(100));

const IndicatorInput = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,30}$/)),
  name: text(1, 100),
  maxPoints: Points,
  /** Required, except on the automatic output indicators (computed from the reports). */
  points: z.optional(Points),
});

/**
 * What the officer fills in: the indicators of each first-level group. Weights are not part of
 * the input: they come from the contract (the call's). The 产出 group may be left out: it is then
 * built from the five service outputs, its weight split evenly, each scored by achievement.
 */
export const EvaluationInputSchema = named(
  z.strictObject({
    stage: z.enum(EVALUATION_STAGES),
    sheet: z.strictObject({
      groups: z
        .array(
          z.strictObject({
            key: z.enum(EVALUATION_GROUPS),
            indicators: z.array(IndicatorInput).check(z.minLength(1), z.maxLength(30)),
          }),
        )
        .check(
          z.minLength(3),
          z.maxLength(4),
          z.superRefine((groups, ctx) => {
            for (const key of EVALUATION_GROUPS) {
              const count = groups.filter((g) => g.key === key).length;
              if (count > 1 || (count === 0 && key !== 'outputs'))
                issue(ctx, [], {
                  en: `The sheet needs the ${key} group (${GROUP_ZH[key]}) exactly once${key === 'outputs' ? ' (or not at all: it is then built from the reports)' : ''}; it has it ${count} times.`,
                  zh: `评价表须包含一级指标“${GROUP_ZH[key]}”且仅一次${key === 'outputs' ? '（或不填，由系统按报告生成）' : ''}，当前为 ${count} 次`,
                });
            }
          }),
        ),
    }),
    comments: z.optional(text(0, 5000)),
  }),
  'EvaluationInput',
);
export type EvaluationInput = z.infer<typeof EvaluationInputSchema>;

const AchievementSchema = z.object({
  output: z.string(),
  target: z.int(),
  reported: z.int(),
  /** reported / target in hundredths of a percent; null without a target. */
  percentCenti: z.nullable(z.int()),
});

export const EvaluationSchema = named(
  z.object({
    id: z.string(),
    contractId: z.string(),
    stage: z.enum(EVALUATION_STAGES),
    /** The contract's scope (officers' jurisdiction, the provider's own). */
    jurisdictionPath: z.string(),
    orgId: z.string(),
    /** The sheet as scored: weights from the contract, output points computed. */
    sheet: z.object({
      groups: z.array(
        z.object({
          key: z.enum(EVALUATION_GROUPS),
          weight: z.number(),
          indicators: z.array(
            z.object({
              id: z.string(),
              name: z.string(),
              maxPoints: z.number(),
              points: z.number(),
              automatic: z.optional(z.boolean()),
            }),
          ),
        }),
      ),
    }),
    /** Outputs against the contracted targets, from the approved reports' totals at the time. */
    achievement: z.array(AchievementSchema),
    result: z.object({
      totalCenti: z.int(),
      total: z.string(),
      grade: z.enum(GRADES),
      groups: z.array(
        z.object({ key: z.enum(EVALUATION_GROUPS), weightCenti: z.int(), scoreCenti: z.int() }),
      ),
    }),
    /** Final stage: the final tranche's amount, what the grade makes payable, and what is withheld. */
    finalTranche: z.optional(
      z.object({ amountFen: z.int(), payableFen: z.int(), withheldFen: z.int(), percent: z.int() }),
    ),
    comments: z.optional(z.string()),
    recordedAt: z.string(),
    recordedBy: z.string(),
    version: z.int(),
  }),
  'Evaluation',
);
export type Evaluation = z.infer<typeof EvaluationSchema>;
