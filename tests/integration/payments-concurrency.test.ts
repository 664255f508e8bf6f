import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '../../shared/contracts/model';
import { keys } from '../../shared/db/keys';
import { verifyContractLedger, verifyLedger } from '../../shared/finance/service';
import { serialTestPlatform } from '../support/awards';
import { beijingToday, json, signedContracts, type Tokens, tokens } from '../support/finance';
import type { TestPlatform } from '../support/platform';

/**
 * 50 concurrent identical requests at every step of a payment make exactly one payment.
 * moto's threaded server does not isolate concurrent transactions (infra/local/moto-gate.ts), so
 * this file runs on a moto of its own that serves one request at a time, behind the platform's
 * transaction gate — as awards-money.test.ts does; DynamoDB isolates them itself.
 */
let p: TestPlatform;
let t: Tokens;
let contracts: Contract[];
let poolId: string;
const N = 50;

beforeAll(async () => {
  p = await serialTestPlatform(new Date('2026-03-02T10:00:00+08:00'));
  const signed = await signedContracts(p, [40_000_00, 60_000_00]);
  contracts = signed.contracts;
  poolId = signed.fx.pool.id;
  t = await tokens(p);
}, 120_000);
afterAll(() => p?.stop());

const table = () => p.deps.config.tableName;
const pool = async () =>
  (await p.deps.doc.send(new GetCommand({ TableName: table(), Key: keys.pool(poolId) }))).Item as {
    committedFen: number;
    disbursedFen: number;
  };
const disburseEntries = async () =>
  (
    (
      await p.deps.doc.send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `LEDGER#${poolId}` },
        }),
      )
    ).Items ?? []
  ).filter((e) => e.kind === 'disburse');

function count(statuses: number[]): Record<number, number> {
  const m: Record<number, number> = {};
  for (const s of statuses) m[s] = (m[s] ?? 0) + 1;
  return m;
}

describe(`${N} concurrent identical requests`, () => {
  it('request, approve and pay: exactly one of each succeeds; one payment, one ledger entry', async () => {
    const c = contracts[0]!;
    const before = await pool();
    const body = { contractId: c.id, milestone: 'signing' };
    const requests = await Promise.all(
      Array.from({ length: N }, () => json(p.api('POST', '/disbursements', { token: t.officer, body }))),
    );
    expect(count(requests.map((r) => r.status))).toEqual({ 201: 1, 409: N - 1 });
    for (const r of requests.filter((x) => x.status === 409))
      expect(String(r.body.type)).toMatch(/already-requested$/);
    const id = `db-${c.id}-signing`;

    const approvals = await Promise.all(
      Array.from({ length: N }, () =>
        json(p.api('POST', `/disbursements/${id}/approve`, { token: t.finance, body: { version: 1 } })),
      ),
    );
    expect(count(approvals.map((r) => r.status))).toEqual({ 200: 1, 409: N - 1 });

    const payment = { version: 2, bankReference: 'CONC-0001', paidOn: beijingToday(p.clock.now) };
    const payments = await Promise.all(
      Array.from({ length: N }, () =>
        json(p.api('POST', `/disbursements/${id}/pay`, { token: t.finance, body: payment })),
      ),
    );
    expect(count(payments.map((r) => r.status))).toEqual({ 200: 1, 409: N - 1 });
    for (const r of payments.filter((x) => x.status === 409))
      expect(String(r.body.type)).toMatch(/already-paid$/);

    const after = await pool();
    expect(after.disbursedFen - before.disbursedFen).toBe(2_000_000);
    expect(await disburseEntries()).toHaveLength(1);
    expect(await verifyLedger(p.deps, poolId)).toMatchObject({ ok: true });
    expect(await verifyContractLedger(p.deps, c.id)).toMatchObject({ ok: true, paidFen: 2_000_000 });
  });

  it('with one Idempotency-Key: one payment; the others wait (409) or replay the same answer (200)', async () => {
    const c = contracts[1]!;
    const req = await json<{ id: string }>(
      p.api('POST', '/disbursements', { token: t.officer, body: { contractId: c.id, milestone: 'signing' } }),
    );
    expect(req.status).toBe(201);
    const ok = await json(
      p.api('POST', `/disbursements/${req.body.id}/approve`, { token: t.finance, body: { version: 1 } }),
    );
    expect(ok.status).toBe(200);
    const before = await pool();
    const payment = { version: 2, bankReference: 'CONC-0002', paidOn: beijingToday(p.clock.now) };
    const answers = await Promise.all(
      Array.from({ length: N }, () =>
        json(
          p.api('POST', `/disbursements/${req.body.id}/pay`, {
            token: t.finance,
            body: payment,
            headers: { 'idempotency-key': 'pay-conc-0002' },
          }),
        ),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const successes = answers.filter((r) => r.status === 200);
    expect(successes.length).toBeGreaterThanOrEqual(1);
    // Every 200 is the same answer: the one payment.
    expect(new Set(successes.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect((await pool()).disbursedFen - before.disbursedFen).toBe(3_000_000);
    expect(await disburseEntries()).toHaveLength(2);
    expect(await verifyLedger(p.deps, poolId)).toMatchObject({ ok: true });
  });
});
