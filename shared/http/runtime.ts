import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { keySource } from '../auth/key-source';
import { loadConfig } from '../config';
import { makeDocClient, makeDynamoClient } from '../db/client';
import type { Deps } from './deps';
import { createLog } from './log';

/** Production dependencies of a function, from its environment. */
export function prodDeps(
  fn: string,
  options: {
    signs?: boolean;
    idempotency?: (tableName: string, client: DynamoDBClient) => Deps['idempotency'];
  } = {},
): Deps {
  const config = loadConfig();
  const client = makeDynamoClient(config);
  return {
    config,
    doc: makeDocClient(client),
    keyRing: keySource(config, options.signs ?? false),
    now: () => new Date(),
    idempotency: options.idempotency?.(config.idempotencyTableName, client),
    log: createLog({ service: 'grant-platform', fn }),
  };
}
