import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp as buildWebApp } from '../../functions/web/app';
import type { Deps } from '../../shared/http/deps';

const buildWeb = (deps: Deps) => buildWebApp(deps, { openApi: () => ({}) });

import { purchaseCall } from '../../infra/local/seed';
import { POLICY } from '../../shared/authz/policy';
import { CallService } from '../../shared/calls/service';
import { PoolRepository } from '../../shared/pools/repository';
import { type TestPlatform, testPlatform } from '../support/platform';

let p: TestPlatform;
beforeAll(async () => {
  p = await testPlatform();
});
afterAll(() => p?.stop());

const MIN = 60_000;
const DAY = 24 * 60 * MIN;

/** A cookie-keeping client that follows no redirects, like a browser seen from the server. */
class Client {
  readonly jar = new Map<string, string>();
  constructor(private readonly base = () => p.url) {}

  async req(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(this.base() + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(this.jar.size ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...headers,
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, i), pair!.slice(i + 1)];
      if (!value || /max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  get csrf() {
    return this.jar.get('gp_csrf') ?? '';
  }

  /** Opens the form first (which sets the CSRF cookie), then posts it with the token. */
  async post(path: string, form: Record<string, string>, from = '/') {
    if (!this.csrf) await this.req('GET', from);
    return this.req('POST', path, { _csrf: this.csrf, ...form });
  }

  async signIn(username: string, password = `${username}-2026`) {
    await this.req('GET', '/sign-in');
    const res = await this.req('POST', '/sign-in', { _csrf: this.csrf, username, password });
    expect(res.status).toBe(303);
    return res;
  }
}

describe('guards and redirects', () => {
  it('sends an anonymous visitor of a signed-in page to sign-in, and back afterwards', async () => {
    const c = new Client();
    const res = await c.req('GET', '/officer/calls/new?x=1');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent('/officer/calls/new?x=1')}`);
    await c.req('GET', '/sign-in?next=%2Fofficer%2Fcalls%2Fnew');
    const signed = await c.req('POST', '/sign-in', {
      _csrf: c.csrf,
      username: 'xun-officer',
      password: 'xun-officer-2026',
      next: '/officer/calls/new',
    });
    expect(signed.headers.get('location')).toBe('/officer/calls/new');
    expect((await c.req('GET', '/officer/calls/new')).status).toBe(200);
  });

  it('never redirects off-site after sign-in or a language switch', async () => {
    const c = new Client();
    await c.req('GET', '/sign-in');
    const res = await c.req('POST', '/sign-in', {
      _csrf: c.csrf,
      username: 'xun-finance',
      password: 'xun-finance-2026',
      next: '//evil.example/x',
    });
    expect(res.headers.get('location')).toBe('/home');
    const lang = await c.req('GET', '/lang/en?next=https://evil.example/');
    expect(lang.headers.get('location')).toBe('/');
  });

  it('shows a 403 page to a role the page is not for, and 404 for an object out of scope', async () => {
    const applicant = new Client();
    await applicant.signIn('qicai-applicant');
    const res = await applicant.req('GET', '/officer/pools');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toContain('您的角色无权访问此页面');

    const yc = new Client();
    await yc.signIn('yc-officer');
    const foreign = await yc.req('GET', `/officer/calls/${p.demo.calls.purchase}`);
    expect(foreign.status).toBe(404);
    const post = await yc.post(`/officer/calls/${p.demo.calls.purchase}/publish`, { version: '2' });
    expect(post.status).toBe(404);
  });

  it('sets HttpOnly SameSite=Lax session cookies; Secure with __Host- names when configured', async () => {
    const c = new Client();
    const res = await c.signIn('xun-auditor');
    const cookies = res.headers.getSetCookie();
    for (const name of ['gp_session', 'gp_refresh', 'gp_csrf']) {
      const line = cookies.find((l) => l.startsWith(`${name}=`));
      expect(line).toMatch(/HttpOnly/);
      expect(line).toMatch(/SameSite=Lax/);
      expect(line).not.toMatch(/Secure/);
    }
    const secure = buildWeb({ ...p.deps, config: { ...p.deps.config, secureCookies: true } });
    const page = await secure.fetch(new Request('https://grants.example/sign-in'));
    const csrf = page.headers.getSetCookie()[0]!;
    expect(csrf).toMatch(/^__Host-gp_csrf=.*; Path=\/; HttpOnly; Secure; SameSite=Lax/);
  });
});

describe('CSRF', () => {
  it('refuses a POST without the token, with a wrong token, cross-site, or as JSON', async () => {
    const c = new Client();
    await c.signIn('xun-officer');
    const form = { 'pool.name': 'CSRF 测试资金池', fiscalYear: '2026', budget: '100', 'src.other': 'on' };
    const bare = await c.req('POST', '/officer/pools', form);
    expect(bare.status).toBe(403);
    expect(await bare.text()).toContain('表单已失效或并非来自本站');
    expect((await c.req('POST', '/officer/pools', { ...form, _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect(
      (await c.req('POST', '/officer/pools', { ...form, _csrf: c.csrf }, { 'sec-fetch-site': 'cross-site' }))
        .status,
    ).toBe(403);
    const json = await c.req('POST', '/sign-out', undefined, { 'content-type': 'application/json' });
    expect(json.status).toBe(403);
    // Nothing was created.
    const list = await new PoolRepository(p.deps.doc, p.deps.config.tableName).list('410600/410621/', 100);
    expect(list.items.map((x) => x.name)).not.toContain('CSRF 测试资金池');
    // Sign-in is protected too (login CSRF): no cookie, no sign-in.
    const stranger = await fetch(`${p.url}/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=xun-officer&password=xun-officer-2026',
    });
    expect(stranger.status).toBe(403);
  });

