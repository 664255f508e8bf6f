/**
 * Price scores, flags and the ranking of the comprehensive scoring method (综合评分法,
 * 财政部令第87号). Pure: the caller brings the submissions and their aggregates.
 *
 * Choices where the rules are silent:
 * - Only eligible submissions (passed 资格审查 / 符合性审查) get a row; an ineligible one is an
 *   invalid bid (无效投标) and is neither scored nor ranked, and its price sets no benchmark.
 * - Every comparison uses the PUBLISHED values (components rounded half-up to two decimals, the
 *   total as their sum): the published table is what bidders can check and challenge (质疑), so
 *   two rows that read the same there are equal. Consequence: within one lot, equal price means
 *   equal price score, so an equal total and an equal price imply an equal published technical
 *   score — the technical step of the chain is kept as the rule states it but cannot separate two
 *   rows of one lot.
 * - Venture calls score no price (the call rules set price points to 0); their "price" in the tie
 *   chain is the amount requested, low to high, and abnormal-low flags do not apply (87号令 第60条
 *   is about tender prices).
 */

import { type SubmissionAggregate, technicalScoreCenti } from './aggregate';
import { pointsToCenti, type Rational, rational, roundHalfUp2, ZERO } from './arithmetic';
import {
  type ResultRow,
  type ScoredRow,
  type ScoringCall,
  ScoringIncompleteError,
  type SubmissionForScoring,
} from './model';

export interface PriceScore {
  /** 评标基准价 of the submission's lot, fen; undefined when nothing sets one (no price points). */
  benchmarkFen: number | undefined;
  /** The exact score in points. */
  exact: Rational;
  /** The published score: `roundHalfUp2(exact)`. */
  centi: number;
}

const lotKey = (lot: string | undefined) => lot ?? '';

function byLot(submissions: readonly SubmissionForScoring[]): Map<string, SubmissionForScoring[]> {
  const lots = new Map<string, SubmissionForScoring[]>();
  for (const s of submissions) {
    if (!s.eligible) continue;
    const k = lotKey(s.lot);
    const list = lots.get(k);
    if (list) list.push(s);
    else lots.set(k, [s]);
  }
  return lots;
}

function requirePrice(s: SubmissionForScoring): number {
  const p = s.priceFen;
  if (p === undefined || !Number.isSafeInteger(p) || p <= 0) {
    throw new RangeError(`Bid ${s.id} needs a price in whole fen above zero, not ${p}.`);
  }
  return p;
}

/**
 * 87号令 第55条: the benchmark price (评标基准价) is the lowest price among the bids that passed
 * eligibility and conformity checks, per lot; that bid gets the full price points and every other
 * `benchmark / price × price points`, kept exact. Ineligible bids get no score and set no
 * benchmark. Price points of 0 (government-fixed price, venture grants) give every bid 0.
 */
export function priceScores(
  submissions: readonly SubmissionForScoring[],
  pricePoints: number,
): Map<string, PriceScore> {
  const out = new Map<string, PriceScore>();
  const ppCenti = BigInt(pointsToCenti(pricePoints));
  for (const bids of byLot(submissions).values()) {
    if (ppCenti === 0n) {
      for (const s of bids) out.set(s.id, { benchmarkFen: undefined, exact: ZERO, centi: 0 });
      continue;
    }
    let benchmark = Number.POSITIVE_INFINITY;
    for (const s of bids) benchmark = Math.min(benchmark, requirePrice(s));
    const b = BigInt(benchmark);
    for (const s of bids) {
      // benchmark / price × (ppCenti / 100) points
      const exact = rational(b * ppCenti, BigInt(s.priceFen!) * 100n);
      out.set(s.id, { benchmarkFen: benchmark, exact, centi: roundHalfUp2(exact) });
    }
  }
  return out;
}

/**
 * 异常低价 (87号令 第60条: a price 明显低于其他通过符合性审查投标人的报价). The threshold is the
 * call's: a bid is flagged when its price is below the mean of the OTHER eligible bids of its lot
 * by more than `percent`%, i.e. price × 100 < mean_others × (100 − percent); exactly at the
 * threshold is not flagged. With fewer than two other bids there is no "others" to speak of.
 * Integers only: price × 100 × (n − 1) < (Σ lot − price) × (100 − percent).
 */
export function abnormallyLowBids(
  submissions: readonly SubmissionForScoring[],
  percent: number,
): Set<string> {
  const flagged = new Set<string>();
  const keep = BigInt(100 - percent);
  for (const bids of byLot(submissions).values()) {
    const priced = bids.filter((s) => s.priceFen !== undefined);
    const others = BigInt(priced.length - 1);
    if (others < 2n) continue;
    const sum = priced.reduce((t, s) => t + BigInt(s.priceFen!), 0n);
    for (const s of priced) {
      const p = BigInt(s.priceFen!);
      if (p * 100n * others < (sum - p) * keep) flagged.add(s.id);
    }
  }
  return flagged;
}

/**
 * Members whose total departs from the panel median for this submission by strictly more than
 * `outlierPoints` (the call's threshold, read to two decimals like all points). With an even
 * panel the median is the mean of the middle two; compared as doubled integers, exactly.
 */
export function outlierReviewers(agg: SubmissionAggregate, outlierPoints: number): string[] {
  const n = agg.members.length;
  if (n < 2) return [];
  const totals = agg.members.map((m) => m.totalCenti).sort((a, b) => a - b);
  const median2 = totals[(n - 1) >> 1]! + totals[n >> 1]!;
  const limit2 = 2 * Math.round(outlierPoints * 100);
  return agg.members.filter((m) => Math.abs(2 * m.totalCenti - median2) > limit2).map((m) => m.reviewerId);
}

