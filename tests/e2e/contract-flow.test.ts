import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { AWARD_START, type FinalAward, finalAward, YUAN } from '../support/contracts';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * A contract's whole cycle through the pages, in Debian's Chromium: the officer signs the contract
 * of a final award, the provider files a milestone report (a breakdown that does not add up is
 * refused first, beside its row), the officer approves it and records the mid-term evaluation,
 * then requests the signing and the mid-term tranches; finance approves and records both payments,
 * and the ledger shows them and the pool's disbursed total. Only the final award is set up
 * through the services (a fixed 2026 clock: the working-day calendar covers 2026).
 *
 * Set SCREENSHOT_DIR to keep a PNG of each key page.
 */
let p: TestPlatform;
let browser: Browser;
let fa: FinalAward;

const ORG = '鹤壁七彩社会工作服务中心';
/** ¥80,000 at 40 / 30 / 30: ¥32,000 on signing, ¥24,000 after the mid-term evaluation. */
const AMOUNT = 80_000 * YUAN;

beforeAll(async () => {
  [p, browser] = await Promise.all([testPlatform({ start: AWARD_START }), launchChromium()]);
  fa = await finalAward(p, 'venture', {
    amountFen: AMOUNT,
    paymentTemplate: [
      { milestone: 'signing', percent: 40 },
      { milestone: 'midterm', percent: 30 },
      { milestone: 'final', percent: 30 },
    ],
  });
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
  if (dir) await page.screenshot({ path: `${dir}/contract-${name}.png`, fullPage: true });
}

async function session(username: string) {
  const context = await browser.newContext({ baseURL: p.url, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(`${username}-2026`);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL('**/home');
  return { context, page };
}

/** Fills the report form's figures (the category cells only where given). */
async function fillReport(page: Page, visits: { total: string; by?: string[] }) {
  const cats = ['minimumLiving', 'extremePoverty', 'childrenInDifficulty', 'disabled', 'other'];
  await page.locator('[name="visits.total"]').fill(visits.total);
  for (const [i, c] of cats.entries())
    await page.locator(`[name="visits.by.${c}"]`).fill(visits.by?.[i] ?? '');
  for (const [name, v] of [
    ['cases.total', '5'],
    ['groups.total', '2'],
    ['activities.total', '10'],
    ['peopleServed.total', '55'],
    ['training.sessions', '2'],
    ['training.hours', '12'],
    ['supervision.sessions', '3'],
    ['supervision.hours', '6'],
  ] as const)
    await page.locator(`[name="${name}"]`).fill(v);
  await page.getByLabel('链接资源金额（元）').fill('6,500.00');
  await page
    .getByLabel('服务情况说明')
    .fill('本月入户探访困难群众，跟进个案 5 个，开展小组 2 个、社区活动 10 场。');
}

describe('contract → report → evaluation → two payments → ledger', () => {
  it('runs a contract cycle through the pages', async () => {
    // 1. The officer finds the final award among those awaiting a contract and signs it.
    const officer = await session('xun-officer');
    let page = officer.page;
    await page.goto('/officer/contracts');
    await page.getByRole('link', { name: `签订合同：${ORG}` }).click();
    await page.waitForURL(/\/officer\/awards\/[^/]+\/contract$/);
    expect(await mainText(page)).toContain('¥80,000.00');
    await page.getByRole('button', { name: '签订合同' }).click();
    await page.waitForURL(/\/officer\/contracts\/ct-[^?]+\?done=signed$/);
    const contractUrl = page.url().replace(/\?.*$/, '');
    const signing = page.locator('#tranche-signing');
    expect(await textOf(signing)).toContain('¥32,000.00');
    expect(await textOf(signing)).toContain('可申请拨付');
    expect(await textOf(page.locator('#tranche-midterm'))).toContain('未到期');
    await shot(page, '1-signed');

    // 2. The provider files a mid-term report; a breakdown that does not add up is refused first.
    const applicant = await session('qicai-applicant');
    page = applicant.page;
    await page.goto('/applicant/contracts');
    await page.getByRole('link', { name: fa.call.title }).click();
    expect(await textOf(page.locator('#tranches'))).toContain('可申请拨付');
    await page.getByRole('link', { name: '提交报告' }).click();
    await page.waitForURL(/\/reports\/new$/);
    await fillReport(page, { total: '120', by: ['80', '10', '15', '5', '20'] });
    await page.getByRole('button', { name: '提交报告' }).click();
    expect(await textOf(page.getByRole('alert'))).toContain('探访按类别合计 130 次，与总数 120 次不一致');
    expect(await page.locator('[name="visits.by.other"]').inputValue()).toBe('20');
    await shot(page, '2-report-error');
    await page.locator('[name="visits.by.other"]').fill('10');
    await page.getByRole('button', { name: '提交报告' }).click();
    await page.waitForURL(/\/applicant\/reports\/[^?]+\?done=filed$/);
    expect(await mainText(page)).toContain('待审核');
    await applicant.context.close();

    // 3. The officer approves it from the review queue.
    page = officer.page;
    await page.goto('/officer/reports');
    await page.locator('#reports a').first().click();
    await page.waitForURL(/\/officer\/reports\/[^?]+$/);
    expect(await textOf(page.locator('#figures'))).toContain('120');
    await page.getByRole('button', { name: '通过', exact: true }).click();
    await page.waitForURL(/done=report-approved$/);
    expect(await mainText(page)).toContain('已通过');

    // 4. The mid-term evaluation: outputs prefilled from the report, a calculation, then recorded.
    await page.goto(contractUrl);
    await page.getByRole('link', { name: '记录中期评估' }).click();
    await page.waitForURL(/\/evaluations\/new\?stage=midterm$/);
    const outputs = await textOf(page.locator('#outputs-table'));
    expect(outputs).toContain('120.00%'); // 120 visits against a target of 100
    for (const [id, points] of Object.entries({
      D1: '5',
      D2: '4.5',
      D3: '5',
      P1: '12',
      P2: '12.5',
      B1: '9',
      B2: '9',
    }))
      await page.locator(`[name="pt.${id}"]`).fill(points);
    await page.getByRole('button', { name: '试算得分' }).click();
    const preview = await textOf(page.locator('#preview'));
    expect(preview).toMatch(/试算总分 \d+\.\d\d 分，等级：(优|良)/);
    await shot(page, '3-evaluation');
    await page.getByRole('button', { name: '记录评价' }).click();
    await page.waitForURL(/done=evaluated/);
    expect(await textOf(page.locator('#evaluation-midterm'))).toMatch(/中期评估：\d+\.\d\d 分 · (优|良)/);
    expect(await textOf(page.locator('#tranche-midterm'))).toContain('可申请拨付');

    // 5. Payment requests for the signing and the mid-term tranches.
    for (const tranche of ['签约后（首付款）', '中期评估后（中期款）']) {
      await page
        .getByRole('form', { name: `申请拨付：${tranche}` })
        .getByRole('button')
        .click();
      await page.waitForURL(/done=requested/);
    }
    expect(await textOf(page.locator('#tranche-signing'))).toContain('已申请，待财务审批');
    expect(await textOf(page.locator('#tranche-midterm'))).toContain('已申请，待财务审批');
    await shot(page, '4-requested');
    await officer.context.close();

    // 6. Finance approves and records both payments.
    const finance = await session('xun-finance');
    page = finance.page;
    for (const [i, ref] of ['BOC20261001-0001', 'BOC20261001-0002'].entries()) {
      await page.goto('/finance/disbursements');
      const rows = page.locator('#disbursements tbody tr');
      expect(await rows.count()).toBe(2 - i);
      await rows.first().getByRole('link').click();
      await page.getByRole('button', { name: '审批通过' }).click();
      await page.waitForURL(/done=payment-approved$/);
      await page.getByLabel('银行流水号').fill(ref);
      await page.getByRole('button', { name: '登记支付' }).click();
      await page.waitForURL(/done=paid$/);
      expect(await mainText(page)).toContain(ref);
    }

    // 7. The ledger shows both payments and the pool's disbursed total.
    await page.goto('/finance/ledger');
    const payments = await textOf(page.locator('#disbursements'));
    expect(payments).toContain('¥32,000.00');
    expect(payments).toContain('¥24,000.00');
    expect(payments).toContain('BOC20261001-0001');
    expect(payments).toContain('BOC20261001-0002');
    expect(await textOf(page.locator(`#pool-${fa.poolId} .disbursed`))).toBe('¥56,000.00');
    expect(await textOf(page.locator('#total-disbursed'))).toBe('¥56,000.00');
    expect(await page.locator('#chart-pools svg').count()).toBe(1);
    await shot(page, '5-ledger');
    await finance.context.close();
  });
});
