import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../shared/audit/chain';
import { aggregateOf } from '../../shared/audit/record';
import type { Contract } from '../../shared/contracts/model';
import { ContractRepository } from '../../shared/contracts/repository';
import { keys } from '../../shared/db/keys';
import type { Disbursement } from '../../shared/finance/model';
import { FinanceService, verifyContractLedger, verifyLedger } from '../../shared/finance/service';
import type { LedgerEntry } from '../../shared/ledger/entries';
import { beijingToday, json, payThrough, signedContracts, type Tokens, tokens } from '../support/finance';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Disbursements (拨付) through the API on real moto: request (officer) → approve (finance, not the
 * requester) → pay (finance: bank reference, value date), each step one audited transaction.
 * Every refusal leaves the stored money exactly as it was.
 */
let p: TestPlatform;
let t: Tokens;
let ycFinance: string;
let contracts: Contract[];
let poolId: string;
const YUAN = 100;
const today = () => beijingToday(p.clock.now);

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-03-02T10:00:00+08:00') });
  const qicai = { orgId: p.demo.orgs.qicai!, orgName: '鹤壁七彩社会工作服务中心' };
  // Eight contracts from one venture call (template: signing 50% / final 50%); the first two are
  // 鹤壁七彩's (the demo applicant), the others other organizations'.
  const signed = await signedContracts(
    p,
    [50_000, 40_000, 30_000, 20_000, 10_000, 10_000, 10_000, 10_000].map((y) => y * YUAN),
    { orgs: [qicai, qicai] },
  );
  contracts = signed.contracts;
  poolId = signed.fx.pool.id;
  t = await tokens(p);
  // A finance user of another jurisdiction (Yinchuan), created by its officer.
  const created = await p.api('POST', '/users', {
    token: t.yc,
    body: {
      username: 'yc-finance',
      password: 'yc-finance-2026',
      name: '银川 财务',
      role: 'finance',
      jurisdictionId: '640100',
    },
  });
  expect(created.status).toBe(201);
  ycFinance = await p.signIn('yc-finance', 'yc-finance-2026');
}, 120_000);
afterAll(() => p?.stop());

const table = () => p.deps.config.tableName;
const pool = async () => {
  const out = await p.deps.doc.send(new GetCommand({ TableName: table(), Key: keys.pool(poolId) }));
  return out.Item as { budgetFen: number; committedFen: number; disbursedFen: number; version: number };
};
const contract = async (id: string) => (await new ContractRepository(p.deps.doc, table()).get(id))!.contract;
const disbursement = async (id: string) =>
  (await p.deps.doc.send(new GetCommand({ TableName: table(), Key: keys.disbursement(id) }))).Item as
    | (Disbursement & { auditSeq: number })
    | undefined;
const ledgerEntries = async () =>
  ((
    await p.deps.doc.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `LEDGER#${poolId}` },
      }),
    )
  ).Items ?? []) as LedgerEntry[];
const chain = async (key: { pk: string; sk: string }) =>
  ((
    await p.deps.doc.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `AUDIT#${aggregateOf(key)}` },
      }),
    )
  ).Items ?? []) as { seq: number; action: string; actor: string }[];

/** What a refusal must leave untouched: the pool's money, the contract, the ledger. */
async function snapshot(contractId: string, disbursementId?: string) {
  return {
    pool: await pool(),
    contract: await contract(contractId),
    ledger: (await ledgerEntries()).length,
    disbursement: disbursementId ? await disbursement(disbursementId) : undefined,
  };
}

/** A disbursement, or the problem that refused it. */
type Answer = Disbursement & { type: string; errors: { field: string; messageZh: string }[] };

const request = (
  contractId: string,
  milestone: string,
  token = t.officer,
  headers?: Record<string, string>,
) => json<Answer>(p.api('POST', '/disbursements', { token, body: { contractId, milestone }, headers }));
const approve = (id: string, version: number, token = t.finance) =>
  json<Answer>(p.api('POST', `/disbursements/${id}/approve`, { token, body: { version } }));
