/**
 * Performance evaluation (绩效评价), after the 财预〔2020〕10号 framework: four first-level indicators
 * 决策 (decision), 过程 (process), 产出 (outputs) and 效益 (benefits), weighted by the call to a total
 * of 100, each scored through second-level indicators; grades 优 ≥ 90, 良 80–89, 中 60–79, 差 < 60.
 * The final tranche may depend on the grade.
 *
 * Pure functions, no I/O. Points carry at most two decimals and are summed in integer hundredths
 * (centi-points), so totals are exact; money is integer fen.
 */
import { type FieldError, RuleViolationError, ValidationError } from '../errors';
import type { ServiceOutput } from '../reports/validation';
import { formatCenti, rational, roundHalfUp2, roundQuotientHalfUp } from '../scoring/arithmetic';
import { RECIPIENT_CATEGORIES, type RecipientCategory } from '../submissions/constants';

export const EVALUATION_GROUPS = ['decision', 'process', 'outputs', 'benefits'] as const;
export type EvaluationGroupKey = (typeof EVALUATION_GROUPS)[number];
export const GROUP_ZH: Record<EvaluationGroupKey, string> = {
  decision: '决策',
  process: '过程',
  outputs: '产出',
  benefits: '效益',
};

export const GRADES = ['优', '良', '中', '差'] as const;
export type Grade = (typeof GRADES)[number];

/** A second-level indicator: points given within its maximum. */
export interface EvaluationIndicator {
  id: string;
  name: string;
  maxPoints: number;
  points: number;
}

/** A first-level indicator: its weight (points of 100, from the call) and its indicators. */
export interface EvaluationGroup {
  key: EvaluationGroupKey;
  weight: number;
  indicators: EvaluationIndicator[];
}

export interface EvaluationSheet {
  groups: EvaluationGroup[];
}

export interface EvaluationResult {
  /** 0–10000: 87.65 points → 8765. */
  totalCenti: number;
  /** "87.65" */
  total: string;
  grade: Grade;
  groups: { key: EvaluationGroupKey; weightCenti: number; scoreCenti: number }[];
}

/** Points with at most two decimals → hundredths; undefined for anything else. */
function toCenti(v: unknown): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
  const c = Math.round(v * 100);
  return Math.abs(v * 100 - c) < 1e-6 ? c : undefined;
}

/**
 * What is wrong with an evaluation sheet, field by field, in both languages: the four groups each
 * exactly once, weights totalling 100, at least one indicator per group with a positive maximum,
 * points within [0, maximum], at most two decimals everywhere, indicator ids unique.
 */
export function evaluationProblems(sheet: EvaluationSheet): FieldError[] {
  const problems: FieldError[] = [];
  const add = (field: string, message: string, messageZh: string) =>
    problems.push({ field, message, messageZh });
  const groups = Array.isArray(sheet?.groups) ? sheet.groups : [];

  for (const key of EVALUATION_GROUPS) {
    const count = groups.filter((g) => g?.key === key).length;
    if (count !== 1)
      add(
        'groups',
        `The sheet needs the ${key} group (${GROUP_ZH[key]}) exactly once; it has it ${count} times.`,
        `评价表须包含一级指标“${GROUP_ZH[key]}”且仅一次，当前为 ${count} 次`,
      );
  }
  const unknown = groups.find((g) => !(EVALUATION_GROUPS as readonly unknown[]).includes(g?.key));
  if (unknown)
    add(
      'groups',
      `Unknown first-level indicator "${String(unknown?.key)}".`,
      `未知一级指标“${String(unknown?.key)}”`,
    );

  let weightSum = 0;
  const ids = new Set<string>();
  groups.forEach((g, gi) => {
    const at = `groups.${gi}`;
    const label = GROUP_ZH[g?.key] ?? String(g?.key);
    const w = toCenti(g?.weight);
    if (w === undefined || w <= 0 || w > 10_000)
      add(
        `${at}.weight`,
        `The weight of ${g?.key} must be above 0 and at most 100, with at most two decimals; got ${g?.weight}.`,
        `“${label}”权重须大于 0 且不超过 100，最多两位小数，当前为 ${g?.weight}`,
      );
    else weightSum += w;

    const indicators = Array.isArray(g?.indicators) ? g.indicators : [];
    if (indicators.length === 0)
      add(`${at}.indicators`, `${g?.key} needs at least one indicator.`, `“${label}”至少需要一个二级指标`);
    indicators.forEach((ind, ii) => {
      const iat = `${at}.indicators.${ii}`;
      if (ids.has(ind?.id))
        add(`${iat}.id`, `Indicator id "${ind?.id}" is used twice.`, `指标编号“${ind?.id}”重复`);
      ids.add(ind?.id);
      const max = toCenti(ind?.maxPoints);
      if (max === undefined || max <= 0 || max > 10_000) {
        add(
          `${iat}.maxPoints`,
          `Indicator "${ind?.id}": maximum points must be above 0 and at most 100, with at most two decimals; got ${ind?.maxPoints}.`,
          `指标“${ind?.id}”满分须大于 0 且不超过 100，最多两位小数，当前为 ${ind?.maxPoints}`,
        );
        return;
      }
      const p = toCenti(ind?.points);
      if (p === undefined || p < 0 || p > max)
        add(
          `${iat}.points`,
          `Indicator "${ind?.id}": points must be from 0 to ${formatCenti(max)}, with at most two decimals; got ${ind?.points}.`,
          `指标“${ind?.id}”得分须在 0 至 ${formatCenti(max)} 之间，最多两位小数，当前为 ${ind?.points}`,
        );
    });
  });
  if (!problems.some((p) => p.field.endsWith('.weight')) && weightSum !== 10_000)
    add(
      'groups',
      `First-level weights total ${formatCenti(weightSum)}; they must total 100.`,
      `一级指标权重合计 ${formatCenti(weightSum)}，应为 100`,
    );
  return problems;
}

