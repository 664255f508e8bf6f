/**
 * The per-submission score aggregate, maintained as each sheet is submitted.
 *
 * It is what the per-submission aggregate item stores, so that reading the ranking is one Query
 * over those items and never a recomputation over every score: the count, the sum, the lowest and
 * highest member totals (for the trimmed mean) and each member's total (for the median that
 * outlier flags compare against). All in integer centi-points, so updates are exact.
 */
import type { Rubric } from '../calls/model';
import type { FieldError } from '../errors';
import { type Rational, rational, roundQuotientHalfUp } from './arithmetic';
import type { MemberTotal, ScoreSheet, ScoringMethod, SubmissionForScoring } from './model';

export interface SubmissionAggregate {
  /** Sheets counted: one per member. */
  count: number;
  /** Σ member totals, centi-points. */
  sumCenti: number;
  /** Lowest and highest member totals; 0 while count is 0. */
  minCenti: number;
  maxCenti: number;
  /** One entry per member, in the order their sheets arrived. */
  members: readonly MemberTotal[];
}

export const emptyAggregate = (): SubmissionAggregate => ({
  count: 0,
  sumCenti: 0,
  minCenti: 0,
  maxCenti: 0,
  members: [],
});

/** A member's total for a submission: Σ indicator points, exactly, in centi-points. */
export function sheetTotalCenti(sheet: ScoreSheet): number {
  let total = 0;
  // Object.values rather than for…in: twice as fast on the 420,000 scores of the benchmark.
  for (const v of Object.values(sheet.scores)) {
    const c = Math.round(v * 100);
    // Written negated so that NaN and ±Infinity fail too.
    if (!(Math.abs(v * 100 - c) <= 1e-6 && c >= 0)) throw invalidScore(sheet);
    total += c;
  }
  return total;
}

function invalidScore(sheet: ScoreSheet): RangeError {
  const [id, v] = Object.entries(sheet.scores).find(([, v]) => {
    const c = Math.round(v * 100);
    return !(Math.abs(v * 100 - c) <= 1e-6 && c >= 0);
  })!;
  return new RangeError(
    `Score for ${id} on ${sheet.submissionId} by ${sheet.reviewerId} must be a non-negative number with at most two decimals, not ${v}.`,
  );
}

function fromMembers(members: readonly MemberTotal[]): SubmissionAggregate {
  if (members.length === 0) return emptyAggregate();
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const m of members) {
    sum += m.totalCenti;
    if (m.totalCenti < min) min = m.totalCenti;
    if (m.totalCenti > max) max = m.totalCenti;
  }
  return { count: members.length, sumCenti: sum, minCenti: min, maxCenti: max, members };
}

/**
 * The aggregate with one more sheet (pure: returns a new aggregate). A second sheet from the same
 * member replaces the first, so the aggregate always equals the fold of each member's latest
 * sheet and a retried submission cannot count twice; whether a member may still change a sheet
 * is the scoring service's decision, not this function's.
 */
export function addSheet(agg: SubmissionAggregate, sheet: ScoreSheet): SubmissionAggregate {
  const totalCenti = sheetTotalCenti(sheet);
  const member = { reviewerId: sheet.reviewerId, totalCenti };
  const at = agg.members.findIndex((m) => m.reviewerId === sheet.reviewerId);
  if (at >= 0) return fromMembers(agg.members.map((m, i) => (i === at ? member : m)));
  return {
    count: agg.count + 1,
    sumCenti: agg.sumCenti + totalCenti,
    minCenti: agg.count === 0 ? totalCenti : Math.min(agg.minCenti, totalCenti),
    maxCenti: agg.count === 0 ? totalCenti : Math.max(agg.maxCenti, totalCenti),
    members: [...agg.members, member],
  };
}

/** Sheets counted by the method and their sum, or undefined when there are too few. */
function counted(agg: SubmissionAggregate, method: ScoringMethod): { sum: number; n: number } | undefined {
  if (method === 'trimmed-mean') {
    // 去掉一个最高分和一个最低分: one of each, even when several members gave the same total;
    // with fewer than three sheets nothing would be left to average.
    if (agg.count < 3) return undefined;
    return { sum: agg.sumCenti - agg.minCenti - agg.maxCenti, n: agg.count - 2 };
  }
  // 87号令 第55条: the arithmetic mean of the members' scores.
  if (agg.count < 1) return undefined;
  return { sum: agg.sumCenti, n: agg.count };
}

/** The exact technical score in points (Σ counted totals / members), or undefined when too few sheets. */
export function technicalScore(agg: SubmissionAggregate, method: ScoringMethod): Rational | undefined {
  const c = counted(agg, method);
  return c && rational(c.sum, c.n * 100);
}

/**
 * The published technical score in centi-points: `roundHalfUp2(technicalScore(...))`, computed
 * with integers only (the sums stay far below 2^53) because the ranking runs it per submission.
 */
export function technicalScoreCenti(agg: SubmissionAggregate, method: ScoringMethod): number | undefined {
  const c = counted(agg, method);
  return c && roundQuotientHalfUp(c.sum, c.n);
}

/** Every submission's aggregate, folding the sheets in order; the batch form of `addSheet`. */
export function aggregateAll(
  submissions: readonly SubmissionForScoring[],
  sheets: readonly ScoreSheet[],
): Map<string, SubmissionAggregate> {
  const out = new Map<string, SubmissionAggregate>();
  for (const s of submissions) out.set(s.id, emptyAggregate());
  for (const sheet of sheets) {
    const agg = out.get(sheet.submissionId);
    if (!agg) throw new RangeError(`Score sheet for an unknown submission: ${sheet.submissionId}.`);
    out.set(sheet.submissionId, addSheet(agg, sheet));
  }
  return out;
}

/**
 * What is wrong with a sheet against the call's rubric: every indicator scored once, between 0 and
 * its maximum, with at most two decimals (评分因素细化量化, 87号令 第55条).
 */
export function sheetProblems(rubric: Pick<Rubric, 'groups'>, sheet: ScoreSheet): FieldError[] {
  const problems: FieldError[] = [];
  const indicators = rubric.groups.flatMap((g) => g.indicators);
  const known = new Set(indicators.map((i) => i.id));
  for (const i of indicators) {
    const field = `scores.${i.id}`;
    const v = sheet.scores[i.id];
    if (v === undefined) {
      problems.push({ field, message: `Score indicator ${i.id}.`, messageZh: `请为指标 ${i.id} 评分` });
    } else if (!Number.isFinite(v) || Math.abs(v * 100 - Math.round(v * 100)) > 1e-6) {
      problems.push({ field, message: 'Use at most two decimals.', messageZh: '最多保留两位小数' });
    } else if (v < 0 || v > i.maxPoints) {
      problems.push({
        field,
        message: `Must be between 0 and ${i.maxPoints}.`,
        messageZh: `应在 0 至 ${i.maxPoints} 分之间`,
      });
    }
  }
  for (const id of Object.keys(sheet.scores)) {
    if (!known.has(id)) {
      problems.push({
        field: `scores.${id}`,
        message: `No indicator ${id} in this call.`,
        messageZh: `本项目没有指标 ${id}`,
      });
    }
  }
  return problems;
}
