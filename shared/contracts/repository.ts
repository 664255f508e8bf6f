import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type ChainHead, headOf } from '../audit/record';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { named } from '../schema';
import { type Contract, ContractSchema } from './model';

/**
 * Contracts in the table (access patterns: shared/db/ACCESS-PATTERNS.md, "Contracts, reports,
 * evaluations, statistics"):
 *
 * - the contract: `CONTRACT#<id>` / `CONTRACT`, the root of its audit chain, guarded by `version`;
 *   gsi1 `CONTRACTS#<city>` sk `jurisdictionPath + signedAt#id` (officers, finance, auditors: their
 *   subtree with begins_with); gsi2 `ORGCONTRACTS#<org>` sk `signedAt#id` (the provider's own);
 * - its kept versions (the text at signing and after each amendment): `CONTRACT#<id>` / `V#000001`…
 *
 * Every write of the contract is a whole-item Put guarded by the version it was read with
 * (`contractWrite`), put in a TransactWriteItems with its audit entry (`audited`) and whatever
 * else the change moves (pool counters, ledger entries, tranches' disbursements, statistics).
 * Both the contracts and the finance function write it that way.
 */

/** The stored item of a contract: keys, list indexes, then the contract itself. */
export function contractItem(c: Contract): Record<string, unknown> {
  return {
    ...keys.contract(c.id),
    gsi1pk: keys.contractsOfCity(cityOf(c.jurisdictionPath)),
    gsi1sk: `${c.jurisdictionPath}${c.signedAt}#${c.id}`,
    gsi2pk: keys.contractsOfOrg(c.orgId),
    gsi2sk: `${c.signedAt}#${c.id}`,
    ...c,
  };
}

/**
 * The root write of a contract for a TransactWriteItems: a Put of the complete new item, guarded
 * by `version = expectedVersion` (the version it was read with; `next.version` should be one more),
 * or, for a new contract (`expectedVersion` undefined), by its absence. Wrap it with
 * `audited(contractWrite(...), head, { actor, at, action })` — `head` as `ContractRepository.get`
 * returned it — so the audit entry and the chain guard go into the same transaction.
 */
export function contractWrite(table: string, next: Contract, expectedVersion?: number) {
  return {
    Put:
      expectedVersion === undefined
        ? { TableName: table, Item: contractItem(next), ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            TableName: table,
            Item: contractItem(next),
            ConditionExpression: 'version = :expectedVersion',
            ExpressionAttributeValues: { ':expectedVersion': expectedVersion },
          },
  };
}

/** A kept version of the contract's terms: the text at signing (1) and after each amendment. */
export const ContractVersionSchema = named(
  z.object({
    contractId: z.string(),
    /** 1 = as signed; n + 1 = after amendment n. */
    number: z.int(),
    at: z.string(),
    by: z.string(),
    /** The amendment's reason (absent for the signed text). */
    reason: z.optional(z.string()),
    /** The fields the amendment changed, with their values before and after. */
    changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
    contract: ContractSchema,
  }),
  'ContractVersion',
);
export type ContractVersion = z.infer<typeof ContractVersionSchema>;

/** The conditional Put of a kept version (derived item: no audit chain of its own). */
export function contractVersionPut(table: string, v: ContractVersion) {
  return {
    Put: {
      TableName: table,
      Item: { ...keys.contractVersion(v.contractId, v.number), ...v },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export interface ContractRead {
  contract: Contract;
  /** The audit chain head as read: pass it to `audited` with a write guarded by `contract.version`. */
  head: ChainHead | undefined;
}

export class ContractRepository {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** The contract and its chain head, read consistently (the next write is guarded by both). */
  async get(id: string): Promise<ContractRead | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.contract(id), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    return { contract: ContractSchema.parse(withoutKeys(out.Item)), head: headOf(out.Item) };
  }

  /** Contracts in a jurisdiction's subtree (officers, finance, auditors), oldest signed first. */
  pageInJurisdiction(jurisdictionPath: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'contracts',
        index: 'gsi1',
        partition: keys.contractsOfCity(cityOf(jurisdictionPath)),
        prefix: jurisdictionPath,
        limit,
        cursor,
      },
      ContractSchema,
    );
  }

  /** An organization's own contracts, newest first. */
  pageOfOrg(orgId: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'org-contracts',
        index: 'gsi2',
        partition: keys.contractsOfOrg(orgId),
        limit,
        cursor,
        backwards: true,
      },
      ContractSchema,
    );
  }

  /** Every kept version, oldest first (a contract has a handful). */
  async versions(id: string): Promise<ContractVersion[]> {
    const out: ContractVersion[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': keys.contract(id).pk, ':v': keys.versionPrefix },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      out.push(...(page.Items ?? []).map((i) => ContractVersionSchema.parse(withoutKeys(i))));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
