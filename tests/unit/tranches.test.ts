import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MILESTONES } from '../../shared/calls/model';
import { contractPeriodProblems, splitTranches, type TrancheTemplate } from '../../shared/contracts/tranches';
import { RuleViolationError } from '../../shared/errors';

const T40_30_30: TrancheTemplate[] = [
  { milestone: 'signing', percent: 40 },
  { milestone: 'midterm', percent: 30 },
  { milestone: 'final', percent: 30 },
];
const amounts = (ts: { amountFen: number }[]) => ts.map((t) => t.amountFen);

describe('splitting a contract into tranches (首付款 / 中期款 / 尾款)', () => {
  describe('worked examples, checked by hand', () => {
    it('¥100,000.01 at 40/30/30: the last tranche takes the odd fen', () => {
      // 10,000,001 × 40% = 4,000,000.4 → 4,000,000; × 30% = 3,000,000.3 → 3,000,000;
      // last = 10,000,001 − 7,000,000 = 3,000,001.
      expect(splitTranches(10_000_001, T40_30_30)).toEqual([
        { milestone: 'signing', percent: 40, amountFen: 4_000_000 },
        { milestone: 'midterm', percent: 30, amountFen: 3_000_000 },
        { milestone: 'final', percent: 30, amountFen: 3_000_001 },
      ]);
    });

    it('¥1,200,000.00 at 40/30/30 divides evenly', () => {
      expect(amounts(splitTranches(120_000_000, T40_30_30))).toEqual([48_000_000, 36_000_000, 36_000_000]);
    });

    it('¥10.01 at 33/33/34: 330 + 330 + 341 fen', () => {
      // 1001 × 33% = 330.33 → 330 (twice); last = 1001 − 660 = 341 (its exact share is 340.34).
      const t: TrancheTemplate[] = [
        { milestone: 'signing', percent: 33 },
        { milestone: 'midterm', percent: 33 },
        { milestone: 'final', percent: 34 },
      ];
      expect(amounts(splitTranches(1001, t))).toEqual([330, 330, 341]);
    });

    it('1 fen and 0 fen: the earlier tranches get nothing, the sum is still exact', () => {
      expect(amounts(splitTranches(1, T40_30_30))).toEqual([0, 0, 1]);
      expect(amounts(splitTranches(0, T40_30_30))).toEqual([0, 0, 0]);
    });

    it('a single tranche of 100% is the whole amount', () => {
      expect(splitTranches(6_500_000, [{ milestone: 'final', percent: 100 }])).toEqual([
        { milestone: 'final', percent: 100, amountFen: 6_500_000 },
      ]);
    });

    it('keeps the template order, whatever it is', () => {
      const t: TrancheTemplate[] = [
        { milestone: 'final', percent: 70 },
        { milestone: 'signing', percent: 30 },
      ];
      expect(splitTranches(999, t)).toEqual([
        { milestone: 'final', percent: 70, amountFen: 699 }, // 699.3
        { milestone: 'signing', percent: 30, amountFen: 300 }, // 999 − 699
      ]);
    });

    it('stays exact at the largest safe amount (no float overflow of amount × percent)', () => {
      // 9,007,199,254,740,991 × 40 / 100 = …396.4; × 30 / 100 = …297.3; computed in BigInt.
      expect(amounts(splitTranches(Number.MAX_SAFE_INTEGER, T40_30_30))).toEqual([
        3_602_879_701_896_396, 2_702_159_776_422_297, 2_702_159_776_422_298,
      ]);
    });
  });

  describe('refusals', () => {
    it('refuses a template that does not total 100%, saying what it totals', () => {
      const short = T40_30_30.map((t) => (t.milestone === 'final' ? { ...t, percent: 20 } : t));
      expect(() => splitTranches(100, short)).toThrow(/total 90%; they must total 100%/);
      const long = T40_30_30.map((t) => (t.milestone === 'final' ? { ...t, percent: 40 } : t));
      expect(() => splitTranches(100, long)).toThrow(/total 110%/);
    });

    it('throws a 422 rule violation that carries the Chinese text', () => {
      try {
        splitTranches(100, [{ milestone: 'signing', percent: 50 }]);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(RuleViolationError);
        const err = e as RuleViolationError;
        expect(err.status).toBe(422);
        expect(err.slug).toBe('invalid-payment-template');
        expect(err.detailZh).toBe('各期拨付比例合计 50%，应为 100%');
      }
    });

    it('refuses an empty template, a repeated milestone, and percents that are not whole 1–100', () => {
      expect(() => splitTranches(100, [])).toThrow(/at least one tranche/);
      expect(() =>
        splitTranches(100, [
          { milestone: 'signing', percent: 50 },
          { milestone: 'signing', percent: 50 },
        ]),
      ).toThrow(/"signing" carries more/);
      expect(() =>
        splitTranches(100, [
          { milestone: 'signing', percent: 0 },
          { milestone: 'final', percent: 100 },
        ]),
      ).toThrow(/whole percentage from 1 to 100/);
      expect(() =>
        splitTranches(100, [
          { milestone: 'signing', percent: 40.5 },
          { milestone: 'final', percent: 59.5 },
        ]),
      ).toThrow(/signing tranche is 40.5%/);
    });

    it('refuses an amount that is not a non-negative safe integer of fen', () => {
      for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
        expect(() => splitTranches(bad, T40_30_30)).toThrow(/whole, non-negative number of fen/);
      }
    });
  });

  describe('properties (fast-check)', () => {
    /** 1–3 distinct milestones with whole percents ≥ 1 that total 100. */
    const template = fc
      .tuple(
        fc.shuffledSubarray([...MILESTONES], { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 2, maxLength: 2 }),
      )
      .map(([milestones, cuts]) => {
        const bounds = [0, ...cuts.slice(0, milestones.length - 1).sort((a, b) => a - b), 100];
        return milestones.map((milestone, i) => ({ milestone, percent: bounds[i + 1] - bounds[i] }));
      });
    const amount = fc.oneof(
      fc.integer({ min: 0, max: 1_000 }),
      fc.integer({ min: 0, max: 10_000_000_000 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    );

    it('the generator makes valid templates', () => {
      fc.assert(
        fc.property(template, (t) => {
          expect(t.reduce((s, x) => s + x.percent, 0)).toBe(100);
          expect(t.every((x) => Number.isInteger(x.percent) && x.percent >= 1)).toBe(true);
        }),
      );
    });

    it('tranches are non-negative integers summing exactly to the amount; all but the last are within 1 fen below their exact share', () => {
      fc.assert(
        fc.property(amount, template, (amountFen, t) => {
          const tranches = splitTranches(amountFen, t);
          expect(tranches.map((x) => x.milestone)).toEqual(t.map((x) => x.milestone));
          let sum = 0n;
          tranches.forEach((tr, i) => {
            expect(Number.isSafeInteger(tr.amountFen)).toBe(true);
            expect(tr.amountFen).toBeGreaterThanOrEqual(0);
            sum += BigInt(tr.amountFen);
            // exact share = amount × percent / 100; compare 100 × tranche with amount × percent.
            const diff = BigInt(amountFen) * BigInt(tr.percent) - 100n * BigInt(tr.amountFen);
            if (i < tranches.length - 1) {
              expect(diff >= 0n && diff < 100n).toBe(true);
            } else {
              // The last takes what the floors left: at most (n − 1) fen above its exact share.
              expect(diff <= 0n && -diff < 100n * BigInt(Math.max(1, tranches.length - 1))).toBe(true);
            }
          });
          expect(sum).toBe(BigInt(amountFen));
        }),
        { numRuns: 500 },
      );
    });
  });
});

describe('the contract period (财政部令第102号 第二十四条)', () => {
  it('accepts up to one year without a reason, both days inclusive', () => {
    expect(contractPeriodProblems('2024-01-01', '2024-12-31')).toEqual([]);
    expect(contractPeriodProblems('2024-03-15', '2025-03-14')).toEqual([]);
    expect(contractPeriodProblems('2024-06-01', '2024-06-01')).toEqual([]);
  });

  it('asks for a reason one day past a year, on the reason field, in both languages', () => {
    const problems = contractPeriodProblems('2024-01-01', '2025-01-01');
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe('reason');
    expect(problems[0].message).toMatch(/longer than one year \(2024-01-01 to 2025-01-01\) needs a reason/);
    expect(problems[0].messageZh).toMatch(/超过 1 年.*须说明理由.*财政部令第102号第二十四条/);
  });

  it('treats a blank reason as none', () => {
    expect(contractPeriodProblems('2024-01-01', '2025-06-30', '   ')).toHaveLength(1);
    expect(contractPeriodProblems('2024-01-01', '2025-06-30', '社工站运营服务内容固定、连续性强')).toEqual(
      [],
    );
  });

  it('allows up to three years with a reason, and never more', () => {
    const reason = 'Station operation: stable, recurring, funded every year';
    expect(contractPeriodProblems('2024-01-01', '2026-12-31', reason)).toEqual([]);
    const problems = contractPeriodProblems('2024-01-01', '2027-01-01', reason);
    expect(problems).toEqual([
      {
        field: 'endDate',
        message:
          'A contract may last at most three years (Order No. 102, art. 24): from 2024-01-01 it must end by 2026-12-31, not 2027-01-01.',
        messageZh:
          '政府购买服务合同履行期限最长不超过 3 年（财政部令第102号第二十四条）：自 2024-01-01 起最晚至 2026-12-31，当前为 2027-01-01',
      },
    ]);
    // Without a reason, more than three years is still one problem: the end date.
    expect(contractPeriodProblems('2024-01-01', '2028-01-01').map((p) => p.field)).toEqual(['endDate']);
  });

  it('counts a year from 29 February to 28 February', () => {
    expect(contractPeriodProblems('2024-02-29', '2025-02-28')).toEqual([]);
    expect(contractPeriodProblems('2024-02-29', '2025-03-01').map((p) => p.field)).toEqual(['reason']);
  });

  it('refuses an end before the start', () => {
    expect(contractPeriodProblems('2024-06-01', '2024-05-31')).toEqual([
      {
        field: 'endDate',
        message: 'The contract ends (2024-05-31) before it starts (2024-06-01).',
        messageZh: '合同结束日期（2024-05-31）早于开始日期（2024-06-01）',
      },
    ]);
  });

  it('refuses dates that are not real calendar days written YYYY-MM-DD', () => {
    expect(contractPeriodProblems('2023-02-29', '2023-12-31').map((p) => p.field)).toEqual(['startDate']);
    expect(contractPeriodProblems('2024/01/01', '2024-13-01').map((p) => p.field)).toEqual([
      'startDate',
      'endDate',
    ]);
    expect(contractPeriodProblems('2024-01-01', '')[0].messageZh).toBe(
      '结束日期须为 YYYY-MM-DD 格式的有效日期，当前为“”',
    );
  });
});
