import {
  DynamoDBClient,
  IdempotentParameterMismatchException,
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { transactWrite, transientKind } from '../../shared/awards/transact';
import { makeDocClient } from '../../shared/db/client';
import { type ProblemError, ServiceUnavailableError } from '../../shared/errors';

/**
 * `transactWrite`: which failures are retried (with the same ClientRequestToken, a bounded number
 * of times, then 503) and which are the caller's to explain at once.
 */
const doc = makeDocClient(new DynamoDBClient({ region: 'us-east-1' }));
const ddb = mockClient(doc);
const meta = { $metadata: {} };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    ...meta,
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const named = (name: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(name), { name, ...extra });
const ITEMS = [{ Put: { TableName: 't', Item: { pk: 'a', sk: 'a' } } }];

beforeEach(() => ddb.reset());

describe('transientKind', () => {
  it.each([
    ['TransactionConflict', cancelled('None', 'TransactionConflict'), 'conflict'],
    ['ThrottlingError in a transaction', cancelled('ThrottlingError', 'None'), 'throttling'],
    ['ThrottlingException', new ThrottlingException({ message: 'slow down', ...meta }), 'throttling'],
    [
      'ProvisionedThroughputExceededException',
      new ProvisionedThroughputExceededException({ message: 'x', ...meta }),
      'throttling',
    ],
    ['RequestLimitExceeded', new RequestLimitExceeded({ message: 'x', ...meta }), 'throttling'],
    [
      'TransactionInProgressException',
      new TransactionInProgressException({ message: 'x', ...meta }),
      'throttling',
    ],
    ['HTTP 429', named('SomethingElse', { $metadata: { httpStatusCode: 429 } }), 'throttling'],
    ['TimeoutError', named('TimeoutError'), 'timeout'],
    ['AbortError', named('AbortError'), 'timeout'],
    ['ECONNRESET', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'timeout'],
    ['ETIMEDOUT', Object.assign(new Error('connect ETIMEDOUT'), { code: 'ETIMEDOUT' }), 'timeout'],
    ['EPIPE', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), 'timeout'],
    ['a network error as the cause', new Error('fetch failed', { cause: named('TimeoutError') }), 'timeout'],
    ['InternalServerError', new InternalServerError({ message: 'x', ...meta }), 'server'],
    ['HTTP 503', named('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }), 'server'],
  ])('%s is retried as %s', (_name, error, kind) => {
    expect(transientKind(error)).toBe(kind);
  });

  it.each([
    ['a failed condition', cancelled('ConditionalCheckFailed', 'None')],
    ['a failed condition beside a conflict', cancelled('ConditionalCheckFailed', 'TransactionConflict')],
    ['a validation error of the transaction', cancelled('ValidationError')],
    ['IdempotentParameterMismatch', new IdempotentParameterMismatchException({ message: 'x', ...meta })],
    ['ValidationException', named('ValidationException', { $metadata: { httpStatusCode: 400 } })],
    ['a programming error', new TypeError('x is undefined')],
    ['nothing', undefined],
  ])('%s is not', (_name, error) => {
    expect(transientKind(error)).toBeUndefined();
  });
});

describe('transactWrite', () => {
  const sleeps: number[] = [];
  const retry = { attempts: 5, baseDelayMs: 10, sleep: async (ms: number) => void sleeps.push(ms) };
  beforeEach(() => {
    sleeps.length = 0;
  });
  const calls = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input);

  it('retries every transient kind with the same token, and succeeds', async () => {
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('TransactionConflict'))
      .rejectsOnce(new ThrottlingException({ message: 'x', ...meta }))
      .rejectsOnce(named('TimeoutError'))
      .rejectsOnce(new InternalServerError({ message: 'x', ...meta }))
      .resolves({});
    await transactWrite(doc, ITEMS, retry);
    const tokens = calls().map((c) => c.ClientRequestToken);
    expect(tokens).toHaveLength(5);
    expect(new Set(tokens).size).toBe(1);
    // Full jitter under a doubling ceiling: 10, 20, 40, 80 ms.
    expect(sleeps).toHaveLength(4);
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(10 * 2 ** i);
    });
  });

  it.each([
    ['conflicts', cancelled('TransactionConflict'), /conflicting/],
    ['throttling', new ThrottlingException({ message: 'x', ...meta }), /throttling/],
    ['timeouts', named('TimeoutError'), /did not answer in time/],
  ])(
    'gives up on persistent %s: 503 with Retry-After, after the bounded attempts',
    async (_n, error, detail) => {
      ddb.on(TransactWriteCommand).rejects(error);
      const err = (await transactWrite(doc, ITEMS, retry).catch((e: unknown) => e)) as ProblemError;
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect(err.status).toBe(503);
      expect(err.headers['Retry-After']).toBe('1');
      expect(err.message).toMatch(detail);
      expect(err.cause).toBe(error);
      expect(calls()).toHaveLength(5);
      expect(new Set(calls().map((c) => c.ClientRequestToken)).size).toBe(1);
    },
  );

  it('throws a failed condition at once, for the caller to explain', async () => {
    const ccf = cancelled('None', 'ConditionalCheckFailed');
    ddb.on(TransactWriteCommand).rejects(ccf);
    await expect(transactWrite(doc, ITEMS, retry)).rejects.toBe(ccf);
    expect(calls()).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('each call has its own token (a new transaction is a new token)', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await transactWrite(doc, ITEMS, retry);
    await transactWrite(doc, ITEMS, retry);
    const [a, b] = calls();
    expect(a!.ClientRequestToken).not.toBe(b!.ClientRequestToken);
  });
});
