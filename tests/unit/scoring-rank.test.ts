import { describe, expect, it } from 'vitest';
import { purchaseCall } from '../../infra/local/seed';
import { aggregateAll } from '../../shared/scoring/aggregate';
import { equalsRational, formatCenti, rational } from '../../shared/scoring/arithmetic';
import {
  type ResultRow,
  type ScoredRow,
  type ScoreSheet,
  type ScoringCall,
  ScoringIncompleteError,
  type SubmissionForScoring,
} from '../../shared/scoring/model';
import {
  abnormallyLowBids,
  compareRows,
  outlierReviewers,
  priceScores,
  rank,
  rankSortKey,
} from '../../shared/scoring/rank';

const yuan = (y: number) => Math.round(y * 100);

function purchase(over: Partial<ScoringCall['scoring']> = {}, pricePoints = 10): ScoringCall {
  return {
    kind: 'purchase',
    rubric: { pricePoints },
    scoring: { method: 'mean', abnormalLowPercent: 20, outlierPoints: 10, ...over },
    lots: [{ code: '1' }, { code: '2' }],
  };
}

const bid = (id: string, priceYuan: number, lot = '1', eligible = true): SubmissionForScoring => ({
  id,
  lot,
  priceFen: yuan(priceYuan),
  eligible,
});

/** One sheet per member total (R1, R2, …), each split over two indicators. */
function panel(submissionId: string, totals: number[]): ScoreSheet[] {
  return totals.map((total, i) => {
    const c = Math.round(total * 100);
    const half = Math.floor(c / 2);
    return { reviewerId: `R${i + 1}`, submissionId, scores: { T1: half / 100, T2: (c - half) / 100 } };
  });
}

function table(call: ScoringCall, subs: SubmissionForScoring[], sheets: ScoreSheet[]): ResultRow[] {
  return rank(call, subs, aggregateAll(subs, sheets));
}

/** The published table as a bidder reads it: id, price score, technical, total, rank, 并列. */
const published = (rows: ResultRow[]) =>
  rows.map((r) => [
    r.submissionId,
    formatCenti(r.priceScoreCenti),
    formatCenti(r.technicalScoreCenti),
    formatCenti(r.totalCenti),
    r.rank,
    r.tied,
  ]);

describe('price score (87号令 第55条)', () => {
  // Worked by hand, lot 1, price points 10; D failed screening.
  //   bid    price (¥)   800,000 / price × 10     published
  //   A        800,000   benchmark (lowest)         10.00
  //   B        900,000   8.888…                      8.89
  //   C      1,000,000   8.000                       8.00
  //   D        700,000   ineligible: no score, not the benchmark
  const subs = [bid('A', 800_000), bid('B', 900_000), bid('C', 1_000_000), bid('D', 700_000, '1', false)];

  it('gives the lowest eligible bid the full points and the others benchmark / price × points', () => {
    const p = priceScores(subs, 10);
    expect(['A', 'B', 'C'].map((id) => p.get(id)!.centi)).toEqual([1000, 889, 800]);
    expect(equalsRational(p.get('A')!.exact, rational(10))).toBe(true);
    expect(equalsRational(p.get('B')!.exact, rational(80, 9))).toBe(true);
  });

  it('lets no ineligible bid set the benchmark, and gives it no score', () => {
    const p = priceScores(subs, 10);
    expect(p.get('A')!.benchmarkFen).toBe(yuan(800_000));
    expect(p.has('D')).toBe(false);
  });

  it('takes the benchmark per lot', () => {
    const p = priceScores([...subs, bid('E', 500_000, '2'), bid('F', 1_000_000, '2')], 10);
    expect(p.get('E')!.centi).toBe(1000);
    expect(p.get('F')!.centi).toBe(500); // 500,000 / 1,000,000 × 10
    expect(p.get('A')!.centi).toBe(1000);
  });

  it('rounds an exact .xx5 price score up where floating point would round it down', () => {
    // 117,000 / 400,000 × 30 = 8.775 exactly → 8.78; in doubles 8.774999… → 8.77
    const p = priceScores([bid('L', 117_000), bid('H', 400_000)], 30);
    expect(p.get('H')!.centi).toBe(878);
    expect(Math.round((yuan(117_000) / yuan(400_000)) * 30 * 100)).toBe(877);
  });

  it('scores no price when the price points are 0 (government-fixed price)', () => {
    const p = priceScores(subs, 0);
    expect([...p.values()].map((s) => s.centi)).toEqual([0, 0, 0]);
  });

  it('refuses an eligible bid without a usable price', () => {
    expect(() => priceScores([{ id: 'X', lot: '1', eligible: true }], 10)).toThrow(/X/);
    expect(() => priceScores([bid('Z', 0)], 10)).toThrow(RangeError);
  });
});

