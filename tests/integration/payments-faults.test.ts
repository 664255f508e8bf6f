import {
  ThrottlingException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../functions/finance/app';
import type { Contract } from '../../shared/contracts/model';
import { makeDocClient, makeDynamoClient } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { verifyContractLedger, verifyLedger } from '../../shared/finance/service';
import { beijingToday, json, signedContracts, type Tokens, tokens } from '../support/finance';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Faults injected with aws-sdk-client-mock during a payment (moto never raises them, and it
 * ignores ClientRequestToken: PITFALLS.md). The finance app runs on a document client whose
 * reads and plain writes are forwarded to the real moto, and whose TransactWriteItems fail as
 * each case says — before forwarding (the request never reached DynamoDB) or after (the commit
 * happened and the answer was lost). The mock bypasses the SDK's own retries: it tests ours.
 * Every case: bounded attempts, the SAME ClientRequestToken on each, then 200 or a 503
 * problem+json through the HTTP route — and the stored state complete exactly once, or unchanged.
 */
let p: TestPlatform;
let t: Tokens;
let contracts: Contract[];
let poolId: string;
let real: DynamoDBDocumentClient;
let faulty: DynamoDBDocumentClient;
let ddb: ReturnType<typeof mockClient>;
let app: ReturnType<typeof buildApp>;
const ATTEMPTS = 4;
const AMOUNT = 500_000; // the signing half of a ¥10,000 contract

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
const conflict = () => cancelled('None', 'None', 'TransactionConflict', 'None', 'None', 'None', 'None');
const throttling = () =>
  new ThrottlingException({ message: 'Rate of requests exceeds the allowed throughput.', $metadata: {} });
const throttledInTransaction = () =>
  cancelled('None', 'ThrottlingError', 'None', 'None', 'None', 'None', 'None');
const inProgress = () => new TransactionInProgressException({ message: 'in progress', $metadata: {} });
const timeout = () =>
  Object.assign(new Error('@smithy/node-http-handler - the request socket timed out after 3000 ms'), {
    name: 'TimeoutError',
  });
const reset = () => Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-03-02T10:00:00+08:00') });
  const signed = await signedContracts(p, Array(9).fill(10_000_00) as number[]);
  contracts = signed.contracts;
  poolId = signed.fx.pool.id;
  t = await tokens(p);
  real = makeDocClient(makeDynamoClient(p.deps.config));
  faulty = makeDocClient(makeDynamoClient(p.deps.config));
  ddb = mockClient(faulty);
  app = buildApp({ ...p.deps, doc: faulty }, { retry: { attempts: ATTEMPTS, baseDelayMs: 1 } });
}, 120_000);
afterAll(async () => {
  ddb?.restore();
  await p?.stop();
});

/** Reads and plain writes go to moto as they are. */
function forwardEverythingElse() {
  const forward = <I extends object>(C: new (input: I) => object) =>
    ddb.on(C as never).callsFake((input: I) => real.send(new C(input) as never));
  forward(GetCommand);
  forward(QueryCommand);
  forward(BatchGetCommand);
  forward(PutCommand);
  forward(UpdateCommand);
}
const toMoto = (input: TransactWriteCommandInput) => real.send(new TransactWriteCommand(input));

beforeEach(() => {
  ddb.reset();
  forwardEverythingElse();
});

const transactions = () =>
  ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input as TransactWriteCommandInput);

