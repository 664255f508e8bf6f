import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { toFieldErrors } from '../../shared/i18n/validation';
import {
  type MilestoneReportInput,
  MilestoneReportInputSchema,
  reportProblems,
} from '../../shared/reports/validation';

/** Xun County 2023 as the seed article prints it: the visit breakdown totals 6,465, not 5,665. */
const SEED_2023: MilestoneReportInput = {
  visits: {
    total: 5665,
    byCategory: {
      minimumLiving: 4139,
      extremePoverty: 373,
      childrenInDifficulty: 801,
      disabled: 441,
      other: 711,
    },
  },
  cases: { total: 18 },
  groups: { total: 20 },
  activities: { total: 162 },
  peopleServed: { total: 22_000 },
  resourcesLinkedFen: 6_500_000, // ¥65,000
  training: { sessions: 12, hours: 120 },
  supervision: { sessions: 65, hours: 145 },
  narrative: '浚县 11 个乡镇社工站 2023 年度服务情况：探访建档服务对象，开展个案、小组和社区活动。',
};

/** The same report with the total corrected to the breakdown (4139 + 373 + 801 + 441 + 711 = 6465). */
const CORRECTED_2023: MilestoneReportInput = { ...SEED_2023, visits: { ...SEED_2023.visits, total: 6465 } };

/** A copy with one change, for the rule under test. */
const withChange = (change: Partial<MilestoneReportInput>): MilestoneReportInput => ({
  ...CORRECTED_2023,
  ...change,
});
const fields = (r: MilestoneReportInput) => reportProblems(r).map((p) => p.field);

