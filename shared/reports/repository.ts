import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { type ChainHead, headOf } from '../audit/record';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { type Report, ReportSchema, type ReportVersion, ReportVersionSchema } from './model';

/**
 * Milestone reports in the table: `REPORT#<id>` / `REPORT` (root of its audit chain, guarded by
 * `version`), kept revisions `REPORT#<id>` / `V#000001`…, the lock `REPORTLOCK#<contract>#<station>#<month>`
 * (one report per contract, station and month). gsi1 `CONTRACTREPORTS#<contract>` by month and
 * station; gsi2 (sparse: submitted only) `REPORTQUEUE#<city>` by jurisdiction path and time, the
 * officers' review queue.
 */
export function reportItem(r: Report): Record<string, unknown> {
  return {
    ...keys.report(r.id),
    gsi1pk: keys.reportsOfContract(r.contractId),
    gsi1sk: `${r.month}#${r.stationId}#${r.id}`,
    ...(r.status === 'submitted'
      ? {
          gsi2pk: keys.reportQueue(cityOf(r.jurisdictionPath)),
          gsi2sk: `${r.jurisdictionPath}${r.submittedAt}#${r.id}`,
        }
      : {}),
    ...r,
  };
}

/** The root write of a report: a whole-item Put guarded by the version read (or by its absence). */
export function reportWrite(table: string, next: Report, expectedVersion?: number) {
  return {
    Put:
      expectedVersion === undefined
        ? { TableName: table, Item: reportItem(next), ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            TableName: table,
            Item: reportItem(next),
            ConditionExpression: 'version = :expectedVersion',
            ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
          },
  };
}

export function reportVersionPut(table: string, v: ReportVersion) {
  return {
    Put: {
      TableName: table,
      Item: { ...keys.reportVersion(v.reportId, v.revision), ...v },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function reportLockPut(table: string, r: Report) {
  return {
    Put: {
      TableName: table,
      Item: { ...keys.reportLock(r.contractId, r.stationId, r.month), reportId: r.id },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export class ReportRepository {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  async get(id: string): Promise<{ report: Report; head: ChainHead | undefined } | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.report(id), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { report: ReportSchema.parse(withoutKeys(out.Item)), head: headOf(out.Item) };
  }

  /** The report already filed for a contract, station and month, if any. */
  async lockedBy(contractId: string, stationId: string, month: string): Promise<string | undefined> {
    const out = await this.doc.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.reportLock(contractId, stationId, month),
        ConsistentRead: true,
      }),
    );
    return out.Item ? String(out.Item.reportId) : undefined;
  }

  /** A contract's reports by month and station. */
  pageOfContract(contractId: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: `reports#${contractId}`,
        index: 'gsi1',
        partition: keys.reportsOfContract(contractId),
        limit,
        cursor,
      },
      ReportSchema,
    );
  }

  async allOfContract(contractId: string): Promise<Report[]> {
    const out: Report[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.pageOfContract(contractId, 100, cursor);
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Submitted reports awaiting review in a jurisdiction's subtree, oldest first. */
  queuePage(jurisdictionPath: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'report-queue',
        index: 'gsi2',
        partition: keys.reportQueue(cityOf(jurisdictionPath)),
        prefix: jurisdictionPath,
        limit,
        cursor,
      },
      ReportSchema,
    );
  }

  async versions(id: string): Promise<ReportVersion[]> {
    const out: ReportVersion[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': keys.report(id).pk, ':v': keys.versionPrefix },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      out.push(...(page.Items ?? []).map((i) => ReportVersionSchema.parse(withoutKeys(i))));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