async function call(method: string, path: string, token: string, body: unknown) {
  return json(
    app.fetch(
      new Request(`http://local${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    ),
  );
}

/** An approved disbursement of contract i, made through the real platform. */
async function approvedFor(i: number): Promise<string> {
  const c = contracts[i]!;
  const req = await json<{ id: string }>(
    p.api('POST', '/disbursements', { token: t.officer, body: { contractId: c.id, milestone: 'signing' } }),
  );
  expect(req.status).toBe(201);
  const ok = await json(
    p.api('POST', `/disbursements/${req.body.id}/approve`, { token: t.finance, body: { version: 1 } }),
  );
  expect(ok.status).toBe(200);
  return req.body.id;
}

async function state(contractId: string, disbursementId: string) {
  const get = async (key: Record<string, string>) =>
    (await real.send(new GetCommand({ TableName: p.deps.config.tableName, Key: key }))).Item;
  const ledger = await real.send(
    new QueryCommand({
      TableName: p.deps.config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `LEDGER#${poolId}` },
    }),
  );
  return {
    pool: await get(keys.pool(poolId)),
    contract: await get(keys.contract(contractId)),
    disbursement: await get(keys.disbursement(disbursementId)),
    ledger: ledger.Items?.length ?? 0,
  };
}

const payBody = (bankReference: string) => ({ version: 2, bankReference, paidOn: beijingToday(p.clock.now) });
const sameToken = (txs: TransactWriteCommandInput[]) => {
  expect(txs[0]!.ClientRequestToken).toMatch(/^[0-9a-f-]{36}$/);
  expect(new Set(txs.map((x) => x.ClientRequestToken)).size).toBe(1);
  expect(new Set(txs.map((x) => JSON.stringify(x.TransactItems))).size).toBe(1);
};

