import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receipt, Submission } from '../../shared/submissions/model';
import { receiptDigest } from '../../shared/submissions/service';
import { type TestPlatform, testPlatform } from '../support/platform';
import { applicantOf, application, bid, DAY, json } from '../support/submissions';

/** Submissions end to end on moto: drafts, validation, submit with receipts, withdraw and resubmit. */
const T0 = new Date('2027-03-01T02:00:00.000Z');
let p: TestPlatform;
let qicai: string;
let deadline: Date;

beforeAll(async () => {
  p = await testPlatform({ start: T0 });
  qicai = await p.signIn('qicai-applicant');
  deadline = new Date(T0.getTime() + 30 * DAY);
});
afterAll(() => p?.stop());

const create = (token: string, body: unknown) => p.api('POST', '/submissions', { token, body });
type Problem = {
  type: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string; messageZh: string }[];
};

describe('drafts and validation', () => {
  it('creates a draft bid visible to its organization only', async () => {
    const res = await create(qicai, { callId: p.demo.calls.purchase, content: bid() });
    expect(res.status).toBe(201);
    const s = await json<Submission>(res);
    expect(s).toMatchObject({ status: 'draft', version: 1, lot: '1', callKind: 'purchase', receipts: [] });
    expect(s.orgName).toBe('鹤壁七彩社会工作服务中心');
    const list = await json<{ items: Submission[] }>(p.api('GET', '/submissions', { token: qicai }));
    expect(list.items.map((x) => x.id)).toContain(s.id);
  });

  it('refuses a second live submission for the same lot, pointing at the first', async () => {
    const res = await create(qicai, { callId: p.demo.calls.purchase, content: bid(40_000_000) });
    expect(res.status).toBe(409);
    expect((await json(res)).submissionId).toBeTruthy();
  });

  it('names both numbers when budget lines do not add up to the price', async () => {
    const content = { ...bid(30_000_000, '2'), budgetLines: [{ item: '人员', amountFen: 29_999_999 }] };
    const res = await create(qicai, { callId: p.demo.calls.purchase, content });
    expect(res.status).toBe(422);
    const body = await json<Problem>(res);
    const e = body.errors!.find((x) => x.field === 'body.content.budgetLines')!;
    expect(e.message).toContain('29999999 fen');
    expect(e.message).toContain('30000000 fen');
    expect(e.messageZh).toContain('预算明细合计 ¥299,999.99（29999999 分）');
    expect(e.messageZh).toContain('报价 ¥300,000.00（30000000 分）');
  });

  it('refuses a lot the call does not have, a price above the ceiling and the wrong kind of content', async () => {
    const noLot = await json<Problem>(
      create(qicai, { callId: p.demo.calls.purchase, content: bid(100, '9') }),
    );
    expect(noLot.errors![0]).toMatchObject({ field: 'body.content.lot' });
    expect(noLot.errors![0]!.message).toContain('its lots are 1, 2');
    const high = await json<Problem>(
      create(qicai, { callId: p.demo.calls.purchase, content: bid(50_000_001, '2') }),
    );
    expect(high.errors![0]!.field).toBe('body.content.priceFen');
    expect(high.errors![0]!.message).toContain('¥500,000.00 (50000000 fen)');
    const kind = await json<Problem>(
      create(qicai, { callId: p.demo.calls.purchase, content: application() }),
    );
    expect(kind.errors![0]).toMatchObject({ field: 'body.content.kind' });
    expect(kind.errors![0]!.messageZh).toContain('应提交投标');
  });

  it('checks a venture application against the largest request and the call jurisdiction', async () => {
    const cuncao = await applicantOf(p);
    const tooMuch = await json<Problem>(
      create(cuncao, { callId: p.demo.calls.venture, content: application(10_000_001) }),
    );
    expect(tooMuch.errors!.map((e) => e.field)).toEqual(['body.content.requestedFen']);
    expect(tooMuch.errors![0]!.message).toContain('¥100,000.00 (10000000 fen)');
    // A Xun County station is outside Yinchuan's round.
    const away = await json<Problem>(
      create(cuncao, { callId: p.demo.calls.venture, content: application(5_000_000, 'st-410621104') }),
    );
    expect(away.errors![0]).toMatchObject({ field: 'body.content.stationId' });
    expect(away.errors![0]!.messageZh).toContain('小河镇社会工作服务站不在本项目所属辖区内');
    const ok = await create(cuncao, { callId: p.demo.calls.venture, content: application() });
    expect(ok.status).toBe(201);
    expect(await json(ok)).toMatchObject({ callKind: 'venture', status: 'draft' });
  });

  it('refuses an organization still awaiting approval, and unknown calls', async () => {
    const chunxi = await p.signIn('chunxi-applicant');
    const res = await create(chunxi, { callId: p.demo.calls.venture, content: application() });
    expect(res.status).toBe(422);
    expect((await json<Problem>(res)).type).toMatch(/organization-not-approved$/);
    const unknown = await json<Problem>(create(qicai, { callId: 'no-such-call', content: bid() }));
    expect(unknown.errors![0]!.field).toBe('body.callId');
  });

  it('replays a create with the same Idempotency-Key', async () => {
    const token = await applicantOf(p);
    const body = { callId: p.demo.calls.purchase, content: bid(45_000_000, '2') };
    const headers = { 'idempotency-key': 'create-lot-2' };
    const a = await p.api('POST', '/submissions', { token, body, headers });
    const b = await p.api('POST', '/submissions', { token, body, headers });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await json(a)).id).toBe((await json(b)).id);
  });
});