/**
 * One submission's published scores and flags, before ranking: what the per-submission aggregate
 * item carries so that reading the ranking needs no recomputation. Undefined when the submission
 * lacks the sheets its method needs.
 */
export function scoreRow(
  call: ScoringCall,
  submission: SubmissionForScoring,
  agg: SubmissionAggregate,
  priceScoreCenti: number,
  abnormallyLow: boolean,
): ScoredRow | undefined {
  const technical = technicalScoreCenti(agg, call.scoring.method);
  if (technical === undefined) return undefined;
  return {
    submissionId: submission.id,
    lot: submission.lot,
    priceFen: submission.priceFen,
    requestedFen: submission.requestedFen,
    priceScoreCenti,
    technicalScoreCenti: technical,
    // Published tables show the total as the sum of the rounded components.
    totalCenti: priceScoreCenti + technical,
    reviewers: agg.count,
    flags: { abnormallyLow, outlierReviewers: outlierReviewers(agg, call.scoring.outlierPoints) },
  };
}

const tiePrice = (r: ScoredRow) => r.priceFen ?? r.requestedFen ?? 0;

/**
 * The ranking order (87号令 第65条 and the call's rules): total high to low; equal totals by price
 * low to high; equal again by technical score high to low; 0 means the rows stand tied (并列).
 */
export function compareRows(a: ScoredRow, b: ScoredRow): number {
  return (
    b.totalCenti - a.totalCenti || tiePrice(a) - tiePrice(b) || b.technicalScoreCenti - a.technicalScoreCenti
  );
}

const DIGITS_SCORE = 5; // centi-points of at most 100.00 (10000), with room
const DIGITS_FEN = 16; // Number.MAX_SAFE_INTEGER has 16 digits

/**
 * A sort key whose ascending string order is the ranking order within a lot (ties share the key):
 * what a ranking index (GSI sort key) on the aggregate items can use, so the read is one Query.
 */
export function rankSortKey(
  row: Pick<ScoredRow, 'totalCenti' | 'technicalScoreCenti' | 'priceFen' | 'requestedFen'>,
): string {
  const inv = (c: number) => String(10 ** DIGITS_SCORE - 1 - c).padStart(DIGITS_SCORE, '0');
  const price = String(row.priceFen ?? row.requestedFen ?? 0).padStart(DIGITS_FEN, '0');
  return `${inv(row.totalCenti)}#${price}#${inv(row.technicalScoreCenti)}`;
}

function lotOrder(call: ScoringCall, rows: readonly ScoredRow[]): (string | undefined)[] {
  const seen = new Set(rows.map((r) => r.lot));
  const declared = (call.lots ?? []).map((l) => l.code).filter((c) => seen.has(c));
  const rest = [...seen]
    .filter((l): l is string => l !== undefined && !declared.includes(l))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return [...declared, ...rest, ...(seen.has(undefined) ? [undefined] : [])];
}

/**
 * Competition ranking within each lot (1, 1, 3: tied rows share a rank and the next rank skips).
 * Rows come back lot by lot (the call's lot order), best first; tied rows by submission id.
 */
export function assignRanks(call: ScoringCall, rows: readonly ScoredRow[]): ResultRow[] {
  const out: ResultRow[] = [];
  for (const lot of lotOrder(call, rows)) {
    const sorted = rows
      .filter((r) => r.lot === lot)
      .sort((a, b) => compareRows(a, b) || (a.submissionId < b.submissionId ? -1 : 1));
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i]!;
      const prev = out[out.length - 1];
      const same = i > 0 && compareRows(sorted[i - 1]!, r) === 0;
      // Field by field: an object spread here measured several times the cost of the sort.
      out.push({
        submissionId: r.submissionId,
        lot: r.lot,
        priceFen: r.priceFen,
        requestedFen: r.requestedFen,
        priceScoreCenti: r.priceScoreCenti,
        technicalScoreCenti: r.technicalScoreCenti,
        totalCenti: r.totalCenti,
        reviewers: r.reviewers,
        flags: r.flags,
        rank: same ? prev!.rank : i + 1,
        tied: false,
      });
      if (same) {
        prev!.tied = true;
        out[out.length - 1]!.tied = true;
      }
    }
  }
  return out;
}

/**
 * The results table: price scores per lot, technical scores from the aggregates, flags, ranks.
 * Throws `ScoringIncompleteError` naming every eligible submission that lacks sheets.
 */
export function rank(
  call: ScoringCall,
  submissions: readonly SubmissionForScoring[],
  aggregates: ReadonlyMap<string, SubmissionAggregate>,
): ResultRow[] {
  const prices = priceScores(submissions, call.kind === 'venture' ? 0 : call.rubric.pricePoints);
  const low =
    call.kind === 'purchase'
      ? abnormallyLowBids(submissions, call.scoring.abnormalLowPercent)
      : new Set<string>();
  const rows: ScoredRow[] = [];
  const incomplete: string[] = [];
  for (const s of submissions) {
    if (!s.eligible) continue;
    const agg = aggregates.get(s.id);
    const row = agg && scoreRow(call, s, agg, prices.get(s.id)!.centi, low.has(s.id));
    if (row) rows.push(row);
    else incomplete.push(s.id);
  }
  if (incomplete.length) throw new ScoringIncompleteError(incomplete, call.scoring.method);
  return assignRanks(call, rows);
}
