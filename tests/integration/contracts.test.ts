import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchaseCall } from '../../infra/local/seed';
import { audited } from '../../shared/audit/record';
import { transactWrite } from '../../shared/awards/transact';
import { ContractRepository, contractWrite } from '../../shared/contracts/repository';
import { ledgerKeys } from '../../shared/ledger/entries';
import {
  type ContractJson,
  finalAward,
  json,
  purchaseTargets,
  signContract,
  YUAN,
} from '../support/contracts';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Contracts on real moto: signing from a final award (parties, period, deliverables, the payment
 * schedule in exact fen), one per award, scopes, and amendments that keep every version and move
 * the pool's money in the same transaction.
 */
let p: TestPlatform;
/** Tokens live 15 minutes and the clock jumps days ahead: sign in when needed. */
const as = (u: string) => p.signIn(u);

beforeAll(async () => {
  // Thursday 17 September 2026, 10:00 in Beijing.
  p = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
}, 60_000);
afterAll(() => p?.stop());

const beijingToday = () => new Date(p.clock.now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);

async function pool(id: string) {
  return json<{ budgetFen: number; committedFen: number; version: number }>(
    await p.api('GET', `/pools/${id}`, { token: await as('xun-officer') }),
  );
}

async function ledger(poolId: string) {
  const out = await p.deps.doc.send(
    new QueryCommand({
      TableName: p.deps.config.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ledgerKeys.pool(poolId) },
    }),
  );
  return (out.Items ?? []) as { kind: string; amountFen: number; contractId?: string; cause: string }[];
}

async function getContract(id: string, user = 'xun-officer') {
  return p.api('GET', `/contracts/${id}`, { token: await as(user) });
}