describe('submit, receipts, withdraw and resubmit', () => {
  let s: Submission;
  beforeAll(async () => {
    p.clock.set(new Date(T0.getTime() + DAY));
    qicai = await p.signIn('qicai-applicant');
    s = await json<Submission>(
      create(qicai, { callId: p.demo.calls.purchase, content: bid(48_000_000, '2') }),
    );
  });

  it('answers a receipt: SHA-256 of the canonical content and the server time', async () => {
    const res = await p.api('POST', `/submissions/${s.id}/submit`, { token: qicai, body: { version: 1 } });
    expect(res.status).toBe(200);
    const { receipt, submission } = await json<{ receipt: Receipt; submission: Submission }>(res);
    expect(receipt).toMatchObject({ submissionId: s.id, version: 2, receivedAt: p.clock.now.toISOString() });
    expect(submission).toMatchObject({
      status: 'submitted',
      version: 2,
      submittedAt: p.clock.now.toISOString(),
    });
    const stored = await json<Submission>(p.api('GET', `/submissions/${s.id}`, { token: qicai }));
    // Anyone holding the submission can recompute the digest (RFC 8785 JSON of the fields it covers).
    expect(receiptDigest(stored)).toBe(receipt.sha256);
    expect(receipt.sha256).toMatch(/^[0-9a-f]{64}$/);
    s = stored;
  });

  it('refuses a stale version and a second submit', async () => {
    const stale = await p.api('POST', `/submissions/${s.id}/withdraw`, {
      token: qicai,
      body: { version: 1 },
    });
    expect(stale.status).toBe(409);
    expect((await json<Problem>(stale)).type).toMatch(/stale-version$/);
    const again = await p.api('POST', `/submissions/${s.id}/submit`, { token: qicai, body: { version: 2 } });
    expect(again.status).toBe(409);
    const edit = await p.api('PATCH', `/submissions/${s.id}`, {
      token: qicai,
      body: { version: 2, content: bid(47_000_000, '2') },
    });
    expect(edit.status).toBe(409);
  });

  it('withdraws, edits and resubmits while the call is open: a new version with a new receipt', async () => {
    p.clock.advance(60_000);
    const w = await p.api('POST', `/submissions/${s.id}/withdraw`, { token: qicai, body: { version: 2 } });
    expect(w.status).toBe(200);
    expect(await json(w)).toMatchObject({ status: 'withdrawn', version: 3 });
    const edited = await json<Submission>(
      p.api('PATCH', `/submissions/${s.id}`, {
        token: qicai,
        body: { version: 3, content: bid(46_000_000, '2') },
      }),
    );
    expect(edited).toMatchObject({ status: 'withdrawn', version: 4 });
    p.clock.advance(60_000);
    const r = await json<{ receipt: Receipt }>(
      p.api('POST', `/submissions/${s.id}/submit`, { token: qicai, body: { version: 4 } }),
    );
    expect(r.receipt.version).toBe(5);
    const receipts = await json<{ items: Receipt[] }>(
      p.api('GET', `/submissions/${s.id}/receipts`, { token: qicai }),
    );
    expect(receipts.items.map((x) => x.version)).toEqual([2, 5]);
    expect(receipts.items[0]!.sha256).not.toBe(receipts.items[1]!.sha256);
    expect(receipts.items[1]!.receivedAt).toBe(p.clock.now.toISOString());
  });

  it('moves the lot lock when a draft changes lot', async () => {
    const other = await applicantOf(p);
    const d = await json<Submission>(
      create(other, { callId: p.demo.calls.purchase, content: bid(40_000_000, '1') }),
    );
    const moved = await p.api('PATCH', `/submissions/${d.id}`, {
      token: other,
      body: { version: 1, content: bid(40_000_000, '2') },
    });
    expect(moved.status).toBe(200);
    expect((await json(moved)).lot).toBe('2');
    // Lot 1 is free again for this organization.
    expect(
      (await create(other, { callId: p.demo.calls.purchase, content: bid(41_000_000, '1') })).status,
    ).toBe(201);
  });
});

