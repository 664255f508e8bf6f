import * as z from 'zod/mini';
import { issue } from '../i18n/validation';
import { int, named } from '../schema';
import { GRADES } from './grade';

/**
 * The evaluation settings a call sets (optional `evaluation` on a call; the defaults below
 * otherwise) and each contract copies at signing, so that a later change of the call never
 * re-grades a signed contract.
 *
 * A module of their own, apart from the evaluation records (model.ts, which re-exports them):
 * calls/model.ts and contracts/model.ts need only these, and importing them must not build the
 * evaluation record schemas at cold start.
 */

/** First-level evaluation weights (决策 / 过程 / 产出 / 效益), whole points totalling 100. */
export const EvaluationWeightsSchema = named(
  z
    .strictObject({
      decision: int(1, 100),
      process: int(1, 100),
      outputs: int(1, 100),
      benefits: int(1, 100),
    })
    .check(
      z.superRefine((w, ctx) => {
        const total = w.decision + w.process + w.outputs + w.benefits;
        if (total !== 100)
          issue(ctx, [], {
            en: `First-level weights (decision ${w.decision} + process ${w.process} + outputs ${w.outputs} + benefits ${w.benefits}) total ${total}; they must total 100.`,
            zh: `一级指标权重（决策 ${w.decision} + 过程 ${w.process} + 产出 ${w.outputs} + 效益 ${w.benefits}）合计 ${total}，应为 100`,
          });
      }),
    ),
  'EvaluationWeights',
);
export type EvaluationWeights = z.infer<typeof EvaluationWeightsSchema>;
/** 财预〔2020〕10号 leaves the split to the program; outputs weigh most for service purchases. */
export const DEFAULT_EVALUATION_WEIGHTS = { decision: 15, process: 25, outputs: 40, benefits: 20 } as const;

/** Grade → whole percent of the final tranche payable; a worse grade never pays more than a better one. */
export const PayoutPolicySchema = named(
  z
    .strictObject({
      优: int(0, 100),
      良: int(0, 100),
      中: int(0, 100),
      差: int(0, 100),
    })
    .check(
      z.superRefine((p, ctx) => {
        for (let i = 1; i < GRADES.length; i++) {
          const better = GRADES[i - 1]!;
          const worse = GRADES[i]!;
          if (p[worse] > p[better])
            issue(ctx, [worse], {
              en: `Grade ${worse} cannot pay more of the final tranche (${p[worse]}%) than grade ${better} (${p[better]}%).`,
              zh: `评价等级“${worse}”的尾款拨付比例（${p[worse]}%）不得高于“${better}”（${p[better]}%）`,
            });
        }
      }),
    ),
  'PayoutPolicy',
);
export type PayoutPolicySetting = z.infer<typeof PayoutPolicySchema>;
/** 优 and 良 are paid in full, 中 80%, 差 nothing (the call may set its own policy). */
export const DEFAULT_PAYOUT_POLICY = { 优: 100, 良: 100, 中: 80, 差: 0 } as const;

/** A call's evaluation settings (optional on the call; defaults above). */
export const CallEvaluationSchema = named(
  z.strictObject({ weights: EvaluationWeightsSchema, payoutPolicy: PayoutPolicySchema }),
  'CallEvaluation',
);
export type CallEvaluation = z.infer<typeof CallEvaluationSchema>;
