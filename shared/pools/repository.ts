import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { RuleViolationError, StaleVersionError } from '../errors';
import { type Pool, PoolSchema } from './model';

export class PoolRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(pool: Pool): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...keys.pool(pool.id),
          gsi1pk: keys.poolsOfCity(cityOf(pool.jurisdictionPath)),
          gsi1sk: `${pool.jurisdictionPath}${pool.fiscalYear}#${pool.id}`,
          ...pool,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<Pool | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.pool(id) }));
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

  /** Renames or re-budgets; the budget can never drop below what is already committed. */
  async update(id: string, version: number, patch: { name?: string; budgetFen?: number }): Promise<Pool> {
    const sets = ['version = version + :one'];
    const values: Record<string, unknown> = { ':one': 1, ':v': version };
    let condition = 'attribute_exists(pk) AND version = :v';
    if (patch.name !== undefined) {
      sets.push('#name = :name');
      values[':name'] = patch.name;
    }
    if (patch.budgetFen !== undefined) {
      sets.push('budgetFen = :budget');
      values[':budget'] = patch.budgetFen;
      condition += ' AND committedFen <= :budget';
    }
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.pool(id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: condition,
          ExpressionAttributeNames: patch.name !== undefined ? { '#name': 'name' } : undefined,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return PoolSchema.parse(withoutKeys(out.Attributes!));
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException) {
        const old = e.Item as { version?: { N?: string }; committedFen?: { N?: string } } | undefined;
        if (old && Number(old.version?.N) === version) {
          throw new RuleViolationError(
            'budget-below-committed',
            `The budget cannot be lower than the ${old.committedFen?.N} fen already committed.`,
            `预算不能低于已承诺的 ${old.committedFen?.N} 分`,
          );
        }
        throw new StaleVersionError(version);
      }
      throw e;
    }
  }
}
