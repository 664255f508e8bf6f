import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { keySource } from '../auth/key-source';
import { loadConfig } from '../config';
import { makeDocClient, makeDynamoClient } from '../db/client';
import type { Deps } from './deps';
import { createLog } from './log';

/** Production dependencies of a function, from its environment. */
export function prodDeps(fn: string, options: { signs?: boolean } = {}): Deps {
  const config = loadConfig();
  const client = makeDynamoClient(config);
  return {
    config,
    doc: makeDocClient(client),
    keyRing: keySource(config, options.signs ?? false),
    now: () => new Date(),
    idempotency: new DynamoDBPersistenceLayer({
      tableName: config.idempotencyTableName,
      awsSdkV3Client: client,
    }),
    log: createLog({ service: 'grant-platform', fn }),
  };
}
