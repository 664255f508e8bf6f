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

/** Worth retrying as it is: another transaction touched the same items (no condition failed). */
function isTransient(e: unknown): boolean {
  const codes = cancellationCodes(e);
  if (codes)
    return (
      codes.some((c) => c === 'TransactionConflict' || c === 'ThrottlingError') &&
      !codes.includes('ConditionalCheckFailed')
    );
  return (e as { name?: string } | undefined)?.name === 'TransactionInProgressException';
}

/**
 * One TransactWriteItems, retried a bounded number of times on TransactionConflict with the SAME
 * ClientRequestToken (PITFALLS.md: the SDK neither retries a cancelled transaction nor keeps the
 * token between sends; with the same token a retry that DynamoDB already applied is not applied
 * twice). Other cancellations (a condition failed) are thrown at once for the caller to explain.
 * When the conflicts persist: 503, Retry-After 1.
 */
export async function transactWrite(
  doc: DynamoDBDocumentClient,
  items: TransactItems,
  retry: RetryOptions = DEFAULT_RETRY,
): Promise<void> {
  const token = randomUUID();
  const sleep = retry.sleep ?? pause;
  let last: unknown;
  for (let attempt = 0; attempt < retry.attempts; attempt++) {
    if (attempt > 0) await sleep(Math.random() * retry.baseDelayMs * 2 ** (attempt - 1));
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: token }));
      return;
    } catch (e) {
      if (!isTransient(e)) throw e;
      last = e;
    }
  }
  throw new ServiceUnavailableError(
    'The transaction kept conflicting with concurrent changes; retry shortly.',
    last,
  );
}