describe('the deadline, by the server clock', () => {
  let a: Submission;
  let b: Submission;
  let c: Submission;
  beforeAll(async () => {
    p.clock.set(new Date(deadline.getTime() - 10 * 60_000));
    const token = await applicantOf(p);
    const cuncao = await applicantOf(p);
    // Lot 1 of the purchase call, and the venture call (which shares the deadline).
    a = await json<Submission>(
      create(token, { callId: p.demo.calls.purchase, content: bid(39_000_000, '1') }),
    );
    b = await json<Submission>(create(cuncao, { callId: p.demo.calls.venture, content: application() }));
    c = await json<Submission>(
      create(await applicantOf(p), { callId: p.demo.calls.venture, content: application() }),
    );
    Object.assign(a, { token });
    Object.assign(b, { token: cuncao });
  });
  const tok = (s: Submission) => (s as unknown as { token: string }).token;

  it('accepts a submission one millisecond before the deadline', async () => {
    p.clock.set(new Date(deadline.getTime() - 1));
    const res = await p.api('POST', `/submissions/${b.id}/submit`, { token: tok(b), body: { version: 1 } });
    expect(res.status).toBe(200);
    expect((await json<{ receipt: Receipt }>(res)).receipt.receivedAt).toBe(
      new Date(deadline.getTime() - 1).toISOString(),
    );
  });

  it('refuses one arriving at the deadline instant with deadline-passed, and changes nothing', async () => {
    p.clock.set(deadline);
    const before = await json<Submission>(p.api('GET', `/submissions/${a.id}`, { token: tok(a) }));
    const res = await p.api('POST', `/submissions/${a.id}/submit`, { token: tok(a), body: { version: 1 } });
    expect(res.status).toBe(422);
    const body = await json<Problem & { deadline: string; receivedAt: string }>(res);
    expect(body.type).toMatch(/deadline-passed$/);
    expect(body).toMatchObject({ deadline: deadline.toISOString(), receivedAt: deadline.toISOString() });
    const after = await json<Submission>(p.api('GET', `/submissions/${a.id}`, { token: tok(a) }));
    expect(after).toEqual(before);
    expect(after.status).toBe('draft');
  });

  it('refuses withdrawing, editing and new drafts after the deadline', async () => {
    p.clock.set(new Date(deadline.getTime() + 1000));
    const w = await p.api('POST', `/submissions/${b.id}/withdraw`, { token: tok(b), body: { version: 2 } });
    expect(w.status).toBe(422);
    expect((await json<Problem>(w)).type).toMatch(/deadline-passed$/);
    const e = await p.api('PATCH', `/submissions/${a.id}`, {
      token: tok(a),
      body: { version: 1, content: bid(38_000_000, '1') },
    });
    expect(e.status).toBe(422);
    const n = await create(tok(a), { callId: p.demo.calls.purchase, content: bid(38_000_000, '2') });
    expect(n.status).toBe(422);
  });

  it('the transaction itself refuses at the deadline: ConditionCheck on the call, nothing written', async () => {
    // Bypass the handler's pre-check: the write alone must refuse `now >= deadline`.
    const { SubmissionRepository, CallGateError } = await import('../../shared/submissions/repository');
    const repo = new SubmissionRepository(p.deps.doc, p.deps.config.tableName);
    const next: Submission = { ...c, status: 'submitted', version: 2 };
    const expected = { version: 1, statuses: ['draft' as const] };
    const by = { actor: 'test', at: deadline.toISOString(), action: 'submission.submitted' };
    const late = repo.writeWhileOpen(next, expected, deadline.toISOString(), by);
    await expect(late).rejects.toBeInstanceOf(CallGateError);
    await expect(late).rejects.toMatchObject({ reason: 'call-closed' });
    expect(await repo.get(c.id)).toEqual(c);
    await repo.writeWhileOpen(next, expected, new Date(deadline.getTime() - 1).toISOString(), by);
    expect((await repo.get(c.id))?.status).toBe('submitted');
    // The stale version loses even while the call is open.
    await expect(
      repo.writeWhileOpen(next, expected, new Date(deadline.getTime() - 1).toISOString(), by),
    ).rejects.toMatchObject({ reason: 'stale' });
  });

  it('a call the jobs function has closed refuses submissions whatever the clock says', async () => {
    // The jobs function closes the call; a submit racing it is refused by the ConditionCheck.
    p.clock.set(new Date(deadline.getTime() - 1));
    const { CallRepository } = await import('../../shared/calls/repository');
    const calls = new CallRepository(p.deps.doc, p.deps.config.tableName);
    const call = (await calls.get(p.demo.calls.purchase))!;
    await calls.close({ ...call }, deadline.toISOString());
    const res = await p.api('POST', `/submissions/${a.id}/submit`, { token: tok(a), body: { version: 1 } });
    expect(res.status).toBe(422);
    expect((await json<Problem>(p.api('GET', `/submissions/${a.id}`, { token: tok(a) }))).status).toBe(
      'draft',
    );
  });
});
