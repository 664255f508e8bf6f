import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCheckChar } from '../../shared/domain/credit-code';
import { launchChromium } from '../support/browser';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Browser tests of the pages: Debian's Chromium driven by playwright-core (never a browser
 * download), against a platform on the shared moto server with its own tables and demo data.
 */
let p: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  [p, browser] = await Promise.all([testPlatform(), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: p.url, locale: 'zh-CN' });
  return { context, page: await context.newPage() };
}

async function signIn(page: Page, username: string, password = `${username}-2026`) {
  await page.goto('/sign-in');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL('**/home');
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出' }).click();
  await page.waitForURL('**/sign-in?done=signed-out');
  expect(await textOf(page.getByRole('status'))).toBe('您已安全退出。');
}

/** The rendered text of an element (Playwright's `Locator.innerText`, not the DOM property). */
// biome-ignore lint/performance/useDomNodeTextContent: a Playwright Locator method, run in the browser.
const textOf = (l: Locator) => l.innerText();

// Vitest's expect has no auto-waiting; the pages are server-rendered, so text is there on load.
const expectText = async (page: Page, text: string) =>
  expect(await textOf(page.locator('body'))).toContain(text);

describe('registration and approval', () => {
  it('registers an organization, an officer approves it, and its applicant sees the approval', async () => {
    const { context, page } = await newPage();
    const orgName = '浚县善堂镇阳光社会工作服务中心';
    await page.goto('/register');
    await page.getByLabel('机构名称').fill(orgName);
    await page.getByLabel('统一社会信用代码').fill(withCheckChar('52410621MJY000099'));
    await page.getByLabel('所在辖区').selectOption('410621101'); // 善堂镇, Xun County
    await page.getByLabel('联系人').fill('李社工');
    await page.getByLabel('联系电话').fill('0392-5501234');
    await page.getByLabel('您的姓名').fill('李社工');
    await page.getByLabel('用户名').fill('yangguang-admin');
    await page.getByLabel('密码', { exact: true }).fill('yangguang-2026-pass');
    await page.getByLabel('确认密码').fill('yangguang-2026-pass');
    await page.getByRole('button', { name: '提交注册' }).click();
    await page.waitForURL('**/sign-in?done=registered');
    await expectText(page, '注册已提交，请等待民政局审核');

    // Before approval the applicant sees the pending status.
    await signIn(page, 'yangguang-admin', 'yangguang-2026-pass');
    await expectText(page, orgName);
    expect(await textOf(page.locator('.badge'))).toBe('待审核');
    await signOut(page);

    await signIn(page, 'xun-officer');
    await page.getByRole('link', { name: '机构审核' }).first().click();
    const card = page.locator('section.card', { hasText: orgName });
    expect(await card.count()).toBe(1);
    await card.getByRole('button', { name: '通过', exact: true }).click();
    await page.waitForURL('**/officer/organizations?done=approved');
    await expectText(page, '已通过该机构的注册');
    expect(await page.locator('section.card', { hasText: orgName }).count()).toBe(0);
    await signOut(page);

    await signIn(page, 'yangguang-admin', 'yangguang-2026-pass');
    expect(await textOf(page.locator('.badge'))).toBe('已通过');
    await expectText(page, '机构已通过审核');
    await context.close();
  });

  it('keeps the input and explains a wrong credit code beside its field', async () => {
    const { context, page } = await newPage();
    await page.goto('/register');
    await page.getByLabel('机构名称').fill('校验码错误的机构');
    await page.getByLabel('统一社会信用代码').fill('52410621MJY000099A');
    await page.getByRole('button', { name: '提交注册' }).click();
    expect(await page.getByLabel('机构名称').inputValue()).toBe('校验码错误的机构');
    const field = page.locator('.field', { has: page.locator('#f-organization\\.creditCode') });
    expect(await textOf(field.locator('.err'))).toContain('统一社会信用代码校验码错误');
    await context.close();
  });
});

