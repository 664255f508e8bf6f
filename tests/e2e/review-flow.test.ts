import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../shared/calls/model';
import { ReviewRepository } from '../../shared/reviews/repository';
import { launchChromium } from '../support/browser';
import { type TestPlatform, testPlatform } from '../support/platform';
import { publishedCall, usernameOf } from '../support/reviews';
import { approvedApplicant } from '../support/web';

/**
 * The review flow through the pages, in Debian's Chromium: two organizations bid through the
 * form, the officer screens them and draws the panel after the deadline, two drawn members score
 * on the sheet, the officer sees the ranking and proposes, a second officer confirms, and the
 * public notice shows the winner. Only the call is set up through the services.
 *
 * Set SCREENSHOT_DIR to keep a PNG of each key page.
 */
let p: TestPlatform;
let browser: Browser;
let call: Call;
let other: Awaited<ReturnType<typeof approvedApplicant>>;

// Inside 2026: the working-day calendar (notice and challenge windows) covers up to 2026.
const START = new Date('2026-06-01T02:00:00Z');

beforeAll(async () => {
  [p, browser] = await Promise.all([testPlatform({ start: START }), launchChromium()]);
  call = await publishedCall(p, 1);
  other = await approvedApplicant(p, '浚县同心社会工作服务中心');
});
afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

// biome-ignore lint/performance/useDomNodeTextContent: a Playwright Locator method, run in the browser.
const textOf = (l: Locator) => l.innerText();
const mainText = (page: Page) => textOf(page.locator('main'));

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