describe('signing a contract', () => {
  it('refuses an award that is not final yet, and stores nothing; once final it signs', async () => {
    const { award } = await finalAward(p, 'venture', { amountFen: 40_000 * YUAN, final: false });
    const early = await p.api('POST', `/awards/${award.id}/contract`, {
      token: await as('xun-officer'),
      body: {},
    });
    expect(early.status).toBe(422);
    const problem = await json<{ type: string; detail: string }>(early);
    expect(problem.type).toMatch(/award-not-final$/);
    expect(problem.detail).toContain('confirmed');
    expect((await getContract(`ct-${award.id}`)).status).toBe(404);

    p.clock.set(new Date(Date.parse(award.closesAt!) + 1000));
    const contract = await signContract(p, award.id);
    expect(contract.id).toBe(`ct-${award.id}`);
  });

  it('copies a venture application: parties, amount, targets, station; one year from today; 50/50 in exact fen', async () => {
    const amountFen = 50_000 * YUAN + 1; // ¥50,000.01
    const { award } = await finalAward(p, 'venture', { amountFen });
    const c = await signContract(p, award.id);
    expect(c).toMatchObject({
      callKind: 'venture',
      buyerName: '浚县民政局',
      orgId: p.demo.orgs.qicai,
      orgName: '鹤壁七彩社会工作服务中心',
      amountFen,
      stationIds: ['st-410621101'],
      targets: { visits: 100, cases: 5, groups: 2, activities: 10 },
      payoutPolicy: { 优: 100, 良: 100, 中: 80, 差: 0 },
      evaluationWeights: { decision: 15, process: 25, outputs: 40, benefits: 20 },
      status: 'active',
      paidFen: 0,
      withheldFen: 0,
      committedFen: amountFen,
      remainingFen: amountFen,
      amendments: 0,
      version: 1,
    });
    const start = beijingToday();
    expect(c.startDate).toBe(start);
    const [y, m, d] = start.split('-').map(Number) as [number, number, number];
    expect(c.endDate).toBe(new Date(Date.UTC(y + 1, m - 1, d) - 86_400_000).toISOString().slice(0, 10));
    expect(c.tranches.map((t) => [t.milestone, t.percent, t.amountFen, t.status])).toEqual([
      ['signing', 50, 2_500_000, 'due'],
      ['final', 50, 2_500_001, 'pending'],
    ]);
    expect(c.tranches.reduce((s, t) => s + t.amountFen, 0)).toBe(amountFen);

    const versions = await json<{ items: { number: number; contract: ContractJson }[] }>(
      await p.api('GET', `/contracts/${c.id}/versions`, { token: await as('xun-officer') }),
    );
    expect(versions.items.map((v) => [v.number, v.contract.amountFen])).toEqual([[1, amountFen]]);
  });

  it('refuses to sign twice; an Idempotency-Key replay answers the first contract again', async () => {
    const { award } = await finalAward(p, 'venture', { amountFen: 30_000 * YUAN });
    const token = await as('xun-officer');
    const send = (key?: string) =>
      p.api('POST', `/awards/${award.id}/contract`, {
        token,
        body: {},
        headers: key ? { 'idempotency-key': key } : {},
      });
    const first = await send('sign-1');
    expect(first.status).toBe(201);
    const replay = await send('sign-1');
    expect(replay.status).toBe(201);
    expect((await json<ContractJson>(replay)).id).toBe((await json<ContractJson>(first)).id);
    const again = await send();
    expect(again.status).toBe(409);
    expect((await json<{ detail: string }>(again)).detail).toContain('already signed');
  });

  it('a venture contract takes targets and station from the application, not from the request', async () => {
    const { award } = await finalAward(p, 'venture', { amountFen: 20_000 * YUAN });
    const res = await p.api('POST', `/awards/${award.id}/contract`, {
      token: await as('xun-officer'),
      body: { targets: purchaseTargets, stationIds: ['st-410621102'] },
    });
    expect(res.status).toBe(422);
    const problem = await json<{ errors: { field: string }[] }>(res);
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['body.stationIds', 'body.targets']);
    expect((await getContract(`ct-${award.id}`)).status).toBe(404);
  });

  it('a purchase contract needs the tender’s targets and stations of the jurisdiction; 40/30/30 with the remainder last', async () => {
    const amountFen = 33_333_333; // ¥333,333.33
    const { award } = await finalAward(p, 'purchase', { amountFen });
    const post = async (body: Record<string, unknown>) =>
      p.api('POST', `/awards/${award.id}/contract`, { token: await as('xun-officer'), body });

    const missing = await post({});
    expect(missing.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(missing)).errors.map((e) => e.field).sort()).toEqual([
      'body.stationIds',
      'body.targets',
    ]);
    const foreign = await post({ targets: purchaseTargets, stationIds: ['st-410621101', 'st-640104003'] });
    expect(foreign.status).toBe(422);
    const fp = await json<{ errors: { field: string; message: string }[] }>(foreign);
    expect(fp.errors).toEqual([
      expect.objectContaining({ field: 'body.stationIds', message: expect.stringContaining('st-640104003') }),
    ]);
    const negative = await post({
      targets: { ...purchaseTargets, visits: -5 },
      stationIds: ['st-410621101'],
    });
    expect(negative.status).toBe(422);
    expect((await getContract(`ct-${award.id}`)).status).toBe(404);

    const c = await signContract(p, award.id, {
      targets: purchaseTargets,
      stationIds: ['st-410621101', 'st-410621102'],
    });
    expect(c.tranches.map((t) => t.amountFen)).toEqual([13_333_333, 9_999_999, 10_000_001]);
    expect(c.tranches.map((t) => t.status)).toEqual(['due', 'pending', 'pending']);
    expect(c.targets).toEqual(purchaseTargets);
    expect(c.stationIds).toEqual(['st-410621101', 'st-410621102']);
  });

  it('applies the period rules: one year by default, up to three with a reason', async () => {
    const { award } = await finalAward(p, 'venture', { amountFen: 10_000 * YUAN });
    const post = async (body: Record<string, unknown>) =>
      p.api('POST', `/awards/${award.id}/contract`, { token: await as('xun-officer'), body });
    const fields = async (res: Response) => {
      expect(res.status).toBe(422);
      return (await json<{ errors: { field: string; message: string }[] }>(res)).errors;
    };
    expect(await fields(await post({ startDate: '2027-01-01', endDate: '2028-12-31' }))).toEqual([
      expect.objectContaining({
        field: 'body.periodReason',
        message: expect.stringContaining('needs a reason'),
      }),
    ]);
    expect(
      await fields(
        await post({ startDate: '2027-01-01', endDate: '2030-01-01', periodReason: '服务稳定、连续' }),
      ),
    ).toEqual([
      expect.objectContaining({ field: 'body.endDate', message: expect.stringContaining('2029-12-31') }),
    ]);
    expect(await fields(await post({ startDate: '2027-03-01', endDate: '2027-02-28' }))).toEqual([
      expect.objectContaining({
        field: 'body.endDate',
        message: expect.stringContaining('before it starts'),
      }),
    ]);
    expect(await fields(await post({ startDate: '2027-02-30' }))).toEqual([
      expect.objectContaining({ field: 'body.startDate' }),
    ]);
    expect((await getContract(`ct-${award.id}`)).status).toBe(404);

    const c = await signContract(p, award.id, {
      startDate: '2027-01-01',
      endDate: '2029-12-31',
      periodReason: '站点运营服务内容稳定、连续性强、经费来源稳定',
    });
    expect([c.startDate, c.endDate, c.periodReason]).toEqual([
      '2027-01-01',
      '2029-12-31',
      '站点运营服务内容稳定、连续性强、经费来源稳定',
    ]);
  });
});

