/**
 * Issue item 8, "benchmark, not a test": the pure aggregation of 5,000 submissions × 7 reviewers ×
 * 12 indicators — sheets folded into per-submission aggregates, price scores per lot, flags and the
 * ranking — takes at most 100 ms. Sheets are deterministic (seeded PRNG); only the engine is timed,
 * as the median of several runs after a warm-up.
 *
 *   npx tsx tests/bench/scoring-aggregation.ts [--runs=N]
 */
import { aggregateAll } from '../../shared/scoring/aggregate';
import type { ScoreSheet, ScoringCall, SubmissionForScoring } from '../../shared/scoring/model';
import { rank } from '../../shared/scoring/rank';
import { median } from './stats';

export const TARGET_MS = 100;
const SUBMISSIONS = 5_000;
const REVIEWERS = 7;
const INDICATORS = 12;
const LOTS = 20;

/** mulberry32: small, fast, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A purchase call of 20 lots: 10 price points and 12 indicators of 7.5 points each. */
export function benchData(seed = 87) {
  const random = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const call: ScoringCall = {
    kind: 'purchase',
    rubric: { pricePoints: 10 },
    scoring: { method: 'trimmed-mean', abnormalLowPercent: 20, outlierPoints: 15 },
    lots: Array.from({ length: LOTS }, (_, i) => ({ code: String(i + 1) })),
  };
  const submissions: SubmissionForScoring[] = Array.from({ length: SUBMISSIONS }, (_, i) => ({
    id: `S${String(i).padStart(5, '0')}`,
    lot: String((i % LOTS) + 1),
    priceFen: int(300_000, 600_000) * 100,
    eligible: random() > 0.03,
  }));
  const sheets: ScoreSheet[] = [];
  for (const s of submissions) {
    for (let r = 0; r < REVIEWERS; r++) {
      const scores: Record<string, number> = {};
      // Two-decimal points, as members enter them: 0.00 to 7.50.
      for (let k = 0; k < INDICATORS; k++) scores[`T${k + 1}`] = int(0, 750) / 100;
      sheets.push({ reviewerId: `R${r + 1}`, submissionId: s.id, scores });
    }
  }
  return { call, submissions, sheets };
}

export async function benchScoringAggregation(
  runs = 15,
): Promise<{ ms: number; submissions: number; reviewers: number; indicators: number }> {
  const { call, submissions, sheets } = benchData();
  const once = () => rank(call, submissions, aggregateAll(submissions, sheets));
  for (let i = 0; i < 3; i++) once(); // warm-up: JIT and inline caches
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const rows = once();
    samples.push(performance.now() - t0);
    if (rows.length === 0) throw new Error('empty ranking');
  }
  return { ms: median(samples), submissions: SUBMISSIONS, reviewers: REVIEWERS, indicators: INDICATORS };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flag = process.argv.find((a) => a.startsWith('--runs='));
  // No top-level await: the module stays importable from a CommonJS context too.
  void benchScoringAggregation(flag ? Number(flag.slice(7)) : undefined).then((r) => {
    const ok = r.ms <= TARGET_MS;
    process.stdout.write(
      `scoring aggregation: ${r.submissions} submissions × ${r.reviewers} reviewers × ${r.indicators} indicators: ` +
        `${r.ms.toFixed(2)} ms (median) — target ≤ ${TARGET_MS} ms: ${ok ? 'MET' : 'MISSED'}\n`,
    );
  });
}
