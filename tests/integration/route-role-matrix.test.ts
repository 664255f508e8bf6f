import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_APPS } from '../../functions/apis';
import { buildApp as buildWebApp, buildWebApps } from '../../functions/web/app';
import type { Deps } from '../../shared/http/deps';

const buildWeb = (deps: Deps) => buildWebApp(deps, { openApi: () => ({}) });

import { ROLES, type Role } from '../../shared/auth/principal';
import { type Access, POLICY } from '../../shared/authz/policy';
import { functionFor, isWebFunction } from '../../shared/http/routing';
import { type TestPlatform, testPlatform } from '../support/platform';

let p: TestPlatform;
const tokens = {} as Record<Role, string>;
const DEMO_USER: Record<Role, string> = {
  applicant: 'qicai-applicant',
  reviewer: 'expert-zhang',
  officer: 'xun-officer',
  finance: 'xun-finance',
  auditor: 'xun-auditor',
  admin: 'admin',
};

beforeAll(async () => {
  p = await testPlatform();
  for (const role of ROLES) tokens[role] = await p.signIn(DEMO_USER[role]);
});
afterAll(() => p?.stop());

const apiRoutes = Object.entries(POLICY as Record<string, Access>).filter(
  ([k]) => !isWebFunction(functionFor(k.split(' ')[1]!)),
);

describe('every route is declared in the POLICY table', () => {
  it('each registered route has a declaration, and each declaration a route', () => {
    const registered = new Set<string>();
    for (const build of [...Object.values(API_APPS), buildWeb]) {
      for (const r of build(p.deps).routes) if (r.method !== 'ALL') registered.add(`${r.method} ${r.path}`);
    }
    const declared = new Set(Object.keys(POLICY));
    expect([...registered].filter((k) => !declared.has(k))).toEqual([]);
    expect([...declared].filter((k) => !registered.has(k))).toEqual([]);
  });

  it('each route is served by the function its path belongs to', () => {
    const webApps = Object.entries(buildWebApps(p.deps, { openApi: () => ({}) }));
    for (const [fn, app] of [
      ...Object.entries(API_APPS).map(([n, b]) => [n, b(p.deps)] as const),
      ...webApps,
    ]) {
      for (const r of app.routes)
        if (r.method !== 'ALL') expect(`${r.path} → ${functionFor(r.path)}`).toBe(`${r.path} → ${fn}`);
    }
  });
});

// Submissions: a real draft of the demo applicant's organization, so its routes reach their handlers.
let submissionId = 'x';
beforeAll(async () => {
  const lines = [{ item: '运营', amountFen: 100_000 }];
  const content = { kind: 'bid', lot: '1', priceFen: 100_000, budgetLines: lines, proposal: '方案' };
  const res = await p.api('POST', '/submissions', {
    token: tokens.applicant,
    body: { callId: p.demo.calls.purchase, content },
  });
  submissionId = ((await res.json()) as { id: string }).id;
});

/** Fills path parameters with a real object of the caller's kind where one exists. */
function concrete(path: string): string {
  if (path.startsWith('/calls/') || path.startsWith('/public/calls/'))
    return path.replace(':id', p.demo.calls.purchase);
  if (path.startsWith('/pools/')) return path.replace(':id', p.demo.pools.xun);
  if (path.startsWith('/submissions/'))
    return path.replace(':id', submissionId).replace(':attachmentId', 'x');
  if (path.startsWith('/organizations/')) return path.replace(':id', p.demo.orgs.qicai!);
  // Reviews: a real expert profile and call; submissions stay unknown ids (404 for a seated check).
  if (path.startsWith('/experts/')) return path.replace(':id', p.demo.users['expert-wang']!.userId);
  if (path.startsWith('/reviews/'))
    return path.replace(':callId', p.demo.calls.purchase).replace(/:\w+/g, 'x');
  if (path.startsWith('/jurisdictions/')) return path.replace(':id', '410621');
  if (path.includes(':year')) return path.replace(':year', '2026');
  if (path.includes('rule-packs/')) return path.replace(':id', 'national');
  return path.replace(/:\w+/g, 'x');
}

describe('route × role', () => {
  for (const [key, access] of apiRoutes) {
    const [method, path] = key.split(' ') as [string, string];
    it(`${key}: anonymous ${access === 'public' ? 'allowed' : 'gets 401'}`, async () => {
      const res = await p.api(method, concrete(path), method === 'GET' ? {} : { body: {} });
      if (access === 'public') expect([401, 403]).not.toContain(res.status);
      else expect(res.status).toBe(401);
    });
    for (const role of ROLES) {
      const allowed = access === 'public' || access[role] !== undefined;
      it(`${key}: ${role} ${allowed ? 'allowed' : 'gets 403'}`, async () => {
        const res = await p.api(method, concrete(path), {
          token: tokens[role],
          ...(method === 'GET' ? {} : { body: {} }),
        });
        if (allowed) expect([401, 403]).not.toContain(res.status);
        else {
          expect(res.status).toBe(403);
          expect(res.headers.get('content-type')).toMatch(/problem\+json/);
        }
      });
    }
  }
});

describe('object scope', () => {
  it('an officer cannot read or change a call, pool or organization outside their jurisdiction', async () => {
    const yc = await p.signIn('yc-officer');
    for (const path of [
      `/calls/${p.demo.calls.purchase}`,
      `/pools/${p.demo.pools.xun}`,
      `/organizations/${p.demo.orgs.qicai}`,
    ]) {
      const res = await p.api('GET', path, { token: yc });
      expect(res.status).toBe(404);
    }
    const missing = await p.api('GET', '/calls/no-such-call', { token: yc });
    const foreign = await p.api('GET', `/calls/${p.demo.calls.purchase}`, { token: yc });
    const [a, b] = (await Promise.all([missing.json(), foreign.json()])) as Record<string, unknown>[];
    expect({ ...a, instance: 0, requestId: 0 }).toEqual({ ...b, instance: 0, requestId: 0 });
    const patch = await p.api('PATCH', `/calls/${p.demo.calls.purchase}`, {
      token: yc,
      body: { version: 2, title: 'Hijacked title' },
    });
    expect(patch.status).toBe(404);
  });

  it("lists contain only the caller's subtree", async () => {
    const xun = tokens.officer;
    const pools = (await (await p.api('GET', '/pools', { token: xun })).json()) as {
      items: { jurisdictionPath: string }[];
    };
    expect(pools.items.length).toBeGreaterThan(0);
    expect(pools.items.every((x) => x.jurisdictionPath.startsWith('410600/410621/'))).toBe(true);
    const orgs = (await (await p.api('GET', '/organizations', { token: xun })).json()) as {
      items: unknown[];
    };
    // The seeded organizations are registered at city level (Hebi, Yinchuan): above Xun County.
    expect(orgs.items).toEqual([]);
  });

  it('an applicant sees its own organization and gets 404 for another', async () => {
    const own = await p.api('GET', `/organizations/${p.demo.orgs.qicai}`, { token: tokens.applicant });
    expect(own.status).toBe(200);
    const other = await p.api('GET', `/organizations/${p.demo.orgs.qianshou}`, { token: tokens.applicant });
    expect(other.status).toBe(404);
  });
});
