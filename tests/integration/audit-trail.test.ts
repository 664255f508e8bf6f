/**
 * The audit trail (issue 4, item 10) on real moto: after real flows through the API — demo data,
 * registration, staff and expert accounts, a pool, a call edited, published, amended and closed by
 * the jobs function, submissions drafted, submitted, withdrawn, resubmitted, screened and
 * explained, a panel drawn with a recusal, sheets saved, submitted and reopened, awards proposed,
 * confirmed, challenged, cancelled and finalized — every chain verifies and every aggregate write
 * left an entry with the right action. Then the trail is tampered with (an entry altered, one
 * deleted, two swapped, a root item edited, a ledger sum broken, a first entry and a root removed)
 * and each is detected, naming the first broken entry, by the auditor endpoint and by
 * `npm run audit:verify` (the script itself, spawned against this test's table).
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJobs } from '../../functions/jobs/app';
import { purchaseCall } from '../../infra/local/seed';
import { type AuditEntry, auditKeys } from '../../shared/audit/chain';
import type { VerifyReport } from '../../shared/audit/model';
import { rootKeyOf } from '../../shared/audit/record';
import { AuditRepository } from '../../shared/audit/repository';
import { verifyAll } from '../../shared/audit/verify';
import { keys } from '../../shared/db/keys';
import { withCheckChar } from '../../shared/domain/credit-code';
import { ledgerKeys } from '../../shared/ledger/entries';
import { seatedFor } from '../../shared/reviews/draw';
import type { Panel } from '../../shared/reviews/model';
import { closedCall } from '../support/awards';
import { tokens as financeTokens, payThrough, signedContracts } from '../support/finance';
import { type TestPlatform, testPlatform } from '../support/platform';
import { applicantOf, bid } from '../support/submissions';

const run = promisify(execFile);
const DAY = 86_400_000;
const T0 = new Date('2026-03-02T10:00:00+08:00');
const MAX: Record<string, number> = { T1: 15, T2: 25, T3: 15, T4: 10, T5: 15, T6: 10 };
const SCORES = Object.fromEntries(Object.entries(MAX).map(([k, v]) => [k, v * 0.8]));

let p: TestPlatform;
let repo: AuditRepository;
let tokens = new Map<string, string>();
const passwords = new Map<string, string>();
const usernames = new Map<string, string>(); // userId → username

async function as(username: string): Promise<string> {
  let t = tokens.get(username);
  if (!t) {
    t = await p.signIn(username, passwords.get(username));
    tokens.set(username, t);
  }
  return t;
}
function clockAt(d: Date) {
  p.clock.set(d);
  tokens = new Map();
}
async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  user: string | undefined,
  body?: unknown,
  expected = [200, 201],
): Promise<T> {
  const res = await p.api(method, path, { ...(user ? { token: await as(user) } : {}), body });
  const text = await res.text();
  if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** What the flows created, for the checks below. */
const ids = {
  orgApproved: '',
  orgRejected: '',
  reviewer: '',
  pool: '',
  call: '',
  subQicai: '',
  subOther: '',
  awardCancelled: '',
  awardFinal: '',
  challenge: '',
};