describe('a call’s evaluation settings', () => {
  it('weights must total 100 and a worse grade never pays more; the call is not created otherwise', async () => {
    const token = await as('xun-officer');
    const periods = {
      enquiryStartsAt: '2026-10-01T09:00:00+08:00',
      enquiryEndsAt: '2026-10-10T17:00:00+08:00',
      submissionOpensAt: '2026-10-01T09:00:00+08:00',
      deadline: '2026-10-20T09:00:00+08:00',
    };
    const base = purchaseCall(p.demo.pools.xun, periods, 2026);
    const before = await json<{ items: unknown[] }>(await p.api('GET', '/calls?limit=100', { token }));
    const bad = await p.api('POST', '/calls', {
      token,
      body: {
        ...base,
        evaluation: {
          weights: { decision: 10, process: 20, outputs: 50, benefits: 25 },
          payoutPolicy: { 优: 100, 良: 90, 中: 95, 差: 0 },
        },
      },
    });
    expect(bad.status).toBe(422);
    const errors = (await json<{ errors: { field: string; message: string }[] }>(bad)).errors;
    expect(errors).toEqual([
      expect.objectContaining({
        field: 'body.evaluation.weights',
        message: expect.stringContaining('total 105'),
      }),
      expect.objectContaining({
        field: 'body.evaluation.payoutPolicy.中',
        message: expect.stringContaining('95%'),
      }),
    ]);
    const after = await json<{ items: unknown[] }>(await p.api('GET', '/calls?limit=100', { token }));
    expect(after.items).toHaveLength(before.items.length);
    const good = await p.api('POST', '/calls', {
      token,
      body: {
        ...base,
        evaluation: {
          weights: { decision: 10, process: 20, outputs: 50, benefits: 20 },
          payoutPolicy: { 优: 100, 良: 90, 中: 70, 差: 0 },
        },
      },
    });
    expect(good.status).toBe(201);
    expect((await json<{ evaluation: unknown }>(good)).evaluation).toEqual({
      weights: { decision: 10, process: 20, outputs: 50, benefits: 20 },
      payoutPolicy: { 优: 100, 良: 90, 中: 70, 差: 0 },
    });
  });
});

