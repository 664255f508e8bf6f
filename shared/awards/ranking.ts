import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Call } from '../calls/model';
import { keys } from '../db/keys';
import { withoutKeys } from '../db/query';
import type { SubmissionAggregate } from '../scoring/aggregate';
import type { ResultRow } from '../scoring/model';
import { rank } from '../scoring/rank';
import { type Submission, SubmissionSchema } from '../submissions/model';

/**
 * Where the award service gets the call's results table (评标结果汇总表). The review context owns
 * the ranking (score sheets, aggregates, GET /calls/:id/ranking); awards depend only on this.
 */
export interface RankingSource {
  rows(call: Call): Promise<ResultRow[]>;
}

/** The aggregates of a call's submissions (one per submission with at least one sheet). */
export type AggregateReader = (callId: string) => Promise<ReadonlyMap<string, SubmissionAggregate>>;

/** The call's submitted submissions (gsi2 `CALLSUBS#<call>`: sparse, submitted only). */
export async function submissionsOfCall(
  doc: DynamoDBDocumentClient,
  table: string,
  callId: string,
): Promise<Submission[]> {
  const out: Submission[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.submissionsOfCall(callId) },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.push(SubmissionSchema.parse(withoutKeys(item)));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * The ranking computed with the scoring engine's `rank()` over the call's submitted, eligible
 * submissions and their score aggregates. Until the review context stores aggregates, the
 * aggregate reader is injected (tests build it from score sheets with `addSheet`); without any,
 * `rank()` answers `scoring-incomplete` (422), which is the truth: nothing has been scored.
 */
export function computedRanking(
  doc: DynamoDBDocumentClient,
  table: string,
  aggregates: AggregateReader = async () => new Map(),
): RankingSource {
  return {
    async rows(call) {
      const subs = (await submissionsOfCall(doc, table, call.id)).filter(
        (s) => s.status === 'submitted' && s.eligibility?.eligible === true,
      );
      const forScoring = subs.map((s) => ({
        id: s.id,
        lot: s.lot,
        priceFen: s.content.kind === 'bid' ? s.content.priceFen : undefined,
        requestedFen: s.content.kind === 'application' ? s.content.requestedFen : undefined,
        eligible: true,
      }));
      return rank(call, forScoring, await aggregates(call.id));
    },
  };
}