describe('a payment whose transaction keeps failing: bounded retries, then 503, nothing written', () => {
  const cases: [string, () => Error][] = [
    ['TransactionCanceledException (TransactionConflict)', conflict],
    ['ThrottlingException', throttling],
    ['TransactionCanceledException (ThrottlingError)', throttledInTransaction],
    ['TimeoutError', timeout],
    ['ECONNRESET', reset],
  ];
  cases.forEach(([name, fault], i) => {
    it(name, async () => {
      const id = await approvedFor(i);
      const before = await state(contracts[i]!.id, id);
      ddb.on(TransactWriteCommand).rejects(fault());
      const res = await call('POST', `/disbursements/${id}/pay`, t.finance, payBody(`FAULT-${i}`));
      expect(res.status).toBe(503);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 503, type: expect.stringMatching(/\/unavailable$/) });
      const txs = transactions();
      expect(txs).toHaveLength(ATTEMPTS);
      sameToken(txs);
      expect(await state(contracts[i]!.id, id)).toEqual(before);
    });
  });

  it('the 503 carries Retry-After, and a later retry by the client pays once', async () => {
    const i = 5;
    const id = await approvedFor(i);
    const before = await state(contracts[i]!.id, id);
    ddb.on(TransactWriteCommand).rejects(conflict());
    const res = await app.fetch(
      new Request(`http://local/disbursements/${id}/pay`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.finance}`, 'content-type': 'application/json' },
        body: JSON.stringify(payBody('LATER-0001')),
      }),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    ddb.on(TransactWriteCommand).callsFake(toMoto);
    const again = await call('POST', `/disbursements/${id}/pay`, t.finance, payBody('LATER-0001'));
    expect(again.status).toBe(200);
    const after = await state(contracts[i]!.id, id);
    expect((after.pool!.disbursedFen as number) - (before.pool!.disbursedFen as number)).toBe(AMOUNT);
    expect(after.ledger).toBe(before.ledger + 1);
  });
});

describe('a payment whose transaction fails a few times, then goes through', () => {
  it('conflict, throttling, timeout, then success: one payment, every attempt with the same token', async () => {
    const i = 6;
    const id = await approvedFor(i);
    const before = await state(contracts[i]!.id, id);
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(conflict())
      .rejectsOnce(throttling())
      .rejectsOnce(timeout())
      .callsFake(toMoto);
    const res = await call('POST', `/disbursements/${id}/pay`, t.finance, payBody('RETRY-0001'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'paid', version: 3 });
    const txs = transactions();
    expect(txs).toHaveLength(4);
    sameToken(txs);
    const after = await state(contracts[i]!.id, id);
    expect((after.pool!.disbursedFen as number) - (before.pool!.disbursedFen as number)).toBe(AMOUNT);
    expect(after.ledger).toBe(before.ledger + 1);
    expect(after.contract).toMatchObject({ paidFen: AMOUNT });
    expect(await verifyLedger(p.deps, poolId)).toMatchObject({ ok: true });
    expect(await verifyContractLedger(p.deps, contracts[i]!.id)).toMatchObject({ ok: true });

    // The transaction as sent: limits computed in code, no arithmetic in any condition.
    const items = txs[0]!.TransactItems!;
    for (const it of items) {
      const cond = (it.Put ?? it.Update ?? it.ConditionCheck ?? it.Delete)?.ConditionExpression ?? '';
      expect(cond).not.toMatch(/[+-]/);
    }
    const poolUpdate = items.find((x) => x.Update?.Key?.pk === `POOL#${poolId}`)!.Update!;
    expect(poolUpdate.UpdateExpression).toBe('SET disbursedFen = disbursedFen + :amt');
    expect(poolUpdate.ExpressionAttributeValues).toMatchObject({
      ':amt': AMOUNT,
      ':committed': before.pool!.committedFen,
      ':poolLimit': (before.pool!.committedFen as number) - AMOUNT,
    });
    const contractPut = items.find((x) => x.Put?.Item?.pk === `CONTRACT#${contracts[i]!.id}`)!.Put!;
    expect(contractPut.ConditionExpression).toContain('paidFen <= :contractLimit');
    expect(contractPut.ConditionExpression).toContain('tranches[0].paidFen <= :trancheLimit');
    expect(contractPut.ExpressionAttributeValues).toMatchObject({
      ':contractLimit': 1_000_000 - AMOUNT,
      ':trancheLimit': 0,
      ':approved': 'approved',
    });
    expect(items.filter((x) => x.Put?.Item?.pk === `LEDGER#${poolId}`)).toHaveLength(1);
    expect(items.filter((x) => String(x.Put?.Item?.pk).startsWith('AUDIT#'))).toHaveLength(2);
  });

  it('a timeout AFTER DynamoDB committed: the retry with the same token is not applied twice', async () => {
    // DynamoDB answers a repeated token with success without applying it again (for 10
    // minutes); moto ignores tokens, so the mock plays DynamoDB's part for tokens it has applied.
    const i = 7;
    const id = await approvedFor(i);
    const before = await state(contracts[i]!.id, id);
    const applied = new Set<string>();
    let first = true;
    ddb.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
      if (applied.has(input.ClientRequestToken!)) return {};
      await toMoto(input);
      applied.add(input.ClientRequestToken!);
      if (first) {
        first = false;
        throw timeout(); // committed, but the answer never arrived
      }
      return {};
    });
    const res = await call('POST', `/disbursements/${id}/pay`, t.finance, payBody('LOST-0001'));
    expect(res.status).toBe(200);
    const txs = transactions();
    expect(txs).toHaveLength(2);
    sameToken(txs);
    const after = await state(contracts[i]!.id, id);
    expect((after.pool!.disbursedFen as number) - (before.pool!.disbursedFen as number)).toBe(AMOUNT);
    expect(after.ledger).toBe(before.ledger + 1);
    expect(after.disbursement).toMatchObject({ status: 'paid', version: 3 });
  });

  it('TransactionInProgress on the request step, then success: one request', async () => {
    const c = contracts[8]!;
    ddb.on(TransactWriteCommand).rejectsOnce(inProgress()).callsFake(toMoto);
    const res = await call('POST', '/disbursements', t.officer, { contractId: c.id, milestone: 'signing' });
    expect(res.status).toBe(201);
    sameToken(transactions());
    expect(transactions()).toHaveLength(2);
    // Approval under persistent conflicts: 503, the disbursement still waiting.
    ddb.reset();
    forwardEverythingElse();
    ddb.on(TransactWriteCommand).rejects(conflict());
    const ok = await call('POST', `/disbursements/${res.body.id}/approve`, t.finance, { version: 1 });
    expect(ok.status).toBe(503);
    expect(transactions()).toHaveLength(ATTEMPTS);
    sameToken(transactions());
    const stored = await real.send(
      new GetCommand({ TableName: p.deps.config.tableName, Key: keys.disbursement(String(res.body.id)) }),
    );
    expect(stored.Item).toMatchObject({ status: 'requested', version: 1 });
    // The condition that the approver is not the requester travels with the write.
    const put = transactions()[0]!.TransactItems![0]!.Put!;
    expect(put.ConditionExpression).toContain('requestedBy <> :me');
    expect(put.ExpressionAttributeValues![':me']).toBe(p.demo.users['xun-finance']!.userId);
  });
});

