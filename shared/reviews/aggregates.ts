/**
 * The stored score aggregates of a call's lots and the ranking rows derived from them: what a
 * sheet write folds into and what screening refreshes (`refreshRanking`). Kept apart from the
 * review service so that the submissions function need not load the whole review context.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Call } from '../calls/model';
import { CallRepository } from '../calls/repository';
import { keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import type { Deps } from '../http/deps';
import type { SubmissionAggregate } from '../scoring/aggregate';
import type { ScoringCall, SubmissionForScoring } from '../scoring/model';
import { abnormallyLowBids, priceScores, rankSortKey, scoreRow } from '../scoring/rank';
import { SubmissionRepository, transactWithRetry } from '../submissions/repository';
import { type AggregateItem, AggregateItemSchema } from './aggregate-model';

/** One submission's stored aggregate. */
export async function aggregateOf(
  doc: DynamoDBDocumentClient,
  table: string,
  submissionId: string,
): Promise<AggregateItem | undefined> {
  const out = await doc.send(new GetCommand({ TableName: table, Key: keys.scoreAggregate(submissionId) }));
  return out.Item ? AggregateItemSchema.parse(withoutKeys(out.Item)) : undefined;
}

/** A lot's aggregate items (gsi1, `lot#submission`), all pages. */
export async function aggregatesOfLot(
  doc: DynamoDBDocumentClient,
  table: string,
  callId: string,
  lot: string | undefined,
): Promise<AggregateItem[]> {
  const all: AggregateItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await queryPage(
      doc,
      {
        tableName: table,
        list: `aggs#${callId}`,
        index: 'gsi1',
        partition: keys.aggregatesOfCall(callId),
        prefix: `${lot ?? ''}#`,
        limit: 100,
        cursor,
      },
      AggregateItemSchema,
    );
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/**
 * The stored form of an aggregate: gsi1 by lot, and on gsi2 (sparse) only when the row is
 * rankable, its sort key `lotIndex#rankSortKey#submissionId` (ranking order, lot by lot).
 */
export function aggregatePut(
  table: string,
  a: AggregateItem,
  rankKey: string | undefined,
  expectedVersion: number | undefined,
) {
  return {
    TableName: table,
    Item: {
      ...keys.scoreAggregate(a.submissionId),
      gsi1pk: keys.aggregatesOfCall(a.callId),
      gsi1sk: `${a.lot ?? ''}#${a.submissionId}`,
      ...(rankKey ? { gsi2pk: keys.rankingOfCall(a.callId), gsi2sk: rankKey } : {}),
      ...a,
    },
    ...(expectedVersion === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: 'version = :av', ExpressionAttributeValues: { ':av': expectedVersion } }),
  };
}

/**
 * The aggregate writes of one lot (see ReviewService): every write to a lot's aggregates
 * recomputes them from the lot's current submissions and rewrites the aggregate items whose row
 * changed. `change` folds a sheet into one submission's aggregate; without it the lot is only
 * refreshed.
 */
export async function lotWrites(
  doc: DynamoDBDocumentClient,
  table: string,
  call: Call,
  lot: string | undefined,
  change?: { submissionId: string; fold: (agg: SubmissionAggregate) => SubmissionAggregate },
) {
  const [subs, existing] = await Promise.all([
    new SubmissionRepository(doc, table).listSubmittedForCall(call.id),
    aggregatesOfLot(doc, table, call.id, lot),
  ]);
  const inLot = subs.filter((s) => s.status === 'submitted' && (s.lot ?? '') === (lot ?? ''));
  const forScoring: SubmissionForScoring[] = inLot.map((s) => ({
    id: s.id,
    lot: s.lot,
    ...(s.content.kind === 'bid'
      ? { priceFen: s.content.priceFen }
      : { requestedFen: s.content.requestedFen }),
    eligible: s.eligibility?.eligible === true,
  }));
  const scoring: ScoringCall = call;
  const prices = priceScores(forScoring, call.kind === 'venture' ? 0 : call.rubric.pricePoints);
  const low =
    call.kind === 'purchase'
      ? abnormallyLowBids(forScoring, call.scoring.abnormalLowPercent)
      : new Set<string>();
  const basis = createHash('sha256')
    .update(
      forScoring
        .filter((s) => s.eligible)
        .map((s) => `${s.id}:${s.priceFen ?? s.requestedFen}`)
        .sort()
        .join(','),
    )
    .update(
      `|${call.rubric.pricePoints}|${call.scoring.abnormalLowPercent}|${call.scoring.outlierPoints}|${call.scoring.method}`,
    )
    .digest('hex')
    .slice(0, 24);
  const bySub = new Map(inLot.map((s) => [s.id, s]));
  const sfs = new Map(forScoring.map((s) => [s.id, s]));
  const items = new Map(existing.map((a) => [a.submissionId, a]));
  if (change && !items.has(change.submissionId)) {
    const s = bySub.get(change.submissionId)!;
    items.set(change.submissionId, {
      callId: call.id,
      submissionId: s.id,
      orgName: s.orgName,
      lot: s.lot,
      eligible: false,
      basis: '',
      count: 0,
      sumCenti: 0,
      minCenti: 0,
      maxCenti: 0,
      members: [],
      version: 0,
    });
  }
  const lotIndex = lotIndexOf(call, lot);
  const puts = [];
  for (const old of items.values()) {
    const s = sfs.get(old.submissionId);
    const agg = change?.submissionId === old.submissionId ? change.fold(old) : old;
    const eligible = s?.eligible === true;
    const row = eligible ? scoreRow(scoring, s, agg, prices.get(s.id)!.centi, low.has(s.id)) : undefined;
    const next: AggregateItem = {
      ...old,
      eligible,
      basis,
      count: agg.count,
      sumCenti: agg.sumCenti,
      minCenti: agg.minCenti,
      maxCenti: agg.maxCenti,
      members: [...agg.members],
      row: row && { ...row, lot: row.lot ?? undefined },
      version: old.version + 1,
    };
    if (!next.row) delete next.row;
    const changed =
      change?.submissionId === old.submissionId ||
      old.basis !== basis ||
      old.eligible !== eligible ||
      JSON.stringify(old.row ?? null) !== JSON.stringify(next.row ?? null);
    if (!changed) continue;
    const rankKey = row ? `${lotIndex}#${rankSortKey(row)}#${next.submissionId}` : undefined;
    const put = aggregatePut(table, next, rankKey, old.version === 0 ? undefined : old.version);
    // The changed submission first: it shares the transaction with its sheet.
    if (change?.submissionId === old.submissionId) puts.unshift(put);
    else puts.push(put);
  }
  return puts;
}

/** Re-derives every lot's stored rows after screening changed who is eligible (per write, not per read). */
export async function refreshRanking(deps: Deps, callId: string): Promise<void> {
  const table = deps.config.tableName;
  const call = await new CallRepository(deps.doc, table).get(callId);
  if (!call) return;
  const lots = call.kind === 'purchase' ? call.lots.map((l) => l.code) : [undefined];
  for (const lot of lots) {
    const puts = await lotWrites(deps.doc, table, call, lot);
    for (let i = 0; i < puts.length; i += 100)
      await transactWithRetry(deps.doc, { TransactItems: puts.slice(i, i + 100).map((Put) => ({ Put })) });
  }
}

/** The position of a lot in the call's declared order, fixed-width so the ranking index sorts lot by lot. */
export function lotIndexOf(call: Pick<Call, 'lots'>, lot: string | undefined): string {
  const i = lot === undefined ? 0 : call.lots.findIndex((l) => l.code === lot);
  return String(i < 0 ? 999 : i).padStart(3, '0');
}