async function session(username: string, password = `${username}-2026`) {
  const context = await browser.newContext({ baseURL: p.url, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL('**/home');
  return { context, page };
}

/** Fills the bid form: lot, price and budget lines (rows of the table). */
async function fillBid(page: Page, price: string, lines: [string, string][], proposal: string) {
  await page.getByLabel('投标标包').selectOption('1');
  await page.getByLabel('投标报价（元）').fill(price);
  for (const [i, [item, amount]] of lines.entries()) {
    await page.locator(`[name="bl.${i}.item"]`).fill(item);
    await page.locator(`[name="bl.${i}.amount"]`).fill(amount);
  }
  await page.getByLabel('服务方案').fill(proposal);
}

describe('submit → screen → score → rank → propose → confirm → notice', () => {
  it('runs the whole review through the pages', async () => {
    // 1. 七彩 bids through the form; a budget that does not add up is refused beside its field.
    const qicai = await session('qicai-applicant');
    let page = qicai.page;
    await page.goto(`/open-calls/${call.id}`);
    await page.getByRole('link', { name: '投标', exact: true }).click();
    await page.waitForURL(/\/applicant\/submissions\/new\?call=/);
    await fillBid(
      page,
      '520,000.00',
      [
        ['社工人员薪酬（12 名持证社工）', '364,000.00'],
        ['活动、培训与督导', '150,000.00'],
      ],
      '按镇（街道）开展困难群众排查探访、个案与小组工作、社区活动，每月督导一次。',
    );
    await page.getByRole('button', { name: '保存并递交' }).click();
    const budget = page.locator('#f-budgetLines');
    expect(await textOf(budget.locator('.err'))).toContain(
      '预算明细合计 ¥514,000.00（51400000 分），与报价 ¥520,000.00（52000000 分）不一致',
    );
    expect(await page.locator('[name="bl.1.amount"]').inputValue()).toBe('150,000.00');
    expect(await page.getByLabel('投标报价（元）').inputValue()).toBe('520,000.00');
    await shot(page, '1-bid-error');
    await page.locator('[name="bl.1.amount"]').fill('156,000.00');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.waitForURL(/\/applicant\/submissions\/[\w-]+\?done=created$/);

    // An attachment, relayed by the page to the presigned URL; then submit with a receipt.
    await page.getByLabel('附件文件').setInputFiles({
      name: '服务方案.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% service plan\n%%EOF\n'),
    });
    await page.getByRole('button', { name: '上传附件' }).click();
    await page.waitForURL(/\?done=uploaded/);
    expect(await mainText(page)).toContain('服务方案.pdf');
    await page.getByRole('button', { name: '保存并递交' }).click();
    await page.waitForURL(/\?done=submitted$/);
    const receipt = await textOf(page.locator('#receipts + .table-wrap'));
    expect(receipt).toMatch(/[0-9a-f]{64}/);
    expect(receipt).toContain('2026-06-01 10:');
    await shot(page, '2-receipt');
    await page.goto('/applicant/submissions');
    expect(await mainText(page)).toContain('已递交');
    await qicai.context.close();

    // 2. Another approved organization bids too.
    const tongxin = await session(other.username, other.password);
    page = tongxin.page;
    await page.goto(`/applicant/submissions/new?call=${call.id}`);
    await fillBid(page, '550,000', [['全年运营服务', '550,000']], '以社区为本，驻站开展服务。');
    await page.getByRole('button', { name: '保存并递交' }).click();
    await page.waitForURL(/\?done=submitted$/);
    await tongxin.context.close();

    // 3. Past the deadline the officer screens both eligible and draws the panel.
    p.clock.set(new Date(Date.parse(call.periods.deadline) + 60_000));
    const officer = await session('xun-officer');
    page = officer.page;
    await page.goto(`/officer/calls/${call.id}`);
    await page.getByRole('link', { name: '评审与中标' }).click();
    await page.waitForURL(/\/review$/);
    for (const org of ['鹤壁七彩社会工作服务中心', other.orgName]) {
      await page
        .getByRole('form', { name: `${org} 资格审查` })
        .getByRole('button', { name: '保存结论' })
        .click();
      await page.waitForURL(/done=screened/);
    }
    expect(await mainText(page)).toContain('共 2 份，符合资格 2 份，待审查 0 份');
    await page.getByRole('button', { name: '随机抽取评审委员会' }).click();
    await page.waitForURL(/done=drawn/);
    const panelText = await textOf(page.locator('#panel + section'));
    expect(panelText).toMatch(/抽取种子\s+[0-9a-f]{32}/);
    expect(panelText).toContain('陈专家'); // affiliated with 七彩: excluded, and shown as such
    await shot(page, '3-screened-and-drawn');

    // 4. Two drawn members score both bids on the sheet (the live total follows the typing).
    const panel = (await new ReviewRepository(p.deps.doc, p.deps.config.tableName).panel(call.id))!;
    const members = panel.members.slice(0, 2).map((m) => usernameOf(p, m.userId));
    const scores: Record<string, number[]> = {
      鹤壁七彩社会工作服务中心: [14, 22, 13, 9, 13, 8],
      [other.orgName]: [11, 18, 10, 8, 12, 6],
    };
    for (const [k, username] of members.entries()) {
      const member = await session(username);
      page = member.page;
      for (const [org, points] of Object.entries(scores)) {
        await page.goto('/reviewer');
        await page.getByRole('link', { name: org }).click();
        await page.waitForURL(/\/reviewer\/submissions\//);
        for (const [i, n] of points.entries())
          await page.locator(`[name="score.T${i + 1}"]`).fill(String(n - k));
        const total = points.reduce((s, n) => s + n - k, 0);
        expect(await textOf(page.locator('#sheet-total'))).toBe(total.toFixed(2));
        if (k === 0 && org === other.orgName) await shot(page, '4-sheet');
        await page.getByRole('button', { name: '提交评分表' }).click();
        await page.waitForURL(/done=sheet-submitted/);
        expect(await mainText(page)).toContain('评分表已提交并锁定');
      }
      await member.context.close();
    }

    // 5. The officer sees the ranking and proposes; the proposer's own confirmation is refused.
    page = officer.page;
    await page.goto(`/officer/calls/${call.id}/review`);
    const rows = page.locator('#ranking-table tbody tr');
    expect(await rows.count()).toBe(2);
    const first = await textOf(rows.first());
    expect(first).toContain('鹤壁七彩社会工作服务中心');
    expect(first).toContain('10.00'); // the lowest eligible price gets the full price points
    expect(await textOf(rows.nth(1))).toContain('9.45'); // 520,000 / 550,000 × 10
    await shot(page, '5-ranking');
    await page.getByRole('button', { name: '按排名提出中标（立项）建议' }).click();
    await page.waitForURL(/done=proposed/);
    await page.getByRole('button', { name: '确认并公示' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain(
      '提出中标（立项）建议的人员不能自行确认，须由另一名工作人员确认',
    );
    await officer.context.close();

    // 6. A second officer confirms.
    const second = await session('xun-officer-2');
    page = second.page;
    await page.goto(`/officer/calls/${call.id}/review`);
    const award = page.locator('section[id^="award-"]');
    expect(await textOf(award)).toContain('浚县民政局 项目官员'); // who proposed
    await award.getByRole('button', { name: '确认并公示' }).click();
    await page.waitForURL(/done=confirmed/);
    expect(await textOf(page.locator('section[id^="award-"]'))).toContain('公示中');
    await shot(page, '6-confirmed');
    await second.context.close();

    // 7. The public notice shows the winner, the amount and the windows in Beijing time.
    const anonymous = await browser.newContext({ baseURL: p.url, locale: 'zh-CN' });
    page = await anonymous.newPage();
    await page.goto('/notices');
    const row = page.locator('tr', { hasText: '鹤壁七彩社会工作服务中心' });
    expect(await textOf(row)).toContain('¥520,000.00');
    await row.getByRole('link').click();
    const notice = await mainText(page);
    expect(notice).toContain('中标机构');
    expect(notice).toContain('总分');
    expect(notice).toMatch(/质疑截止\s+2026-06-\d\d \d\d:\d\d（北京时间）/);
    await shot(page, '7-notice');
    await anonymous.close();
  });
});
