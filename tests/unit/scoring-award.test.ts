import { describe, expect, it } from 'vitest';
import { aggregateAll } from '../../shared/scoring/aggregate';
import { selectAwards } from '../../shared/scoring/award';
import type { ResultRow, ScoreSheet, ScoringCall, SubmissionForScoring } from '../../shared/scoring/model';
import { rank } from '../../shared/scoring/rank';

const yuan = (y: number) => Math.round(y * 100);
const none = new Set<string>();

/** Five members who all give `total`, split over two indicators. */
function panel(submissionId: string, total: number): ScoreSheet[] {
  const c = Math.round(total * 100);
  const half = Math.floor(c / 2);
  return ['R1', 'R2', 'R3', 'R4', 'R5'].map((reviewerId) => ({
    reviewerId,
    submissionId,
    scores: { T1: half / 100, T2: (c - half) / 100 },
  }));
}

function ranked(call: ScoringCall, subs: SubmissionForScoring[], technical: Record<string, number>) {
  const sheets = subs.filter((s) => s.eligible).flatMap((s) => panel(s.id, technical[s.id]!));
  return rank(call, subs, aggregateAll(subs, sheets));
}

describe('purchase award, per lot (87号令 第65条: the first-ranked candidate)', () => {
  const call: ScoringCall = {
    kind: 'purchase',
    rubric: { pricePoints: 10 },
    scoring: { method: 'mean', abnormalLowPercent: 20, outlierPoints: 10 },
    lots: [{ code: '1' }, { code: '2' }, { code: '3' }, { code: '4' }],
  };
  const bid = (id: string, lot: string, price: number, eligible = true) => ({
    id,
    lot,
    priceFen: yuan(price),
    eligible,
  });
  // Worked by hand, price points 10, abnormal-low threshold 20%:
  //   lot 1  A ¥700,000  10.00 + 80.00 = 90.00  1   flagged: 700,000 < 80% of mean(B, F) = 800,000
  //          B ¥1,000,000 7.00 + 75.00 = 82.00  2
  //          F ¥1,000,000 7.00 + 70.00 = 77.00  3
  //   lot 2  C ¥500,000  10.00 + 70.00 = 80.00  1=  C and D tied
  //          D ¥500,000  10.00 + 70.00 = 80.00  1=
  //   lot 3  G failed screening: no eligible bid
  //   lot 4  E ¥400,000  10.00 + 70.00 = 80.00  1
  const subs = [
    bid('A', '1', 700_000),
    bid('B', '1', 1_000_000),
    bid('F', '1', 1_000_000),
    bid('C', '2', 500_000),
    bid('D', '2', 500_000),
    bid('G', '3', 450_000, false),
    bid('E', '4', 400_000),
  ];
  const rows = ranked(call, subs, { A: 80, B: 75, F: 70, C: 70, D: 70, E: 70 });

  it('has the ranking worked out above', () => {
    expect(rows.map((r) => [r.submissionId, r.totalCenti, r.rank, r.flags.abnormallyLow])).toEqual([
      ['A', 9000, 1, true],
      ['B', 8200, 2, false],
      ['F', 7700, 3, false],
      ['C', 8000, 1, false],
      ['D', 8000, 1, false],
      ['E', 8000, 1, false],
    ]);
  });

  it('holds a lot whose top bid is abnormally low until its written explanation is accepted; the runner-up does not move up', () => {
    const result = selectAwards(call, rows, none, yuan(5_000_000));
    expect(result.kind === 'purchase' && result.lots[0]).toEqual({
      lot: '1',
      status: 'pending',
      reason: 'explanation-pending',
      submissionIds: ['A'],
    });
  });

  it('awards the flagged bid once its explanation is accepted (87号令 第60条)', () => {
    const result = selectAwards(call, rows, new Set(['A']), yuan(5_000_000));
    expect(result.kind === 'purchase' && result.lots[0]).toEqual({
      lot: '1',
      status: 'awarded',
      submissionId: 'A',
      amountFen: yuan(700_000),
    });
  });

  it('awards the runner-up only once the flagged bid is ruled invalid and the lot re-ranked', () => {
    const rerun = ranked(
      call,
      subs.map((s) => (s.id === 'A' ? { ...s, eligible: false } : s)),
      {
        B: 75,
        F: 70,
        C: 70,
        D: 70,
        E: 70,
      },
    );
    const result = selectAwards(call, rerun, none, yuan(5_000_000));
    expect(result.kind === 'purchase' && result.lots[0]).toMatchObject({
      status: 'awarded',
      submissionId: 'B',
    });
  });

  it('names a tie at the top as a decision for the purchaser, not an automatic winner', () => {
    const result = selectAwards(call, rows, none, yuan(5_000_000));
    expect(result.kind === 'purchase' && result.lots[1]).toEqual({
      lot: '2',
      status: 'pending',
      reason: 'tie',
      submissionIds: ['C', 'D'],
    });
  });

  it('reports a lot without an eligible bid', () => {
    const result = selectAwards(call, rows, none, yuan(5_000_000));
    expect(result.kind === 'purchase' && result.lots[2]).toEqual({
      lot: '3',
      status: 'none',
      reason: 'no-eligible-bid',
    });
  });

  it('never commits more than is available: a winner that does not fit waits', () => {
    // ¥1,000,000 available: lot 1 takes ¥700,000, leaving ¥300,000 < lot 4's ¥400,000.
    const tight = selectAwards(call, rows, new Set(['A']), yuan(1_000_000));
    expect(tight).toMatchObject({ committedFen: yuan(700_000), remainingFen: yuan(300_000) });
    expect(tight.kind === 'purchase' && tight.lots[3]).toEqual({
      lot: '4',
      status: 'pending',
      reason: 'insufficient-funds',
      submissionIds: ['E'],
    });
    // With lot 1 waiting, nothing is committed to it and lot 4 fits.
    const waiting = selectAwards(call, rows, none, yuan(1_000_000));
    expect(waiting.kind === 'purchase' && waiting.lots[3]).toMatchObject({
      status: 'awarded',
      submissionId: 'E',
    });
    expect(waiting).toMatchObject({ committedFen: yuan(400_000), remainingFen: yuan(600_000) });
  });
});

