import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChainHead, TransactItem } from '../audit/chain';
import { audited, headOf } from '../audit/record';
import { type AuditAction, readHead } from '../audit/write';
import { cityOf, decodeCursor, encodeCursor, keys } from '../db/keys';
import { type Page, queryPage, withoutKeys } from '../db/query';
import { ConflictError, StaleVersionError } from '../errors';
import { aggregateOf, aggregatePut, aggregatesOfLot } from './aggregates';
import {
  type AggregateItem,
  AggregateItemSchema,
  type Assignment,
  AssignmentSchema,
  type Expert,
  ExpertSchema,
  type Panel,
  PanelSchema,
  type Sheet,
  SheetSchema,
} from './model';

/** Jurisdiction paths above `path` (its ancestors), e.g. `410600/` for `410600/410621/`. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.slice(0, -1).map((_, i) => `${parts.slice(0, i + 1).join('/')}/`);
}

/**
 * What one ranking page read returned: the items, and the key of the item after the page (the
 * page is read with Limit + 1 so that a tie across the page boundary is seen in the same Query).
 */
export interface RankingSlice {
  items: (AggregateItem & { gsi2sk: string })[];
  /** One more item than asked for, when there is one. */
  peek?: AggregateItem & { gsi2sk: string };
  lastKey?: Record<string, string>;
}

