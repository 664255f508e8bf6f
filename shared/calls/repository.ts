import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
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

  async create(c: Call): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: this.item(c),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<Call | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.call(id) }));
    return out.Item ? CallSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  /** Replaces the call if nobody changed it since `expectedVersion`; with an amendment, both or neither. */
  async save(next: Call, expectedVersion: number, amendment?: Amendment): Promise<void> {
    const put = {
      TableName: this.table,
      Item: this.item(next),
      ConditionExpression: 'attribute_exists(pk) AND version = :v',
      ExpressionAttributeValues: { ':v': expectedVersion },
    };
    try {
      if (!amendment) {
        await this.doc.send(new PutCommand(put));
        return;
      }
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.callAmendment(amendment.callId, amendment.seq), ...amendment },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
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

  /** Closes a published call whose deadline has passed; a no-op if someone else already did. */
  async close(c: Call, atIso: string): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.call(c.id),
          UpdateExpression:
            'SET #status = :closed, closedAt = :at, version = version + :one REMOVE gsi2pk, gsi2sk',
          ConditionExpression: '#status = :published AND periods.deadline <= :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':closed': 'closed',
            ':published': 'published',
            ':at': atIso,
            ':one': 1,
          },
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) return false;
      throw e;
    }
  }
}
