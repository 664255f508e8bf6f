import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { audited, headOf } from '../audit/record';
import { type AuditBy, readRoot, stateAfter } from '../audit/write';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { RuleViolationError, StaleVersionError } from '../errors';
import { type Pool, PoolSchema } from './model';

/**
 * Fund pools. A pool's own chain (audit trail) covers what officers change: name, sources,
 * budget, version. Its money counters (`committedFen`, `disbursedFen`) are not in that chain
 * (shared/audit/record.ts, UNAUDITED_FIELDS): they move in the award and payment transactions
 * with a plain Update that touches nothing else of the pool (not even its version), next to the
 * ledger entry that attests the movement (shared/ledger/entries.ts).
 */
export class PoolRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(pool: Pool): Promise<void> {
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: audited(
          {
            Put: {
              TableName: this.table,
              Item: {
                ...keys.pool(pool.id),
                gsi1pk: keys.poolsOfCity(cityOf(pool.jurisdictionPath)),
                gsi1sk: `${pool.jurisdictionPath}${pool.fiscalYear}#${pool.id}`,
                ...pool,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          undefined,
          { actor: pool.createdBy, at: pool.createdAt, action: 'pool.created' },
        ),
      }),
    );
  }

  async get(id: string, consistent = false): Promise<Pool | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: keys.pool(id), ConsistentRead: consistent || undefined }),
    );
    return out.Item ? PoolSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  list(jurisdictionPath: string, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'pools',
        index: 'gsi1',
        partition: keys.poolsOfCity(cityOf(jurisdictionPath)),
        prefix: jurisdictionPath,
        limit,
        cursor,
      },
      PoolSchema,
    );
  }

  /**
   * Renames or re-budgets; the budget can never drop below what is already committed. One
   * transaction: the pool (guarded by its version and, for a new budget, by `committedFen <=
   * budget`) and its audit entry (`pool.renamed`, `pool.rebudgeted`).
   */
  async update(
    id: string,
    version: number,
    patch: { name?: string; budgetFen?: number },
    by: AuditBy,
  ): Promise<Pool> {
    const raw = await readRoot(this.doc, this.table, keys.pool(id));
    if (!raw || raw.version !== version) throw new StaleVersionError(version);
    const belowCommitted = (committed: unknown) =>
      new RuleViolationError(
        'budget-below-committed',
        `The budget cannot be lower than the ${committed} fen already committed.`,
        `预算不能低于已承诺的 ${committed} 分`,
      );
    if (patch.budgetFen !== undefined && Number(raw.committedFen) > patch.budgetFen)
      throw belowCommitted(raw.committedFen);
    const sets = ['version = :next'];
    const set: Record<string, unknown> = { version: version + 1 };
    const values: Record<string, unknown> = { ':next': version + 1, ':v': version };
    let condition = 'attribute_exists(pk) AND version = :v';
    if (patch.name !== undefined) {
      sets.push('#name = :name');
      values[':name'] = patch.name;
      set.name = patch.name;
    }
    if (patch.budgetFen !== undefined) {
      sets.push('budgetFen = :budget');
      values[':budget'] = patch.budgetFen;
      set.budgetFen = patch.budgetFen;
      condition += ' AND committedFen <= :budget';
    }
    const action =
      patch.budgetFen !== undefined
        ? 'pool.rebudgeted'
        : patch.name !== undefined
          ? 'pool.renamed'
          : 'pool.updated';
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: audited(
            {
              Update: {
                TableName: this.table,
                Key: keys.pool(id),
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression: condition,
                ...(patch.name !== undefined ? { ExpressionAttributeNames: { '#name': 'name' } } : {}),
                ExpressionAttributeValues: values,
              },
            },
            headOf(raw),
            { ...by, action, state: stateAfter(raw, set) },
          ),
        }),
      );
    } catch (e) {
      if (e instanceof TransactionCanceledException) {
        // An award committed money meanwhile (the version is untouched by money) or someone
        // edited the pool: tell which.
        const now = await readRoot(this.doc, this.table, keys.pool(id));
        if (
          now?.version === version &&
          patch.budgetFen !== undefined &&
          Number(now.committedFen) > patch.budgetFen
        )
          throw belowCommitted(now.committedFen);
        throw new StaleVersionError(version);
      }
      throw e;
    }
    return (await this.get(id, true))!;
  }
}
