import {
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { BucketAlreadyExists, BucketAlreadyOwnedByYou, CreateBucketCommand } from '@aws-sdk/client-s3';
import type { Config } from '../../shared/config';
import { makeS3Client } from '../../shared/db/s3';
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

/** The documents bucket on the local S3-protocol server (moto), created if missing. */
export async function createBucket(
  config: Pick<Config, 'region' | 's3Endpoint' | 'documentsBucket'>,
): Promise<void> {
  const s3 = makeS3Client(config);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: config.documentsBucket }));
  } catch (e) {
    if (!(e instanceof BucketAlreadyOwnedByYou || e instanceof BucketAlreadyExists)) throw e;
  }
}