describe('a concurrent change between the read and the write: the condition refuses, nothing is written', () => {
  // Another writer changes the stored figures just before our transaction reaches DynamoDB,
  // without moving the versions (as a buggy or malicious writer would): the payment's own limits
  // — computed in code, carried by its conditions — refuse it. The service reads again, and the
  // new figures answer 422. A failed condition is never retried as it is (one transaction).
  let fx: Awaited<ReturnType<typeof signedContracts>>;
  beforeAll(async () => {
    fx = await signedContracts(p, [10_000_00, 10_000_00, 10_000_00]);
    t = await tokens(p);
  }, 60_000);

  const cases: [
    string,
    (c: Contract) => { key: Record<string, string>; expr: string; value: number },
    RegExp,
  ][] = [
    [
      'the tranche shows money paid already (tranches[0].paidFen <= payable − amount)',
      (c) => ({ key: keys.contract(c.id), expr: 'SET tranches[0].paidFen = :v', value: 1 }),
      /exceeds-tranche$/,
    ],
    [
      'the contract shows its money paid already (paidFen <= amount − withheld − amount)',
      (c) => ({ key: keys.contract(c.id), expr: 'SET paidFen = :v', value: 1_000_000 - AMOUNT + 1 }),
      /exceeds-contract$/,
    ],
    [
      "the pool's committed money drops (committedFen >= as read, disbursedFen <= committed − amount)",
      (c) => ({ key: keys.pool(c.poolId), expr: 'SET committedFen = :v', value: AMOUNT - 1 }),
      /exceeds-pool$/,
    ],
  ];
  cases.forEach(([name, change, type], i) => {
    it(name, async () => {
      const c = fx.contracts[i]!;
      const req = await json<{ id: string }>(
        p.api('POST', '/disbursements', {
          token: t.officer,
          body: { contractId: c.id, milestone: 'signing' },
        }),
      );
      expect(req.status).toBe(201);
      const ok = await json(
        p.api('POST', `/disbursements/${req.body.id}/approve`, { token: t.finance, body: { version: 1 } }),
      );
      expect(ok.status).toBe(200);
      const sneak = change(c);
      let sneaked = false;
      ddb.on(TransactWriteCommand).callsFake(async (input: TransactWriteCommandInput) => {
        if (!sneaked) {
          sneaked = true;
          await real.send(
            new UpdateCommand({
              TableName: p.deps.config.tableName,
              Key: sneak.key,
              UpdateExpression: sneak.expr,
              ExpressionAttributeValues: { ':v': sneak.value },
            }),
          );
        }
        return toMoto(input);
      });
      const get = async (key: Record<string, string>) =>
        (await real.send(new GetCommand({ TableName: p.deps.config.tableName, Key: key }))).Item;
      const res = await call('POST', `/disbursements/${req.body.id}/pay`, t.finance, payBody(`SNEAK-${i}`));
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.type).toMatch(type);
      expect(transactions()).toHaveLength(1);
      expect(await get(keys.disbursement(req.body.id))).toMatchObject({ status: 'approved', version: 2 });
      expect(await get(keys.contract(c.id))).toMatchObject({
        version: c.version + 2,
        tranches: [expect.objectContaining({ status: 'approved' }), expect.anything()],
      });
      expect((await get(keys.pool(c.poolId)))!.disbursedFen).toBe(0);
    });
  });
});
