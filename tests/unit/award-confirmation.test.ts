import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { knownArrangements } from '../../infra/bootstrap/known-years';
import type { Principal } from '../../shared/auth/principal';
import { type Award, effectiveAwardStatus, finalAt, publicNotice } from '../../shared/awards/model';
import { AwardService, InsufficientFundsError } from '../../shared/awards/service';
import { loadConfig } from '../../shared/config';
import { makeDocClient } from '../../shared/db/client';
import { type ProblemError, ServiceUnavailableError, StaleVersionError } from '../../shared/errors';
import type { Deps } from '../../shared/http/deps';
import { createLog } from '../../shared/http/log';

/**
 * The confirmation's money path against a mocked DynamoDB: moto never raises TransactionConflict
 * and ignores ClientRequestToken (PITFALLS.md), so those paths are tested here.
 */
const ddb = mockClient(DynamoDBDocumentClient);
const NOW = new Date('2026-06-01T10:00:00+08:00');
const officer = (userId: string): Principal => ({
  userId,
  role: 'officer',
  name: userId,
  jurisdictionId: '410621',
  jurisdictionPath: '410600/410621/',
});
const A = officer('officer-a');
const B = officer('officer-b');

const award: Award = {
  id: 'aw-s1',
  callId: 'c1',
  callKind: 'venture',
  callTitle: 'A venture round',
  poolId: 'p1',
  jurisdictionPath: '410600/410621/',
  submissionId: 's1',
  orgId: 'o1',
  orgName: '七彩',
  amountFen: 3_000_000,
  rank: 1,
  totalCenti: 9000,
  priceScoreCenti: 0,
  technicalScoreCenti: 9000,
  noticeWorkingDays: 5,
  status: 'proposed',
  proposedBy: A.userId,
  proposedAt: NOW.toISOString(),
  openChallenges: 0,
  challenges: 0,
  version: 1,
};

const pool = (budgetFen: number, committedFen: number) => ({
  pk: 'POOL#p1',
  sk: 'POOL',
  id: 'p1',
  name: 'pool',
  sources: [{ kind: 'city-budget' }],
  fiscalYear: 2026,
  jurisdictionId: '410621',
  jurisdictionPath: '410600/410621/',
  budgetFen,
  committedFen,
  disbursedFen: 0,
  createdAt: NOW.toISOString(),
  createdBy: 'x',
  version: 1,
});

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

function service(attempts = 4) {
  const deps: Deps = {
    config: { ...loadConfig({}), tableName: 't' },
    doc: makeDocClient(new DynamoDBClient({ region: 'us-east-1' })),
    keyRing: undefined as never,
    now: () => NOW,
    log: createLog({}, () => {}),
  };
  return new AwardService(deps, { retry: { attempts, baseDelayMs: 1, sleep: async () => {} } });
}

const POOL_KEY = { Key: { pk: 'POOL#p1', sk: 'POOL' } };
const AWARD_KEY = { Key: { pk: 'AWARD#aw-s1', sk: 'AWARD' } };
/** The award as stored (with keys), read for its version and audit chain head. */
const storedAward = (a: Award = award) => ({ Item: { pk: 'AWARD#aw-s1', sk: 'AWARD', ...a } });
/** Reads of the pool answer `pools` in turn (the last one thereafter); the award reads as stored. */
function reads(...pools: ReturnType<typeof pool>[]) {
  const poolReads = ddb.on(GetCommand, POOL_KEY);
  for (const item of pools.slice(0, -1)) poolReads.resolvesOnce({ Item: item });
  poolReads.resolves({ Item: pools.at(-1) });
  ddb.on(GetCommand, AWARD_KEY).resolves(storedAward());
  // The working-day calendar of 2026, as the bootstrap stores it (read once, then cached).
  ddb.on(GetCommand, { Key: { pk: 'CAL#2026', sk: 'CAL' } }).resolves({ Item: CAL_2026 });
}
const CAL_2026 = {
  pk: 'CAL#2026',
  sk: 'CAL',
  year: 2026,
  calendarVersion: 1,
  arrangement: knownArrangements().find((a) => a.year === 2026),
};
/** Cancellation codes in action order: pool, ledger entry, award, its audit entry, timer. */
const codes = (pool: string, awardCode = 'None') => [pool, 'None', awardCode, 'None', 'None'];

