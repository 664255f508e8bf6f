import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitTranches } from '../../shared/contracts/tranches';
import { RuleViolationError, ValidationError } from '../../shared/errors';
import {
  achievementPointsCenti,
  compareOutputs,
  type EvaluationSheet,
  finalTranchePayable,
  GRADES,
  gradeOf,
  type OutputTargets,
  type PayoutPolicy,
  scoreEvaluation,
} from '../../shared/evaluation/grade';

/** A sheet whose indicators' maxima add up to each group's weight (决策 20, 过程 20, 产出 40, 效益 20). */
function sheet(points: { decision: number[]; process: number[]; outputs: number[]; benefits: number[] }) {
  const group = (key: keyof typeof points, weight: number, maxima: number[]) => ({
    key,
    weight,
    indicators: maxima.map((maxPoints, i) => ({
      id: `${key}-${i + 1}`,
      name: `${key} ${i + 1}`,
      maxPoints,
      points: points[key][i],
    })),
  });
  return {
    groups: [
      group('decision', 20, [10, 10]),
      group('process', 20, [12, 8]),
      group('outputs', 40, [10, 10, 10, 10]),
      group('benefits', 20, [15, 5]),
    ],
  } satisfies EvaluationSheet;
}

/** One indicator per group carrying the group's whole weight, to set a total exactly. */
const flat = (d: number, p: number, o: number, b: number): EvaluationSheet => ({
  groups: (
    [
      ['decision', 20, d],
      ['process', 20, p],
      ['outputs', 40, o],
      ['benefits', 20, b],
    ] as const
  ).map(([key, weight, points]) => ({
    key,
    weight,
    indicators: [{ id: key, name: key, maxPoints: weight, points }],
  })),
});

const POLICY: PayoutPolicy = { 优: 100, 良: 100, 中: 80, 差: 0 };

