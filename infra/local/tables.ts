import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createTableInput, IDEMPOTENCY_TABLE, MAIN_TABLE, type TableDefinition } from '../../shared/db/table';

/** Creates the tables from the same definitions the CDK stack uses. Existing tables are kept. */
export async function createTables(
  client: DynamoDBClient,
  names: { tableName: string; idempotencyTableName: string },
): Promise<void> {
  const pairs: [TableDefinition, string][] = [
    [MAIN_TABLE, names.tableName],
    [IDEMPOTENCY_TABLE, names.idempotencyTableName],
  ];
  for (const [def, name] of pairs) {
    try {
      await client.send(new CreateTableCommand(createTableInput(def, name)));
      if (def.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
          }),
        );
      }
    } catch (e) {
      if (!(e instanceof ResourceInUseException)) throw e;
    }
  }
}
