import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Submission } from '../../shared/submissions/model';
import { type TestPlatform, testPlatform } from '../support/platform';
import { applicantOf, bid, comparable, DAY, json } from '../support/submissions';

/**
 * Sealed bids: before the deadline nobody but the submitting organization can read a submission
 * or learn that it exists; after it officers and auditors of the call's jurisdiction read the
 * submitted ones (never drafts or withdrawn ones). Every role, at the deadline − 1 s and + 1 s.
 */
const T0 = new Date('2027-05-10T01:00:00.000Z');
const DEADLINE = new Date(T0.getTime() + 30 * DAY);
let p: TestPlatform;
let sealed: Submission;
let draft: Submission;
let withdrawn: Submission;
let ownerToken: string;
const MISSING = '00000000-0000-4000-8000-000000000000';

const ROLES = ['other-org', 'reviewer', 'officer', 'finance', 'auditor', 'anonymous'] as const;
type Who = (typeof ROLES)[number];
const USERS: Partial<Record<Who, string>> = {
  reviewer: 'expert-zhang',
  officer: 'xun-officer',
  finance: 'xun-finance',
  auditor: 'xun-auditor',
};

async function tokens(): Promise<Record<Who, string | undefined>> {
  const t = {} as Record<Who, string | undefined>;
  // Tokens last 15 minutes of clock time: everyone signs in again after the clock moves.
  for (const who of ROLES) t[who] = USERS[who] ? await p.signIn(USERS[who]) : undefined;
  t['other-org'] = await applicantOfAgain();
  ownerToken = await p.signIn('qicai-applicant');
  return t;
}
let otherUser: { username: string; password: string } | undefined;
async function applicantOfAgain(): Promise<string> {
  if (!otherUser) throw new Error('no other user');
  return p.signIn(otherUser.username, otherUser.password);
}

const get = (path: string, token?: string) => p.api('GET', path, { token });
async function answer(res: Response) {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = comparable(JSON.parse(text));
  } catch {
    /* not JSON */
  }
  return { status: res.status, body };
}

beforeAll(async () => {
  p = await testPlatform({ start: T0 });
  // The other organization's applicant, with a password we know.
  const { UserRepository } = await import('../../shared/users/repository');
  const users = new UserRepository(p.deps.doc, p.deps.config.tableName);
  const username = 'qianshou-applicant';
  const password = 'qianshou-applicant-2026';
  const { hashPassword } = await import('../../shared/auth/passwords');
  await users.create({
    id: 'u-qianshou',
    username,
    name: '牵手 申报员',
    role: 'applicant',
    orgId: p.demo.orgs.qianshou!,
    jurisdictionId: '410600',
    jurisdictionPath: '410600/',
    status: 'active',
    createdAt: T0.toISOString(),
    version: 1,
    passwordHash: await hashPassword(password),
  });
  otherUser = { username, password };
});
afterAll(() => p?.stop());

describe('public pages do not change when a submission arrives', () => {
  it('GET /public/calls/:id and /open-calls/:id are byte-identical before and after', async () => {
    p.clock.set(new Date(T0.getTime() + DAY));
    const pages = [`/public/calls/${p.demo.calls.purchase}`, `/open-calls/${p.demo.calls.purchase}`];
    const headers = { cookie: 'gp_csrf=fixed-for-comparison', 'accept-language': 'zh-CN' };
    const read = async () =>
      Promise.all(
        pages.map(async (u) => Buffer.from(await (await p.api('GET', u, { headers })).arrayBuffer())),
      );
    const officer = await p.signIn('xun-officer');
    const listBefore = await answer(await get(`/calls/${p.demo.calls.purchase}/submissions`, officer));
    const before = await read();

    ownerToken = await p.signIn('qicai-applicant');
    sealed = await json<Submission>(
      p.api('POST', '/submissions', {
        token: ownerToken,
        body: { callId: p.demo.calls.purchase, content: bid() },
      }),
    );
    const sub = await p.api('POST', `/submissions/${sealed.id}/submit`, {
      token: ownerToken,
      body: { version: 1 },
    });
    expect(sub.status).toBe(200);
    sealed = (await json<{ submission: Submission }>(sub)).submission;

    const after = await read();
    for (const [i, page] of pages.entries()) {
      expect(after[i]!.length, page).toBeGreaterThan(200);
      expect(after[i]!.equals(before[i]!), page).toBe(true);
    }
    // The officer's list answer is the same sealed answer before and after, too.
    const listAfter = await answer(await get(`/calls/${p.demo.calls.purchase}/submissions`, officer));
    expect(listAfter).toEqual(listBefore);
    expect(listAfter.status).toBe(409);
    expect((listAfter.body as { type: string }).type).toMatch(/sealed-until-deadline$/);

    // A draft (lot 2) and a withdrawn bid from other organizations: never visible to officers.
    const d = await applicantOf(p);
    draft = await json<Submission>(
      p.api('POST', '/submissions', {
        token: d,
        body: { callId: p.demo.calls.purchase, content: bid(40_000_000, '2') },
      }),
    );
    const w = await applicantOf(p);
    withdrawn = await json<Submission>(
      p.api('POST', '/submissions', {
        token: w,
        body: { callId: p.demo.calls.purchase, content: bid(41_000_000) },
      }),
    );
    await p.api('POST', `/submissions/${withdrawn.id}/submit`, { token: w, body: { version: 1 } });
    expect(
      (await p.api('POST', `/submissions/${withdrawn.id}/withdraw`, { token: w, body: { version: 2 } }))
        .status,
    ).toBe(200);
  });
});