describe('performance evaluation (绩效评价)', () => {
  describe('grades (优 ≥ 90, 良 80–89, 中 60–79, 差 < 60)', () => {
    it('draws the lines at 90.00, 80.00 and 60.00 exactly', () => {
      expect(gradeOf(10_000)).toBe('优');
      expect(gradeOf(9_000)).toBe('优');
      expect(gradeOf(8_999)).toBe('良');
      expect(gradeOf(8_000)).toBe('良');
      expect(gradeOf(7_999)).toBe('中');
      expect(gradeOf(6_000)).toBe('中');
      expect(gradeOf(5_999)).toBe('差');
      expect(gradeOf(0)).toBe('差');
    });

    it('takes whole hundredths only: a total in points is a mistake', () => {
      expect(() => gradeOf(89.99)).toThrow(RangeError);
      expect(() => gradeOf(-1)).toThrow(RangeError);
      expect(() => gradeOf(10_001)).toThrow(RangeError);
    });

    it('grades sheets totalling 89.99 / 90.00, 79.99 / 80.00 and 59.99 / 60.00 on the right side', () => {
      expect(scoreEvaluation(flat(18, 18, 36, 17.99))).toMatchObject({ totalCenti: 8_999, grade: '良' });
      expect(scoreEvaluation(flat(18, 18, 36, 18))).toMatchObject({ totalCenti: 9_000, grade: '优' });
      expect(scoreEvaluation(flat(16, 16, 32, 15.99))).toMatchObject({ totalCenti: 7_999, grade: '中' });
      expect(scoreEvaluation(flat(16, 16, 32, 16))).toMatchObject({ totalCenti: 8_000, grade: '良' });
      expect(scoreEvaluation(flat(12, 12, 24, 11.99))).toMatchObject({ totalCenti: 5_999, grade: '差' });
      expect(scoreEvaluation(flat(12, 12, 24, 12))).toMatchObject({ totalCenti: 6_000, grade: '中' });
    });

    it('sums in hundredths, where floating point would fall short of 90', () => {
      // 16.93 + 17.23 + 39.57 + 16.27 is 89.99999999999999 in doubles: a float grader says 良.
      expect(16.93 + 17.23 + 39.57 + 16.27).toBeLessThan(90);
      expect(scoreEvaluation(flat(16.93, 17.23, 39.57, 16.27))).toMatchObject({
        totalCenti: 9_000,
        total: '90.00',
        grade: '优',
      });
    });
  });

  describe('scoring a sheet', () => {
    it('adds second-level points up to the group, and groups up to the total (worked example)', () => {
      // 决策 9.5 + 8 = 17.5; 过程 11 + 7.25 = 18.25; 产出 9 + 10 + 8.5 + 9.75 = 37.25; 效益 12 + 4.5 = 16.5.
      // Total 17.5 + 18.25 + 37.25 + 16.5 = 89.5 → 良.
      const result = scoreEvaluation(
        sheet({ decision: [9.5, 8], process: [11, 7.25], outputs: [9, 10, 8.5, 9.75], benefits: [12, 4.5] }),
      );
      expect(result).toEqual({
        totalCenti: 8_950,
        total: '89.50',
        grade: '良',
        groups: [
          { key: 'decision', weightCenti: 2_000, scoreCenti: 1_750 },
          { key: 'process', weightCenti: 2_000, scoreCenti: 1_825 },
          { key: 'outputs', weightCenti: 4_000, scoreCenti: 3_725 },
          { key: 'benefits', weightCenti: 2_000, scoreCenti: 1_650 },
        ],
      });
    });

    it('scales indicators scored on their own scale to the group weight, rounding once per group', () => {
      const s = flat(20, 20, 40, 20);
      // 决策 weight 20 over three indicators of 10: (9 + 8 + 7.5) × 20 / 30 = 16.333… → 16.33.
      s.groups[0].indicators = [
        { id: 'd1', name: '立项依据', maxPoints: 10, points: 9 },
        { id: 'd2', name: '绩效目标', maxPoints: 10, points: 8 },
        { id: 'd3', name: '资金投入', maxPoints: 10, points: 7.5 },
      ];
      const r = scoreEvaluation(s);
      expect(r.groups[0].scoreCenti).toBe(1_633);
      expect(r.totalCenti).toBe(1_633 + 2_000 + 4_000 + 2_000);
      // (4 + 1.25) × 20 / 8 = 13.125 → 13.13 (half-up).
      s.groups[0].indicators = [
        { id: 'd1', name: 'a', maxPoints: 4, points: 4 },
        { id: 'd2', name: 'b', maxPoints: 4, points: 1.25 },
      ];
      expect(scoreEvaluation(s).groups[0].scoreCenti).toBe(1_313);
    });

    it('refuses a sheet that is not sound, listing every problem (422)', () => {
      const s = sheet({
        decision: [9.5, 8],
        process: [12.5, 7],
        outputs: [9, 10, 8.555, 9],
        benefits: [12, 4],
      });
      s.groups[3].weight = 10; // weights now total 90
      s.groups[2].indicators[1].id = 'outputs-1';
      try {
        scoreEvaluation(s);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        const errors = (e as ValidationError).errors;
        expect(errors.map((x) => x.field)).toEqual([
          'groups.1.indicators.0.points',
          'groups.2.indicators.1.id',
          'groups.2.indicators.2.points',
          'groups',
        ]);
        expect(errors[0].message).toBe(
          'Indicator "process-1": points must be from 0 to 12.00, with at most two decimals; got 12.5.',
        );
        expect(errors[3].messageZh).toBe('一级指标权重合计 90.00，应为 100');
      }
    });

    it('needs each of 决策 / 过程 / 产出 / 效益 exactly once', () => {
      const s = flat(20, 20, 40, 20);
      s.groups = [s.groups[0], s.groups[0], s.groups[2], s.groups[3]];
      expect(() => scoreEvaluation(s)).toThrow(
        /needs the process group \(过程\) exactly once; it has it 0 times/,
      );
      expect(() => scoreEvaluation(s)).toThrow(
        /needs the decision group \(决策\) exactly once; it has it 2 times/,
      );
    });

    it('refuses a group without indicators and a weight of zero', () => {
      const s = flat(20, 20, 40, 20);
      s.groups[1].indicators = [];
      s.groups[3].weight = 0;
      expect(() => scoreEvaluation(s)).toThrow(ValidationError);
    });
  });

  describe('outputs against targets (prefilling 产出)', () => {
    const targets: OutputTargets = {
      visits: 6_000,
      cases: 20,
      groups: 20,
      activities: 150,
      peopleServed: {
        minimumLiving: 10_000,
        extremePoverty: 1_000,
        childrenInDifficulty: 3_000,
        disabled: 2_000,
        other: 4_000,
      },
    };
    const corrected2023 = {
      visits: { total: 6_465 },
      cases: { total: 18 },
      groups: { total: 20 },
      activities: { total: 162 },
      peopleServed: { total: 22_000 },
    };

    it('gives each achievement as an exact percentage in hundredths (worked example)', () => {
      // 6465 / 6000 = 107.75%; 18 / 20 = 90%; 20 / 20 = 100%; 162 / 150 = 108%;
      // 22000 / (10000 + 1000 + 3000 + 2000 + 4000) = 110%.
      expect(compareOutputs(targets, corrected2023)).toEqual([
        { output: 'visits', target: 6_000, reported: 6_465, percentCenti: 10_775 },
        { output: 'cases', target: 20, reported: 18, percentCenti: 9_000 },
        { output: 'groups', target: 20, reported: 20, percentCenti: 10_000 },
        { output: 'activities', target: 150, reported: 162, percentCenti: 10_800 },
        { output: 'peopleServed', target: 20_000, reported: 22_000, percentCenti: 11_000 },
      ]);
    });

    it('rounds half-up once, and has no ratio for a zero target', () => {
      const r = compareOutputs(
        { ...targets, visits: 6_000, cases: 3, groups: 20_000, activities: 0 },
        { ...corrected2023, visits: { total: 5_665 }, cases: { total: 2 }, groups: { total: 1 } },
      );
      expect(r[0].percentCenti).toBe(9_442); // 94.4166…%
      expect(r[1].percentCenti).toBe(6_667); // 66.666…%
      expect(r[2].percentCenti).toBe(1); // 0.005% → 0.01%
      expect(r[3].percentCenti).toBeNull();
    });

    it('refuses counts that are not non-negative whole numbers', () => {
      expect(() => compareOutputs(targets, { ...corrected2023, cases: { total: -1 } })).toThrow(RangeError);
      expect(() => compareOutputs({ ...targets, groups: 1.5 }, corrected2023)).toThrow(RangeError);
    });

    it('suggests indicator points from an achievement, capped at the maximum', () => {
      expect(achievementPointsCenti(9_000, 10)).toBe(900);
      expect(achievementPointsCenti(10_775, 10)).toBe(1_000);
      expect(achievementPointsCenti(9_442, 7.5)).toBe(708); // 7.0815
      expect(achievementPointsCenti(null, 7.5)).toBe(750);
      expect(achievementPointsCenti(0, 10)).toBe(0);
    });
  });

  describe('the final tranche (尾款) after the evaluation', () => {
    it('pays the policy percent of the tranche, floored to the fen (worked example)', () => {
      // ¥100,000.01 at 40/30/30: the final tranche is 3,000,001 fen.
      const final = splitTranches(10_000_001, [
        { milestone: 'signing', percent: 40 },
        { milestone: 'midterm', percent: 30 },
        { milestone: 'final', percent: 30 },
      ])[2].amountFen;
      expect(final).toBe(3_000_001);
      expect(finalTranchePayable(final, '优', POLICY)).toBe(3_000_001);
      expect(finalTranchePayable(final, '良', POLICY)).toBe(3_000_001);
      expect(finalTranchePayable(final, '中', POLICY)).toBe(2_400_000); // 2,400,000.8
      expect(finalTranchePayable(final, '差', POLICY)).toBe(0);
    });

    it('refuses a policy above 100% or not whole, and one that pays a worse grade more', () => {
      expect(() => finalTranchePayable(100, '优', { ...POLICY, 优: 120 })).toThrow(RuleViolationError);
      expect(() => finalTranchePayable(100, '中', { ...POLICY, 中: 80.5 })).toThrow(/whole percentage/);
      expect(() => finalTranchePayable(100, '优', { 优: 100, 良: 80, 中: 90, 差: 0 })).toThrow(
        'Grade 中 cannot pay more of the final tranche (90%) than grade 良 (80%).',
      );
    });

    it('refuses a tranche that is not a non-negative safe integer of fen', () => {
      for (const bad of [-1, 0.5, Number.NaN, 2 ** 53])
        expect(() => finalTranchePayable(bad, '优', POLICY)).toThrow(/whole, non-negative number of fen/);
    });

    it('is never more than the tranche, never negative, always whole fen (fast-check)', () => {
      const policy = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }).map((ps) => {
        const [a, b, c, d] = [...ps].sort((x, y) => y - x);
        return { 优: a, 良: b, 中: c, 差: d } satisfies PayoutPolicy;
      });
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
          fc.constantFrom(...GRADES),
          policy,
          (tranche, grade, p) => {
            const paid = finalTranchePayable(tranche, grade, p);
            expect(Number.isSafeInteger(paid)).toBe(true);
            expect(paid).toBeGreaterThanOrEqual(0);
            expect(paid).toBeLessThanOrEqual(tranche);
            // floor: paid ≤ exact share < paid + 1
            const diff = BigInt(tranche) * BigInt(p[grade]) - 100n * BigInt(paid);
            expect(diff >= 0n && diff < 100n).toBe(true);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
