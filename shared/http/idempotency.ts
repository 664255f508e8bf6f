import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'hono';
import { ConflictError, MalformedRequestError, RuleViolationError } from '../errors';
import type { ApiEnv } from './deps';

/** The persistence layer over the idempotency table, created on first use. */
export function idempotencyStore(
  tableName: string,
  client: DynamoDBClient,
): () => Promise<BasePersistenceLayer> {
  let store: Promise<BasePersistenceLayer> | undefined;
  return () =>
    (store ??= Promise.resolve(new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: client })));
}

const config = new IdempotencyConfig({
  // The key is ours, not the whole event: route, caller, organization and the client's key
  // (PITFALLS.md: two organizations using the same key must never share a response).
  eventKeyJmesPath: 'key',
  // A replay with another body is refused instead of served the first response.
  payloadValidationJmesPath: 'body',
  expiresAfterSeconds: 24 * 3600,
  throwOnNoIdempotencyKey: true,
});

async function idempotencyOf(c: Context<ApiEnv>): Promise<BasePersistenceLayer> {
  const store = c.get('deps').idempotency;
  if (!store) throw new Error(`Function ${c.get('routeKey')} was built without an idempotency store`);
  return store();
}

export interface Created<T> {
  status: 201 | 200;
  body: T;
}

/**
 * Runs a creating operation at most once per `Idempotency-Key`; a replay returns the stored
 * response. Without the header the operation simply runs.
 */
export async function idempotent<T>(
  c: Context<ApiEnv>,
  body: unknown,
  run: () => Promise<Created<T>>,
): Promise<Created<T>> {
  const header = c.req.header('idempotency-key');
  if (header === undefined) return run();
  if (!/^[\x21-\x7e]{1,128}$/.test(header)) {
    throw new MalformedRequestError(
      'Idempotency-Key must be 1–128 visible ASCII characters.',
      'Idempotency-Key 须为 1–128 个可见 ASCII 字符',
    );
  }
  const p = c.get('principal');
  const key = [c.get('routeKey'), c.req.path, p?.userId ?? 'anonymous', p?.orgId ?? '-', header].join('|');
  const once = makeIdempotent(async (_payload: { key: string; body: unknown }) => run(), {
    persistenceStore: await idempotencyOf(c),
    config,
  });
  try {
    return await once({ key, body: body ?? null });
  } catch (e) {
    if (e instanceof IdempotencyValidationError) {
      throw new RuleViolationError(
        'idempotency-key-reused',
        'This Idempotency-Key was already used with a different request body.',
        '此 Idempotency-Key 已用于另一个不同的请求',
      );
    }
    if (e instanceof IdempotencyAlreadyInProgressError) {
      throw new ConflictError(
        'A request with this Idempotency-Key is still in progress.',
        '相同 Idempotency-Key 的请求正在处理中',
      );
    }
    throw e;
  }
}
