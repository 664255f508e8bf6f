/**
 * Property-style checks over deterministic pseudo-random calls (seeded PRNG, so a failure always
 * reproduces): the invariants every published table and award must satisfy, whatever the data.
 */
import { describe, expect, it } from 'vitest';
import { aggregateAll, technicalScore, technicalScoreCenti } from '../../shared/scoring/aggregate';
import { compareRational, rational, roundHalfUp2 } from '../../shared/scoring/arithmetic';
import { selectAwards } from '../../shared/scoring/award';
import type { ResultRow, ScoreSheet, ScoringCall, SubmissionForScoring } from '../../shared/scoring/model';
import { compareRows, priceScores, rank, rankSortKey } from '../../shared/scoring/rank';

/** mulberry32 */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[int(0, xs.length - 1)]!;
  return { next, int, pick };
}

interface Case {
  call: ScoringCall;
  subs: SubmissionForScoring[];
  sheets: ScoreSheet[];
  /** Indicator maxima in centi-points; they total 100.00 − price points. */
  maxCenti: number[];
}

/** A random call whose rubric totals 100 points, with bids near each other so ties happen. */
function randomCase(seed: number, kind: 'purchase' | 'venture' = 'purchase'): Case {
  const r = prng(seed);
  const ppCenti = kind === 'venture' ? 0 : r.pick([1000, 1500, 3000]);
  const indicators = r.int(2, 6);
  const maxCenti = Array.from({ length: indicators }, () => Math.floor((10_000 - ppCenti) / indicators));
  maxCenti[0]! += 10_000 - ppCenti - maxCenti.reduce((s, m) => s + m, 0);
  const lots =
    kind === 'venture' ? [] : Array.from({ length: r.int(1, 3) }, (_, i) => ({ code: String(i + 1) }));
  const call: ScoringCall = {
    kind,
    rubric: { pricePoints: ppCenti / 100 },
    scoring: {
      method: r.pick(['mean', 'trimmed-mean'] as const),
      abnormalLowPercent: r.int(5, 40),
      outlierPoints: r.int(1, 20),
    },
    lots,
    venture:
      kind === 'venture' ? { totalFundingFen: r.int(1, 30) * 1_000_000, minScore: r.int(0, 80) } : undefined,
  };
  const subs: SubmissionForScoring[] = [];
  const members = r.pick([5, 7]);
  const sheets: ScoreSheet[] = [];
  for (let i = 0, n = r.int(3, 14); i < n; i++) {
    const eligible = r.next() > 0.15;
    const twin = i > 0 && r.next() < 0.2 ? subs[i - 1]! : undefined;
    if (twin) {
      // A twin of the previous submission: same lot and price, same member totals (other members
      // giving them), so that ties at every level occur.
      const s = { ...twin, id: `S${i}`, eligible };
      subs.push(s);
      const given = sheets.filter((x) => x.submissionId === twin.id);
      given.forEach((x, m) => {
        sheets.push({ ...x, submissionId: s.id, reviewerId: given[(m + 1) % given.length]!.reviewerId });
      });
      continue;
    }
    const s = {
      id: `S${i}`,
      lot: kind === 'venture' ? undefined : r.pick(lots).code,
      // Few distinct prices so that equal prices occur.
      priceFen: kind === 'venture' ? undefined : r.pick([300_000, 400_000, 450_000, 500_000, 800_000]) * 100,
      requestedFen: kind === 'venture' ? r.pick([10_000, 20_000, 50_000]) * 100 : undefined,
      eligible,
    };
    subs.push(s);
    for (let m = 0; m < members; m++) {
      const scores: Record<string, number> = {};
      maxCenti.forEach((max, k) => {
        // Mostly zero, half or full marks, so that bounds are reached and totals collide (ties);
        // sometimes anything in between.
        const c = r.next() < 0.1 ? r.int(0, max) : r.pick([0, Math.floor(max / 2), max]);
        scores[`I${k}`] = c / 100;
      });
      sheets.push({ reviewerId: `R${m}`, submissionId: s.id, scores });
    }
  }
  return { call, subs, sheets, maxCenti };
}

const CASES = 300;