describe('who sees a contract', () => {
  let own: ContractJson;
  let other: ContractJson;
  beforeAll(async () => {
    own = await signContract(p, (await finalAward(p, 'venture', { amountFen: 12_000 * YUAN })).award.id);
    const theirs = await finalAward(p, 'venture', { amountFen: 13_000 * YUAN, orgKey: 'qianshou' });
    other = await signContract(p, theirs.award.id);
  }, 60_000);

  it('officers, finance and auditors of the jurisdiction list and read them; another city sees nothing', async () => {
    for (const user of ['xun-officer', 'xun-finance', 'xun-auditor']) {
      const list = await json<{ items: ContractJson[] }>(
        await p.api('GET', '/contracts?limit=100', { token: await as(user) }),
      );
      const ids = list.items.map((c) => c.id);
      expect(ids).toEqual(expect.arrayContaining([own.id, other.id]));
      expect((await getContract(own.id, user)).status).toBe(200);
    }
    const yc = await json<{ items: ContractJson[] }>(
      await p.api('GET', '/contracts', { token: await as('yc-officer') }),
    );
    expect(yc.items).toEqual([]);
    expect((await getContract(own.id, 'yc-officer')).status).toBe(404);
    const sign = await p.api('POST', `/awards/${own.awardId}/contract`, {
      token: await as('yc-officer'),
      body: {},
    });
    expect(sign.status).toBe(404);
  });

  it('an applicant sees its own organization’s contracts only', async () => {
    const list = await json<{ items: ContractJson[] }>(
      await p.api('GET', '/contracts?limit=100', { token: await as('qicai-applicant') }),
    );
    const ids = list.items.map((c) => c.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(other.id);
    expect(list.items.every((c) => c.orgId === p.demo.orgs.qicai)).toBe(true);
    expect((await getContract(own.id, 'qicai-applicant')).status).toBe(200);
    expect((await getContract(other.id, 'qicai-applicant')).status).toBe(404);
    const versions = await p.api('GET', `/contracts/${other.id}/versions`, {
      token: await as('qicai-applicant'),
    });
    expect(versions.status).toBe(404);
    // Applicants do not sign or amend.
    const amend = await p.api('PATCH', `/contracts/${own.id}`, {
      token: await as('qicai-applicant'),
      body: { version: 1, reason: '延长服务期限', endDate: own.endDate },
    });
    expect(amend.status).toBe(403);
  });
});

describe('amendments', () => {
  const patch = async (id: string, body: Record<string, unknown>) =>
    p.api('PATCH', `/contracts/${id}`, { token: await as('xun-officer'), body });

  it('keeps every version with its reason and changes; a stale version is 409 and changes nothing', async () => {
    const { award } = await finalAward(p, 'venture', { amountFen: 24_000 * YUAN });
    const c = await signContract(p, award.id, { startDate: '2026-10-01' });
    expect(c.endDate).toBe('2027-09-30');
    // Past one year: the period needs its reason (102号令 第二十四条).
    const unexplained = await patch(c.id, {
      version: 1,
      reason: '受疫情影响顺延两个月',
      endDate: '2027-11-30',
    });
    expect(unexplained.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(unexplained)).errors[0]!.field).toBe(
      'body.periodReason',
    );
    const res = await patch(c.id, {
      version: 1,
      reason: '受疫情影响顺延两个月',
      endDate: '2027-11-30',
      periodReason: '服务对象需要持续跟进',
    });
    expect(res.status).toBe(200);
    const amended = await json<ContractJson>(res);
    expect([amended.endDate, amended.amendments, amended.version]).toEqual(['2027-11-30', 1, 2]);

    const stale = await patch(c.id, { version: 1, reason: '再次顺延', endDate: '2027-12-31' });
    expect(stale.status).toBe(409);
    expect((await json<{ type: string }>(stale)).type).toMatch(/stale-version$/);

    const overlong = await patch(c.id, { version: 2, reason: '再次顺延期限', endDate: '2029-10-01' });
    expect(overlong.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(overlong)).errors[0]!.field).toBe('body.endDate');
    const noReason = await patch(c.id, { version: 2, endDate: '2027-12-31' });
    expect(noReason.status).toBe(422);
    const nothing = await patch(c.id, { version: 2, reason: '无变化的变更', endDate: '2027-11-30' });
    expect(nothing.status).toBe(422);
    expect((await json<{ type: string }>(nothing)).type).toMatch(/nothing-to-amend$/);

    const now = await json<ContractJson>(await getContract(c.id));
    expect([now.endDate, now.version]).toEqual(['2027-11-30', 2]);
    const versions = await json<{
      items: {
        number: number;
        reason?: string;
        changes: { field: string; before: unknown; after: unknown }[];
      }[];
    }>(await p.api('GET', `/contracts/${c.id}/versions`, { token: await as('xun-auditor') }));
    expect(versions.items.map((v) => [v.number, v.reason ?? null, v.changes])).toEqual([
      [1, null, []],
      [
        2,
        '受疫情影响顺延两个月',
        [
          { field: 'endDate', before: '2027-09-30', after: '2027-11-30' },
          { field: 'periodReason', before: null, after: '服务对象需要持续跟进' },
        ],
      ],
    ]);
  });

  it('an increase re-splits the schedule and commits pool money with a ledger entry; a decrease releases', async () => {
    const { award, poolId } = await finalAward(p, 'purchase', {
      amountFen: 500_000 * YUAN,
      poolBudgetFen: 1_100_000 * YUAN,
    });
    const c = await signContract(p, award.id, { targets: purchaseTargets, stationIds: ['st-410621103'] });
    expect((await pool(poolId)).committedFen).toBe(500_000 * YUAN);

    // More than the pool holds: refused, nothing moves.
    const tooMuch = await patch(c.id, {
      version: 1,
      reason: '增加服务站点',
      amountFen: 1_100_000 * YUAN + 1,
    });
    expect(tooMuch.status).toBe(422);
    expect((await json<{ type: string }>(tooMuch)).type).toMatch(/insufficient-funds$/);
    expect((await pool(poolId)).committedFen).toBe(500_000 * YUAN);
    expect((await json<ContractJson>(await getContract(c.id))).version).toBe(1);

    const up = await json<ContractJson>(
      await patch(c.id, { version: 1, reason: '增加服务内容', amountFen: 520_000 * YUAN + 1 }),
    );
    expect(up.tranches.map((t) => [t.amountFen, t.payableFen, t.status])).toEqual([
      [20_800_000, 20_800_000, 'due'],
      [15_600_000, 15_600_000, 'pending'],
      [15_600_001, 15_600_001, 'pending'],
    ]);
    expect((await pool(poolId)).committedFen).toBe(520_000 * YUAN + 1);

    const down = await json<ContractJson>(
      await patch(c.id, { version: 2, reason: '核减服务内容', amountFen: 450_000 * YUAN }),
    );
    expect(down.amountFen).toBe(450_000 * YUAN);
    expect((await pool(poolId)).committedFen).toBe(450_000 * YUAN);
    const entries = (await ledger(poolId)).filter((e) => e.contractId === c.id);
    expect(entries.map((e) => [e.kind, e.amountFen, e.cause]).sort()).toEqual(
      [
        ['commit', 20_000 * YUAN + 1, 'contract.amended'],
        ['release', 70_000 * YUAN + 1, 'contract.amended'],
      ].sort(),
    );
  });

  it('refuses to change the amount once a tranche is in finance’s hands, naming it', async () => {
    const { award, poolId } = await finalAward(p, 'venture', { amountFen: 60_000 * YUAN });
    const c = await signContract(p, award.id);
    // Finance requests the signing tranche (as the finance function writes it).
    const repo = new ContractRepository(p.deps.doc, p.deps.config.tableName);
    const read = (await repo.get(c.id))!;
    const next = {
      ...read.contract,
      tranches: read.contract.tranches.map((t) =>
        t.milestone === 'signing' ? { ...t, status: 'requested' as const, disbursementId: 'd-1' } : t,
      ),
      version: read.contract.version + 1,
    };
    await transactWrite(
      p.deps.doc,
      audited(contractWrite(p.deps.config.tableName, next, read.contract.version), read.head, {
        actor: 'test',
        at: p.clock.now.toISOString(),
        action: 'disbursement.requested',
      }),
    );
    const res = await patch(c.id, { version: 2, reason: '调整金额', amountFen: 70_000 * YUAN });
    expect(res.status).toBe(422);
    const problem = await json<{ type: string; detail: string; detailZh: string }>(res);
    expect(problem.type).toMatch(/schedule-locked$/);
    expect(problem.detail).toContain('signing tranche is requested');
    expect((await pool(poolId)).committedFen).toBe(60_000 * YUAN);
    // The end date can still change.
    const later = await patch(c.id, {
      version: 2,
      reason: '顺延一个月',
      endDate: new Date(Date.parse(`${c.endDate}T00:00:00Z`) + 20 * 86_400_000).toISOString().slice(0, 10),
      periodReason: '服务对象需要持续跟进',
    });
    expect(later.status).toBe(200);
  });

  it('stations are validated against the jurisdiction', async () => {
    const { award } = await finalAward(p, 'venture', { amountFen: 15_000 * YUAN });
    const c = await signContract(p, award.id);
    const res = await patch(c.id, {
      version: 1,
      reason: '增加站点',
      stationIds: ['st-410621101', 'st-640104003'],
    });
    expect(res.status).toBe(422);
    expect((await json<{ errors: { field: string; message: string }[] }>(res)).errors[0]).toMatchObject({
      field: 'body.stationIds',
      message: expect.stringContaining('st-640104003'),
    });
    const ok = await json<ContractJson>(
      await patch(c.id, { version: 1, reason: '增加站点', stationIds: ['st-410621101', 'st-410621107'] }),
    );
    expect(ok.stationIds).toEqual(['st-410621101', 'st-410621107']);
  });
});