describe('milestone report validation', () => {
  describe("the seed's 2023 figures", () => {
    it('rejects the visit breakdown that disagrees with its total, naming 6,465 and 5,665', () => {
      expect(reportProblems(SEED_2023)).toEqual([
        {
          field: 'visits.byCategory',
          message:
            'Visits by category add up to 6,465 but the total says 5,665 (minimum living allowance 4,139 + extreme poverty 373 + children in difficulty 801 + disabled 441 + other 711).',
          messageZh:
            '探访按类别合计 6465 次，与总数 5665 次不一致（低保 4139 + 特困 373 + 困境儿童 801 + 残疾人 441 + 其他 711）',
        },
      ]);
    });

    it('accepts the corrected report: 18 cases, 20 groups, 162 activities, ¥65,000, 12/120 training, 65/145 supervision', () => {
      expect(reportProblems(CORRECTED_2023)).toEqual([]);
      const parsed = MilestoneReportInputSchema.safeParse(CORRECTED_2023);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual(CORRECTED_2023);
    });

    it('the schema refuses the seed figures with the same bilingual field error', () => {
      const parsed = MilestoneReportInputSchema.safeParse(SEED_2023);
      expect(parsed.success).toBe(false);
      expect(toFieldErrors(parsed.error!)).toEqual(reportProblems(SEED_2023));
    });
  });

  describe('breakdowns must add up to their totals', () => {
    it('is optional: a total alone is fine', () => {
      const { byCategory: _, ...visits } = CORRECTED_2023.visits;
      expect(reportProblems(withChange({ visits }))).toEqual([]);
    });

    it('checks people served, with the unit 人', () => {
      const problems = reportProblems(
        withChange({
          peopleServed: {
            total: 22_000,
            // 15,000 + 1,200 + 2,500 + 1,300 + 2,100 = 22,100
            byCategory: {
              minimumLiving: 15_000,
              extremePoverty: 1_200,
              childrenInDifficulty: 2_500,
              disabled: 1_300,
              other: 2_100,
            },
          },
        }),
      );
      expect(problems).toHaveLength(1);
      expect(problems[0].field).toBe('peopleServed.byCategory');
      expect(problems[0].message).toMatch(
        /^People served by category add up to 22,100 but the total says 22,000/,
      );
      expect(problems[0].messageZh).toMatch(/^服务人数按类别合计 22100 人，与总数 22000 人不一致/);
    });

    it('reports every output whose breakdown disagrees, each on its own field', () => {
      const br = (n: number) => ({
        minimumLiving: n,
        extremePoverty: 0,
        childrenInDifficulty: 0,
        disabled: 0,
        other: 0,
      });
      const r = withChange({
        cases: { total: 18, byCategory: br(17) },
        groups: { total: 20, byCategory: br(20) },
        activities: { total: 162, byCategory: br(163) },
      });
      expect(fields(r)).toEqual(['cases.byCategory', 'activities.byCategory']);
      expect(reportProblems(r)[1].messageZh).toMatch(/^社区活动按类别合计 163 场，与总数 162 场不一致/);
    });

    it('does not add up a breakdown that holds a bad number; it reports the number instead', () => {
      const r = withChange({
        visits: { total: 6465, byCategory: { ...CORRECTED_2023.visits.byCategory!, other: -711 } },
      });
      expect(reportProblems(r)).toEqual([
        {
          field: 'visits.byCategory.other',
          message: 'Visits for other cannot be negative; got -711.',
          messageZh: '探访（其他）不能为负数，当前为 -711',
        },
      ]);
    });
  });

  describe('numbers that cannot be right', () => {
    it('rejects negative values', () => {
      expect(reportProblems(withChange({ cases: { total: -1 } }))).toEqual([
        {
          field: 'cases.total',
          message: 'Case works (total) cannot be negative; got -1.',
          messageZh: '个案工作总数不能为负数，当前为 -1',
        },
      ]);
    });

    it('rejects non-integers and non-numbers', () => {
      expect(reportProblems(withChange({ groups: { total: 2.5 } }))[0]).toEqual({
        field: 'groups.total',
        message: 'Group works (total) must be a whole number; got 2.5.',
        messageZh: '小组工作总数须为整数，当前为 2.5',
      });
      expect(reportProblems(withChange({ activities: { total: Number.NaN } }))[0].message).toBe(
        'Community activities (total) must be a number; got NaN.',
      );
    });

    it('rejects more than 10,000,000 of anything, and accepts exactly 10,000,000', () => {
      expect(reportProblems(withChange({ peopleServed: { total: 10_000_001 } }))).toEqual([
        {
          field: 'peopleServed.total',
          message:
            'People served (total) is 10,000,001, more than the plausible maximum of 10,000,000: check the figure.',
          messageZh: '服务人数总数为 10000001，超过上限 10000000，请核实',
        },
      ]);
      expect(reportProblems(withChange({ peopleServed: { total: 10_000_000 } }))).toEqual([]);
      expect(fields(withChange({ training: { sessions: 10_000_001, hours: 5_000_000 } }))).toEqual([
        'training.sessions',
      ]);
    });

    it('checks resources linked as integer fen, up to ¥10,000,000', () => {
      expect(fields(withChange({ resourcesLinkedFen: 6_500_000.5 }))).toEqual(['resourcesLinkedFen']);
      expect(reportProblems(withChange({ resourcesLinkedFen: 6_500_000.5 }))[0].message).toBe(
        'Resources linked must be a whole number of fen; got 6500000.5.',
      );
      expect(reportProblems(withChange({ resourcesLinkedFen: -100 }))[0].message).toBe(
        'Resources linked cannot be negative; got -¥1.00.',
      );
      expect(reportProblems(withChange({ resourcesLinkedFen: 1_000_000_001 }))[0]).toEqual({
        field: 'resourcesLinkedFen',
        message:
          'Resources linked is ¥10,000,000.01, more than the plausible maximum of ¥10,000,000.00: check the figure.',
        messageZh: '链接资源金额为 10000000.01 元，超过上限 10000000 元，请核实',
      });
      expect(reportProblems(withChange({ resourcesLinkedFen: 1_000_000_000 }))).toEqual([]);
    });

    it('rejects more than 24 hours a session on average, and accepts exactly 24', () => {
      // 12 sessions × 24 h = 288 h is the most; 300 h is 25 h a session.
      expect(reportProblems(withChange({ training: { sessions: 12, hours: 300 } }))).toEqual([
        {
          field: 'training.hours',
          message:
            'Training: 300 hours over 12 sessions is 25 hours a session on average; a session cannot average more than 24 hours.',
          messageZh: '培训 12 次共 300 小时，平均每次 25 小时，超过每次 24 小时的上限',
        },
      ]);
      expect(reportProblems(withChange({ training: { sessions: 12, hours: 288 } }))).toEqual([]);
      // 65 sessions, 1,561 h → 24.02 h on average.
      expect(reportProblems(withChange({ supervision: { sessions: 65, hours: 1561 } }))[0].message).toMatch(
        /is 24.02 hours a session on average/,
      );
    });

    it('rejects hours without sessions and sessions without hours; nothing at all is fine', () => {
      expect(reportProblems(withChange({ supervision: { sessions: 0, hours: 5 } }))).toEqual([
        {
          field: 'supervision.hours',
          message: 'Supervision: 5 hours are reported without any session.',
          messageZh: '督导次数为 0，却记录了 5 小时',
        },
      ]);
      expect(reportProblems(withChange({ training: { sessions: 3, hours: 0 } }))[0].messageZh).toBe(
        '培训 3 次，时长却为 0 小时',
      );
      expect(reportProblems(withChange({ training: { sessions: 0, hours: 0 } }))).toEqual([]);
    });

    it('needs a narrative', () => {
      expect(reportProblems(withChange({ narrative: '  ' }))).toEqual([
        {
          field: 'narrative',
          message: 'Describe the work done in the narrative.',
          messageZh: '请填写服务情况说明',
        },
      ]);
    });
  });

  describe('the request schema', () => {
    it('is named for the OpenAPI document', () => {
      expect(z.globalRegistry.get(MilestoneReportInputSchema)?.id).toBe('MilestoneReportInput');
    });

    it('refuses unknown fields (strict objects)', () => {
      const parsed = MilestoneReportInputSchema.safeParse({ ...CORRECTED_2023, stationEvaluations: 10 });
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues[0].code).toBe('unrecognized_keys');
    });

    it('gives one message per mistake: bounds first, the cross-field rules only on sound input', () => {
      const parsed = MilestoneReportInputSchema.safeParse({ ...SEED_2023, cases: { total: -1 } });
      expect(parsed.success).toBe(false);
      const errors = toFieldErrors(parsed.error!);
      expect(errors.map((e) => e.field)).toEqual(['cases.total']);
      expect(errors[0].messageZh).not.toBe('');
    });

    it('rejects a fractional count and a missing field', () => {
      const { narrative: _, ...noNarrative } = CORRECTED_2023;
      expect(MilestoneReportInputSchema.safeParse(noNarrative).success).toBe(false);
      expect(MilestoneReportInputSchema.safeParse(withChange({ cases: { total: 1.5 } })).success).toBe(false);
    });

    it('runs the hour rules through the schema too', () => {
      const parsed = MilestoneReportInputSchema.safeParse(
        withChange({ training: { sessions: 0, hours: 4 } }),
      );
      expect(toFieldErrors(parsed.error!)).toEqual([
        {
          field: 'training.hours',
          message: 'Training: 4 hours are reported without any session.',
          messageZh: '培训次数为 0，却记录了 4 小时',
        },
      ]);
    });
  });
});
