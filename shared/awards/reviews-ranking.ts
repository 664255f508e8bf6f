import type { Call } from '../calls/model';
import type { Deps } from '../http/deps';
import { ReviewService } from '../reviews/service';
import { type ResultRow, ScoringIncompleteError } from '../scoring/model';
import { type RankingSource, submissionsOfCall } from './ranking';

/**
 * The review context's stored ranking (GET /calls/:id/ranking, read page by page) as the award
 * service's ranking source. Only rankable rows are stored there, so the source also checks that
 * every submitted, eligible submission has a row: an award from an incomplete ranking could pass
 * over an unscored bid that would have won (answered `scoring-incomplete`, 422, like `rank()`).
 * Kept out of ranking.ts so that the jobs function does not bundle the review context.
 */
export function reviewsRanking(deps: Deps): RankingSource {
  const reviews = new ReviewService(deps);
  return {
    async rows(call: Call): Promise<ResultRow[]> {
      const rows: ResultRow[] = [];
      let cursor: string | undefined;
      do {
        const page = await reviews.rankingPage(call.id, 100, cursor);
        for (const r of page.items)
          rows.push({
            submissionId: r.submissionId,
            lot: r.lot,
            priceFen: r.priceFen,
            requestedFen: r.requestedFen,
            priceScoreCenti: r.priceScoreCenti,
            technicalScoreCenti: r.technicalScoreCenti,
            totalCenti: r.totalCenti,
            reviewers: r.reviewers,
            flags: r.flags,
            rank: r.rank,
            tied: r.tied,
          });
        cursor = page.nextCursor;
      } while (cursor);
      const ranked = new Set(rows.map((r) => r.submissionId));
      const missing = (await submissionsOfCall(deps.doc, deps.config.tableName, call.id))
        .filter((s) => s.status === 'submitted' && s.eligibility?.eligible === true && !ranked.has(s.id))
        .map((s) => s.id);
      if (missing.length) throw new ScoringIncompleteError(missing, call.scoring.method);
      return rows;
    },
  };
}
