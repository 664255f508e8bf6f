import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildJobs } from '../../functions/jobs/app';
import { purchaseCall, ventureCall } from '../../infra/local/seed';
import { keys } from '../../shared/db/keys';
import { withCheckChar } from '../../shared/domain/credit-code';
import { type TestPlatform, testPlatform } from '../support/platform';

let p: TestPlatform;
let officer: string;
const DAY = 86_400_000;

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.signIn('xun-officer');
});
afterAll(() => p?.stop());
afterEach(() => p.clock.set(new Date()));

const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;
const periods = (deadlineInDays = 10) => ({
  enquiryStartsAt: p.clock.now.toISOString(),
  enquiryEndsAt: new Date(p.clock.now.getTime() + DAY).toISOString(),
  submissionOpensAt: p.clock.now.toISOString(),
  deadline: new Date(p.clock.now.getTime() + deadlineInDays * DAY).toISOString(),
});

describe('organizations', () => {
  const registration = (creditCode: string, username: string) => ({
    organization: {
      name: '浚县阳光社会工作服务中心',
      creditCode,
      jurisdictionId: '410621104',
      contactName: '王主任',
      contactPhone: '0392-5512345',
    },
    username,
    password: 'sunshine-password-1',
    displayName: '王主任',
  });

  it('refuses a credit code with a wrong check digit, naming the field in both languages', async () => {
    const res = await p.api('POST', '/auth/register', {
      body: registration('52410621MJY000011X', 'sunshine'),
    });
    expect(res.status).toBe(422);
    const body = await json<{ errors: { field: string; message: string; messageZh: string }[] }>(res);
    expect(body.errors).toEqual([
      {
        field: 'body.organization.creditCode',
        message: 'Unified social credit code has a wrong check digit (GB 32100-2015).',
        messageZh: '统一社会信用代码校验码错误（GB 32100-2015）',
      },
    ]);
  });

  it('registers, waits for an officer, and is approved once', async () => {
    const code = withCheckChar('52410621MJY000011');
    const res = await p.api('POST', '/auth/register', { body: registration(code, 'sunshine') });
    expect(res.status).toBe(201);
    const org = await json<{ id: string; status: string; version: number }>(res);
    expect(org.status).toBe('pending');

    const dup = await p.api('POST', '/auth/register', { body: registration(code, 'sunshine-2') });
    expect(dup.status).toBe(409);
    expect(await json(dup)).toMatchObject({ field: 'organization.creditCode' });
    const sameName = await p.api('POST', '/auth/register', {
      body: registration(withCheckChar('52410621MJY000012'), 'Sunshine'),
    });
    expect(sameName.status).toBe(409);

    const queue = await json<{ items: { id: string }[] }>(
      await p.api('GET', '/organizations?status=pending', { token: officer }),
    );
    expect(queue.items.map((o) => o.id)).toEqual([org.id]);

    const reject = await p.api('POST', `/organizations/${org.id}/reject`, {
      token: officer,
      body: { version: 1 },
    });
    expect(reject.status).toBe(422);
    const ok = await p.api('POST', `/organizations/${org.id}/approve`, {
      token: officer,
      body: { version: 1 },
    });
    expect(await json(ok)).toMatchObject({ status: 'approved', version: 2 });
    const again = await p.api('POST', `/organizations/${org.id}/approve`, {
      token: officer,
      body: { version: 2 },
    });
    expect(again.status).toBe(409);
    const stale = await p.api('POST', `/organizations/${org.id}/reject`, {
      token: officer,
      body: { version: 1, reason: '材料不全' },
    });
    expect(stale.status).toBe(409);
    expect(
      (await json(await p.api('GET', '/organizations?status=pending', { token: officer }))).items,
    ).toEqual([]);

    const applicant = await p.signIn('sunshine', 'sunshine-password-1');
    expect(await json(await p.api('GET', `/organizations/${org.id}`, { token: applicant }))).toMatchObject({
      status: 'approved',
    });
  });

  it('lets an officer create staff accounts inside their jurisdiction only', async () => {
    const make = (jurisdictionId: string, username: string) =>
      p.api('POST', '/users', {
        token: officer,
        body: { username, password: 'reviewer-pass-1', name: '李专家', role: 'reviewer', jurisdictionId },
      });
    expect((await make('410621', 'expert-li')).status).toBe(201);
    expect((await make('640100', 'expert-li-yc')).status).toBe(404);
    expect((await make('410621', 'EXPERT-LI')).status).toBe(409);
    expect(await p.signIn('expert-li', 'reviewer-pass-1')).toMatch(/^ey/);
    const listed = await json<{ items: { username: string; passwordHash?: string }[] }>(
      await p.api('GET', '/users?limit=100', { token: officer }),
    );
    expect(listed.items.map((u) => u.username)).toContain('expert-li');
    expect(listed.items.every((u) => u.passwordHash === undefined)).toBe(true);
  });
});