describe('published totals', () => {
  it('are the sum of the rounded components, not the rounded sum', () => {
    // B: price 1,300,000 / 1,600,000 × 10 = 8.125 exactly        → 8.13
    //    members 70.00 71.00 72.00 71.50 71.59, Σ 356.09 ÷ 5 = 71.218 → 71.22
    //    published total 8.13 + 71.22 = 79.35 (rounding the exact 79.343 would give 79.34)
    const subs = [bid('A', 1_300_000), bid('B', 1_600_000)];
    const rows = table(purchase(), subs, [
      ...panel('A', [60, 60, 60, 60, 60]),
      ...panel('B', [70, 71, 72, 71.5, 71.59]),
    ]);
    const b = rows.find((r) => r.submissionId === 'B')!;
    expect(b).toMatchObject({ priceScoreCenti: 813, technicalScoreCenti: 7122, totalCenti: 7935 });
  });

  it('use the trimmed mean when the call says so', () => {
    // 7 members: drop 91.00 and 65.00; (78.50 + 82.00 + 80.25 + 79.75 + 81.30) ÷ 5 = 80.36; + 10.00 price
    const rows = table(
      purchase({ method: 'trimmed-mean', outlierPoints: 30 }),
      [bid('A', 500_000)],
      [...panel('A', [78.5, 82, 80.25, 91, 79.75, 65, 81.3])],
    );
    expect(published(rows)).toEqual([['A', '10.00', '80.36', '90.36', 1, false]]);
  });
});