describe('pools, calls and publishing', () => {
  it('creates a pool and a call, corrects the rubric, publishes, and the public sees it', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'xun-officer');

    const poolName = '浚县2027年度困境儿童关爱服务资金';
    await page.goto('/officer/pools');
    await page.getByLabel('资金池名称').fill(poolName);
    await page.getByLabel('预算年度').fill('2027');
    await page.getByLabel('预算金额（元）').fill('800,000.00');
    await page.getByRole('checkbox', { name: '未成年人保护资金' }).check();
    await page.getByRole('button', { name: '创建资金池' }).click();
    await page.waitForURL('**/officer/pools?done=created');
    const row = page.locator('tr', { hasText: poolName });
    expect(await textOf(row)).toContain('¥800,000.00');

    await page.goto('/officer/calls/new');
    const title = '浚县2027年度困境儿童关爱服务采购项目';
    const poolId = await page.locator('#f-poolId option', { hasText: poolName }).getAttribute('value');
    await page.getByLabel('资金池').selectOption(poolId!);
    await page.getByLabel('项目名称').fill(title);
    await page.getByLabel('项目说明').fill('为全县困境儿童提供探访、个案和小组服务。');
    await page.locator('[name="lot.0.code"]').fill('1');
    await page.locator('[name="lot.0.name"]').fill('全县困境儿童关爱服务');
    await page.locator('[name="lot.0.ceiling"]').fill('300,000');
    const rows: [string, string, string, string][] = [
      ['服务方案', '需求分析', '30', '对困境儿童需求分析准确具体得 21–30 分。'],
      ['', '服务计划与产出', '30', '探访、个案、小组产出指标量化可核查得 21–30 分。'],
      ['团队与管理', '持证社工', '25', '每名持证社会工作者 5 分，最高 25 分。'],
    ];
    for (const [i, [group, name, points, criteria]] of rows.entries()) {
      if (group) await page.locator(`[name="ind.${i}.group"]`).fill(group);
      await page.locator(`[name="ind.${i}.name"]`).fill(name);
      await page.locator(`[name="ind.${i}.points"]`).fill(points);
      await page.locator(`[name="ind.${i}.criteria"]`).fill(criteria);
    }
    await page.getByRole('button', { name: '保存为草稿' }).click();

    // 85 + 10 price points: refused, precisely, with every typed value kept.
    const alert = page.getByRole('alert');
    expect(await textOf(alert)).toContain('各指标分值（85）与价格分（10）合计 95 分，应为 100 分');
    expect(await page.getByLabel('项目名称').inputValue()).toBe(title);
    expect(await page.locator('[name="ind.1.name"]').inputValue()).toBe('服务计划与产出');
    expect(await textOf(page.locator('#rubric-total'))).toContain('= 95 分');
    // The same message in English, once the visitor has switched language.
    await context.addCookies([{ name: 'gp_lang', value: 'en', url: p.url }]);
    await page.getByRole('button', { name: '保存为草稿' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain(
      'Indicator points (85) plus price points (10) total 95; they must total 100.',
    );
    await context.addCookies([{ name: 'gp_lang', value: 'zh', url: p.url }]);

    await page.locator('[name="ind.2.points"]').fill('20');
    await page.locator('[name="ind.3.name"]').fill('管理制度');
    await page.locator('[name="ind.3.points"]').fill('10');
    await page.locator('[name="ind.3.criteria"]').fill('财务、档案、安全制度齐全得 10 分。');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForURL(/\/officer\/calls\/[\w-]+\?done=created$/);
    await expectText(page, '已创建');
    expect(await textOf(page.locator('.badge').first())).toBe('草稿');

    // Drafts are not public.
    const anonymous = await context.browser()!.newContext({ baseURL: p.url });
    const visitor = await anonymous.newPage();
    await visitor.goto('/open-calls');
    expect(await textOf(visitor.locator('main'))).not.toContain(title);

    await page.getByRole('button', { name: '发布项目' }).click();
    await page.waitForURL(/\?done=published$/);
    expect(await textOf(page.locator('.badge').first())).toBe('已发布');

    // After publishing, a change needs an amendment reason.
    await page.getByLabel('项目名称').fill(`${title}（更正）`);
    await page.getByRole('button', { name: '发布更正' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('已发布项目的修改须说明理由');
    await page.getByLabel('更正理由').fill('项目名称补充“更正”字样以便区分。');
    await page.getByRole('button', { name: '发布更正' }).click();
    await page.waitForURL(/\?done=saved$/);
    await expectText(page, '更正公告');

    await visitor.goto('/open-calls');
    await visitor.getByRole('link', { name: `${title}（更正）` }).click();
    const detail = await textOf(visitor.locator('main'));
    expect(detail).toContain('¥300,000.00');
    expect(detail).toContain('需求分析');
    expect(detail).toContain('项目名称补充“更正”字样以便区分。');
    await anonymous.close();
    await context.close();
  });
});

describe('language', () => {
  it('switches the pages to English and back', async () => {
    const { context, page } = await newPage();
    await page.goto('/open-calls');
    expect(await textOf(page.locator('h1'))).toBe('公开项目');
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL('**/open-calls');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await textOf(page.locator('h1'))).toBe('Open calls');
    const nav = await textOf(page.locator('header'));
    expect(nav).toContain('Register an organization');
    expect(nav).toContain('Sign in');
    await page.goto('/sign-in');
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(1);
    await page.getByRole('link', { name: '中文' }).click();
    expect(await textOf(page.locator('h1'))).toBe('登录');
    await context.close();
  });
});

describe('CSRF', () => {
  it('refuses a form posted without its token', async () => {
    const { context, page } = await newPage();
    await signIn(page, 'xun-officer');
    await page.goto('/officer/users');
    await page.getByLabel('姓名').fill('钱专家');
    await page.getByLabel('用户名').fill('expert-qian');
    await page.getByLabel('密码').fill('expert-qian-2026');
    await page.locator('form[action="/officer/users"] input[name="_csrf"]').evaluate((el) => el.remove());
    await page.getByRole('button', { name: '创建账号' }).click();
    expect(await textOf(page.locator('h1'))).toBe('无权访问');
    await expectText(page, '表单已失效或并非来自本站');
    const direct = await page.request.post('/officer/users', {
      form: { name: '钱专家', username: 'expert-qian', password: 'expert-qian-2026', role: 'reviewer' },
      maxRedirects: 0,
    });
    expect(direct.status()).toBe(403);

    // With its token the same form works.
    await page.goto('/officer/users');
    await page.getByLabel('姓名').fill('钱专家');
    await page.getByLabel('用户名').fill('expert-qian');
    await page.getByLabel('密码').fill('expert-qian-2026');
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.waitForURL('**/officer/users?done=user-created');
    expect(await textOf(page.locator('tr', { hasText: 'expert-qian' }))).toContain('评审专家');
    await context.close();
  });
});