describe('fund pools', () => {
  it('report budget, committed, disbursed and available in fen', async () => {
    const pool = await json(await p.api('GET', `/pools/${p.demo.pools.xun}`, { token: officer }));
    expect(pool).toMatchObject({
      budgetFen: 120_000_000,
      committedFen: 0,
      disbursedFen: 0,
      availableFen: 120_000_000,
      fiscalYear: expect.any(Number),
    });
    expect(pool.sources).toEqual([
      expect.objectContaining({ kind: 'social-assistance-subsidy' }),
      expect.objectContaining({ kind: 'minor-protection' }),
    ]);
  });

  it('refuse money that is not whole fen', async () => {
    const res = await p.api('POST', '/pools', {
      token: officer,
      body: {
        name: '测试资金池',
        sources: [{ kind: 'other' }],
        fiscalYear: 2027,
        jurisdictionId: '410621',
        budgetFen: 100.5,
      },
    });
    expect(res.status).toBe(422);
  });

  it('can never be re-budgeted below what is committed, and a stale edit is refused', async () => {
    const created = await json<{ id: string; version: number }>(
      await p.api('POST', '/pools', {
        token: officer,
        body: {
          name: '浚县未成年人保护资金',
          sources: [{ kind: 'minor-protection' }],
          fiscalYear: 2027,
          jurisdictionId: '410621',
          budgetFen: 50_000_000,
        },
      }),
    );
    // An award commits 30,000,000 fen (awards arrive with the next issue; set it directly here).
    await p.deps.doc.send(
      new UpdateCommand({
        TableName: p.deps.config.tableName,
        Key: keys.pool(created.id),
        UpdateExpression: 'SET committedFen = :c',
        ExpressionAttributeValues: { ':c': 30_000_000 },
      }),
    );
    const below = await p.api('PATCH', `/pools/${created.id}`, {
      token: officer,
      body: { version: 1, budgetFen: 29_999_999 },
    });
    expect(below.status).toBe(422);
    expect((await json(below)).detail).toBe(
      'The budget cannot be lower than the 30000000 fen already committed.',
    );
    const ok = await p.api('PATCH', `/pools/${created.id}`, {
      token: officer,
      body: { version: 1, budgetFen: 30_000_000 },
    });
    expect(await json(ok)).toMatchObject({ budgetFen: 30_000_000, availableFen: 0, version: 2 });
    expect(
      (await p.api('PATCH', `/pools/${created.id}`, { token: officer, body: { version: 1, name: '改名' } }))
        .status,
    ).toBe(409);
  });
});

