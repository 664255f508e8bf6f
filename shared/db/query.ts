import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod/mini';
import { decodeCursor, encodeCursor } from './keys';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageQuery {
  tableName: string;
  /** Names the list, so that a cursor from one list is refused by another. */
  list: string;
  index?: 'gsi1' | 'gsi2';
  partition: string;
  /** Sort-key prefix (subtree or status filter). */
  prefix?: string;
  /** Sort key strictly greater than this (e.g. deadlines still in the future). */
  after?: string;
  /** Sort key at most this (e.g. deadlines already passed). */
  before?: string;
  limit: number;
  cursor?: string;
  backwards?: boolean;
}

/** One Query per page; cursors are opaque and bound to their list and partition. */
export async function queryPage<S extends z.ZodMiniType>(
  doc: DynamoDBDocumentClient,
  q: PageQuery,
  schema: S,
): Promise<Page<z.infer<S>>> {
  const pkAttr = q.index ? `${q.index}pk` : 'pk';
  const skAttr = q.index ? `${q.index}sk` : 'sk';
  const start = decodeCursor(q.list, q.cursor, { [pkAttr]: q.partition });
  const conditions = ['#pk = :pk'];
  const values: Record<string, unknown> = { ':pk': q.partition };
  if (q.prefix) {
    conditions.push('begins_with(#sk, :prefix)');
    values[':prefix'] = q.prefix;
  } else if (q.after) {
    conditions.push('#sk > :after');
    values[':after'] = q.after;
  } else if (q.before) {
    conditions.push('#sk <= :before');
    values[':before'] = q.before;
  }
  const out = await doc.send(
    new QueryCommand({
      TableName: q.tableName,
      IndexName: q.index,
      KeyConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: { '#pk': pkAttr, ...(conditions.length > 1 ? { '#sk': skAttr } : {}) },
      ExpressionAttributeValues: values,
      Limit: q.limit,
      ExclusiveStartKey: start,
      ScanIndexForward: !q.backwards,
    }),
  );
  return {
    items: (out.Items ?? []).map((i) => schema.parse(i)),
    nextCursor: encodeCursor(q.list, out.LastEvaluatedKey),
  };
}

/** Strips the storage attributes before an item leaves the repository. */
export function withoutKeys<T extends Record<string, unknown>>(
  item: T,
): Omit<T, 'pk' | 'sk' | 'gsi1pk' | 'gsi1sk' | 'gsi2pk' | 'gsi2sk' | 'ttl'> {
  const { pk: _a, sk: _b, gsi1pk: _c, gsi1sk: _d, gsi2pk: _e, gsi2sk: _f, ttl: _g, ...rest } = item;
  return rest;
}