describe.each([
  ['deadline − 1 s', -1000],
  ['deadline + 1 s', +1000],
] as const)('at %s', (_label, offset) => {
  let t: Record<Who, string | undefined>;
  const after = offset > 0;
  beforeAll(async () => {
    p.clock.set(new Date(DEADLINE.getTime() + offset));
    t = await tokens();
  });

  it('the owner reads its submission and receipts', async () => {
    expect((await get(`/submissions/${sealed.id}`, ownerToken)).status).toBe(200);
    expect((await get(`/submissions/${sealed.id}/receipts`, ownerToken)).status).toBe(200);
  });

  for (const who of ROLES) {
    const reads = !after ? false : who === 'officer' || who === 'auditor';
    it(`${who}: ${reads ? 'reads the submitted one' : 'gets exactly what a missing id gets'}`, async () => {
      for (const suffix of ['', '/receipts', '/attachments/x']) {
        const real = await answer(await get(`/submissions/${sealed.id}${suffix}`, t[who]));
        const missing = await answer(await get(`/submissions/${MISSING}${suffix}`, t[who]));
        const expected = { anonymous: 401, reviewer: 403, finance: 403 } as Partial<Record<Who, number>>;
        expect(missing.status).toBe(expected[who] ?? 404);
        if (reads) {
          expect(real.status).toBe(suffix === '/attachments/x' ? 404 : 200);
        } else {
          expect(real).toEqual(missing);
        }
      }
      // Drafts and withdrawn submissions: like missing ids for everyone but their owner, always.
      for (const hidden of [draft, withdrawn]) {
        const real = await answer(await get(`/submissions/${hidden.id}`, t[who]));
        const missing = await answer(await get(`/submissions/${MISSING}`, t[who]));
        expect(real).toEqual(missing);
      }
    });

    it(`${who}: the call's list is ${after && reads ? 'open' : 'refused the same way whatever exists'}`, async () => {
      const res = await get(`/calls/${p.demo.calls.purchase}/submissions`, t[who]);
      if (who === 'anonymous') return expect(res.status).toBe(401);
      if (who !== 'officer' && who !== 'auditor') return expect(res.status).toBe(403);
      if (!after) {
        expect(res.status).toBe(409);
        return;
      }
      expect(res.status).toBe(200);
      const page = await json<{ items: Submission[] }>(res);
      expect(page.items.map((s) => s.id)).toEqual([sealed.id]);
    });
  }

  it('officers may not screen before the deadline (404, as missing) and may after it', async () => {
    const body = { version: sealed.version, eligible: true };
    const res = await p.api('POST', `/submissions/${sealed.id}/screening`, { token: t.officer, body });
    const missing = await p.api('POST', `/submissions/${MISSING}/screening`, { token: t.officer, body });
    if (!after) {
      expect(await answer(res)).toEqual(await answer(missing));
      expect(res.status).toBe(404);
    } else {
      expect(res.status).toBe(200);
      sealed = await json<Submission>(res);
      expect(sealed.eligibility).toMatchObject({ eligible: true, reasons: [] });
    }
  });

  it('an officer of another jurisdiction never sees it', async () => {
    const yc = await p.signIn('yc-officer');
    expect(await answer(await get(`/submissions/${sealed.id}`, yc))).toEqual(
      await answer(await get(`/submissions/${MISSING}`, yc)),
    );
    expect((await get(`/calls/${p.demo.calls.purchase}/submissions`, yc)).status).toBe(404);
  });
});

