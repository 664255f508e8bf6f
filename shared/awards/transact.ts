import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ServiceUnavailableError } from '../errors';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

export interface RetryOptions {
  /** Attempts in all, the first included. */
  attempts: number;
  /** First back-off; doubled each retry, with full jitter. */
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 4, baseDelayMs: 25 };

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The codes of a cancelled transaction, in action order ('None' where the action was fine). */
export function cancellationCodes(e: unknown): string[] | undefined {
  if (!(e instanceof TransactionCanceledException)) return undefined;
  return (e.CancellationReasons ?? []).map((r) => r.Code ?? 'None');
}

/** DynamoDB's answers that mean "slow down", not "no" (the SDK's own list, for our retries). */
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'TooManyRequestsException',
  // The same token is still being applied by an earlier attempt: wait, then ask again.
  'TransactionInProgressException',
]);
/** The request may or may not have reached DynamoDB: only the same token makes a retry safe. */
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export type TransientKind = 'conflict' | 'throttling' | 'timeout' | 'server';

/**
 * Whether a failed TransactWriteItems is worth sending again as it is, and why: another
 * transaction touched the same items (TransactionConflict, no condition failed), DynamoDB
 * throttled, the previous attempt with this token is still in progress, the request timed out or
 * the connection broke, or DynamoDB answered 5xx. A failed condition is never transient.
 */
export function transientKind(e: unknown): TransientKind | undefined {
  const codes = cancellationCodes(e);
  if (codes) {
    if (codes.includes('ConditionalCheckFailed')) return undefined;
    if (codes.includes('TransactionConflict')) return 'conflict';
    if (codes.includes('ThrottlingError') || codes.includes('ProvisionedThroughputExceeded'))
      return 'throttling';
    return undefined;
  }
  if (!e || typeof e !== 'object') return undefined;
  const err = e as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    cause?: unknown;
  };
  if (err.name && THROTTLING.has(err.name)) return 'throttling';
  if (err.$metadata?.httpStatusCode === 429) return 'throttling';
  if (err.name && TIMEOUTS.has(err.name)) return 'timeout';
  if (err.code && NETWORK_CODES.has(err.code)) return 'timeout';
  const status = err.$metadata?.httpStatusCode;
  if (err.name === 'InternalServerError' || (status !== undefined && status >= 500 && status <= 504))
    return 'server';
  if (err.cause !== undefined && err.cause !== e) return transientKind(err.cause);
  return undefined;
}

const GIVE_UP: Record<TransientKind, string> = {
  conflict: 'The transaction kept conflicting with concurrent changes; retry shortly.',
  throttling: 'The database is throttling requests; retry shortly.',
  timeout: 'The database did not answer in time; retry shortly (nothing is written twice).',
  server: 'The database is unavailable; retry shortly.',
};

/**
 * One TransactWriteItems, retried a bounded number of times with the SAME ClientRequestToken
 * when the failure is transient (see `transientKind`). PITFALLS.md: the SDK neither retries a
 * cancelled transaction nor keeps the token between sends; with the same token a retry of an
 * attempt that DynamoDB did apply (a timeout after the commit) is answered as a success and not
 * applied twice (within 10 minutes). Other cancellations (a condition failed) are thrown at once
 * for the caller to explain. When the failures persist: 503 problem+json, Retry-After 1.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: TransactItems,
  retry: RetryOptions = DEFAULT_RETRY,
): Promise<void> {
  const token = randomUUID();
  const sleep = retry.sleep ?? pause;
  let last: unknown;
  let kind: TransientKind = 'conflict';
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    if (attempt > 0) await sleep(Math.random() * retry.baseDelayMs * 2 ** (attempt - 1));
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
      return;
    } catch (e) {
      const k = transientKind(e);
      if (!k) throw e;
      kind = k;
      last = e;
    }
  }
  throw new ServiceUnavailableError(GIVE_UP[kind], last);
}
