import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { audited, headOf } from '../audit/record';
import { type AuditAction, JOBS_ACTOR, readRoot, stateAfter } from '../audit/write';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { StaleVersionError } from '../errors';
import { type Amendment, AmendmentSchema, type Call, CallSchema } from './model';

export class CallRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private item(c: Call) {
    return {
      ...keys.call(c.id),
      gsi1pk: keys.callsOfCity(cityOf(c.jurisdictionPath)),
      gsi1sk: `${c.jurisdictionPath}${c.createdAt}#${c.id}`,
      // Sparse: only published, not yet closed calls are in the open-calls index.
      ...(c.status === 'published'
        ? { gsi2pk: keys.openCalls, gsi2sk: `${c.periods.deadline}#${c.id}` }
        : {}),
      ...c,
    };
  }

  /** A new draft and the first entry of its audit chain (`call.created`). */
  async create(c: Call): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: audited(
          {
            Put: {
              TableName: this.table,
              Item: this.item(c),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          undefined,
          { actor: c.createdBy, at: c.createdAt, action: 'call.created' },
        ),
      }),
    );
  }

  async get(id: string): Promise<Call | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.call(id) }));
    return out.Item ? CallSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  /**
   * Replaces the call if nobody changed it since `expectedVersion`, with its audit entry
   * (`call.edited`, `call.published`, `call.amended`); with an amendment, all or nothing.
   */
  async save(next: Call, expectedVersion: number, by: AuditAction, amendment?: Amendment): Promise<void> {
    const raw = await readRoot(this.doc, this.table, keys.call(next.id));
    if (!raw || raw.version !== expectedVersion) throw new StaleVersionError(expectedVersion);
    const put = {
      TableName: this.table,
      Item: this.item(next),
      ConditionExpression: 'attribute_exists(pk) AND version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    };
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            ...audited({ Put: put }, headOf(raw), by),
            ...(amendment
              ? [
                  {
                    Put: {
                      TableName: this.table,
                      Item: { ...keys.callAmendment(amendment.callId, amendment.seq), ...amendment },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException || e instanceof TransactionCanceledException)
        throw new StaleVersionError(expectedVersion);
      throw e;
    }
  }

  listUnder(jurisdictionPath: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'calls',
        index: 'gsi1',
        partition: keys.callsOfCity(cityOf(jurisdictionPath)),
        prefix: jurisdictionPath,
        limit,
        cursor,
        backwards: true,
      },
      CallSchema,
    );
  }

  /** Published calls whose deadline is still ahead, soonest first (a deadline equal to now has passed). */
  listOpen(nowIso: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'open-calls',
        index: 'gsi2',
        partition: keys.openCalls,
        after: `${nowIso}#\uffff`,
        limit,
        cursor,
      },
      CallSchema,
    );
  }

  /** Published calls whose deadline has passed: what the jobs function closes. */
  async listDue(nowIso: string, limit: number): Promise<Call[]> {
    const out = await queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'due-calls',
        index: 'gsi2',
        partition: keys.openCalls,
        before: `${nowIso}#\uffff`,
        limit,
      },
      CallSchema,
    );
    return out.items;
  }

  amendments(callId: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: `amendments#${callId}`,
        partition: keys.call(callId).pk,
        prefix: keys.callAmendmentPrefix,
        limit,
        cursor,
      },
      AmendmentSchema,
    );
  }

  /**
   * Closes a published call whose deadline has passed (`call.closed`, by the jobs function); a
   * no-op if someone else already did, or if the call changed since it was read here (the next
   * run sees it again).
   */
  async close(c: Pick<Call, 'id'>, atIso: string, actor: string = JOBS_ACTOR): Promise<boolean> {
    const raw = await readRoot(this.doc, this.table, keys.call(c.id));
    if (raw?.status !== 'published') return false;
    const next = Number(raw.version) + 1;
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: audited(
            {
              Update: {
                TableName: this.table,
                Key: keys.call(c.id),
                UpdateExpression:
                  'SET #status = :closed, closedAt = :at, version = :next REMOVE gsi2pk, gsi2sk',
                ConditionExpression: '#status = :published AND periods.deadline <= :at AND version = :v',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':closed': 'closed',
                  ':published': 'published',
                  ':at': atIso,
                  ':next': next,
                  ':v': raw.version,
                },
              },
            },
            headOf(raw),
            {
              actor,
              at: atIso,
              action: 'call.closed',
              state: stateAfter(raw, { status: 'closed', closedAt: atIso, version: next }),
            },
          ),
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof TransactionCanceledException) return false;
      throw e;
    }
  }
}