describe('call lifecycle', () => {
  it('draft → published → closed at the deadline, public sees published only', async () => {
    const draft = await json<{ id: string; status: string; version: number }>(
      await p.api('POST', '/calls', {
        token: officer,
        body: purchaseCall(p.demo.pools.xun, periods(21), 2027), // 政府采购法 第35条: 20 days at least
      }),
    );
    expect(draft.status).toBe('draft');
    expect((await p.api('GET', `/public/calls/${draft.id}`)).status).toBe(404);
    const open = async () =>
      (await json<{ items: { id: string }[] }>(await p.api('GET', '/public/calls?limit=100'))).items.map(
        (c) => c.id,
      );
    expect(await open()).not.toContain(draft.id);

    const published = await json<{ status: string; version: number }>(
      await p.api('POST', `/calls/${draft.id}/publish`, { token: officer, body: { version: draft.version } }),
    );
    expect(published.status).toBe('published');
    expect(await open()).toContain(draft.id);
    expect(
      (
        await p.api('POST', `/calls/${draft.id}/publish`, {
          token: officer,
          body: { version: published.version },
        })
      ).status,
    ).toBe(422);

    // Amendments after publishing need a reason and are kept.
    const noReason = await p.api('PATCH', `/calls/${draft.id}`, {
      token: officer,
      body: { version: published.version, noticeWorkingDays: 7 },
    });
    expect(noReason.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(noReason)).errors.map((e) => e.field)).toEqual([
      'body.amendmentReason',
    ]);
    const amended = await p.api('PATCH', `/calls/${draft.id}`, {
      token: officer,
      body: { version: published.version, noticeWorkingDays: 7, amendmentReason: '按照市局要求延长公示期' },
    });
    expect(await json(amended)).toMatchObject({ noticeWorkingDays: 7, amendments: 1 });
    const amendments = await json<{ items: unknown[] }>(
      await p.api('GET', `/calls/${draft.id}/amendments`, { token: officer }),
    );
    expect(amendments.items).toEqual([
      expect.objectContaining({
        seq: 1,
        reason: '按照市局要求延长公示期',
        changes: [{ field: 'noticeWorkingDays', before: 5, after: 7 }],
      }),
    ]);

    // One second before the deadline it is open; at the deadline it is closed, even before the job runs.
    const deadline = new Date(p.clock.now.getTime() + 21 * DAY);
    p.clock.set(new Date(deadline.getTime() - 1000));
    expect((await json(await p.api('GET', `/public/calls/${draft.id}`))).status).toBe('published');
    p.clock.set(deadline);
    expect((await json(await p.api('GET', `/public/calls/${draft.id}`))).status).toBe('closed');
    expect(await open()).not.toContain(draft.id);
    const lateOfficer = await p.signIn('xun-officer'); // tokens follow the clock
    const late = await p.api('PATCH', `/calls/${draft.id}`, {
      token: lateOfficer,
      body: { version: 3, title: '截止后修改', amendmentReason: '试图在截止后修改' },
    });
    expect(late.status).toBe(422);
    expect((await json(late)).type).toMatch(/call-closed$/);

    // The job catches the stored status up, however late it runs.
    p.clock.advance(5 * DAY);
    const { closedCalls } = await buildJobs(p.deps).tick();
    expect(closedCalls).toContain(draft.id);
    const later = await p.signIn('xun-officer');
    expect(await json(await p.api('GET', `/calls/${draft.id}`, { token: later }))).toMatchObject({
      status: 'closed',
      closedAt: p.clock.now.toISOString(),
    });
    expect((await buildJobs(p.deps).tick()).closedCalls).toEqual([]);
  });

  it('cannot publish a call its pool cannot cover (102号令: the budget comes first)', async () => {
    const v = ventureCall(p.demo.pools.xun, periods(), 2027);
    v.jurisdictionId = '410621';
    const draft = await json<{ id: string; version: number }>(
      await p.api('POST', '/calls', {
        token: officer,
        body: { ...v, venture: { ...v.venture!, totalFundingFen: 130_000_000 } },
      }),
    );
    const res = await p.api('POST', `/calls/${draft.id}/publish`, {
      token: officer,
      body: { version: draft.version },
    });
    expect(res.status).toBe(422);
    expect(await json(res)).toMatchObject({ neededFen: 130_000_000, availableFen: 120_000_000 });
  });

  it("cannot be drafted on a pool or place outside the officer's jurisdiction", async () => {
    const res = await p.api('POST', '/calls', {
      token: officer,
      body: ventureCall(p.demo.pools.yinchuan, periods(), 2027),
    });
    expect(res.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(res)).errors.map((e) => e.field).sort()).toEqual([
      'body.jurisdictionId',
      'body.poolId',
    ]);
  });

  it('stores instants in UTC, whatever offset they were given in', async () => {
    const c = purchaseCall(p.demo.pools.xun, periods(), 2027);
    c.periods.deadline = '2027-06-30T17:00:00+08:00';
    const draft = await json<{ periods: { deadline: string } }>(
      await p.api('POST', '/calls', { token: officer, body: c }),
    );
    expect(draft.periods.deadline).toBe('2027-06-30T09:00:00.000Z');
  });
});