beforeAll(async () => {
  p = await testPlatform({ start: T0 });
  repo = new AuditRepository(p.deps.doc, p.deps.config.tableName);
  for (const u of Object.entries(p.demo.users)) usernames.set(u[1].userId, u[0]);
  const jobs = buildJobs(p.deps);

  // Organizations: two register themselves in Xun County; one is approved, one rejected.
  const register = async (suffix: string) => {
    const username = `audit-${suffix}`;
    passwords.set(username, `${username}-password`);
    const org = await call<{ id: string }>('POST', '/auth/register', undefined, {
      organization: {
        name: `浚县审计测试社会工作服务中心${suffix}`,
        creditCode: withCheckChar(`52410621MJA00${suffix === 'ok' ? '0001' : '0002'}`),
        jurisdictionId: '410621104',
        contactName: '王主任',
        contactPhone: '0392-5512345',
      },
      username,
      password: passwords.get(username),
      displayName: '王主任',
    });
    return org.id;
  };
  ids.orgApproved = await register('ok');
  ids.orgRejected = await register('no');
  await call('POST', `/organizations/${ids.orgApproved}/approve`, 'xun-officer', { version: 1 });
  await call('POST', `/organizations/${ids.orgRejected}/reject`, 'xun-officer', {
    version: 1,
    reason: '材料不全',
  });

  // A staff account and its expert profile (made inactive, so the draw below is the demo pool's).
  passwords.set('audit-reviewer', 'audit-reviewer-password');
  const reviewer = await call<{ id: string }>('POST', '/users', 'xun-officer', {
    username: 'audit-reviewer',
    password: 'audit-reviewer-password',
    name: '审计评审',
    role: 'reviewer',
    jurisdictionId: '410621',
  });
  ids.reviewer = reviewer.id;
  await call('POST', '/experts', 'xun-officer', { userId: reviewer.id, expertise: ['社会救助'] });
  await call('PATCH', `/experts/${reviewer.id}`, 'xun-officer', { version: 1, active: false });

  // A pool: created, renamed, re-budgeted.
  const pool = await call<{ id: string }>('POST', '/pools', 'xun-officer', {
    name: '浚县审计测试资金池',
    sources: [{ kind: 'county-social-assistance' }],
    fiscalYear: 2026,
    jurisdictionId: '410621',
    budgetFen: 1_500_000_00,
  });
  ids.pool = pool.id;
  await call('PATCH', `/pools/${pool.id}`, 'xun-officer', { version: 1, name: '浚县审计测试资金池（更名）' });
  await call('PATCH', `/pools/${pool.id}`, 'xun-officer', { version: 2, budgetFen: 2_000_000_00 });

  // A call: created, edited as a draft, published, amended.
  const at = (d: number) => new Date(T0.getTime() + d * DAY).toISOString();
  const input = {
    ...purchaseCall(
      pool.id,
      { enquiryStartsAt: at(-1), enquiryEndsAt: at(5), submissionOpensAt: at(-1), deadline: at(10) },
      2026,
    ),
    // 竞争性磋商: 10 days from publication to the deadline suffice (财库〔2014〕214号 第十条).
    procurementMethod: 'competitive-consultation' as const,
  };
  const created = await call<{ id: string }>('POST', '/calls', 'xun-officer', input);
  ids.call = created.id;
  await call('PATCH', `/calls/${created.id}`, 'xun-officer', { version: 1, title: `${input.title}（审计）` });
  await call('POST', `/calls/${created.id}/publish`, 'xun-officer', { version: 2 });
  await call('PATCH', `/calls/${created.id}`, 'xun-officer', {
    version: 3,
    description: `${input.description}（更正：补充说明）`,
    amendmentReason: '补充服务内容说明',
  });

  // Submissions: 七彩 drafts, edits, submits, withdraws and resubmits lot 1; the new
  // organization submits lot 2.
  const draft = await call<{ id: string }>('POST', '/submissions', 'qicai-applicant', {
    callId: ids.call,
    content: bid(50_000_000, '1'),
  });
  ids.subQicai = draft.id;
  await call('PATCH', `/submissions/${draft.id}`, 'qicai-applicant', {
    version: 1,
    content: bid(49_000_000, '1'),
  });
  await call('POST', `/submissions/${draft.id}/submit`, 'qicai-applicant', { version: 2 });
  await call('POST', `/submissions/${draft.id}/withdraw`, 'qicai-applicant', { version: 3 });
  await call('POST', `/submissions/${draft.id}/submit`, 'qicai-applicant', { version: 4 });
  const other = await call<{ id: string }>('POST', '/submissions', 'audit-ok', {
    callId: ids.call,
    content: bid(40_000_000, '2'),
  });
  ids.subOther = other.id;
  await call('POST', `/submissions/${other.id}/submit`, 'audit-ok', { version: 1 });

  // The deadline passes; the jobs function closes the call.
  clockAt(new Date(T0.getTime() + 10 * DAY + 3600_000));
  expect((await jobs.tick()).closedCalls).toContain(ids.call);

  // Screening, and 七彩's price explanation, accepted.
  await call('POST', `/submissions/${ids.subQicai}/screening`, 'xun-officer', { version: 5, eligible: true });
  await call('POST', `/submissions/${ids.subOther}/screening`, 'xun-officer', { version: 2, eligible: true });
  await call('POST', `/submissions/${ids.subQicai}/explanation`, 'qicai-applicant', {
    version: 6,
    text: '报价较低的原因：自有场地与志愿者团队',
  });
  await call('POST', `/submissions/${ids.subQicai}/explanation/decision`, 'xun-officer', {
    version: 7,
    decision: 'accepted',
  });

  // The panel; a member seated for lot 2 declares a conflict and a reserve takes the seat.
  const panel = await call<Panel>('POST', `/calls/${ids.call}/panel`, 'xun-officer', {
    seed: 'a0d17000000000000000000000000004',
  });
  const recusing = seatedFor(panel, ids.subOther)[0]!;
  await call('POST', `/reviews/${ids.subOther}/conflict`, usernames.get(recusing), {
    reason: '曾在该机构兼职',
  });
  const after = await call<Panel>('GET', `/calls/${ids.call}/panel`, 'xun-officer');

  // One sheet per submission: saved, submitted; 七彩's is reopened by an officer and resubmitted.
  const score = async (submissionId: string) => {
    const member = usernames.get(seatedFor(after, submissionId)[0]!)!;
    const saved = await call<{ version: number }>('PUT', `/reviews/${submissionId}/sheet`, member, {
      scores: SCORES,
    });
    const submitted = await call<{ version: number; reviewerId: string }>(
      'POST',
      `/reviews/${submissionId}/sheet/submit`,
      member,
      { version: saved.version },
    );
    return { member, ...submitted };
  };
  const sheet = await score(ids.subQicai);
  await score(ids.subOther);
  const reopened = await call<{ version: number }>(
    'POST',
    `/reviews/${ids.subQicai}/sheets/${sheet.reviewerId}/reopen`,
    'xun-officer',
    { version: sheet.version, reason: '请复核第二项得分' },
  );
  await call('POST', `/reviews/${ids.subQicai}/sheet/submit`, sheet.member, { version: reopened.version });

  // Awards: proposed by one officer, confirmed by another (money committed, ledger `commit`).
  const proposal = await call<{ proposed: { id: string; submissionId: string }[] }>(
    'POST',
    `/calls/${ids.call}/awards/proposal`,
    'xun-officer',
    {},
  );
  expect(proposal.proposed).toHaveLength(2);
  for (const a of proposal.proposed)
    await call('POST', `/awards/${a.id}/confirm`, 'xun-officer-2', { version: 1 });
  ids.awardCancelled = proposal.proposed.find((a) => a.submissionId === ids.subQicai)!.id;
  ids.awardFinal = proposal.proposed.find((a) => a.submissionId === ids.subOther)!.id;

  // A challenge to 七彩's award, upheld: the award is cancelled, its money released (`release`).
  const ch = await call<{ id: string }>('POST', `/awards/${ids.awardCancelled}/challenges`, 'audit-ok', {
    text: '中标人报价说明与实际情况不符，请复核。',
  });
  ids.challenge = ch.id;
  await call('POST', `/challenges/${ch.id}/answer`, 'xun-officer', {
    version: 1,
    outcome: 'upheld',
    answer: '经复核质疑成立，撤销该标包中标结果。',
  });

  // Weeks later the other award's windows have passed: the jobs function makes it final.
  clockAt(new Date(T0.getTime() + 40 * DAY));
  expect((await jobs.tick()).finalizedAwards).toContain(ids.awardFinal);
}, 180_000);
afterAll(() => p?.stop());

