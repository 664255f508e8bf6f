import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * Issue 8, item 10 (browser): on 7 December 2026 an officer's start page warns that 2027 is not
 * published; an administrator opens the 2027 draft (statutory days only), corrects it to the notice
 * (test data: the 调休 of New Year), is refused a weekday as a swapped working day, submits; the
 * same administrator cannot confirm; a second one does; the officer's warning is gone.
 *
 * Set SCREENSHOT_DIR to keep a PNG of each key page.
 */
let p: TestPlatform;
let browser: Browser;

beforeAll(async () => {
  [p, browser] = await Promise.all([
    testPlatform({ start: new Date('2026-12-07T10:00:00+08:00') }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await p?.stop();
});

// biome-ignore lint/performance/useDomNodeTextContent: a Playwright Locator method, run in the browser.
const textOf = (l: Locator) => l.innerText();

const PASSWORDS: Record<string, string> = { admin: 'admin-2026', 'admin-2': 'admin-2-2026' };

async function session(username: string) {
  const context = await browser.newContext({ baseURL: p.url, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORDS[username] ?? `${username}-2026`);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL('**/home');
  return { context, page };
}

async function shot(page: Page, name: string) {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: `${dir}/calendar-${name}.png`, fullPage: true });
}

describe('publishing 2027 through the pages', () => {
  it('draft → correct → submit → a second administrator confirms → the warning is gone', async () => {
    const officer = await session('xun-officer');
    expect(await textOf(officer.page.locator('#calendar-warning'))).toContain('2027');

    const a = await session('admin');
    expect(await a.page.locator('#calendar-warning').count()).toBe(1);
    await a.page.getByRole('link', { name: '发布 2027 年安排' }).click();
    await a.page.waitForURL('**/system/calendar/2027');
    const holidays = a.page.getByLabel(/放假日期/);
    // The draft: the statutory days, 除夕 included, and no swapped working day.
    expect(await holidays.inputValue()).toMatch(/2027-02-05 春节/);
    expect(await a.page.getByLabel(/调休上班日期/).inputValue()).toBe('');
    await shot(a.page, 'draft');

    await a.page.getByLabel('通知文号').fill('国办发明电〔2026〕T1号');
    await a.page.getByLabel('通知日期').fill('2026-11-05');
    await holidays.fill(`${await holidays.inputValue()}\n2027-01-02 元旦\n2027-01-03 元旦\n2027-01-04 元旦`);
    // A weekday cannot be a swapped working day: refused beside the field, nothing stored.
    await a.page.getByLabel(/调休上班日期/).fill('2027-01-06 元旦');
    await a.page.getByRole('button', { name: /提交，等待另一名管理员确认/ }).click();
    expect(await textOf(a.page.locator('.err').first())).toContain('2027-01-06');
    expect((await p.api('GET', '/admin/calendar/2027', { token: await p.signIn('admin') })).status).toBe(404);

    await a.page.getByLabel(/调休上班日期/).fill('2027-01-09 元旦');
    await a.page.getByRole('button', { name: /提交，等待另一名管理员确认/ }).click();
    await a.page.waitForURL('**/system/calendar/2027?done=calendar-proposed');
    expect(await textOf(a.page.locator('main'))).toContain('您提交的安排须由另一名系统管理员确认');
    expect(await a.page.getByRole('button', { name: '确认生效' }).count()).toBe(0);
    await shot(a.page, 'submitted');

    const b = await session('admin-2');
    await b.page.goto('/system/calendar/2027');
    await b.page.getByRole('button', { name: '确认生效' }).click();
    await b.page.waitForURL('**/system/calendar/2027?done=calendar-confirmed');
    expect(await textOf(b.page.locator('main'))).toContain('已确认 第1版');
    await shot(b.page, 'confirmed');

    const published = (await (await p.api('GET', '/calendar/2027')).json()) as {
      arrangement: { holidays: Record<string, string>; workdays: Record<string, string> };
    };
    expect(published.arrangement.workdays).toEqual({ '2027-01-09': 'newYear' });
    expect(published.arrangement.holidays['2027-01-04']).toBe('newYear');

    await officer.page.goto('/home');
    expect(await textOf(officer.page.locator('main'))).toContain('机构审核');
    expect(await officer.page.locator('#calendar-warning').count()).toBe(0);
    await shot(officer.page, 'officer-home');
    for (const s of [officer, a, b]) await s.context.close();
  });
});
