import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp as buildCalls } from '../../functions/calls/app';
import { purchaseCall } from '../../infra/local/seed';
import type { Deps } from '../../shared/http/deps';
import { createLog } from '../../shared/http/log';
import { type TestPlatform, testPlatform } from '../support/platform';

let p: TestPlatform;
let officer: string;
const DAY = 86_400_000;

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.signIn('xun-officer');
});
afterAll(() => p?.stop());

const periods = () => ({
  enquiryStartsAt: new Date(p.clock.now.getTime()).toISOString(),
  enquiryEndsAt: new Date(p.clock.now.getTime() + 5 * DAY).toISOString(),
  submissionOpensAt: new Date(p.clock.now.getTime()).toISOString(),
  deadline: new Date(p.clock.now.getTime() + 10 * DAY).toISOString(),
});
const newCall = () => purchaseCall(p.demo.pools.xun, periods(), 2027);

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.status).toBe(status);
  expect(typeof body.title).toBe('string');
  expect(String(body.type)).toMatch(/^https:\/\/grant-platform\.example\/problems\//);
  expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  return body;
}

describe('error answers', () => {
  it('400 for malformed JSON', async () => {
    await problem(await p.api('POST', '/calls', { token: officer, raw: '{"kind": "purchase",' }), 400);
  });

  it('415 for a body that is not JSON', async () => {
    const res = await p.api('POST', '/calls', {
      token: officer,
      raw: 'kind=purchase',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await problem(res, 415);
  });

  it('413 for a body over the limit, before anything is parsed', async () => {
    const huge = JSON.stringify({ ...newCall(), description: 'x'.repeat(300 * 1024) });
    await problem(await p.api('POST', '/calls', { token: officer, raw: huge }), 413);
  });

  it('404 for an unknown route and 405 with Allow for a wrong method', async () => {
    await problem(await p.api('GET', '/no-such-thing', { token: officer }), 404);
    const res = await p.api('DELETE', `/calls/${p.demo.calls.purchase}`, { token: officer });
    const body = await problem(res, 405);
    expect(res.headers.get('allow')).toBe('GET, PATCH');
    expect(body.detailZh).toContain('GET');
  });

  it('422 names each failing field, in English and Chinese, and rejects unknown fields', async () => {
    const bad = { ...newCall(), title: 'x', noticeWorkingDays: 'five', surprise: true };
    const body = await problem(await p.api('POST', '/calls', { token: officer, body: bad }), 422);
    const errors = body.errors as { field: string; message: string; messageZh: string }[];
    const fields = errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['body.title', 'body.noticeWorkingDays', 'body']));
    expect(errors.find((e) => e.field === 'body')!.message).toContain('surprise');
    expect(errors.find((e) => e.field === 'body.noticeWorkingDays')!.messageZh).toMatch(/[\u4e00-\u9fff]/);
    expect(errors.find((e) => e.field === 'body.noticeWorkingDays')!.messageZh).toContain('string');
  });

  it('409 for a stale version, and the stored call is left as it was', async () => {
    const created = (await (await p.api('POST', '/calls', { token: officer, body: newCall() })).json()) as {
      id: string;
      version: number;
      title: string;
    };
    const ok = await p.api('PATCH', `/calls/${created.id}`, {
      token: officer,
      body: { version: created.version, title: '浚县试点项目（更名）' },
    });
    expect(ok.status).toBe(200);
    await problem(
      await p.api('PATCH', `/calls/${created.id}`, {
        token: officer,
        body: { version: created.version, title: 'Lost update' },
      }),
      409,
    );
    const now = (await (await p.api('GET', `/calls/${created.id}`, { token: officer })).json()) as {
      title: string;
      version: number;
    };
    expect(now).toMatchObject({ title: '浚县试点项目（更名）', version: created.version + 1 });
  });

  it('500s carry no detail beyond the request id, and the cause goes to the log', async () => {
    const lines: string[] = [];
    const failing = {
      ...p.deps,
      log: createLog({}, (l) => lines.push(l)),
      doc: { send: () => Promise.reject(new Error('boom in /srv/shared/db/query.ts:42 with secret')) },
    } as unknown as Deps;
    const res = await buildCalls(failing).request('/public/calls');
    const body = await problem(res, 500);
    expect(JSON.stringify(body)).not.toMatch(/boom|secret|query\.ts/);
    expect(body.requestId).toEqual(expect.any(String));
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((l) => l.msg === 'unhandled error')).toMatchObject({ requestId: body.requestId });
  });
});