/** Every entry of every chain, read straight from the table. */
async function allEntries(): Promise<AuditEntry[]> {
  const chains = await repo.listChains();
  return (await Promise.all(chains.map((c) => repo.chain(c.aggregate)))).flat();
}

const typeOf = (aggregate: string) => aggregate.slice(0, aggregate.indexOf('#'));

describe('after real flows', () => {
  it('every chain verifies, and so does every pool ledger', async () => {
    const report = await verifyAll(repo);
    expect(report.brokenChains).toEqual([]);
    expect(report.brokenLedgers).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.chains.checked).toBeGreaterThan(80);
    expect(report.ledgers.checked).toBeGreaterThanOrEqual(3);
  });

  it('each kind of aggregate write left an entry with its action', async () => {
    const seen: Record<string, Set<string>> = {};
    for (const e of await allEntries()) {
      const type = typeOf(e.aggregate);
      seen[type] ??= new Set();
      seen[type].add(e.action);
    }
    const table = Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, [...v].sort()]));
    expect(table).toMatchObject({
      JUR: ['jurisdiction.created'],
      STATION: ['station.created'],
      ORG: ['organization.approved', 'organization.registered', 'organization.rejected'],
      USER: ['user.created'],
      EXPERT: ['expert.created', 'expert.updated'],
      POOL: ['pool.created', 'pool.rebudgeted', 'pool.renamed'],
      CALL: ['call.amended', 'call.closed', 'call.created', 'call.edited', 'call.published'],
      SUB: [
        'submission.created',
        'submission.explained',
        'submission.explanation-decided',
        'submission.resubmitted',
        'submission.saved',
        'submission.screened',
        'submission.submitted',
        'submission.withdrawn',
      ],
      PANEL: ['panel.drawn', 'panel.recused'],
      SHEET: ['sheet.reopened', 'sheet.saved', 'sheet.submitted'],
      AWARD: ['award.cancelled', 'award.challenged', 'award.confirmed', 'award.finalized', 'award.proposed'],
      CHALLENGE: ['challenge.answered', 'challenge.filed'],
    });
    // Sessions, refresh tokens, throttle counters, locks, score aggregates, notice timers, ledger
    // entries and call amendments are not aggregates: none has a chain.
    for (const derived of [
      'REFRESH',
      'RFAMILY',
      'THROTTLE',
      'SUBLOCK',
      'AGG',
      'NOTICEDUE',
      'LEDGER',
      'USERNAME',
    ])
      expect(Object.keys(table)).not.toContain(derived);
  });

  it('records who did it: people by user id, the jobs function as system:jobs', async () => {
    const callChain = await repo.chain(`CALL#${ids.call}`);
    const officer = p.demo.users['xun-officer']!.userId;
    expect(callChain.map((e) => [e.seq, e.action, e.actor])).toEqual([
      [1, 'call.created', officer],
      [2, 'call.edited', officer],
      [3, 'call.published', officer],
      [4, 'call.amended', officer],
      [5, 'call.closed', 'system:jobs'],
    ]);
    const award = await repo.chain(`AWARD#${ids.awardFinal}`);
    expect(award.map((e) => [e.action, e.actor])).toEqual([
      ['award.proposed', officer],
      ['award.confirmed', p.demo.users['xun-officer-2']!.userId],
      ['award.finalized', 'system:jobs'],
    ]);
    const sub = await repo.chain(`SUB#${ids.subQicai}`);
    expect(sub.map((e) => e.action)).toEqual([
      'submission.created',
      'submission.saved',
      'submission.submitted',
      'submission.withdrawn',
      'submission.resubmitted',
      'submission.screened',
      'submission.explained',
      'submission.explanation-decided',
    ]);
    const qicai = p.demo.users['qicai-applicant']!.userId;
    expect(sub.slice(0, 5).every((e) => e.actor === qicai)).toBe(true);
    // Each root item carries its chain's head.
    const root = await repo.root(`SUB#${ids.subQicai}`);
    expect(root).toMatchObject({ auditSeq: 8, auditHead: sub[7]!.entryHash, version: 8 });
  });

  it('the pool ledger attests the money: commit, commit, release', async () => {
    const entries = await repo.ledger(ids.pool);
    expect(entries.map((e) => [e.kind, e.awardId, e.cause]).sort()).toEqual(
      [
        ['commit', ids.awardCancelled, 'award.confirmed'],
        ['commit', ids.awardFinal, 'award.confirmed'],
        ['release', ids.awardCancelled, 'award.cancelled'],
      ].sort(),
    );
    const pool = await repo.root(`POOL#${ids.pool}`);
    expect(pool).toMatchObject({ committedFen: 40_000_000, version: 3, auditSeq: 3 });
  });
});

