import { describe, expect, it } from 'vitest';
import {
  addSheet,
  aggregateAll,
  emptyAggregate,
  type SubmissionAggregate,
  sheetProblems,
  sheetTotalCenti,
  technicalScore,
  technicalScoreCenti,
} from '../../shared/scoring/aggregate';
import { rational, roundHalfUp2 } from '../../shared/scoring/arithmetic';
import type { ScoreSheet } from '../../shared/scoring/model';

/** A member's sheet whose indicator points add up to `total` (split over T1 and T2). */
function sheet(reviewerId: string, total: number, submissionId = 'S1'): ScoreSheet {
  const c = Math.round(total * 100);
  const half = Math.floor(c / 2);
  return { reviewerId, submissionId, scores: { T1: half / 100, T2: (c - half) / 100 } };
}

const fold = (totals: number[]): SubmissionAggregate =>
  totals.reduce((agg, t, i) => addSheet(agg, sheet(`R${i + 1}`, t)), emptyAggregate());

describe('score aggregate per submission', () => {
  it('adds a sheet’s indicator points exactly, in hundredths', () => {
    expect(
      sheetTotalCenti({ reviewerId: 'R1', submissionId: 'S1', scores: { a: 0.1, b: 0.2, c: 14.9 } }),
    ).toBe(1520);
  });

  it('refuses a score with a third decimal, or a negative one, naming it', () => {
    expect(() => sheetTotalCenti({ reviewerId: 'R1', submissionId: 'S1', scores: { T1: 7.125 } })).toThrow(
      /T1 on S1 by R1/,
    );
    expect(() => sheetTotalCenti({ reviewerId: 'R1', submissionId: 'S1', scores: { T1: -1 } })).toThrow(
      RangeError,
    );
  });

  it('keeps count, sum, lowest, highest and each member’s total as sheets arrive', () => {
    let agg = emptyAggregate();
    agg = addSheet(agg, sheet('R1', 78.5));
    agg = addSheet(agg, sheet('R2', 82));
    agg = addSheet(agg, sheet('R3', 65.25));
    expect(agg).toEqual({
      count: 3,
      sumCenti: 7850 + 8200 + 6525,
      minCenti: 6525,
      maxCenti: 8200,
      members: [
        { reviewerId: 'R1', totalCenti: 7850 },
        { reviewerId: 'R2', totalCenti: 8200 },
        { reviewerId: 'R3', totalCenti: 6525 },
      ],
    });
  });

  it('is pure: adding a sheet leaves the previous aggregate as it was', () => {
    const before = fold([80, 70]);
    const copy = structuredClone(before);
    addSheet(before, sheet('R3', 90));
    expect(before).toEqual(copy);
  });

  it('lets a member’s later sheet replace the earlier one, so a retry never counts twice', () => {
    const agg = addSheet(fold([80, 70, 90]), sheet('R3', 75));
    expect(agg).toMatchObject({ count: 3, sumCenti: 22_500, minCenti: 7000, maxCenti: 8000 });
    expect(addSheet(agg, sheet('R3', 75))).toEqual(agg);
  });

  describe('technical score (87号令: the arithmetic mean of the members’ scores)', () => {
    it('is the exact mean, rounded only when published', () => {
      // 80.00 + 81.00 + 82.00 + 79.00 + 80.01 = 402.01; ÷ 5 = 80.402 → 80.40
      const agg = fold([80, 81, 82, 79, 80.01]);
      expect(technicalScore(agg, 'mean')).toEqual(rational(40_201, 500));
      expect(technicalScoreCenti(agg, 'mean')).toBe(8040);
    });

    it('rounds a mean exactly on .xx5 up', () => {
      // Any panel size works here; an even count is what reaches the boundary: (80.01 + 80.00) ÷ 2 = 80.005
      expect(technicalScoreCenti(fold([80.01, 80]), 'mean')).toBe(8001);
    });

    it('drops one highest and one lowest for the trimmed mean (去掉一个最高分和一个最低分) — worked, 7 members', () => {
      // member totals           78.50  82.00  80.25  91.00  79.75  65.00  81.30   Σ 557.80
      // drop highest, lowest                        91.00         65.00
      // counted                 78.50 + 82.00 + 80.25 + 79.75 + 81.30 = 401.80;  ÷ 5 = 80.36
      // plain mean for contrast 557.80 ÷ 7 = 79.6857… → 79.69
      const agg = fold([78.5, 82, 80.25, 91, 79.75, 65, 81.3]);
      expect(technicalScore(agg, 'trimmed-mean')).toEqual(rational(40_180, 500));
      expect(technicalScoreCenti(agg, 'trimmed-mean')).toBe(8036);
      expect(technicalScoreCenti(agg, 'mean')).toBe(7969);
    });

    it('drops only one of several equal highest or lowest totals', () => {
      // 90, 90, 80, 70, 70 → drop one 90 and one 70 → (90 + 80 + 70) ÷ 3 = 80.00
      expect(technicalScoreCenti(fold([90, 90, 80, 70, 70]), 'trimmed-mean')).toBe(8000);
    });

    it('has no value until there are enough sheets: one for the mean, three for the trimmed mean', () => {
      expect(technicalScore(emptyAggregate(), 'mean')).toBeUndefined();
      expect(technicalScoreCenti(fold([80, 70]), 'trimmed-mean')).toBeUndefined();
      expect(technicalScoreCenti(fold([80, 70, 75]), 'trimmed-mean')).toBe(7500);
    });

    it('gives the same published value on the integer path as rounding the exact rational', () => {
      const agg = fold([71.01, 70.99, 72.33, 69.5, 70.02, 71.11, 68.07]);
      for (const method of ['mean', 'trimmed-mean'] as const) {
        expect(technicalScoreCenti(agg, method)).toBe(roundHalfUp2(technicalScore(agg, method)!));
      }
    });
  });

  describe('batch aggregation', () => {
    it('folds every sheet into its submission’s aggregate, empty ones included', () => {
      const subs = [
        { id: 'S1', eligible: true },
        { id: 'S2', eligible: true },
        { id: 'S3', eligible: false },
      ];
      const all = aggregateAll(subs, [sheet('R1', 80, 'S1'), sheet('R1', 60, 'S2'), sheet('R2', 70, 'S1')]);
      expect(all.get('S1')).toMatchObject({ count: 2, sumCenti: 15_000 });
      expect(all.get('S2')).toMatchObject({ count: 1, sumCenti: 6000 });
      expect(all.get('S3')).toEqual(emptyAggregate());
    });

    it('refuses a sheet for a submission it was not given', () => {
      expect(() => aggregateAll([{ id: 'S1', eligible: true }], [sheet('R1', 80, 'S9')])).toThrow(/S9/);
    });
  });

  describe('sheet against the rubric', () => {
    const rubric = {
      groups: [
        {
          name: '服务方案',
          indicators: [
            { id: 'T1', name: '需求分析', maxPoints: 15, criteria: '…' },
            { id: 'T2', name: '服务内容', maxPoints: 20, criteria: '…' },
          ],
        },
      ],
    };
    const of = (scores: Record<string, number>) => ({ reviewerId: 'R1', submissionId: 'S1', scores });

    it('accepts every indicator scored once within its maximum', () => {
      expect(sheetProblems(rubric, of({ T1: 15, T2: 0 }))).toEqual([]);
    });

    it('names each indicator that is missing, over its maximum, too precise or unknown', () => {
      expect(sheetProblems(rubric, of({ T1: 15.01, X: 1 })).map((p) => [p.field, p.messageZh])).toEqual([
        ['scores.T1', '应在 0 至 15 分之间'],
        ['scores.T2', '请为指标 T2 评分'],
        ['scores.X', '本项目没有指标 X'],
      ]);
      expect(sheetProblems(rubric, of({ T1: 7.125, T2: -1 })).map((p) => p.message)).toEqual([
        'Use at most two decimals.',
        'Must be between 0 and 20.',
      ]);
    });
  });
});
