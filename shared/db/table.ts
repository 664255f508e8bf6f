import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The table definitions, written once. The CDK stack (infra/) and the local bootstrap
 * (createTableInput, used by `npm start` and the tests) both read them, so the local and the
 * deployed tables cannot drift. Access patterns: see docs/DATA.md.
 */
export interface TableDefinition {
  partitionKey: string;
  sortKey?: string;
  indexes: { name: string; partitionKey: string; sortKey: string }[];
  ttlAttribute?: string;
}

export const MAIN_TABLE: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
  ttlAttribute: 'ttl',
};

/** Powertools idempotency records: its default layout (`id`, `expiration`). */
export const IDEMPOTENCY_TABLE: TableDefinition = {
  partitionKey: 'id',
  indexes: [],
  ttlAttribute: 'expiration',
};

export function createTableInput(def: TableDefinition, tableName: string): CreateTableCommandInput {
  const names = new Set<string>([def.partitionKey]);
  if (def.sortKey) names.add(def.sortKey);
  for (const ix of def.indexes) {
    names.add(ix.partitionKey);
    names.add(ix.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...names].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' as const }] : []),
    ],
    GlobalSecondaryIndexes: def.indexes.length
      ? def.indexes.map((ix) => ({
          IndexName: ix.name,
          KeySchema: [
            { AttributeName: ix.partitionKey, KeyType: 'HASH' as const },
            { AttributeName: ix.sortKey, KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        }))
      : undefined,
  };
}
