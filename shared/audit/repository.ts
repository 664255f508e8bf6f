import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../db/keys';
import { type LedgerEntry, ledgerKeys } from '../ledger/entries';
import { type AuditEntry, auditKeys } from './chain';
import { rootKeyOf } from './record';
import { readRoot } from './write';

/** A chain as listed by its first entry (gsi1 `AUDITCHAINS#<hex>`). */
export interface ListedChain {
  aggregate: string;
  /** gsi1sk of the first entry: `<at>#<aggregate>` (creation order). */
  createdKey: string;
}

/**
 * Reads of the audit trail: one chain in seq order, the root item that carries its head, every
 * chain (by the first entries, indexed in 16 gsi1 partitions: no Scan), and a pool's ledger.
 *
 * Entries are returned as stored, not schema-parsed: a tampered entry (a number turned into a
 * string, a field removed) must reach the verifier, which names it, instead of failing the read.
 */
export class AuditRepository {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** One page of a chain's entries, in seq order (its sort key). */
  async chainPage(
    aggregate: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: AuditEntry[]; nextCursor?: string }> {
    const list = `audit#${aggregate}`;
    const partition = auditKeys.chain(aggregate);
    const out: QueryCommandOutput = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': partition, ':prefix': auditKeys.entryPrefix },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(list, cursor, { pk: partition }),
        ConsistentRead: true,
      }),
    );
    return {
      items: (out.Items ?? []).map(entryOf),
      nextCursor: encodeCursor(list, out.LastEvaluatedKey as Record<string, string> | undefined),
    };
  }

  /** Every entry of a chain, in seq order (all pages). */
  async chain(aggregate: string): Promise<AuditEntry[]> {
    const all: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.chainPage(aggregate, 500, cursor);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
  }

  /** The aggregate's root item as stored (consistent), which carries the chain's head. */
  root(aggregate: string): Promise<Record<string, unknown> | undefined> {
    return readRoot(this.doc, this.table, rootKeyOf(aggregate));
  }

  /** Every chain, from the 16 shards of first entries; each shard in creation order. */
  async listChains(): Promise<ListedChain[]> {
    const shards = await Promise.all(
      auditKeys.chainShards.map(async (hex) => {
        const found: ListedChain[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const out: QueryCommandOutput = await this.doc.send(
            new QueryCommand({
              TableName: this.table,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': auditKeys.chains(hex) },
              ProjectionExpression: '#aggregate, gsi1sk',
              ExpressionAttributeNames: { '#aggregate': 'aggregate' },
              ExclusiveStartKey: start,
            }),
          );
          for (const i of out.Items ?? [])
            found.push({ aggregate: String(i.aggregate), createdKey: String(i.gsi1sk) });
          start = out.LastEvaluatedKey;
        } while (start);
        return found;
      }),
    );
    // The same aggregate twice (an entry 1 copied over another seq): list the chain once.
    const seen = new Map<string, ListedChain>();
    for (const c of shards.flat()) if (!seen.has(c.aggregate)) seen.set(c.aggregate, c);
    return [...seen.values()].sort((a, b) =>
      a.createdKey < b.createdKey ? -1 : a.createdKey > b.createdKey ? 1 : 0,
    );
  }

  /** Every ledger entry of a pool (all pages), as stored. */
  ledger(poolId: string): Promise<LedgerEntry[]> {
    return this.all({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ledgerKeys.pool(poolId) },
      ConsistentRead: true,
    });
  }

  /** Every ledger entry of a contract (gsi1, all pages), as stored. */
  contractLedger(contractId: string): Promise<LedgerEntry[]> {
    return this.all({
      TableName: this.table,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': ledgerKeys.ofContract(contractId) },
    });
  }

  private async all(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<LedgerEntry[]> {
    const all: LedgerEntry[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out: QueryCommandOutput = await this.doc.send(
        new QueryCommand({ ...input, ExclusiveStartKey: start }),
      );
      all.push(...((out.Items ?? []) as LedgerEntry[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return all;
  }
}

/** The entry fields of a stored item (keys and index attributes left behind). */
function entryOf(item: Record<string, unknown>): AuditEntry {
  return {
    aggregate: item.aggregate,
    seq: item.seq,
    actor: item.actor,
    at: item.at,
    action: item.action,
    stateHash: item.stateHash,
    prevHash: item.prevHash,
    entryHash: item.entryHash,
  } as AuditEntry;
}