describe('scoring invariants, over many random calls', () => {
  it('never publishes a total above 100.00, nor a component above its points', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const { call, subs, sheets } = randomCase(seed);
      const ppCenti = Math.round(call.rubric.pricePoints * 100);
      for (const row of rank(call, subs, aggregateAll(subs, sheets))) {
        expect(row.priceScoreCenti).toBeLessThanOrEqual(ppCenti);
        expect(row.technicalScoreCenti).toBeLessThanOrEqual(10_000 - ppCenti);
        expect(row.totalCenti).toBeLessThanOrEqual(10_000);
        expect(row.totalCenti).toBe(row.priceScoreCenti + row.technicalScoreCenti);
      }
    }
  });

  it('gives the benchmark bid of each lot exactly the price points, and no one more', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const { call, subs } = randomCase(seed);
      const pp = call.rubric.pricePoints;
      const scores = priceScores(subs, pp);
      for (const s of subs.filter((x) => x.eligible)) {
        const p = scores.get(s.id)!;
        const lowest = Math.min(...subs.filter((o) => o.eligible && o.lot === s.lot).map((o) => o.priceFen!));
        expect(p.benchmarkFen).toBe(lowest);
        const vsFull = compareRational(p.exact, rational(Math.round(pp * 100), 100));
        expect(vsFull).toBe(s.priceFen === lowest ? 0 : -1);
      }
    }
  });

  it('ranks each row 1 + the number of rows of its lot strictly ahead of it (competition ranking)', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const { call, subs, sheets } = randomCase(seed);
      const rows = rank(call, subs, aggregateAll(subs, sheets));
      for (const row of rows) {
        const lot = rows.filter((o) => o.lot === row.lot);
        expect(row.rank).toBe(1 + lot.filter((o) => compareRows(o, row) < 0).length);
        expect(row.tied).toBe(lot.some((o) => o !== row && o.rank === row.rank));
      }
      // Within a lot the table reads best first.
      for (let i = 1; i < rows.length; i++) {
        if (rows[i]!.lot === rows[i - 1]!.lot)
          expect(rows[i]!.rank).toBeGreaterThanOrEqual(rows[i - 1]!.rank);
      }
    }
  });

  it('orders the sort keys as the ranking, so an index on them can serve the table', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const { call, subs, sheets } = randomCase(seed);
      const rows = rank(call, subs, aggregateAll(subs, sheets));
      for (const a of rows) {
        for (const b of rows.filter((o) => o.lot === a.lot)) {
          const byKey = rankSortKey(a) < rankSortKey(b) ? -1 : rankSortKey(a) > rankSortKey(b) ? 1 : 0;
          expect(byKey).toBe(Math.sign(compareRows(a, b)));
        }
      }
    }
  });

  it('gives the same table whatever order the sheets arrive in', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { call, subs, sheets } = randomCase(seed);
      const r = prng(seed * 7919);
      const shuffled = [...sheets];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = r.int(0, i);
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      const strip = (rows: ResultRow[]) =>
        rows.map((row) => ({
          ...row,
          flags: { ...row.flags, outlierReviewers: [...row.flags.outlierReviewers].sort() },
        }));
      expect(strip(rank(call, subs, aggregateAll(subs, shuffled)))).toEqual(
        strip(rank(call, subs, aggregateAll(subs, sheets))),
      );
    }
  });

  it('publishes the same technical score on the integer path as the exact rational rounded', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const { call, subs, sheets } = randomCase(seed);
      for (const agg of aggregateAll(subs, sheets).values()) {
        const method = call.scoring.method;
        expect(technicalScoreCenti(agg, method)).toBe(roundHalfUp2(technicalScore(agg, method)!));
      }
    }
  });

  it('rounds to the nearest hundredth, a tie going up', () => {
    const r = prng(55);
    for (let i = 0; i < 5_000; i++) {
      const x = rational(r.int(0, 10_000_000), r.int(1, 100_000));
      const c = BigInt(roundHalfUp2(x));
      // |x − c/100| ≤ 1/200  ⇔  |200·n − 200·c·d/100| ≤ d  ⇔  |200n − 2cd| ≤ d
      const gap = 200n * x.n - 2n * c * x.d;
      const abs = gap < 0n ? -gap : gap;
      expect(abs <= x.d).toBe(true);
      if (abs === x.d) expect(gap < 0n).toBe(true); // exactly halfway: we rounded up
    }
  });
});

describe('award invariants, over many random calls', () => {
  it('funds venture applications within the budget, above the minimum, skipping none that would still fit', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const { call, subs, sheets } = randomCase(seed, 'venture');
      const rows = rank(call, subs, aggregateAll(subs, sheets));
      const available = prng(seed).int(0, 40) * 1_000_000;
      const r = selectAwards(call, rows, new Set(), available);
      if (r.kind !== 'venture') throw new Error('expected a venture selection');
      expect(r.budgetFen).toBe(Math.min(available, call.venture!.totalFundingFen));
      const funded = r.decisions.filter((d) => d.status === 'funded');
      expect(funded.reduce((s, d) => s + d.amountFen, 0)).toBe(r.committedFen);
      expect(r.committedFen + r.remainingFen).toBe(r.budgetFen);
      expect(r.remainingFen).toBeGreaterThanOrEqual(0);
      const byId = new Map(rows.map((row) => [row.submissionId, row]));
      const minCenti = Math.round(call.venture!.minScore * 100);
      for (const d of r.decisions) {
        const row = byId.get(d.submissionId)!;
        if (d.status === 'funded') expect(row.totalCenti).toBeGreaterThanOrEqual(minCenti);
        if (d.status === 'not-funded' && d.reason === 'insufficient-funds')
          expect(row.requestedFen!).toBeGreaterThan(r.remainingFen);
        if (d.status === 'not-funded' && d.reason === 'below-minimum')
          expect(row.totalCenti).toBeLessThan(minCenti);
      }
      expect(r.decisions).toHaveLength(rows.length);
    }
  });

  it('awards each purchase lot at most once, to its sole first-ranked bid, explained if flagged', () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const { call, subs, sheets } = randomCase(seed);
      const rows = rank(call, subs, aggregateAll(subs, sheets));
      const accepted = new Set(rows.filter((_, i) => i % 2 === 0).map((row) => row.submissionId));
      const r = selectAwards(call, rows, accepted, Number.MAX_SAFE_INTEGER);
      if (r.kind !== 'purchase') throw new Error('expected a purchase selection');
      expect(r.lots.map((l) => l.lot)).toEqual(call.lots!.map((l) => l.code));
      for (const lot of r.lots) {
        if (lot.status !== 'awarded') continue;
        const firsts = rows.filter((row) => row.lot === lot.lot && row.rank === 1);
        expect(firsts.map((row) => row.submissionId)).toEqual([lot.submissionId]);
        if (firsts[0]!.flags.abnormallyLow) expect(accepted.has(lot.submissionId)).toBe(true);
        expect(lot.amountFen).toBe(firsts[0]!.priceFen);
      }
    }
  });
});