/** Storage of the review context. Keys: shared/db/keys.ts ("Reviews"). */
export class ReviewRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  // Experts (专家库)

  expertItem(e: Expert) {
    return {
      ...keys.expert(e.userId),
      gsi1pk: keys.expertsOfCity(cityOf(e.jurisdictionPath)),
      gsi1sk: `${e.jurisdictionPath}${e.userId}`,
      ...e,
    };
  }

  /** A new expert profile and its first audit entry (`expert.created`). */
  async createExpert(e: Expert): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: audited(
            {
              Put: {
                TableName: this.table,
                Item: this.expertItem(e),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            undefined,
            { actor: e.createdBy, at: e.createdAt, action: 'expert.created' },
          ),
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException)
        throw new ConflictError('This reviewer already has an expert profile.', '该评审人员已有专家档案');
      throw err;
    }
  }

  /** The changed profile (`expert.updated`, by `actor`), if nobody changed it since `expectedVersion`. */
  async saveExpert(e: Expert, expectedVersion: number, actor: string): Promise<void> {
    const head = await readHead(this.doc, this.table, keys.expert(e.userId));
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: audited(
            {
              Put: {
                TableName: this.table,
                Item: this.expertItem(e),
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': expectedVersion },
              },
            },
            head,
            { actor, at: e.updatedAt, action: 'expert.updated' },
          ),
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) throw new StaleVersionError(expectedVersion);
      throw err;
    }
  }

  async expert(userId: string): Promise<Expert | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.expert(userId) }));
    return out.Item ? ExpertSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  /**
   * The experts a jurisdiction can draw from: its own subtree and the pools kept above it (a
   * city's 专家库 serves its counties). One Query on the city partition, filtered in DynamoDB.
   */
  async expertsFor(jurisdictionPath: string, limit: number, cursor?: string): Promise<Page<Expert>> {
    const list = `experts#${jurisdictionPath}`;
    const partition = keys.expertsOfCity(cityOf(jurisdictionPath));
    const ancestors = ancestorsOf(jurisdictionPath);
    const values: Record<string, unknown> = { ':pk': partition, ':mine': jurisdictionPath };
    ancestors.forEach((a, i) => {
      values[`:a${i}`] = a;
    });
    const filter = [
      'begins_with(jurisdictionPath, :mine)',
      ...(ancestors.length ? [`jurisdictionPath IN (${ancestors.map((_, i) => `:a${i}`).join(', ')})`] : []),
    ].join(' OR ');
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        FilterExpression: filter,
        ExpressionAttributeValues: values,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(list, cursor, { gsi1pk: partition }),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => ExpertSchema.parse(withoutKeys(i))),
      nextCursor: encodeCursor(list, out.LastEvaluatedKey),
    };
  }

  async allExpertsFor(jurisdictionPath: string): Promise<Expert[]> {
    const all: Expert[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.expertsFor(jurisdictionPath, 100, cursor);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  // Panels (评审委员会)

  async panel(callId: string): Promise<Panel | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.panel(callId) }));
    return out.Item ? PanelSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  /**
   * The panel, its first audit entry (`panel.drawn`) and one seat item per member and reserve
   * (the reviewers' assignment lists, derived items): all or nothing.
   */
  async createPanel(panel: Panel, callTitle: string): Promise<void> {
    const seats: Assignment[] = [
      ...panel.members.map((m) => ({ userId: m.userId, seat: 'member' as const })),
      ...panel.reserves.map((m) => ({ userId: m.userId, seat: 'reserve' as const })),
    ].map((s) => ({ ...s, callId: panel.callId, callTitle, drawnAt: panel.drawnAt }));
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...audited(
              {
                Put: {
                  TableName: this.table,
                  Item: { ...keys.panel(panel.callId), ...panel },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              undefined,
              { actor: panel.drawnBy, at: panel.drawnAt, action: 'panel.drawn' },
            ),
            ...seats.map((s) => ({
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.panelSeat(s.callId, s.userId),
                  gsi1pk: keys.assignmentsOf(s.userId),
                  gsi1sk: `${s.drawnAt}#${s.callId}`,
                  ...s,
                },
              },
            })),
          ],
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException)
        throw new ConflictError(
          "This call's panel has already been drawn; a draw is never repeated.",
          '本项目已抽取评审委员会，不得重复抽取',
        );
      throw err;
    }
  }

  /** The changed panel (e.g. `panel.recused`) with its audit entry, if still at `expectedVersion`. */
  async savePanel(panel: Panel, expectedVersion: number, by: AuditAction): Promise<void> {
    const head = await readHead(this.doc, this.table, keys.panel(panel.callId));
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: audited(
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.panel(panel.callId), ...panel },
                ConditionExpression: 'version = :v',
                ExpressionAttributeValues: { ':v': expectedVersion },
              },
            },
            head,
            by,
          ),
        }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) throw new StaleVersionError(expectedVersion);
      throw err;
    }
  }

  assignments(userId: string, limit: number, cursor?: string): Promise<Page<Assignment>> {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'assignments',
        index: 'gsi1',
        partition: keys.assignmentsOf(userId),
        limit,
        cursor,
        backwards: true,
      },
      AssignmentSchema,
    );
  }

  // Score sheets (评分表)

  sheetItem(s: Sheet) {
    return {
      ...keys.sheet(s.submissionId, s.reviewerId),
      gsi1pk: keys.sheetsOfCall(s.callId),
      gsi1sk: `${s.submissionId}#${s.reviewerId}`,
      ...s,
    };
  }

  async sheet(submissionId: string, reviewerId: string): Promise<Sheet | undefined> {
    return (await this.sheetAsRead(submissionId, reviewerId)).sheet;
  }

  /** The sheet and the head of its audit chain, from one read (for a write that follows). */
  async sheetAsRead(submissionId: string, reviewerId: string): Promise<{ sheet?: Sheet; head?: ChainHead }> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.sheet(submissionId, reviewerId) }),
    );
    return out.Item ? { sheet: SheetSchema.parse(withoutKeys(out.Item)), head: headOf(out.Item) } : {};
  }

  /** Writes a sheet whose stored version is `expectedVersion` (undefined: a new sheet) and status `status`. */
  sheetPut(s: Sheet, expectedVersion: number | undefined, status: Sheet['status']) {
    return expectedVersion === undefined
      ? { TableName: this.table, Item: this.sheetItem(s), ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          TableName: this.table,
          Item: this.sheetItem(s),
          ConditionExpression: 'version = :v AND #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':v': expectedVersion, ':status': status },
        };
  }

  /**
   * `sheetPut` with its audit entry, for a TransactWriteItems: `head` is the sheet's chain head as
   * read with `expectedVersion`. Without `by`, the entry is named from the change itself:
   * `sheet.submitted`, `sheet.reopened` (by the officer of the last reopening) or `sheet.saved`.
   */
  sheetWrites(
    s: Sheet,
    expectedVersion: number | undefined,
    status: Sheet['status'],
    head: ChainHead | undefined,
    by?: AuditAction,
  ): TransactItem[] {
    return audited({ Put: this.sheetPut(s, expectedVersion, status) }, head, by ?? sheetAudit(s, status));
  }

  async putSheet(
    s: Sheet,
    expectedVersion: number | undefined,
    status: Sheet['status'],
    by?: AuditAction,
  ): Promise<void> {
    const head =
      expectedVersion === undefined
        ? undefined
        : await readHead(this.doc, this.table, keys.sheet(s.submissionId, s.reviewerId));
    await this.putSheetAt(s, expectedVersion, status, head, by);
  }

  /** `putSheet` with the chain head the caller read the sheet with (`sheetAsRead`). */
  async putSheetAt(
    s: Sheet,
    expectedVersion: number | undefined,
    status: Sheet['status'],
    head: ChainHead | undefined,
    by?: AuditAction,
  ): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({ TransactItems: this.sheetWrites(s, expectedVersion, status, head, by) }),
      );
    } catch (err) {
      if (err instanceof TransactionCanceledException) throw new StaleVersionError(expectedVersion);
      throw err;
    }
  }

  sheetsOfCall(callId: string, limit: number, cursor?: string): Promise<Page<Sheet>> {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: `sheets#${callId}`,
        index: 'gsi1',
        partition: keys.sheetsOfCall(callId),
        limit,
        cursor,
      },
      SheetSchema,
    );
  }

  /** Several items by key in one round trip per 100 keys. */
  async batchGet(keyList: { pk: string; sk: string }[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (let i = 0; i < keyList.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.table]: { Keys: keyList.slice(i, i + 100) },
      };
      while (request && Object.keys(request).length) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        out.push(...(res.Responses?.[this.table] ?? []));
        request = res.UnprocessedKeys as typeof request;
      }
    }
    return out;
  }

  // Aggregates (per submission) and the ranking index

  aggregate(submissionId: string): Promise<AggregateItem | undefined> {
    return aggregateOf(this.doc, this.table, submissionId);
  }

  async aggregates(submissionIds: string[]): Promise<AggregateItem[]> {
    const items = await this.batchGet(submissionIds.map((id) => keys.scoreAggregate(id)));
    return items.map((i) => AggregateItemSchema.parse(withoutKeys(i)));
  }

  /** A lot's aggregate items (gsi1, `lot#submission`), all pages. */
  aggregatesOfLot(callId: string, lot: string | undefined): Promise<AggregateItem[]> {
    return aggregatesOfLot(this.doc, this.table, callId, lot);
  }

  /** The stored form of an aggregate (see aggregates.ts). */
  aggregatePut(a: AggregateItem, rankKey: string | undefined, expectedVersion: number | undefined) {
    return aggregatePut(this.table, a, rankKey, expectedVersion);
  }

  /** One ranking page: ONE Query on gsi2, Limit + 1 (the extra item shows a tie across the boundary). */
  async rankingSlice(callId: string, limit: number, start?: Record<string, string>): Promise<RankingSlice> {
    const out: QueryCommandOutput = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.rankingOfCall(callId) },
        Limit: limit + 1,
        ExclusiveStartKey: start,
      }),
    );
    const rows = (out.Items ?? []).map((i) => ({
      ...AggregateItemSchema.parse(withoutKeys(i)),
      gsi2sk: String(i.gsi2sk),
    }));
    const items = rows.slice(0, limit);
    const peek = rows[limit];
    const last = items[items.length - 1];
    const lastKey = peek
      ? last && {
          pk: keys.scoreAggregate(last.submissionId).pk,
          sk: keys.scoreAggregate(last.submissionId).sk,
          gsi2pk: keys.rankingOfCall(callId),
          gsi2sk: last.gsi2sk,
        }
      : (out.LastEvaluatedKey as Record<string, string> | undefined);
    return { items, peek, lastKey };
  }

  get client() {
    return this.doc;
  }
  get tableName() {
    return this.table;
  }
}

/** The audit entry of a sheet write, named from the change (see `sheetWrites`). */
function sheetAudit(s: Sheet, previousStatus: Sheet['status']): AuditAction {
  if (s.status === 'submitted')
    return { actor: s.reviewerId, at: s.submittedAt ?? s.updatedAt, action: 'sheet.submitted' };
  if (previousStatus === 'submitted') {
    const last = s.reopenings[s.reopenings.length - 1];
    return { actor: last?.by ?? s.reviewerId, at: last?.at ?? s.updatedAt, action: 'sheet.reopened' };
  }
  return { actor: s.reviewerId, at: s.updatedAt, action: 'sheet.saved' };
}