/**
 * Scores a sheet. A group scores the sum of its indicators' points scaled to its weight:
 * Σ points × weight / Σ maxima, rounded half-up to hundredths once per group. When the maxima add
 * up to the weight — the usual indicator system, where second-level points make up the
 * first-level weight — the group score is their plain sum, exact. The total is the sum of the
 * group scores (published components add up to the published total).
 *
 * Throws a ValidationError (422) listing `evaluationProblems` when the sheet is not sound.
 */
export function scoreEvaluation(sheet: EvaluationSheet): EvaluationResult {
  const problems = evaluationProblems(sheet);
  if (problems.length) throw new ValidationError(problems);
  const groups = EVALUATION_GROUPS.map((key) => {
    const g = sheet.groups.find((x) => x.key === key)!;
    const weightCenti = toCenti(g.weight)!;
    const maxCenti = g.indicators.reduce((s, i) => s + toCenti(i.maxPoints)!, 0);
    const pointsCenti = g.indicators.reduce((s, i) => s + toCenti(i.points)!, 0);
    const scoreCenti =
      maxCenti === weightCenti ? pointsCenti : roundQuotientHalfUp(pointsCenti * weightCenti, maxCenti);
    return { key, weightCenti, scoreCenti };
  });
  const totalCenti = groups.reduce((s, g) => s + g.scoreCenti, 0);
  return { totalCenti, total: formatCenti(totalCenti), grade: gradeOf(totalCenti), groups };
}

/**
 * The grade of a total in hundredths (财预〔2020〕10号): 优 ≥ 90.00, 良 80.00–89.99,
 * 中 60.00–79.99, 差 < 60.00.
 */
export function gradeOf(totalCenti: number): Grade {
  if (!Number.isInteger(totalCenti) || totalCenti < 0 || totalCenti > 10_000)
    throw new RangeError(`A total must be a whole number of hundredths from 0 to 10000; got ${totalCenti}.`);
  if (totalCenti >= 9_000) return '优';
  if (totalCenti >= 8_000) return '良';
  if (totalCenti >= 6_000) return '中';
  return '差';
}

// ---- Outputs: targets against what was reported -------------------------------------------------

/** A venture project's targets (submissions/model.ts `Targets`): people served by category. */
export interface OutputTargets {
  visits: number;
  cases: number;
  groups: number;
  activities: number;
  peopleServed: Record<RecipientCategory, number>;
}

/** What a milestone report says was delivered (reports/validation.ts). */
export interface ReportedOutputs {
  visits: { total: number };
  cases: { total: number };
  groups: { total: number };
  activities: { total: number };
  peopleServed: { total: number };
}

