import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '../audit/chain';
import { audited, headOf } from '../audit/record';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import {
  type CalendarVersion,
  CalendarVersionSchema,
  type CalendarYear,
  CalendarYearSchema,
  type WindowReview,
  WindowReviewSchema,
} from './model';

/** Calendar years, their kept versions, and the window reviews a correction leaves for officers. */
export class CalendarRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getAsRead(year: number): Promise<{ record: CalendarYear; raw: Record<string, unknown> } | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.calendarYear(year), ConsistentRead: true }),
    );
    return out.Item ? { record: CalendarYearSchema.parse(withoutKeys(out.Item)), raw: out.Item } : undefined;
  }

  /** Every stored year, oldest first (one Query per 100 years). */
  list(limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'calendar-years',
        index: 'gsi1',
        partition: keys.calendarYears,
        limit,
        cursor,
      },
      CalendarYearSchema,
    );
  }

  /** The confirmed versions of a year, newest first. */
  async versions(year: number): Promise<CalendarVersion[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': keys.calendarYear(year).pk, ':v': 'V#' },
        ScanIndexForward: false,
        Limit: 100,
      }),
    );
    return (out.Items ?? []).map((i) => CalendarVersionSchema.parse(withoutKeys(i)));
  }

  /** The year's root write with its audit entry; `raw` is the root as read (undefined: new year). */
  rootWrite(
    record: CalendarYear,
    raw: Record<string, unknown> | undefined,
    ctx: { actor: string; at: string; action: string },
  ): TransactItem[] {
    const condition = raw ? 'version = :v' : 'attribute_not_exists(pk)';
    return audited(
      {
        Put: {
          TableName: this.table,
          Item: {
            ...keys.calendarYear(record.year),
            gsi1pk: keys.calendarYears,
            gsi1sk: String(record.year),
            ...dropUndefined(record),
          },
          ConditionExpression: condition,
          ...(raw ? { ExpressionAttributeValues: { ':v': record.version - 1 } } : {}),
        },
      },
      headOf(raw),
      ctx,
    );
  }

  versionPut(v: CalendarVersion): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: { ...keys.calendarVersion(v.year, v.calendarVersion), ...dropUndefined(v) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  windowReviewPut(r: WindowReview): TransactItem {
    return {
      Put: {
        TableName: this.table,
        Item: {
          ...keys.windowReview(r.awardId),
          gsi1pk: keys.windowReviewsOfCity(cityOf(r.jurisdictionPath)),
          gsi1sk: `${r.jurisdictionPath}${r.awardId}`,
          ...r,
        },
      },
    };
  }

  async windowReview(awardId: string): Promise<WindowReview | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.windowReview(awardId) }),
    );
    return out.Item ? WindowReviewSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  /** The window reviews of a jurisdiction subtree (an officer's start page). */
  windowReviewsUnder(jurisdictionPath: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'window-reviews',
        index: 'gsi1',
        partition: keys.windowReviewsOfCity(cityOf(jurisdictionPath)),
        prefix: jurisdictionPath,
        limit,
        cursor,
      },
      WindowReviewSchema,
    );
  }

  /** Raw items by key, 100 per BatchGet (unprocessed keys asked again). */
  async batchGet(list: { pk: string; sk: string }[]): Promise<Record<string, unknown>[]> {
    const found: Record<string, unknown>[] = [];
    for (let i = 0; i < list.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined =
        {
          [this.table]: { Keys: list.slice(i, i + 100), ConsistentRead: true },
        };
      while (request && Object.keys(request).length) {
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(out.Responses?.[this.table] ?? []));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }
}

export function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