  it('replaces the token at sign-in, so a token known before is worthless after', async () => {
    const c = new Client();
    await c.req('GET', '/sign-in');
    const before = c.csrf;
    await c.req('POST', '/sign-in', { _csrf: before, username: 'xun-officer', password: 'xun-officer-2026' });
    expect(c.csrf).not.toBe(before);
    expect((await c.req('POST', '/sign-out', { _csrf: before })).status).toBe(403);
  });
});

describe('session', () => {
  it('refreshes an expired access token transparently and rotates the refresh cookie', async () => {
    const c = new Client();
    await c.signIn('xun-officer');
    const [access, refresh] = [c.jar.get('gp_session'), c.jar.get('gp_refresh')];
    p.clock.advance(16 * MIN);
    try {
      const res = await c.req('GET', '/officer/pools');
      expect(res.status).toBe(200);
      expect(c.jar.get('gp_session')).not.toBe(access);
      expect(c.jar.get('gp_refresh')).not.toBe(refresh);
      // The rotated-out refresh token no longer signs anyone in.
      const replay = new Client();
      replay.jar.set('gp_refresh', refresh!);
      const again = await replay.req('GET', '/home');
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toMatch(/^\/sign-in\?next=/);
    } finally {
      p.clock.advance(-16 * MIN);
    }
  });

  it('signs out: the refresh token is revoked and the cookies cleared', async () => {
    const c = new Client();
    await c.signIn('xun-finance');
    const refresh = c.jar.get('gp_refresh')!;
    const out = await c.req('POST', '/sign-out', { _csrf: c.csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/sign-in?done=signed-out');
    expect(c.jar.has('gp_session')).toBe(false);
    expect(c.jar.has('gp_refresh')).toBe(false);
    const replay = new Client();
    replay.jar.set('gp_refresh', refresh);
    expect((await replay.req('GET', '/home')).status).toBe(303);
  });
});

describe('pages', () => {
  it('declares every page in the web section of POLICY', () => {
    const routes = buildWeb(p.deps).routes.filter((r) => r.method !== 'ALL');
    for (const r of routes) expect(Object.keys(POLICY)).toContain(`${r.method} ${r.path}`);
  });

  it('shows each role its own start page, and an applicant only its own organization', async () => {
    const expected: Record<string, string[]> = {
      'xun-officer': ['待审核', '管理资金池', '新建项目', '账号管理'],
      'xun-finance': ['可用余额', '¥1,200,000.00', '拨付'],
      'xun-auditor': ['只读', '¥1,200,000.00', p.demo.calls.purchase],
      'expert-zhang': ['评审委员会', '回避'],
      'qicai-applicant': ['鹤壁七彩社会工作服务中心', '已通过'],
      'chunxi-applicant': ['银川市春熙社会工作服务中心', '待审核'],
    };
    for (const [user, texts] of Object.entries(expected)) {
      const c = new Client();
      await c.signIn(user);
      const res = await c.req('GET', '/home');
      expect(res.status).toBe(200);
      const html = await res.text();
      for (const t of texts) expect(`${user}: ${html.includes(t)}`).toBe(`${user}: true`);
      if (user === 'qicai-applicant') expect(html).not.toContain('鹤壁牵手');
      // Every start page renders in English too.
      await c.req('GET', '/lang/en');
      expect((await c.req('GET', '/home')).status).toBe(200);
    }
  });

  it('has no Chinese left on the English pages (beyond the switch back to 中文)', async () => {
    const c = new Client();
    await c.req('GET', '/lang/en');
    for (const path of ['/', '/sign-in', '/register', '/sign-in?done=registered', '/no-such-page']) {
      const res = await c.req('GET', path, undefined, { accept: 'text/html' });
      const html = (await res.text()).replace(/<style>[\s\S]*?<\/style>/, '').replace('中文', '');
      expect(`${path}: ${html.match(/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+/g) ?? 'clean'}`).toBe(
        `${path}: clean`,
      );
    }
  });

  it('shows published calls only on the public pages, never drafts', async () => {
    const officer = p.demo.users['xun-officer']!;
    const now = p.clock.now.getTime();
    const draft = await new CallService(p.deps).create(
      {
        ...purchaseCall(
          p.demo.pools.xun,
          {
            enquiryStartsAt: new Date(now).toISOString(),
            enquiryEndsAt: new Date(now + 5 * DAY).toISOString(),
            submissionOpensAt: new Date(now).toISOString(),
            deadline: new Date(now + 10 * DAY).toISOString(),
          },
          2027,
        ),
        title: '草稿项目不应公开 Draft must stay private',
      },
      officer,
    );
    const c = new Client();
    const list = await (await c.req('GET', '/open-calls')).text();
    expect(list).toContain(p.demo.calls.purchase);
    expect(list).not.toContain(draft.id);
    expect(list).not.toContain('草稿项目不应公开');
    expect((await c.req('GET', `/open-calls/${draft.id}`)).status).toBe(404);
    const pub = await c.req('GET', `/open-calls/${p.demo.calls.purchase}`);
    expect(pub.status).toBe(200);
    expect(await pub.text()).toContain('评分细则');
  });

  it('keeps the input and shows the precise rubric error in the chosen language', async () => {
    const c = new Client();
    await c.signIn('xun-officer');
    const form: Record<string, string> = {
      kind: 'purchase',
      poolId: p.demo.pools.xun,
      jurisdictionId: '410621',
      title: '浚县困境儿童关爱服务采购',
      description: '',
      category: 'services',
      'lot.0.code': '1',
      'lot.0.name': '全县',
      'lot.0.ceiling': '200,000',
      'periods.enquiryStartsAt': '2027-01-05T09:00',
      'periods.enquiryEndsAt': '2027-01-20T17:00',
      'periods.submissionOpensAt': '2027-01-05T09:00',
      'periods.deadline': '2027-01-30T17:00',
      'rubric.pricePoints': '10',
      'ind.0.group': '服务方案',
      'ind.0.name': '需求分析',
      'ind.0.points': '45',
      'ind.0.criteria': '需求分析准确具体得满分',
      'ind.1.name': '团队',
      'ind.1.points': '40',
      'ind.1.criteria': '每名持证社工 8 分',
      'scoring.method': 'mean',
      'scoring.abnormalLowPercent': '20',
      'scoring.outlierPoints': '15',
      'scoring.committee.size': '5',
      'scoring.committee.experts': '4',
      'pay.signing': '40',
      'pay.midterm': '30',
      'pay.final': '30',
      noticeWorkingDays: '5',
    };
    const zh = await c.post('/officer/calls', form);
    expect(zh.status).toBe(422);
    const zhText = await zh.text();
    expect(zhText).toContain('各指标分值（85）与价格分（10）合计 95 分，应为 100 分');
    expect(zhText).toContain('value="浚县困境儿童关爱服务采购"');
    await c.req('GET', '/lang/en?next=/home');
    const en = await c.post('/officer/calls', form);
    expect(await en.text()).toContain(
      'Indicator points (85) plus price points (10) total 95; they must total 100.',
    );
    const ok = await c.post('/officer/calls', { ...form, 'ind.1.points': '45' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toMatch(/^\/officer\/calls\/[\w-]+\?done=created$/);
  });

  it('tells the second of two concurrent editors that the call changed, keeping their input', async () => {
    const now = p.clock.now.getTime();
    const draft = await new CallService(p.deps).create(
      purchaseCall(
        p.demo.pools.xun,
        {
          enquiryStartsAt: new Date(now).toISOString(),
          enquiryEndsAt: new Date(now + 5 * DAY).toISOString(),
          submissionOpensAt: new Date(now).toISOString(),
          deadline: new Date(now + 10 * DAY).toISOString(),
        },
        2027,
      ),
      p.demo.users['xun-officer']!,
    );
    const c = new Client();
    await c.signIn('xun-officer');
    const page = await (await c.req('GET', `/officer/calls/${draft.id}`)).text();
    // Post the form exactly as rendered, twice, with one changed title each time.
    const form: Record<string, string> = {};
    for (const m of page.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) form[m[1]!] = m[2]!;
    for (const m of page.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([^<]*)<\/textarea>/g))
      form[m[1]!] = m[2]!;
    for (const m of page.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g))
      form[m[1]!] = /<option value="([^"]*)" selected/.exec(m[2]!)?.[1] ?? '';
    delete form._csrf;
    const first = await c.post(`/officer/calls/${draft.id}`, { ...form, title: '第一位编辑的标题' });
    expect(first.status).toBe(303);
    const second = await c.post(`/officer/calls/${draft.id}`, { ...form, title: '第二位编辑的标题' });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain('数据已被他人修改，请刷新后重试');
    expect(html).toContain('value="第二位编辑的标题"');
  });

  it('creates a pool from a yuan amount, stored as exact integer fen', async () => {
    const c = new Client();
    await c.signIn('xun-officer');
    const res = await c.post('/officer/pools', {
      'pool.name': '浚县未成年人保护专项',
      fiscalYear: '2027',
      budget: '1,234,567.89',
      jurisdictionId: '410621',
      'src.minor-protection': 'on',
      'srcnote.minor-protection': '未成年人保护资金',
    });
    expect(res.status).toBe(303);
    const pools = await new PoolRepository(p.deps.doc, p.deps.config.tableName).list('410600/410621/', 100);
    expect(pools.items.find((x) => x.name === '浚县未成年人保护专项')?.budgetFen).toBe(123_456_789);
    expect(await (await c.req('GET', '/officer/pools')).text()).toContain('¥1,234,567.89');
    const bad = await c.post('/officer/pools', {
      'pool.name': '错误金额',
      fiscalYear: '2027',
      budget: '12.345',
      jurisdictionId: '410621',
      'src.other': 'on',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('最多两位小数');
  });
});
