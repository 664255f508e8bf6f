import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { type ChainHead, headOf } from '../audit/record';
import { MILESTONES } from '../calls/constants';
import { cityOf, decodeCursor, encodeCursor, keys } from '../db/keys';
import { type Page, queryPage, withoutKeys } from '../db/query';
import { type LedgerEntry, LedgerEntrySchema, ledgerKeys } from '../ledger/entries';
import { type Disbursement, DisbursementSchema, type DisbursementStatus } from './model';

/**
 * Disbursements and ledger entries in the table (shared/db/ACCESS-PATTERNS.md, "Finance").
 *
 * - a disbursement: `DISB#<id>` / `DISB`, the root of its own audit chain, guarded by `version`;
 *   gsi1 `DISBS#<city>` sk `status#jurisdictionPath + since#id` (the queues of a subtree by
 *   status); gsi2 `ORGDISBS#<org>` sk `contractId#milestoneIndex#attempt` (the provider's own,
 *   and a contract's: begins_with `contractId#`);
 * - ledger entries: `LEDGER#<pool>` / `at#id`, gsi1 `CONTRACTLEDGER#<contract>` (ledger/entries.ts).
 *
 * Writes are whole-item Puts guarded by the version they were read with, put by the service into
 * one TransactWriteItems with their audit entries and whatever else the step moves.
 */

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** When the disbursement took its current status (the queue order). */
function since(d: Disbursement): string {
  switch (d.status) {
    case 'requested':
      return d.requestedAt;
    case 'approved':
      return d.approvedAt ?? d.requestedAt;
    case 'paid':
      return d.paidAt ?? d.requestedAt;
    case 'rejected':
      return d.rejectedAt ?? d.requestedAt;
  }
}

/** The stored item: keys, list indexes, then the disbursement itself. */
export function disbursementItem(d: Disbursement): Record<string, unknown> {
  return {
    ...keys.disbursement(d.id),
    gsi1pk: keys.disbursementsOfCity(cityOf(d.jurisdictionPath)),
    gsi1sk: `${d.status}#${d.jurisdictionPath}${since(d)}#${d.id}`,
    gsi2pk: keys.disbursementsOfOrg(d.orgId),
    gsi2sk: `${d.contractId}#${MILESTONES.indexOf(d.milestone)}#${pad(d.attempt, 3)}`,
    ...d,
  };
}

/**
 * The root write of a disbursement: a Put of the complete new item, guarded by its absence (a new
 * request) or by `version = expectedVersion` and, when given, the status it was read in. Extra
 * conditions (`requestedBy <> :me`) are ANDed by the caller. Wrap with `audited`.
 */
export function disbursementWrite(
  table: string,
  next: Disbursement,
  expected?: { version: number; status: DisbursementStatus },
) {
  if (!expected)
    return {
      Put: {
        TableName: table,
        Item: disbursementItem(next),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  return {
    Put: {
      TableName: table,
      Item: disbursementItem(next),
      ConditionExpression: 'version = :expectedVersion AND #status = :expectedStatus',
      ExpressionAttributeNames: { '#status': 'status' } as Record<string, string>,
      ExpressionAttributeValues: {
        ':expectedVersion': expected.version,
        ':expectedStatus': expected.status,
      } as Record<string, unknown>,
    },
  };
}

export interface DisbursementRead {
  disbursement: Disbursement;
  head: ChainHead | undefined;
}

export class DisbursementRepository {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** The disbursement and its chain head, read consistently. */
  async get(id: string): Promise<DisbursementRead | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.disbursement(id), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { disbursement: DisbursementSchema.parse(withoutKeys(out.Item)), head: headOf(out.Item) };
  }

  /** A jurisdiction subtree's disbursements in one status, oldest first (the queues). */
  pageInJurisdiction(
    jurisdictionPath: string,
    status: DisbursementStatus,
    limit: number,
    cursor?: string,
    backwards = false,
  ): Promise<Page<Disbursement>> {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: `disbursements#${status}#${jurisdictionPath}`,
        index: 'gsi1',
        partition: keys.disbursementsOfCity(cityOf(jurisdictionPath)),
        prefix: `${status}#${jurisdictionPath}`,
        limit,
        cursor,
        backwards,
      },
      DisbursementSchema,
    );
  }

  /**
   * An organization's disbursements by contract, milestone and attempt; only one contract's with
   * `contractId`, only one status with `status` (a filter: an organization has a few).
   */
  async pageOfOrg(
    orgId: string,
    options: { contractId?: string; status?: DisbursementStatus; limit: number; cursor?: string },
  ): Promise<Page<Disbursement>> {
    const partition = keys.disbursementsOfOrg(orgId);
    const list = `org-disbursements#${options.contractId ?? '*'}#${options.status ?? '*'}`;
    const start = decodeCursor(list, options.cursor, { gsi2pk: partition });
    const values: Record<string, unknown> = { ':pk': partition };
    let condition = 'gsi2pk = :pk';
    if (options.contractId) {
      condition += ' AND begins_with(gsi2sk, :contract)';
      values[':contract'] = `${options.contractId}#`;
    }
    if (options.status) values[':status'] = options.status;
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: 'gsi2',
        KeyConditionExpression: condition,
        ...(options.status
          ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
          : {}),
        ExpressionAttributeValues: values,
        Limit: options.limit,
        ExclusiveStartKey: start,
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => DisbursementSchema.parse(withoutKeys(i))),
      nextCursor: encodeCursor(list, out.LastEvaluatedKey as Record<string, string> | undefined),
    };
  }

  /** Every disbursement of a contract (a handful: one per tranche and attempt). */
  async ofContract(orgId: string, contractId: string): Promise<Disbursement[]> {
    const out: Disbursement[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.pageOfOrg(orgId, { contractId, limit: 100, cursor });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** Several by id (BatchGet, unprocessed keys retried). */
  async many(ids: readonly string[]): Promise<Disbursement[]> {
    const out: Disbursement[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.table]: { Keys: ids.slice(i, i + 100).map((id) => keys.disbursement(id)) },
      };
      while (request && Object.keys(request).length) {
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[this.table] ?? [])
          out.push(DisbursementSchema.parse(withoutKeys(item)));
        request = res.UnprocessedKeys as typeof request;
      }
    }
    return out;
  }
}

/** The fund ledger's entries (written by whoever moves a pool's money; read here). */
export class LedgerRepository {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** One page of a pool's entries in time order (newest first with `backwards`). */
  pageOfPool(poolId: string, limit: number, cursor?: string, backwards = false): Promise<Page<LedgerEntry>> {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: `ledger#${poolId}`,
        partition: ledgerKeys.pool(poolId),
        limit,
        cursor,
        backwards,
      },
      LedgerEntrySchema,
    );
  }

  /** Every entry of a pool, oldest first (the verifier; strongly consistent). */
  async allOfPool(poolId: string): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': ledgerKeys.pool(poolId) },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      out.push(...(page.Items ?? []).map((i) => LedgerEntrySchema.parse(withoutKeys(i))));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Every entry of a contract, oldest first (gsi1: a contract has a handful). */
  async allOfContract(contractId: string): Promise<LedgerEntry[]> {
    const out: LedgerEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': ledgerKeys.ofContract(contractId) },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map((i) => LedgerEntrySchema.parse(withoutKeys(i))));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
