import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '../audit/chain';
import { audited, headOf } from '../audit/record';
import { queryPage, withoutKeys } from '../db/query';
import { type PackRecord, PackRecordSchema, type PackVersion, PackVersionSchema } from './model';

/** Rule pack keys: one root per pack (its own audit chain), each confirmed version beside it. */
export const ruleKeys = {
  pack: (id: string) => ({ pk: `RULEPACK#${id}`, sk: 'RULEPACK' }),
  packs: 'RULEPACKS',
  version: (id: string, n: number) => ({ pk: `RULEPACK#${id}`, sk: `V#${String(n).padStart(6, '0')}` }),
};

/** Confirmed versions never change: cached in the process for ever. */
const versionCache = new Map<string, PackVersion>();

const dropUndefined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export class RulePackRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getAsRead(id: string): Promise<{ record: PackRecord; raw: Record<string, unknown> } | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: ruleKeys.pack(id), ConsistentRead: true }),
    );
    return out.Item ? { record: PackRecordSchema.parse(withoutKeys(out.Item)), raw: out.Item } : undefined;
  }

  /** The roots of several packs (missing ones left out). */
  async roots(ids: string[]): Promise<PackRecord[]> {
    if (!ids.length) return [];
    const out = await this.doc.send(
      new BatchGetCommand({
        RequestItems: { [this.table]: { Keys: ids.map((id) => ruleKeys.pack(id)), ConsistentRead: true } },
      }),
    );
    return (out.Responses?.[this.table] ?? []).map((i) => PackRecordSchema.parse(withoutKeys(i)));
  }

  list(limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      { tableName: this.table, list: 'rule-packs', index: 'gsi1', partition: ruleKeys.packs, limit, cursor },
      PackRecordSchema,
    );
  }

  async version(id: string, n: number): Promise<PackVersion | undefined> {
    const key = `${this.table}#${id}#${n}`;
    const hit = versionCache.get(key);
    if (hit) return hit;
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: ruleKeys.version(id, n) }));
    if (!out.Item) return undefined;
    const v = PackVersionSchema.parse(withoutKeys(out.Item));
    versionCache.set(key, v);
    return v;
  }

  /** Every confirmed version of a pack, newest first. */
  async versions(id: string): Promise<PackVersion[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': ruleKeys.pack(id).pk, ':v': 'V#' },
        ScanIndexForward: false,
        Limit: 100,
      }),
    );
    return (out.Items ?? []).map((i) => PackVersionSchema.parse(withoutKeys(i)));
  }

  /** The root write with its audit entry; `raw` is the root as read (undefined: a new pack). */
  rootWrite(
    record: PackRecord,
    raw: Record<string, unknown> | undefined,
    ctx: { actor: string; at: string; action: string },
  ): TransactItem[] {
    return audited(
      {
        Put: {
          TableName: this.table,
          Item: {
            ...ruleKeys.pack(record.packId),
            gsi1pk: ruleKeys.packs,
            gsi1sk: record.packId,
            ...dropUndefined(record),
          },
          ConditionExpression: raw ? 'version = :v' : 'attribute_not_exists(pk)',
          ...(raw ? { ExpressionAttributeValues: { ':v': record.version - 1 } } : {}),
        },
      },
      headOf(raw),
      ctx,
    );
  }

  versionPut(v: PackVersion): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...ruleKeys.version(v.packId, v.packVersion), ...dropUndefined(v) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}