describe('ranking (87号令 第65条)', () => {
  it('orders by total, then price low to high, then stands tied — worked table', () => {
    // Lot 1, price points 10, mean of 5 members. Benchmark ¥800,000.
    //   bid  price (¥)   price score          members (Σ ÷ 5)                        technical  total  rank
    //   A      800,000   10.00                69.00 71.00 70.00 70.50 69.50 = 350.00    70.00   80.00  1   equal total, lowest price
    //   D      900,000   8.888… → 8.89        71.00 71.20 71.10 71.15 71.10 = 355.55    71.11   80.00  2   equal total, next price
    //   B    1,000,000   8.00                 72 × 5 = 360.00                            72.00   80.00  3=  equal total and price: 并列
    //   C    1,000,000   8.00                 71.00 73.00 72.00 72.00 72.00 = 360.00    72.00   80.00  3=
    //   E      850,000   9.411… → 9.41        60 × 5                                    60.00   69.41  5   rank 4 is skipped
    const subs = [
      bid('A', 800_000),
      bid('B', 1_000_000),
      bid('C', 1_000_000),
      bid('D', 900_000),
      bid('E', 850_000),
    ];
    const rows = table(purchase(), subs, [
      ...panel('A', [69, 71, 70, 70.5, 69.5]),
      ...panel('B', [72, 72, 72, 72, 72]),
      ...panel('C', [71, 73, 72, 72, 72]),
      ...panel('D', [71, 71.2, 71.1, 71.15, 71.1]),
      ...panel('E', [60, 60, 60, 60, 60]),
    ]);
    expect(published(rows)).toEqual([
      ['A', '10.00', '70.00', '80.00', 1, false],
      ['D', '8.89', '71.11', '80.00', 2, false],
      ['B', '8.00', '72.00', '80.00', 3, true],
      ['C', '8.00', '72.00', '80.00', 3, true],
      ['E', '9.41', '60.00', '69.41', 5, false],
    ]);
  });

  it('breaks an equal total and equal price by the higher technical score', () => {
    // The rule's third step, on rows as the comparator sees them.
    const row = (id: string, total: number, price: number, technical: number): ScoredRow => ({
      submissionId: id,
      lot: '1',
      priceFen: yuan(price),
      requestedFen: undefined,
      priceScoreCenti: Math.round(total * 100) - Math.round(technical * 100),
      technicalScoreCenti: Math.round(technical * 100),
      totalCenti: Math.round(total * 100),
      reviewers: 5,
      flags: { abnormallyLow: false, outlierReviewers: [] },
    });
    expect(compareRows(row('X', 80, 900_000, 72), row('Y', 80, 900_000, 71))).toBeLessThan(0);
    expect(compareRows(row('X', 80, 900_000, 71), row('Y', 80, 900_000, 72))).toBeGreaterThan(0);
    expect(compareRows(row('X', 80, 900_000, 72), row('Y', 80, 900_000, 72))).toBe(0);
  });

  it('within one lot, an equal total and an equal price always mean an equal published technical score', () => {
    // Same price ⇒ same price score, so the published totals can only match if the technical
    // scores do: the third step never separates two rows of one lot (see rank.ts).
    const subs = [bid('A', 800_000), bid('B', 900_000), bid('C', 900_000)];
    const rows = table(purchase(), subs, [
      ...panel('A', [50, 50, 50, 50, 50]),
      ...panel('B', [70.01, 70, 70, 70, 70]), // 70.002 → 70.00
      ...panel('C', [70.02, 70, 70, 70, 70]), // 70.004 → 70.00
    ]);
    expect(published(rows)).toEqual([
      ['B', '8.89', '70.00', '78.89', 1, true],
      ['C', '8.89', '70.00', '78.89', 1, true],
      ['A', '10.00', '50.00', '60.00', 3, false],
    ]);
  });

  it('compares the published values: equal published totals go to the lower price even if the exact sums differ', () => {
    // Benchmark C ¥800,000.
    //   A ¥900,000: 8.888…  → 8.89;  members Σ 356.08 ÷ 5 = 71.216 → 71.22;  published 80.11 (exact 80.1049)
    //   B ¥905,000: 8.8398… → 8.84;  members Σ 356.37 ÷ 5 = 71.274 → 71.27;  published 80.11 (exact 80.1138)
    // B's exact sum is higher, but the table shows 80.11 twice: A, cheaper, ranks first.
    const subs = [bid('A', 900_000), bid('B', 905_000), bid('C', 800_000)];
    const rows = table(purchase(), subs, [
      ...panel('A', [71, 71.2, 71.3, 71.28, 71.3]),
      ...panel('B', [71.27, 71.3, 71.25, 71.28, 71.27]),
      ...panel('C', [60, 60, 60, 60, 60]),
    ]);
    expect(published(rows)).toEqual([
      ['A', '8.89', '71.22', '80.11', 1, false],
      ['B', '8.84', '71.27', '80.11', 2, false],
      ['C', '10.00', '60.00', '70.00', 3, false],
    ]);
  });

  it('ranks each lot on its own, in the call’s lot order, and leaves ineligible bids out', () => {
    const subs = [bid('L2a', 500_000, '2'), bid('L1a', 800_000, '1'), bid('L1x', 100_000, '1', false)];
    const rows = table(purchase(), subs, [...panel('L2a', [70, 70, 70]), ...panel('L1a', [70, 70, 70])]);
    expect(rows.map((r) => [r.lot, r.submissionId, r.rank])).toEqual([
      ['1', 'L1a', 1],
      ['2', 'L2a', 1],
    ]);
  });

  it('ranks venture applications by total, then the smaller request, with no price score', () => {
    const venture: ScoringCall = { ...purchase({}, 0), kind: 'venture', lots: [] };
    const app = (id: string, requested: number) => ({ id, requestedFen: yuan(requested), eligible: true });
    const rows = table(
      venture,
      [app('V1', 90_000), app('V2', 50_000), app('V3', 10)],
      [
        ...panel('V1', [80, 80, 80, 80, 80]),
        ...panel('V2', [80, 80, 80, 80, 80]),
        ...panel('V3', [70, 70, 70, 70, 70]),
      ],
    );
    expect(rows.map((r) => [r.submissionId, r.totalCenti, r.rank, r.flags.abnormallyLow])).toEqual([
      ['V2', 8000, 1, false],
      ['V1', 8000, 2, false],
      ['V3', 7000, 3, false], // a tiny request is not an abnormally low tender price
    ]);
  });

  it('refuses to rank while an eligible submission lacks its sheets, naming them all', () => {
    const subs = [bid('A', 800_000), bid('B', 900_000), bid('C', 950_000), bid('X', 1, '1', false)];
    const call = purchase({ method: 'trimmed-mean' });
    const attempt = () => table(call, subs, [...panel('A', [70, 70, 70]), ...panel('C', [70, 70])]);
    expect(attempt).toThrow(ScoringIncompleteError);
    expect(attempt).toThrow(/B, C/);
  });

  it('takes a call as the platform stores it (the seed’s two-lot tender)', () => {
    const call = purchaseCall(
      'pool-1',
      {
        enquiryStartsAt: '2027-01-01T09:00:00+08:00',
        enquiryEndsAt: '2027-01-10T17:00:00+08:00',
        submissionOpensAt: '2027-01-01T09:00:00+08:00',
        deadline: '2027-01-20T17:00:00+08:00',
      },
      2027,
    );
    const subs = [bid('N1', 560_000, '1'), bid('N2', 590_000, '1'), bid('S1', 480_000, '2')];
    const rows = table(call, subs, [
      ...panel('N1', [70, 72, 74, 76, 78]),
      ...panel('N2', [80, 80, 80, 80, 80]),
      ...panel('S1', [75, 75, 75, 75, 75]),
    ]);
    // N2: 560,000 / 590,000 × 10 = 9.4915… → 9.49; + 80.00 = 89.49 beats N1's 10.00 + 74.00 = 84.00
    expect(published(rows)).toEqual([
      ['N2', '9.49', '80.00', '89.49', 1, false],
      ['N1', '10.00', '74.00', '84.00', 2, false],
      ['S1', '10.00', '75.00', '85.00', 1, false],
    ]);
  });

  it('gives a sort key whose string order is the ranking order, ties sharing a key', () => {
    const subs = [bid('A', 800_000), bid('B', 1_000_000), bid('C', 1_000_000), bid('D', 900_000)];
    const rows = table(purchase(), subs, [
      ...panel('A', [70, 70, 70]),
      ...panel('B', [72, 72, 72]),
      ...panel('C', [72, 72, 72]),
      ...panel('D', [71.11, 71.11, 71.11]),
    ]);
    const byKey = [...rows].sort((a, b) => (rankSortKey(a) < rankSortKey(b) ? -1 : 1));
    expect(byKey.map((r) => r.rank)).toEqual([1, 2, 3, 3]);
    expect(rankSortKey(rows[2]!)).toBe(rankSortKey(rows[3]!));
  });
});