const pay = (
  id: string,
  body: Record<string, unknown>,
  token = t.finance,
  headers?: Record<string, string>,
) => json<Answer>(p.api('POST', `/disbursements/${id}/pay`, { token, body, headers }));

describe('request → approve → pay', () => {
  it('moves the tranche, the contract, the pool and the ledger together, each step audited', async () => {
    const c = contracts[0]!;
    expect(c.tranches.map((x) => [x.milestone, x.amountFen, x.status])).toEqual([
      ['signing', 2_500_000, 'due'],
      ['final', 2_500_000, 'pending'],
    ]);
    const before = await pool();

    const req = await request(c.id, 'signing');
    expect(req.status).toBe(201);
    expect(req.body).toMatchObject({
      id: `db-${c.id}-signing`,
      attempt: 1,
      status: 'requested',
      amountFen: 2_500_000,
      contractId: c.id,
      poolId,
      orgId: c.orgId,
      requestedBy: p.demo.users['xun-officer']!.userId,
      version: 1,
    });
    const id = req.body.id;
    expect((await contract(c.id)).tranches[0]).toMatchObject({ status: 'requested', disbursementId: id });

    // The finance approval queue (default status `requested`) shows it; the payment queue does not.
    const queue = await json<{ items: Disbursement[] }>(p.api('GET', '/disbursements', { token: t.finance }));
    expect(queue.body.items.map((d) => d.id)).toContain(id);
    const payQueue = await json<{ items: Disbursement[] }>(
      p.api('GET', '/disbursements?status=approved', { token: t.finance }),
    );
    expect(payQueue.body.items.map((d) => d.id)).not.toContain(id);

    const ok = await approve(id, 1);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      status: 'approved',
      approvedBy: p.demo.users['xun-finance']!.userId,
      version: 2,
    });
    expect((await contract(c.id)).tranches[0]!.status).toBe('approved');
    const payQueue2 = await json<{ items: Disbursement[] }>(
      p.api('GET', '/disbursements?status=approved', { token: t.finance }),
    );
    expect(payQueue2.body.items.map((d) => d.id)).toContain(id);
    // Nothing moved yet.
    expect((await pool()).disbursedFen).toBe(before.disbursedFen);

    const paid = await pay(id, { version: 2, bankReference: 'ICBC-20260401-0001', paidOn: today() });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({
      status: 'paid',
      bankReference: 'ICBC-20260401-0001',
      paidOn: today(),
      paidBy: p.demo.users['xun-finance']!.userId,
      version: 3,
    });

    const after = await pool();
    expect(after.disbursedFen).toBe(before.disbursedFen + 2_500_000);
    expect(after.committedFen).toBe(before.committedFen);
    // The pool's own version and chain are not touched by money (the ledger attests it).
    expect(after.version).toBe(before.version);
    const ct = await contract(c.id);
    expect(ct.paidFen).toBe(2_500_000);
    expect(ct.tranches[0]).toMatchObject({ status: 'paid', paidFen: 2_500_000, disbursementId: id });
    expect(ct.status).toBe('active');

    // The ledger: one disburse entry, the pool's figures, the contract's paid and remaining.
    const ledger = await json<{ pool: Record<string, number>; items: LedgerEntry[] }>(
      p.api('GET', `/pools/${poolId}/ledger?order=newest&limit=5`, { token: t.finance }),
    );
    expect(ledger.status).toBe(200);
    expect(ledger.body.pool).toMatchObject({
      disbursedFen: after.disbursedFen,
      committedFen: after.committedFen,
      availableFen: after.budgetFen - after.committedFen,
    });
    expect(ledger.body.items[0]).toMatchObject({
      kind: 'disburse',
      amountFen: 2_500_000,
      contractId: c.id,
      disbursementId: id,
      cause: 'disbursement.paid',
    });
    const perContract = await json<{
      paidFen: number;
      remainingFen: number;
      entries: LedgerEntry[];
      disbursements: Disbursement[];
    }>(p.api('GET', `/ledger/contracts/${c.id}`, { token: t.auditor }));
    expect(perContract.status).toBe(200);
    expect(perContract.body).toMatchObject({ paidFen: 2_500_000, remainingFen: 2_500_000 });
    expect(perContract.body.entries.filter((e) => e.kind === 'disburse').map((e) => e.amountFen)).toEqual([
      2_500_000,
    ]);
    expect(perContract.body.disbursements.map((d) => [d.id, d.status])).toEqual([[id, 'paid']]);
    const all = await json<{ pools: { poolId: string; disbursedFen: number; fiscalYear: number }[] }>(
      p.api('GET', '/ledger', { token: t.finance }),
    );
    const row = all.body.pools.find((x) => x.poolId === poolId)!;
    expect(row.disbursedFen).toBe(after.disbursedFen);
    const byYear = await json<{
      fiscalYear: number;
      pools: { poolId: string; fiscalYear: number; disbursedFen: number }[];
      totals: { disbursedFen: number };
    }>(p.api('GET', `/ledger?fiscalYear=${row.fiscalYear}`, { token: t.finance }));
    expect(byYear.status).toBe(200);
    expect(byYear.body.fiscalYear).toBe(row.fiscalYear);
    expect(byYear.body.pools.map((x) => x.poolId)).toContain(poolId);
    expect(byYear.body.pools.every((x) => x.fiscalYear === row.fiscalYear)).toBe(true);
    expect(byYear.body.totals.disbursedFen).toBe(byYear.body.pools.reduce((s, x) => s + x.disbursedFen, 0));
    const otherYear = await json<{ pools: { poolId: string }[] }>(
      p.api('GET', `/ledger?fiscalYear=${row.fiscalYear + 1}`, { token: t.finance }),
    );
    expect(otherYear.body.pools.map((x) => x.poolId)).not.toContain(poolId);

    // Every ledger total equals the sum of its entries.
    expect(await verifyLedger(p.deps, poolId)).toMatchObject({ ok: true, problems: [] });
    expect(await verifyContractLedger(p.deps, c.id)).toMatchObject({ ok: true, paidFen: 2_500_000 });

    // The trail: the disbursement's chain and the contract's, one entry per step, intact.
    const dChain = await chain(keys.disbursement(id));
    expect(dChain.map((e) => e.action)).toEqual([
      'disbursement.requested',
      'disbursement.approved',
      'disbursement.paid',
    ]);
    const dItem = (await disbursement(id))!;
    expect(
      verifyChain(aggregateOf(keys.disbursement(id)), dChain as never, {
        seq: dItem.auditSeq,
        headHash: (dItem as unknown as { auditHead: string }).auditHead,
      }),
    ).toEqual({ ok: true, count: 3 });
    const cChain = await chain(keys.contract(c.id));
    expect(cChain.map((e) => e.action).slice(-3)).toEqual([
      'contract.payment-requested',
      'contract.payment-approved',
      'contract.payment-recorded',
    ]);
    expect(verifyChain(aggregateOf(keys.contract(c.id)), cChain as never).ok).toBe(true);
  });

  it('the provider follows its own payments, and only its own', async () => {
    const own = contracts[1]!;
    const other = contracts[2]!;
    const d1 = await request(own.id, 'signing');
    const d2 = await request(other.id, 'signing');
    expect([d1.status, d2.status]).toEqual([201, 201]);
    const list = await json<{ items: Disbursement[] }>(
      p.api('GET', '/disbursements', { token: t.applicant }),
    );
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((d) => d.orgId === p.demo.orgs.qicai)).toBe(true);
    expect(list.body.items.map((d) => d.id)).toContain(d1.body.id);
    expect(list.body.items.map((d) => d.id)).not.toContain(d2.body.id);
    const requested = await json<{ items: Disbursement[] }>(
      p.api('GET', '/disbursements?status=requested', { token: t.applicant }),
    );
    expect(requested.body.items.map((d) => d.id)).toEqual([d1.body.id]);
    expect((await json(p.api('GET', `/disbursements/${d1.body.id}`, { token: t.applicant }))).status).toBe(
      200,
    );
    const foreign = await json(p.api('GET', `/disbursements/${d2.body.id}`, { token: t.applicant }));
    expect(foreign.status).toBe(404);
    const missing = await json(p.api('GET', '/disbursements/db-nothing-signing', { token: t.applicant }));
    expect({ ...foreign.body, instance: 0, requestId: 0 }).toEqual({
      ...missing.body,
      instance: 0,
      requestId: 0,
    });
    expect((await json(p.api('GET', `/ledger/contracts/${own.id}`, { token: t.applicant }))).status).toBe(
      200,
    );
    expect((await json(p.api('GET', `/ledger/contracts/${other.id}`, { token: t.applicant }))).status).toBe(
      404,
    );
    expect(
      (await json(p.api('GET', `/disbursements?contractId=${other.id}`, { token: t.applicant }))).status,
    ).toBe(404);
    expect((await json(p.api('GET', '/ledger', { token: t.applicant }))).status).toBe(403);
    expect((await json(p.api('GET', `/pools/${poolId}/ledger`, { token: t.applicant }))).status).toBe(403);
    // A contract's disbursements, for the officer.
    const ofContract = await json<{ items: Disbursement[] }>(
      p.api('GET', `/disbursements?contractId=${other.id}`, { token: t.officer }),
    );
    expect(ofContract.body.items.map((d) => d.id)).toEqual([d2.body.id]);
  });
});

