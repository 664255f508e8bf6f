/**
 * Types of the comprehensive scoring engine (综合评分法, 财政部令第87号): score sheets, the
 * submissions being scored, the published results table and the award selection.
 *
 * Units: points are carried as integer hundredths ("centi-points", 1.00 point = 100) and money as
 * integer fen. Exact intermediate values (means, price scores) are `Rational`s (arithmetic.ts) and
 * are rounded half-up to hundredths only where the table is published.
 */
import type { Call } from '../calls/model';
import { RuleViolationError } from '../errors';

/** One committee member's independent scores for one submission (评审专家评分表). */
export interface ScoreSheet {
  reviewerId: string;
  submissionId: string;
  /** Points per indicator id, each with at most two decimals (as the rubric publishes them). */
  scores: Readonly<Record<string, number>>;
}

/** What the engine needs of a bid (投标) or application (申报). */
export interface SubmissionForScoring {
  id: string;
  /** 标包 code; purchase calls only. */
  lot?: string;
  /** 投标报价 in fen; purchase calls. */
  priceFen?: number;
  /** 申请资助金额 in fen; venture calls. */
  requestedFen?: number;
  /** Passed eligibility and conformity screening (资格审查 / 符合性审查). */
  eligible: boolean;
}

/** The parts of a call the engine reads; a full `Call` fits. */
export interface ScoringCall {
  kind: Call['kind'];
  rubric: { pricePoints: number };
  scoring: Pick<Call['scoring'], 'method' | 'abnormalLowPercent' | 'outlierPoints'>;
  lots?: readonly { code: string }[];
  venture?: Pick<NonNullable<Call['venture']>, 'totalFundingFen' | 'minScore'>;
}

export type ScoringMethod = Call['scoring']['method'];

/** One member's total for one submission, in centi-points. */
export interface MemberTotal {
  reviewerId: string;
  totalCenti: number;
}

export interface ResultFlags {
  /** 异常低价 (87号令 第60条): must be explained in writing before the bid can win. */
  abnormallyLow: boolean;
  /** Members whose total departs from the panel median by more than the call's threshold. */
  outlierReviewers: string[];
}

/** A score row before ranking: what the per-submission aggregate item can carry. */
export interface ScoredRow {
  submissionId: string;
  lot: string | undefined;
  priceFen: number | undefined;
  requestedFen: number | undefined;
  /** Published components, each rounded half-up to two decimals. */
  priceScoreCenti: number;
  technicalScoreCenti: number;
  /** The sum of the two rounded components, as the published table shows it. */
  totalCenti: number;
  reviewers: number;
  flags: ResultFlags;
}

/** A row of the published results table (评标结果汇总表). */
export interface ResultRow extends ScoredRow {
  /** Competition ranking within the lot: 1, 1, 3. */
  rank: number;
  /** 并列: another row of the lot has the same rank. */
  tied: boolean;
}

/** Why a lot has no winner yet, or why an application is not funded. */
export type AwardReason =
  | 'tie'
  | 'explanation-pending'
  | 'insufficient-funds'
  | 'no-eligible-bid'
  | 'below-minimum'
  | 'awaiting-decision';

export type LotAward =
  | { lot: string | undefined; status: 'awarded'; submissionId: string; amountFen: number }
  | {
      lot: string | undefined;
      status: 'pending';
      reason: 'tie' | 'explanation-pending' | 'insufficient-funds';
      /** The rows the officer must decide about (the tied ones, or the flagged one). */
      submissionIds: string[];
    }
  | { lot: string | undefined; status: 'none'; reason: 'no-eligible-bid' };

export type VentureDecision =
  | { submissionId: string; rank: number; status: 'funded'; amountFen: number }
  | {
      submissionId: string;
      rank: number;
      status: 'not-funded';
      reason: 'below-minimum' | 'insufficient-funds';
    }
  | { submissionId: string; rank: number; status: 'pending'; reason: 'tie' | 'awaiting-decision' };

export type AwardSelection =
  | { kind: 'purchase'; budgetFen: number; committedFen: number; remainingFen: number; lots: LotAward[] }
  | {
      kind: 'venture';
      budgetFen: number;
      committedFen: number;
      remainingFen: number;
      decisions: VentureDecision[];
    };

/** Ranking asked for while an eligible submission lacks the sheets its score needs. */
export class ScoringIncompleteError extends RuleViolationError {
  readonly submissionIds: string[];
  constructor(submissionIds: string[], method: ScoringMethod) {
    const need = method === 'trimmed-mean' ? 'at least three score sheets' : 'at least one score sheet';
    const needZh = method === 'trimmed-mean' ? '至少三份评分表' : '至少一份评分表';
    super(
      'scoring-incomplete',
      `Each eligible submission needs ${need} before it can be ranked: ${submissionIds.join(', ')}.`,
      `每个有效投标须有${needZh}方可排名：${submissionIds.join('、')}`,
      { submissionIds },
    );
    this.submissionIds = submissionIds;
  }
}