describe('cross-organization attempts get the same 404 as a missing id', () => {
  it('read, edit, submit, withdraw, attach, explain', async () => {
    p.clock.set(new Date(T0.getTime() + 2 * DAY));
    const other = await applicantOfAgain();
    const victim = await applicantOf(p);
    const target = await json<Submission>(
      p.api('POST', '/submissions', {
        token: victim,
        body: { callId: p.demo.calls.purchase, content: bid(42_000_000, '2') },
      }),
    );
    const attempts: [string, string, unknown][] = [
      ['GET', '', undefined],
      ['GET', '/receipts', undefined],
      ['PATCH', '', { version: 1, content: bid(1000, '2') }],
      ['POST', '/submit', { version: 1 }],
      ['POST', '/withdraw', { version: 1 }],
      ['POST', '/attachments', { name: 'a.pdf', contentType: 'application/pdf', sizeBytes: 10 }],
      ['POST', '/explanation', { version: 1, text: '价格低的原因说明如下。' }],
    ];
    for (const [method, suffix, body] of attempts) {
      const real = await answer(
        await p.api(method, `/submissions/${target.id}${suffix}`, { token: other, body }),
      );
      const missing = await answer(
        await p.api(method, `/submissions/${MISSING}${suffix}`, { token: other, body }),
      );
      expect(real.status, `${method} ${suffix}`).toBe(404);
      expect(real, `${method} ${suffix}`).toEqual(missing);
    }
    // Nothing changed for the owner.
    expect(await json(p.api('GET', `/submissions/${target.id}`, { token: victim }))).toEqual(target);
  });
});

describe('after the deadline: screening and low-price explanations', () => {
  let officer: string;
  beforeAll(async () => {
    p.clock.set(new Date(DEADLINE.getTime() + 3600_000));
    officer = await p.signIn('xun-officer');
    ownerToken = await p.signIn('qicai-applicant');
    sealed = await json<Submission>(p.api('GET', `/submissions/${sealed.id}`, { token: ownerToken }));
  });

  it('requires reasons to find a submission ineligible, and records them', async () => {
    const none = await p.api('POST', `/submissions/${sealed.id}/screening`, {
      token: officer,
      body: { version: sealed.version, eligible: false },
    });
    expect(none.status).toBe(422);
    expect((await json<{ errors: { field: string; messageZh: string }[] }>(none)).errors[0]).toMatchObject({
      field: 'body.reasons',
      messageZh: '认定不符合资格时须至少填写一条理由',
    });
    const res = await p.api('POST', `/submissions/${sealed.id}/screening`, {
      token: officer,
      body: { version: sealed.version, eligible: false, reasons: ['未提供社会工作者职业资格证书'] },
    });
    expect(res.status).toBe(200);
    sealed = await json<Submission>(res);
    expect(sealed.eligibility).toMatchObject({ eligible: false, reasons: ['未提供社会工作者职业资格证书'] });
    const stale = await p.api('POST', `/submissions/${sealed.id}/screening`, {
      token: officer,
      body: { version: sealed.version - 1, eligible: true },
    });
    expect(stale.status).toBe(409);
  });

  it('takes the bidder explanation and the officer decision', async () => {
    const early = await p.api('POST', `/submissions/${sealed.id}/explanation/decision`, {
      token: officer,
      body: { version: sealed.version, decision: 'accepted' },
    });
    expect(early.status).toBe(422);
    const ex = await p.api('POST', `/submissions/${sealed.id}/explanation`, {
      token: ownerToken,
      body: { version: sealed.version, text: '本机构在当地已有办公场所和志愿者团队，故人员与场地成本较低。' },
    });
    expect(ex.status).toBe(200);
    sealed = await json<Submission>(ex);
    const d = await p.api('POST', `/submissions/${sealed.id}/explanation/decision`, {
      token: officer,
      body: { version: sealed.version, decision: 'accepted' },
    });
    expect(d.status).toBe(200);
    expect((await json<Submission>(d)).explanation).toMatchObject({ decision: 'accepted' });
  });

  it('exports the whole submitted list for the review context', async () => {
    const { SubmissionRepository } = await import('../../shared/submissions/repository');
    const all = await new SubmissionRepository(p.deps.doc, p.deps.config.tableName).listSubmittedForCall(
      p.demo.calls.purchase,
    );
    expect(all.map((s) => s.id)).toEqual([sealed.id]);
  });
});