export interface OutputAchievement {
  output: ServiceOutput;
  target: number;
  reported: number;
  /**
   * reported / target as a percentage in hundredths, rounded half-up once: 5665 of 6000 →
   * 94.416…% → 9442. May exceed 10000 (over-achievement). Null when the target is 0.
   */
  percentCenti: number | null;
}

/**
 * Achievement of each output against its target — visits, case work, group work, community
 * activities and people served (the target is the sum over recipient categories) — to prefill
 * the 产出 group of the evaluation.
 */
export function compareOutputs(targets: OutputTargets, reported: ReportedOutputs): OutputAchievement[] {
  const peopleTarget = RECIPIENT_CATEGORIES.reduce((s, c) => s + targets.peopleServed[c], 0);
  const pairs: [ServiceOutput, number, number][] = [
    ['visits', targets.visits, reported.visits.total],
    ['cases', targets.cases, reported.cases.total],
    ['groups', targets.groups, reported.groups.total],
    ['activities', targets.activities, reported.activities.total],
    ['peopleServed', peopleTarget, reported.peopleServed.total],
  ];
  return pairs.map(([output, target, got]) => {
    for (const v of [target, got])
      if (!Number.isSafeInteger(v) || v < 0)
        throw new RangeError(`Output counts must be non-negative whole numbers; ${output} has ${v}.`);
    return {
      output,
      target,
      reported: got,
      percentCenti: target === 0 ? null : roundHalfUp2(rational(BigInt(got) * 100n, BigInt(target))),
    };
  });
}

/**
 * Points an output indicator earns from its achievement: maximum × min(achievement, 100%), in
 * hundredths, rounded half-up; no target (null) earns the full points. A suggestion the evaluator
 * may change.
 */
export function achievementPointsCenti(percentCenti: number | null, maxPoints: number): number {
  const max = toCenti(maxPoints);
  if (max === undefined || max < 0)
    throw new RangeError(`Maximum points must be ≥ 0 with two decimals; got ${maxPoints}.`);
  if (percentCenti === null) return max;
  const capped = Math.min(Math.max(percentCenti, 0), 10_000);
  return roundQuotientHalfUp(capped * max, 10_000);
}

// ---- The final tranche --------------------------------------------------------------------------

/** Grade → percent of the final tranche payable, e.g. {优: 100, 良: 100, 中: 80, 差: 0}. */
export type PayoutPolicy = Record<Grade, number>;

/**
 * The part of the final tranche (尾款) payable after an evaluation of the given grade:
 * floor(tranche × percent / 100) in integer fen (BigInt, exact), never more than the tranche.
 *
 * Throws a RuleViolationError (422) for a tranche that is not a non-negative safe integer, or a
 * policy whose percents are not whole numbers from 0 to 100 or pay a worse grade more than a
 * better one.
 */
export function finalTranchePayable(trancheFen: number, grade: Grade, policy: PayoutPolicy): number {
  if (!Number.isSafeInteger(trancheFen) || trancheFen < 0)
    throw new RuleViolationError(
      'invalid-amount',
      `A tranche must be a whole, non-negative number of fen; got ${trancheFen}.`,
      `拨付金额须为非负整数（单位：分），当前为 ${trancheFen}`,
    );
  for (const g of GRADES) {
    const p = policy?.[g];
    if (!Number.isInteger(p) || p < 0 || p > 100)
      throw new RuleViolationError(
        'invalid-payout-policy',
        `The payout for grade ${g} must be a whole percentage from 0 to 100; got ${p}.`,
        `评价等级“${g}”的尾款拨付比例须为 0 至 100 的整数，当前为 ${p}`,
      );
  }
  for (let i = 1; i < GRADES.length; i++) {
    const better = GRADES[i - 1];
    const worse = GRADES[i];
    if (policy[worse] > policy[better])
      throw new RuleViolationError(
        'invalid-payout-policy',
        `Grade ${worse} cannot pay more of the final tranche (${policy[worse]}%) than grade ${better} (${policy[better]}%).`,
        `评价等级“${worse}”的尾款拨付比例（${policy[worse]}%）不得高于“${better}”（${policy[better]}%）`,
      );
  }
  if (!GRADES.includes(grade)) throw new RangeError(`Unknown grade "${grade}".`);
  return Number((BigInt(trancheFen) * BigInt(policy[grade])) / 100n);
}