describe('abnormally low price (异常低价, 87号令 第60条)', () => {
  // Threshold 20%: flagged when price × 100 < mean of the OTHER eligible bids of the lot × 80.
  // Others ¥1,000,000 and ¥1,000,000: mean ¥1,000,000 → the line is ¥800,000.
  const others = [bid('B', 1_000_000), bid('C', 1_000_000)];

  it('does not flag a price exactly at the threshold', () => {
    expect(abnormallyLowBids([bid('A', 800_000), ...others], 20)).toEqual(new Set());
  });

  it('flags a price one fen below it', () => {
    expect(abnormallyLowBids([bid('A', 799_999.99), ...others], 20)).toEqual(new Set(['A']));
  });

  it('compares with eligible bids of the same lot only', () => {
    // Counting the ineligible ¥2,000,000 would lift the mean to ¥1,333,333.33 and flag A.
    const subs = [bid('A', 800_000), ...others, bid('Q', 2_000_000, '1', false), bid('R', 5_000_000, '2')];
    expect(abnormallyLowBids(subs, 20)).toEqual(new Set());
  });

  it('needs at least two other bids to compare with', () => {
    expect(abnormallyLowBids([bid('A', 1), bid('B', 1_000_000)], 20)).toEqual(new Set());
  });

  it('shows on the results row', () => {
    const subs = [bid('A', 799_999.99), ...others];
    const rows = table(purchase(), subs, [
      ...panel('A', [70, 70, 70]),
      ...panel('B', [70, 70, 70]),
      ...panel('C', [70, 70, 70]),
    ]);
    expect(rows.map((r) => [r.submissionId, r.flags.abnormallyLow])).toEqual([
      ['A', true],
      ['B', false],
      ['C', false],
    ]);
  });
});

describe('outlier reviewers', () => {
  it('flags a member more than the threshold away from the panel median, not one exactly at it', () => {
    // totals 71.00 80.00 81.00 82.00 91.01; median 81.00; threshold 10
    //   R1 71.00: |−10.00| = 10.00, not more → not flagged;  R5 91.01: 10.01 → flagged
    const subs = [bid('A', 800_000)];
    const rows = table(purchase({ outlierPoints: 10 }), subs, panel('A', [71, 80, 81, 82, 91.01]));
    expect(rows[0]!.flags.outlierReviewers).toEqual(['R5']);
  });

  it('takes the mean of the middle two as the median of an even panel', () => {
    // 70, 80, 82, 90 → median 81; threshold 9: R1 is 11 away (flagged), R4 exactly 9 (not)
    const agg = aggregateAll([{ id: 'A', eligible: true }], panel('A', [70, 80, 82, 90])).get('A')!;
    expect(outlierReviewers(agg, 9)).toEqual(['R1']);
    expect(outlierReviewers(agg, 8.99)).toEqual(['R1', 'R4']);
  });
});