describe('what can never happen', () => {
  it('wrong roles get 403 and other jurisdictions 404; nothing is stored', async () => {
    const c = contracts[3]!;
    const before = await snapshot(c.id);
    for (const token of [t.finance, t.auditor, t.applicant]) {
      const res = await request(c.id, 'signing', token);
      expect(res.status).toBe(403);
      expect(res.type).toMatch(/problem\+json/);
    }
    const foreign = await request(c.id, 'signing', t.yc);
    expect(foreign.status).toBe(404);
    expect(await snapshot(c.id)).toEqual(before);

    const req = await request(c.id, 'signing');
    expect(req.status).toBe(201);
    const id = req.body.id;
    const mid = await snapshot(c.id, id);
    for (const token of [t.officer, t.officer2, t.auditor, t.applicant]) {
      expect((await approve(id, 1, token)).status).toBe(403);
      expect((await pay(id, { version: 1, bankReference: 'X-0001', paidOn: today() }, token)).status).toBe(
        403,
      );
    }
    expect((await approve(id, 1, ycFinance)).status).toBe(404);
    expect((await json(p.api('GET', `/disbursements/${id}`, { token: ycFinance }))).status).toBe(404);
    expect((await json(p.api('GET', `/disbursements/${id}`, { token: t.yc }))).status).toBe(404);
    expect((await json(p.api('GET', `/ledger/contracts/${c.id}`, { token: t.yc }))).status).toBe(404);
    expect((await json(p.api('GET', `/pools/${poolId}/ledger`, { token: ycFinance }))).status).toBe(404);
    const ycQueue = await json<{ items: Disbursement[] }>(
      p.api('GET', '/disbursements', { token: ycFinance }),
    );
    expect(ycQueue.body.items).toEqual([]);
    const ycLedger = await json<{ pools: { poolId: string }[] }>(
      p.api('GET', '/ledger', { token: ycFinance }),
    );
    expect(ycLedger.body.pools.map((x) => x.poolId)).not.toContain(poolId);
    expect(await snapshot(c.id, id)).toEqual(mid);
  });

  it('the requester can never approve their own request (service and condition)', async () => {
    const c = contracts[4]!;
    const req = await request(c.id, 'signing');
    const before = await snapshot(c.id, req.body.id);
    // A principal that is both (a finance page acting for the requester's user id).
    const requester = { ...p.demo.users['xun-finance']!, userId: req.body.requestedBy };
    const err = await new FinanceService(p.deps).approve(requester, req.body.id, 1).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 403, slug: 'requester-cannot-approve' });
    expect(await snapshot(c.id, req.body.id)).toEqual(before);
  });

  it('no payment before approval, no approval or payment with a stale version, and bad input stores nothing', async () => {
    const c = contracts[5]!;
    const req = await request(c.id, 'signing');
    const id = req.body.id;
    const before = await snapshot(c.id, id);

    const early = await pay(id, { version: 1, bankReference: 'EARLY-0001', paidOn: today() });
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ type: expect.stringMatching(/not-approved$/) });
    const stale = await approve(id, 7);
    expect(stale.status).toBe(409);
    expect(stale.body.type).toMatch(/stale-version$/);
    expect(await snapshot(c.id, id)).toEqual(before);

    expect((await approve(id, 1)).status).toBe(200);
    const again = await approve(id, 1);
    expect(again.status).toBe(409);
    const approved = await snapshot(c.id, id);

    const bad = [
      [{ version: 1, bankReference: 'STALE-0001', paidOn: today() }, 409, /stale-version$/],
      [{ version: 2, bankReference: 'BAD REF', paidOn: today() }, 422, /validation$/, 'body.bankReference'],
      [{ version: 2, bankReference: 'OK-0001', paidOn: '2026-02-30' }, 422, /validation$/, 'body.paidOn'],
      [{ version: 2, bankReference: 'OK-0001', paidOn: '01/04/2026' }, 422, /validation$/, 'body.paidOn'],
      [{ version: 2, bankReference: 'OK-0001' }, 422, /validation$/, 'body.paidOn'],
      [{ version: 2, bankReference: 'OK-0001', paidOn: today(), amountFen: 1 }, 422, /validation$/],
      [{ version: '2', bankReference: 'OK-0001', paidOn: today() }, 422, /validation$/, 'body.version'],
      [{ version: 2, bankReference: 'OK-0001', paidOn: '2099-01-01' }, 422, /invalid-payment-date$/],
      [{ version: 2, bankReference: 'OK-0001', paidOn: '2020-01-01' }, 422, /invalid-payment-date$/],
    ] as const;
    for (const [body, status, type, field] of bad) {
      const res = await pay(id, body as unknown as Record<string, unknown>);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.type).toMatch(/problem\+json/);
      expect(String(res.body.type)).toMatch(type);
      if (field)
        expect((res.body.errors as { field: string; messageZh: string }[]).map((e) => e.field)).toContain(
          field,
        );
    }
    const raw = await p.api('POST', `/disbursements/${id}/pay`, { token: t.finance, raw: '{"version": 2,' });
    expect(raw.status).toBe(400);
    const noType = await fetch(`${p.url}/disbursements/${id}/pay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.finance}` },
      body: JSON.stringify({ version: 2, bankReference: 'OK-0001', paidOn: today() }),
    });
    expect(noType.status).toBe(415);
    expect(await snapshot(c.id, id)).toEqual(approved);

    const ok = await pay(id, { version: 2, bankReference: 'OK-0001', paidOn: today() });
    expect(ok.status).toBe(200);
  });

  it('never pays twice: a repeated payment, a second request and a reused bank reference are refused', async () => {
    const c = contracts[6]!;
    const paid = await payThrough(p, t, c.id, 'signing', 'TWICE-0001');
    const after = await snapshot(c.id, paid.id);
    for (const body of [
      { version: 2, bankReference: 'TWICE-0001', paidOn: today() },
      { version: 3, bankReference: 'TWICE-0002', paidOn: today() },
    ]) {
      const res = await pay(paid.id, body);
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ type: expect.stringMatching(/already-paid$/), paidOn: today() });
    }
    const second = await request(c.id, 'signing');
    expect(second.status).toBe(409);
    expect(second.body.type).toMatch(/already-paid$/);
    expect((await approve(paid.id, 3)).status).toBe(409);
    const rejectPaid = await json(
      p.api('POST', `/disbursements/${paid.id}/reject`, {
        token: t.finance,
        body: { version: 3, reason: '重复' },
      }),
    );
    expect(rejectPaid.status).toBe(409);
    expect(await snapshot(c.id, paid.id)).toEqual(after);

    // The same bank transfer cannot be booked for another payment from the pool.
    const other = contracts[7]!;
    const req = await request(other.id, 'signing');
    expect((await approve(req.body.id, 1)).status).toBe(200);
    const before = await snapshot(other.id, req.body.id);
    const reused = await pay(req.body.id, { version: 2, bankReference: 'TWICE-0001', paidOn: today() });
    expect(reused.status).toBe(409);
    expect(reused.body.type).toMatch(/bank-reference-used$/);
    expect(await snapshot(other.id, req.body.id)).toEqual(before);
    expect((await snapshot(c.id)).ledger).toBe(after.ledger);
  });

  it('never more than the tranche, the contract or the pool holds', async () => {
    // Fresh contracts: each limit is approached by changing the stored figures under an approved
    // disbursement (as a concurrent change would), then the payment is refused with 422.
    const fx = await signedContracts(p, [30_000 * YUAN, 30_000 * YUAN, 30_000 * YUAN]);
    t = await tokens(p);
    const [a, b, c] = fx.contracts as [Contract, Contract, Contract];
    const approved = async (ct: Contract) => {
      const req = await request(ct.id, 'signing');
      expect(req.status).toBe(201);
      expect((await approve(req.body.id, 1)).status).toBe(200);
      return req.body.id;
    };
    const raw = (key: { pk: string; sk: string }, expr: string, values: Record<string, unknown>) =>
      p.deps.doc.send(
        new UpdateCommand({
          TableName: table(),
          Key: key,
          UpdateExpression: expr,
          ExpressionAttributeValues: values,
        }),
      );
    const cases: [Contract, () => Promise<unknown>, RegExp][] = [
      // The tranche already shows 1 fen paid: 1,500,000 would exceed its payable amount.
      [
        a,
        () => raw(keys.contract(a.id), 'SET tranches[0].paidFen = :one', { ':one': 1 }),
        /exceeds-tranche$/,
      ],
      // The contract's final evaluation withheld everything but 1,000,000 fen.
      [b, () => raw(keys.contract(b.id), 'SET withheldFen = :w', { ':w': 2_000_000 }), /exceeds-contract$/],
      // The pool holds less committed money than it has paid plus this payment.
      [c, () => raw(keys.pool(fx.fx.pool.id), 'SET committedFen = :c', { ':c': 1_000_000 }), /exceeds-pool$/],
    ];
    for (const [ct, corrupt, type] of cases) {
      const id = await approved(ct);
      await corrupt();
      const before = { ...(await snapshot(ct.id, id)), pool: await pool2(fx.fx.pool.id) };
      const res = await pay(id, { version: 2, bankReference: `LIMIT-${ct.id.slice(-6)}`, paidOn: today() });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.type).toMatch(type);
      expect(res.body).toMatchObject({ amountFen: 1_500_000 });
      expect({ ...(await snapshot(ct.id, id)), pool: await pool2(fx.fx.pool.id) }).toEqual(before);
    }
  });
});