// ---------------------------------------------------------------------------------------------

const callAgg = () => `CALL#${ids.call}`;

async function endpointReport(user = 'xun-auditor'): Promise<VerifyReport> {
  return call<VerifyReport>('GET', '/audit/verify', user);
}

async function cli(): Promise<{ code: number; out: string }> {
  try {
    const r = await run('npx', ['tsx', 'infra/local/audit-verify.ts'], {
      cwd: process.cwd(),
      env: {
        ...process.env,
        DYNAMODB_ENDPOINT: p.deps.config.dynamoEndpoint,
        TABLE_NAME: p.deps.config.tableName,
        AWS_REGION: 'us-east-1',
      },
      timeout: 60_000,
    });
    return { code: 0, out: r.stdout };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

const getItem = async (key: { pk: string; sk: string }) =>
  (await p.deps.doc.send(new GetCommand({ TableName: p.deps.config.tableName, Key: key }))).Item!;
const putItem = (Item: Record<string, unknown>) =>
  p.deps.doc.send(new PutCommand({ TableName: p.deps.config.tableName, Item }));
const deleteItem = (Key: { pk: string; sk: string }) =>
  p.deps.doc.send(new DeleteCommand({ TableName: p.deps.config.tableName, Key }));

/** Tampers, checks that the endpoint and the script name `expected`, restores, checks all is well. */
async function detects(
  tamper: () => Promise<() => Promise<void>>,
  expected: { aggregate: string; seq?: number; reason?: string; ledger?: string },
) {
  const restore = await tamper();
  try {
    const report = await endpointReport();
    expect(report.ok).toBe(false);
    const cliRun = await cli();
    expect(cliRun.code).toBe(1);
    if (expected.ledger) {
      expect(report.brokenLedgers.map((l) => [l.ledger, l.id])).toEqual([['pool', expected.ledger]]);
      expect(cliRun.out).toContain(`BROKEN LEDGER pool ${expected.ledger}: committedFen is 40000001`);
    } else {
      expect(report.firstBroken).toMatchObject({
        aggregate: expected.aggregate,
        seq: expected.seq,
        reason: expected.reason,
      });
      expect(cliRun.out).toContain(
        `FAILED: first broken entry: ${expected.aggregate} entry ${expected.seq} (${expected.reason})`,
      );
      // The chain's own view says the same.
      const view = await call<{ verification: { firstBroken?: unknown } }>(
        'GET',
        `/audit/chains/${encodeURIComponent(expected.aggregate)}`,
        'xun-auditor',
      );
      expect(view.verification.firstBroken).toMatchObject({ seq: expected.seq, reason: expected.reason });
    }
  } finally {
    await restore();
  }
  expect((await endpointReport()).ok).toBe(true);
}

describe('tampering is detected, naming the first broken entry', () => {
  it('an intact trail: the endpoint and the script agree', async () => {
    const report = await endpointReport();
    expect(report).toMatchObject({ ok: true, brokenChains: [], brokenLedgers: [] });
    const r = await cli();
    expect(r.out).toContain('OK: every chain and every ledger verifies.');
    expect(r.code).toBe(0);
  }, 60_000);

  it('an altered entry', async () => {
    await detects(
      async () => {
        const key = auditKeys.entry(callAgg(), 2);
        const original = await getItem(key);
        await putItem({ ...original, actor: 'someone-else' });
        return async () => void (await putItem(original));
      },
      { aggregate: callAgg(), seq: 2, reason: 'altered' },
    );
  }, 60_000);

  it('a deleted entry', async () => {
    await detects(
      async () => {
        const key = auditKeys.entry(callAgg(), 3);
        const original = await getItem(key);
        await deleteItem(key);
        return async () => void (await putItem(original));
      },
      { aggregate: callAgg(), seq: 3, reason: 'missing' },
    );
  }, 60_000);

  it('two entries swapped', async () => {
    await detects(
      async () => {
        const [k2, k3] = [auditKeys.entry(callAgg(), 2), auditKeys.entry(callAgg(), 3)];
        const [e2, e3] = [await getItem(k2), await getItem(k3)];
        await putItem({ ...e3, ...k2 });
        await putItem({ ...e2, ...k3 });
        return async () => {
          await putItem(e2);
          await putItem(e3);
        };
      },
      { aggregate: callAgg(), seq: 2, reason: 'reordered' },
    );
  }, 60_000);

  it('the last entry deleted (the root item still names it)', async () => {
    await detects(
      async () => {
        const key = auditKeys.entry(callAgg(), 5);
        const original = await getItem(key);
        await deleteItem(key);
        return async () => void (await putItem(original));
      },
      { aggregate: callAgg(), seq: 5, reason: 'head-mismatch' },
    );
  }, 60_000);

  it('the root item itself altered', async () => {
    await detects(
      async () => {
        const original = await getItem(keys.call(ids.call));
        await putItem({ ...original, title: '悄悄改过的标题' });
        return async () => void (await putItem(original));
      },
      { aggregate: callAgg(), seq: 5, reason: 'state-mismatch' },
    );
  }, 60_000);

  it('a pool counter that no longer equals its ledger', async () => {
    await detects(
      async () => {
        await p.deps.doc.send(
          new UpdateCommand({
            TableName: p.deps.config.tableName,
            Key: keys.pool(ids.pool),
            UpdateExpression: 'SET committedFen = committedFen + :one',
            ExpressionAttributeValues: { ':one': 1 },
          }),
        );
        return async () => {
          await p.deps.doc.send(
            new UpdateCommand({
              TableName: p.deps.config.tableName,
              Key: keys.pool(ids.pool),
              UpdateExpression: 'SET committedFen = committedFen - :one',
              ExpressionAttributeValues: { ':one': 1 },
            }),
          );
        };
      },
      { aggregate: `POOL#${ids.pool}`, ledger: ids.pool },
    );
    // A ledger entry removed is the same break seen from the other side.
    const [first] = await repo.ledger(ids.pool);
    const key = ledgerKeys.entry(ids.pool, first!.at, first!.id);
    await deleteItem(key);
    try {
      const report = await endpointReport();
      expect(report.brokenLedgers[0]).toMatchObject({ ledger: 'pool', id: ids.pool, ok: false });
      expect(report.brokenLedgers[0]!.detail).toMatch(/committedFen is 40000000 but/);
    } finally {
      await putItem({ ...first!, ...key });
    }
  }, 60_000);

  it('a first entry deleted hides the chain from the index: the chain view and the script still see it', async () => {
    const agg = `POOL#${ids.pool}`;
    const key = auditKeys.entry(agg, 1);
    const original = await getItem(key);
    await deleteItem(key);
    try {
      const view = await call<{ verification: { firstBroken?: unknown } }>(
        'GET',
        `/audit/chains/${encodeURIComponent(agg)}`,
        'xun-auditor',
      );
      expect(view.verification.firstBroken).toMatchObject({ aggregate: agg, seq: 1, reason: 'missing' });
      const r = await cli();
      expect(r.code).toBe(1);
      expect(r.out).toContain(`BROKEN CHAIN  ${agg} entry 1 (missing)`);
      expect(r.out).toContain('1 not in the index');
    } finally {
      await putItem(original);
    }
  }, 60_000);

  it('a root item deleted: reported to every auditor, whatever their jurisdiction', async () => {
    const agg = `ORG#${ids.orgRejected}`;
    const original = await getItem(rootKeyOf(agg));
    await deleteItem(rootKeyOf(agg));
    try {
      const ycAuditor = await ycAuditorName();
      for (const user of ['xun-auditor', ycAuditor]) {
        const report = await endpointReport(user);
        expect(report.brokenChains).toContainEqual(
          expect.objectContaining({ aggregate: agg, reason: 'root-missing' }),
        );
      }
    } finally {
      await putItem(original);
    }
    expect((await endpointReport()).ok).toBe(true);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------

let ycAuditor = '';
/** An auditor of Yinchuan, created by its officer. */
async function ycAuditorName(): Promise<string> {
  if (ycAuditor) return ycAuditor;
  ycAuditor = `yc-auditor-${randomUUID().slice(0, 6)}`;
  passwords.set(ycAuditor, `${ycAuditor}-password`);
  await call('POST', '/users', 'yc-officer', {
    username: ycAuditor,
    password: passwords.get(ycAuditor),
    name: '银川审计',
    role: 'auditor',
    jurisdictionId: '640100',
  });
  return ycAuditor;
}

describe('who may read the trail', () => {
  it('auditors only: anonymous 401, every other role 403', async () => {
    for (const path of ['/audit/verify', `/audit/chains/${encodeURIComponent(callAgg())}`]) {
      expect((await p.api('GET', path)).status).toBe(401);
      for (const user of ['qicai-applicant', 'expert-zhang', 'xun-officer', 'xun-finance']) {
        const res = await p.api('GET', path, { token: await as(user) });
        expect(res.status).toBe(403);
        expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      }
      expect((await p.api('GET', path, { token: await as('xun-auditor') })).status).toBe(200);
    }
  });

  it("an auditor reads the chains of their jurisdiction's aggregates; others answer like missing ones", async () => {
    const own = await call<{ aggregate: string; items: AuditEntry[]; verification: { ok: boolean } }>(
      'GET',
      `/audit/chains/${encodeURIComponent(callAgg())}?limit=2`,
      'xun-auditor',
    );
    expect(own.items.map((e) => e.seq)).toEqual([1, 2]);
    expect(own.verification).toMatchObject({ ok: true, entries: 5, headSeq: 5, rootPresent: true });
    const next = await call<{ items: AuditEntry[] }>(
      'GET',
      `/audit/chains/${encodeURIComponent(callAgg())}?limit=2&cursor=${(own as { nextCursor?: string }).nextCursor}`,
      'xun-auditor',
    );
    expect(next.items.map((e) => e.seq)).toEqual([3, 4]);

    const yc = await ycAuditorName();
    const foreign = await p.api('GET', `/audit/chains/${encodeURIComponent(callAgg())}`, {
      token: await as(yc),
    });
    const missing = await p.api('GET', `/audit/chains/${encodeURIComponent('CALL#no-such-call')}`, {
      token: await as(yc),
    });
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const [a, b] = (await Promise.all([foreign.json(), missing.json()])) as Record<string, unknown>[];
    expect({ ...a, instance: 0, requestId: 0 }).toEqual({ ...b, instance: 0, requestId: 0 });
    // 七彩 is registered at city level (Hebi): above a Xun County auditor.
    const qicai = await p.api('GET', `/audit/chains/${encodeURIComponent(`ORG#${p.demo.orgs.qicai}`)}`, {
      token: await as('xun-auditor'),
    });
    expect(qicai.status).toBe(404);
    const bad = await p.api('GET', '/audit/chains/not-a-chain', { token: await as('xun-auditor') });
    expect(bad.status).toBe(422);
  });

  it("the verification covers the caller's jurisdiction: a break in Xun County is not Yinchuan's", async () => {
    const yc = await ycAuditorName();
    const key = auditKeys.entry(callAgg(), 2);
    const original = await getItem(key);
    await putItem({ ...original, action: 'call.deleted' });
    try {
      const xun = await endpointReport('xun-auditor');
      const ycReport = await endpointReport(yc);
      expect(xun.firstBroken).toMatchObject({ aggregate: callAgg(), seq: 2, reason: 'altered' });
      expect(ycReport.ok).toBe(true);
      expect(ycReport.chains.checked).toBeGreaterThan(0);
      expect(ycReport.chains.checked).not.toBe(xun.chains.checked);
    } finally {
      await putItem(original);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('concurrent changes of one aggregate take turns on its chain', () => {
  it('four challenges filed at once: all accepted, one entry each, the chain intact', async () => {
    clockAt(new Date(T0.getTime() + 41 * DAY));
    const applicants = await Promise.all([0, 1, 2, 3].map(() => applicantOf(p)));
    const orgOf = (token: string) =>
      (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { org: string }).org;
    const fx = await closedCall(
      p,
      'venture',
      applicants.map((t, i) => ({
        orgId: orgOf(t),
        requestedFen: 10_000_00,
        totals: [90 - i, 91 - i, 90 - i, 89 - i, 90 - i],
      })),
    );
    tokens = new Map();
    const proposal = await fx.propose(await as('xun-officer'));
    expect(proposal.status).toBe(201);
    const proposed = ((await proposal.json()) as { proposed: { id: string }[] }).proposed;
    // Every award confirmed at once: per-award chains, one pool whose counters are outside them.
    const confirmations = await Promise.all(
      proposed.map(async (a) =>
        p.api('POST', `/awards/${a.id}/confirm`, { token: await as('xun-officer-2'), body: { version: 1 } }),
      ),
    );
    expect(confirmations.map((r) => r.status)).toEqual(proposed.map(() => 200));
    const target = proposed[0]!.id;
    // The challengers' tokens were issued before closedCall moved the clock: sign in again.
    const fresh = await Promise.all(applicants.map(reSignIn));
    const filed = await Promise.all(
      fresh.map((token) =>
        p.api('POST', `/awards/${target}/challenges`, {
          token,
          body: { text: '评审打分与申报材料不一致，请复核。' },
        }),
      ),
    );
    expect(filed.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    const chain = await repo.chain(`AWARD#${target}`);
    expect(chain.map((e) => e.action)).toEqual([
      'award.proposed',
      'award.confirmed',
      'award.challenged',
      'award.challenged',
      'award.challenged',
      'award.challenged',
    ]);
    expect(await repo.root(`AWARD#${target}`)).toMatchObject({
      challenges: 4,
      openChallenges: 4,
      auditSeq: 6,
    });
    const report = await verifyAll(repo);
    expect(report.brokenChains).toEqual([]);
    expect(report.brokenLedgers).toEqual([]);
    const ledger = await repo.ledger(fx.pool.id);
    expect(ledger.filter((e) => e.kind === 'commit')).toHaveLength(proposed.length);
  }, 120_000);
});

/** A new access token for the applicant behind `token` (its username is in the token's subject). */
async function reSignIn(token: string): Promise<string> {
  const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string };
  const user = (await getItem(keys.user(claims.sub))) as { username: string };
  return p.signIn(user.username, `${user.username}-password`);
}

describe('the contract and payment writes keep the trail and the ledgers whole', () => {
  it('a signed contract and a paid tranche: every chain verifies; a contract paid total off its ledger is seen', async () => {
    clockAt(new Date(T0.getTime() + 50 * DAY));
    const { contracts } = await signedContracts(p, [20_000_00]);
    tokens = new Map();
    const contract = contracts[0]!;
    await payThrough(p, await financeTokens(p), contract.id, 'signing', `AUDIT-${randomUUID().slice(0, 8)}`);
    const report = await verifyAll(repo);
    expect(report.brokenChains).toEqual([]);
    expect(report.brokenLedgers).toEqual([]);
    const actions = (await repo.chain(`CONTRACT#${contract.id}`)).map((e) => e.action);
    expect(actions[0]).toBe('contract.signed');
    expect(actions.length).toBeGreaterThan(1); // the paid tranche changed the contract too

    const key = keys.contract(contract.id);
    const original = await getItem(key);
    await putItem({ ...original, paidFen: Number(original.paidFen) + 1 });
    try {
      const broken = await endpointReport();
      expect(broken.brokenLedgers).toContainEqual(
        expect.objectContaining({ ledger: 'contract', id: contract.id, ok: false }),
      );
    } finally {
      await putItem(original);
    }
  }, 120_000);
});