describe('requests', () => {
  it('log one JSON line each, with request id, route, status and duration', async () => {
    const lines: string[] = [];
    const app = buildCalls({ ...p.deps, log: createLog({}, (l) => lines.push(l)) });
    await app.request(`/public/calls/${p.demo.calls.purchase}`, { headers: { 'x-request-id': 'log-1' } });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({
      msg: 'request',
      fn: 'calls',
      requestId: 'log-1',
      route: 'GET /public/calls/:id',
      status: 200,
      durationMs: expect.any(Number),
    });
  });

  it('echo a request id', async () => {
    const res = await p.api('GET', '/public/calls', { headers: { 'x-request-id': 'trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    const other = await p.api('GET', '/public/calls');
    expect(other.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('cursors', () => {
  it('page through a list with opaque cursors and refuse malformed or foreign ones', async () => {
    for (let i = 0; i < 3; i++) await p.api('POST', '/calls', { token: officer, body: newCall() });
    const first = (await (await p.api('GET', '/calls?limit=2', { token: officer })).json()) as {
      items: { id: string }[];
      nextCursor?: string;
    };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = (await (
      await p.api('GET', `/calls?limit=2&cursor=${first.nextCursor}`, { token: officer })
    ).json()) as { items: { id: string }[] };
    expect(second.items.length).toBeGreaterThan(0);
    expect(second.items.map((x) => x.id)).not.toContain(first.items[0]!.id);
    await problem(await p.api('GET', '/calls?cursor=%%%garbage', { token: officer }), 400);
    // A cursor of the pools list is refused by the calls list.
    const pools = (await (await p.api('GET', '/pools?limit=1', { token: officer })).json()) as {
      nextCursor?: string;
    };
    const foreign =
      pools.nextCursor ??
      Buffer.from(JSON.stringify({ l: 'pools', k: { pk: 'POOL#x' } })).toString('base64url');
    await problem(await p.api('GET', `/calls?cursor=${foreign}`, { token: officer }), 400);
    // A forged cursor pointing into another city's partition is refused too.
    const other = Buffer.from(
      JSON.stringify({
        l: 'calls',
        k: { pk: 'CALL#x', sk: 'CALL', gsi1pk: 'CALLS#640100', gsi1sk: '640100/' },
      }),
    ).toString('base64url');
    await problem(await p.api('GET', `/calls?cursor=${other}`, { token: officer }), 400);
  });
});

describe('Idempotency-Key', () => {
  it('a replay returns the first response and creates nothing new', async () => {
    const body = newCall();
    const headers = { 'idempotency-key': 'create-call-001' };
    const a = await p.api('POST', '/calls', { token: officer, body, headers });
    const b = await p.api('POST', '/calls', { token: officer, body, headers });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    const [ja, jb] = (await Promise.all([a.json(), b.json()])) as { id: string }[];
    expect(jb!.id).toBe(ja!.id);
  });

  it('the same key with another body is refused with 422', async () => {
    const headers = { 'idempotency-key': 'create-call-002' };
    expect((await p.api('POST', '/calls', { token: officer, body: newCall(), headers })).status).toBe(201);
    const body = await problem(
      await p.api('POST', '/calls', {
        token: officer,
        body: { ...newCall(), title: '另一个项目名称' },
        headers,
      }),
      422,
    );
    expect(body.type).toMatch(/idempotency-key-reused$/);
  });

  it('keys are scoped to the caller: another user with the same key gets their own result', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const reg = (name: string, code: string, username: string) => ({
      organization: {
        name,
        creditCode: code,
        jurisdictionId: '410621',
        contactName: '联系人',
        contactPhone: '0392-1234567',
      },
      username,
      password: 'a-long-password-1',
      displayName: name,
    });
    const a = await p.api('POST', '/auth/register', {
      body: reg('浚县阳光社工', '52410621MJY00009X8', 'sunshine-1'),
      headers,
    });
    expect([201, 422]).toContain(a.status);
    const viaOfficer = await p.api('POST', '/pools', {
      token: officer,
      headers,
      body: {
        name: '浚县测试资金池',
        sources: [{ kind: 'other' }],
        fiscalYear: 2027,
        jurisdictionId: '410621',
        budgetFen: 100,
      },
    });
    expect(viaOfficer.status).toBe(201);
    expect(((await viaOfficer.json()) as { budgetFen: number }).budgetFen).toBe(100);
  });

  it('a malformed key is refused with 400', async () => {
    await problem(
      await p.api('POST', '/calls', {
        token: officer,
        body: newCall(),
        headers: { 'idempotency-key': 'x'.repeat(200) },
      }),
      400,
    );
  });
});

describe('API documentation', () => {
  it('serves an OpenAPI 3.1 document generated from the schemas, covering every API route', async () => {
    const doc = (await (await p.api('GET', '/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/calls', '/calls/{id}', '/auth/sign-in', '/pools/{id}', '/public/calls']),
    );
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['CallInput', 'Rubric', 'Problem', 'Organization']),
    );
  });

  it('serves the interactive reference from the installed package, with no CDN', async () => {
    const html = await (await p.api('GET', '/docs')).text();
    expect(html).toContain('/docs/assets/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await p.api('GET', '/docs/assets/swagger-ui-bundle.js');
    expect(js.status).toBe(200);
    expect((await js.text()).length).toBeGreaterThan(100_000);
  });
});