describe('venture award: best-ranked above the minimum, until the pool is exhausted', () => {
  const call = (totalFunding: number): ScoringCall => ({
    kind: 'venture',
    rubric: { pricePoints: 0 },
    scoring: { method: 'mean', abnormalLowPercent: 20, outlierPoints: 10 },
    lots: [],
    venture: { totalFundingFen: yuan(totalFunding), minScore: 60 },
  });
  const app = (id: string, requested: number) => ({ id, requestedFen: yuan(requested), eligible: true });
  const subs = [
    app('V1', 60_000),
    app('V2', 50_000),
    app('V3', 45_000),
    app('V4', 30_000),
    app('V5', 5_000),
    app('V6', 1_000),
  ];
  const technical = { V1: 90, V2: 85.5, V3: 80, V4: 75, V5: 60, V6: 59.99 };
  const decisions = (total: number, available: number) => {
    const r = selectAwards(call(total), ranked(call(total), subs, technical), none, yuan(available));
    return r.kind === 'venture' ? r : undefined;
  };

  it('skips a request that does not fit and still funds smaller ones below it — worked table', () => {
    // Round ¥200,000, pool has ¥150,000 available → budget ¥150,000; minimum 60.00.
    //   rank  app  total   request   decision                     remaining
    //   1     V1   90.00    60,000   funded                          90,000
    //   2     V2   85.50    50,000   funded                          40,000
    //   3     V3   80.00    45,000   not funded: 45,000 > 40,000     40,000
    //   4     V4   75.00    30,000   funded                          10,000
    //   5     V5   60.00     5,000   funded (exactly the minimum)     5,000
    //   6     V6   59.99     1,000   not funded: below the minimum    5,000
    const r = decisions(200_000, 150_000)!;
    expect(
      r.decisions.map((d) => [d.submissionId, d.rank, d.status === 'not-funded' ? d.reason : d.status]),
    ).toEqual([
      ['V1', 1, 'funded'],
      ['V2', 2, 'funded'],
      ['V3', 3, 'insufficient-funds'],
      ['V4', 4, 'funded'],
      ['V5', 5, 'funded'],
      ['V6', 6, 'below-minimum'],
    ]);
    expect(r).toMatchObject({
      budgetFen: yuan(150_000),
      committedFen: yuan(145_000),
      remainingFen: yuan(5_000),
    });
  });

  it('caps the budget at the round’s total funding even when the pool holds more', () => {
    // ¥200,000: V1 60,000 + V2 50,000 + V3 45,000 + V4 30,000 = 185,000; V5 5,000 → 190,000
    const r = decisions(200_000, 300_000)!;
    expect(r.budgetFen).toBe(yuan(200_000));
    expect(r.committedFen).toBe(yuan(190_000));
    expect(r.decisions.filter((d) => d.status === 'funded').map((d) => d.submissionId)).toEqual([
      'V1',
      'V2',
      'V3',
      'V4',
      'V5',
    ]);
  });

  describe('tied applications (same total, same request)', () => {
    const tiedSubs = [app('T1', 40_000), app('T2', 40_000), app('L', 10_000), app('Z', 1_000)];
    const tiedTech = { T1: 80, T2: 80, L: 70, Z: 50 };
    const walk = (available: number) => {
      const r = selectAwards(call(200_000), ranked(call(200_000), tiedSubs, tiedTech), none, yuan(available));
      return r.kind === 'venture'
        ? r.decisions.map((d) => [d.submissionId, d.rank, d.status, 'reason' in d ? d.reason : d.amountFen])
        : [];
    };

    it('are funded together when all fit', () => {
      expect(walk(90_000)).toEqual([
        ['T1', 1, 'funded', yuan(40_000)],
        ['T2', 1, 'funded', yuan(40_000)],
        ['L', 3, 'funded', yuan(10_000)],
        ['Z', 4, 'not-funded', 'below-minimum'],
      ]);
    });

    it('wait for the officer’s decision when only some fit, and so does everything ranked below', () => {
      expect(walk(60_000)).toEqual([
        ['T1', 1, 'pending', 'tie'],
        ['T2', 1, 'pending', 'tie'],
        ['L', 3, 'pending', 'awaiting-decision'],
        ['Z', 4, 'not-funded', 'below-minimum'],
      ]);
    });

    it('are all skipped when none fits, and the walk goes on', () => {
      expect(walk(30_000)).toEqual([
        ['T1', 1, 'not-funded', 'insufficient-funds'],
        ['T2', 1, 'not-funded', 'insufficient-funds'],
        ['L', 3, 'funded', yuan(10_000)],
        ['Z', 4, 'not-funded', 'below-minimum'],
      ]);
    });
  });

  it('refuses a venture call without its funding terms', () => {
    const rows: ResultRow[] = [];
    expect(() => selectAwards({ ...call(1), venture: undefined }, rows, none, 0)).toThrow(RangeError);
  });
});