const pool2 = async (id: string) =>
  (await p.deps.doc.send(new GetCommand({ TableName: table(), Key: keys.pool(id) }))).Item;

describe('reject, idempotency keys and lists', () => {
  it('a rejected request puts the tranche back to due; the next request is attempt 2 and can be paid', async () => {
    const fx = await signedContracts(p, [20_000 * YUAN]);
    t = await tokens(p);
    const c = fx.contracts[0]!;
    const first = await request(c.id, 'signing');
    const noReason = await json(
      p.api('POST', `/disbursements/${first.body.id}/reject`, { token: t.finance, body: { version: 1 } }),
    );
    expect(noReason.status).toBe(422);
    const byOfficer = await json(
      p.api('POST', `/disbursements/${first.body.id}/reject`, {
        token: t.officer,
        body: { version: 1, reason: '材料不全' },
      }),
    );
    expect(byOfficer.status).toBe(403);
    const rejected = await json<Disbursement>(
      p.api('POST', `/disbursements/${first.body.id}/reject`, {
        token: t.finance,
        body: { version: 1, reason: '发票信息不全，请补充后重新申请' },
      }),
    );
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      status: 'rejected',
      rejectReason: '发票信息不全，请补充后重新申请',
    });
    expect((await contract(c.id)).tranches[0]).toMatchObject({
      status: 'due',
      disbursementId: first.body.id,
    });
    expect((await approve(first.body.id, 2)).status).toBe(409);

    const second = await request(c.id, 'signing');
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ id: `db-${c.id}-signing-2`, attempt: 2, amountFen: 1_000_000 });
    expect((await approve(second.body.id, 1)).status).toBe(200);
    expect(
      (await pay(second.body.id, { version: 2, bankReference: 'REJ-0002', paidOn: today() })).status,
    ).toBe(200);
    const ledger = await json<{ disbursements: Disbursement[]; paidFen: number }>(
      p.api('GET', `/ledger/contracts/${c.id}`, { token: t.officer }),
    );
    expect(ledger.body.paidFen).toBe(1_000_000);
    expect(ledger.body.disbursements.map((d) => [d.attempt, d.status])).toEqual([
      [1, 'rejected'],
      [2, 'paid'],
    ]);
    expect(await verifyContractLedger(p.deps, c.id)).toMatchObject({ ok: true });
  });

  it('an Idempotency-Key replays the first answer; the same key with another body is refused', async () => {
    const fx = await signedContracts(p, [20_000 * YUAN, 20_000 * YUAN]);
    t = await tokens(p);
    const [c, d] = fx.contracts as [Contract, Contract];
    const key = { 'idempotency-key': `req-${c.id}` };
    const a = await request(c.id, 'signing', t.officer, key);
    const b = await request(c.id, 'signing', t.officer, key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body).toEqual(a.body);
    const other = await request(d.id, 'signing', t.officer, key);
    expect(other.status).toBe(422);
    expect(other.body.type).toMatch(/idempotency-key-reused$/);
    expect((await contract(d.id)).tranches[0]!.status).toBe('due');

    expect((await approve(a.body.id, 1)).status).toBe(200);
    const body = { version: 2, bankReference: 'IDEM-0001', paidOn: today() };
    const payKey = { 'idempotency-key': `pay-${c.id}` };
    const before = (await pool2(fx.fx.pool.id))!.disbursedFen as number;
    const first = await pay(a.body.id, body, t.finance, payKey);
    const replay = await pay(a.body.id, body, t.finance, payKey);
    expect([first.status, replay.status]).toEqual([200, 200]);
    expect(replay.body).toEqual(first.body);
    expect((await pool2(fx.fx.pool.id))!.disbursedFen).toBe(before + 1_000_000);
    const ledger = await json<{ entries: LedgerEntry[] }>(
      p.api('GET', `/ledger/contracts/${c.id}`, { token: t.finance }),
    );
    expect(ledger.body.entries.filter((e) => e.kind === 'disburse')).toHaveLength(1);
  });

  it('lists page with opaque cursors bound to their list', async () => {
    const page1 = await json<{ items: Disbursement[]; nextCursor?: string }>(
      p.api('GET', '/disbursements?status=paid&limit=1', { token: t.auditor }),
    );
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextCursor).toBeTruthy();
    const page2 = await json<{ items: Disbursement[] }>(
      p.api('GET', `/disbursements?status=paid&limit=1&cursor=${page1.body.nextCursor}`, {
        token: t.auditor,
      }),
    );
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.items[0]!.id).not.toBe(page1.body.items[0]!.id);
    // Paid ones newest first.
    expect(page2.body.items[0]!.paidAt! <= page1.body.items[0]!.paidAt!).toBe(true);
    const foreign = await json(
      p.api('GET', `/disbursements?status=requested&cursor=${page1.body.nextCursor}`, { token: t.auditor }),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.type).toMatch(/invalid-cursor$/);
    const badStatus = await json(p.api('GET', '/disbursements?status=lost', { token: t.auditor }));
    expect(badStatus.status).toBe(422);
    const entries = await json<{ items: LedgerEntry[]; nextCursor?: string }>(
      p.api('GET', `/pools/${poolId}/ledger?limit=2`, { token: t.auditor }),
    );
    expect(entries.body.items).toHaveLength(2);
    const more = await json<{ items: LedgerEntry[] }>(
      p.api('GET', `/pools/${poolId}/ledger?limit=2&cursor=${entries.body.nextCursor}`, { token: t.auditor }),
    );
    expect(more.body.items.map((e) => e.id)).not.toContain(entries.body.items[0]!.id);
    expect((await json(p.api('GET', '/ledger?fiscalYear=1999', { token: t.auditor }))).status).toBe(422);
  });
});