const transactions = () => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input);

beforeEach(() => ddb.reset());

describe('confirming an award commits the money in one transaction', () => {
  it('updates pool, award and timer together; the limit is computed in code, not in the condition', async () => {
    reads(pool(100_000_000, 10_000_000));
    ddb.on(TransactWriteCommand).resolves({});
    const out = await service().confirm(award, 1, B);
    expect(out.status).toBe('confirmed');
    expect(out.confirmedBy).toBe(B.userId);
    // 5 working days from Monday 1 June 2026: Monday 8 June, 24:00 Beijing time.
    expect(out.noticeEndsAt).toBe('2026-06-08T16:00:00.000Z');
    // 7 working days, with 端午 (Friday 19 June) not reached: Wednesday 10 June.
    expect(out.challengeDeadline).toBe('2026-06-10T16:00:00.000Z');
    expect(out.closesAt).toBe(out.challengeDeadline);
    const [tx] = transactions();
    // Pool, ledger entry, award, its audit entry, notice timer.
    expect(tx!.TransactItems).toHaveLength(5);
    expect(tx!.TransactItems![1]!.Put!.Item).toMatchObject({ kind: 'commit', amountFen: 3_000_000 });
    expect(tx!.TransactItems![3]!.Put!.Item).toMatchObject({
      aggregate: 'AWARD#aw-s1',
      action: 'award.confirmed',
    });
    const poolUpdate = tx!.TransactItems![0]!.Update!;
    expect(poolUpdate.ConditionExpression).toBe(
      'attribute_exists(pk) AND budgetFen = :budget AND committedFen <= :limit',
    );
    expect(poolUpdate.ConditionExpression).not.toMatch(/[+-]/);
    expect(poolUpdate.ExpressionAttributeValues).toMatchObject({
      ':amount': 3_000_000,
      ':budget': 100_000_000,
      ':limit': 97_000_000,
    });
    const awardUpdate = tx!.TransactItems![2]!.Update!;
    expect(awardUpdate.ConditionExpression).toContain('proposedBy <> :me');
    expect(awardUpdate.ConditionExpression).toContain('version = :v');
    expect(tx!.ClientRequestToken).toBeTruthy();
  });

  it('retries a TransactionConflict with the same ClientRequestToken, then succeeds', async () => {
    reads(pool(100_000_000, 0));
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(...codes('TransactionConflict')))
      .rejectsOnce(cancelled(...codes('None', 'TransactionConflict')))
      .resolves({});
    const out = await service().confirm(award, 1, B);
    expect(out.status).toBe('confirmed');
    const txs = transactions();
    expect(txs).toHaveLength(3);
    expect(new Set(txs.map((t) => t.ClientRequestToken)).size).toBe(1);
    expect(txs.map((t) => JSON.stringify(t.TransactItems))).toEqual(
      Array(3).fill(JSON.stringify(txs[0]!.TransactItems)),
    );
  });

  it('gives up after a bounded number of conflicting attempts: 503 with Retry-After', async () => {
    reads(pool(100_000_000, 0));
    ddb.on(TransactWriteCommand).rejects(cancelled(...codes('TransactionConflict')));
    const err = await service(4)
      .confirm(award, 1, B)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect((err as ProblemError).status).toBe(503);
    expect((err as ProblemError).headers['Retry-After']).toBe('1');
    const txs = transactions();
    expect(txs).toHaveLength(4);
    expect(new Set(txs.map((t) => t.ClientRequestToken)).size).toBe(1);
  });

  it('ConditionalCheckFailed on the pool: 422 insufficient funds, no retry of the transaction', async () => {
    // Re-read after the failure: someone else committed meanwhile.
    reads(pool(100_000_000, 96_000_000), pool(100_000_000, 98_000_000));
    ddb.on(TransactWriteCommand).rejects(cancelled(...codes('ConditionalCheckFailed')));
    const err = await service()
      .confirm(award, 1, B)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientFundsError);
    expect((err as ProblemError).status).toBe(422);
    expect((err as ProblemError).slug).toBe('insufficient-funds');
    expect((err as ProblemError).extra).toMatchObject({ availableFen: 2_000_000, amountFen: 3_000_000 });
    expect(transactions()).toHaveLength(1);
  });

  it('refuses without writing when the pool cannot hold the award', async () => {
    reads(pool(100_000_000, 97_000_001));
    const err = await service()
      .confirm(award, 1, B)
      .catch((e: unknown) => e);
    expect((err as ProblemError).status).toBe(422);
    expect(transactions()).toHaveLength(0);
  });

  it('a budget changed meanwhile is re-read: a new limit, a new transaction and token', async () => {
    reads(pool(100_000_000, 0), pool(120_000_000, 0));
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled(...codes('ConditionalCheckFailed')))
      .resolves({});
    await service().confirm(award, 1, B);
    const txs = transactions();
    expect(txs).toHaveLength(2);
    expect(txs[1]!.TransactItems![0]!.Update!.ExpressionAttributeValues).toMatchObject({
      ':budget': 120_000_000,
      ':limit': 117_000_000,
    });
    expect(txs[0]!.ClientRequestToken).not.toBe(txs[1]!.ClientRequestToken);
  });

  it('the award changed meanwhile: 409, the money untouched', async () => {
    reads(pool(100_000_000, 0));
    // Read as proposed (version 1); confirmed by someone else before the write lands.
    ddb
      .on(GetCommand, AWARD_KEY)
      .resolvesOnce(storedAward())
      .resolves(storedAward({ ...award, status: 'confirmed', version: 2 }));
    ddb.on(TransactWriteCommand).rejects(cancelled(...codes('None', 'ConditionalCheckFailed')));
    const err = await service()
      .confirm(award, 1, B)
      .catch((e: unknown) => e);
    expect((err as ProblemError).status).toBe(409);
    expect(transactions()).toHaveLength(1);
  });

  it('the proposer cannot confirm (two-officer rule), and a stale version is 409', async () => {
    const err = await service()
      .confirm(award, 1, A)
      .catch((e: unknown) => e);
    expect((err as ProblemError).status).toBe(403);
    expect((err as ProblemError).slug).toBe('proposer-cannot-confirm');
    await expect(service().confirm(award, 2, B)).rejects.toBeInstanceOf(StaleVersionError);
    expect(ddb.calls()).toHaveLength(0);
  });
});

describe('what readers see does not depend on the jobs function', () => {
  const confirmed: Award = {
    ...award,
    status: 'confirmed',
    confirmedBy: B.userId,
    noticeStartsAt: '2026-06-01T02:00:00.000Z',
    noticeEndsAt: '2026-06-08T16:00:00.000Z',
    challengeDeadline: '2026-06-10T16:00:00.000Z',
    closesAt: '2026-06-10T16:00:00.000Z',
    version: 2,
  };

  it('a confirmed award is final from the end of its windows, unless a challenge is open', () => {
    expect(effectiveAwardStatus(confirmed, new Date('2026-06-10T15:59:59Z'))).toBe('confirmed');
    expect(effectiveAwardStatus(confirmed, new Date('2026-06-10T16:00:00Z'))).toBe('final');
    expect(effectiveAwardStatus({ ...confirmed, openChallenges: 1 }, new Date('2026-07-01T00:00:00Z'))).toBe(
      'confirmed',
    );
    expect(finalAt(confirmed)).toBe(confirmed.closesAt);
    expect(finalAt({ ...confirmed, lastAnsweredAt: '2026-06-12T03:00:00.000Z' })).toBe(
      '2026-06-12T03:00:00.000Z',
    );
  });

  it('the public sees confirmed, final and cancelled awards, never a proposal or an officer id', () => {
    expect(publicNotice(award, NOW)).toBeUndefined();
    const n = publicNotice(confirmed, new Date('2026-06-11T00:00:00Z'))!;
    expect(n).toMatchObject({ status: 'final', finalizedAt: confirmed.closesAt, challengeOpen: false });
    expect(n.scores).toEqual({ total: 90, price: 0, technical: 90 });
    expect(JSON.stringify(n)).not.toMatch(/officer-/);
  });
});
