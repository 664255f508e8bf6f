import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedCall } from '../support/awards';
import { type TestPlatform, testPlatform } from '../support/platform';
import { PageClient } from '../support/web';

/**
 * The working-day calendar as data (issue 8, items 1–5): the years 2004–2026 come with the
 * bootstrap; 2027 (test data below, not the State Council's) is published by one administrator
 * and confirmed by another; until then an award whose windows reach into 2027 is refused; once
 * confirmed, an award confirmed on 28 December 2026 gets its ends on 2027 working days, and a
 * later correction never moves them silently.
 */
let p: TestPlatform;
const at = (beijing: string) => p.clock.set(new Date(`${beijing}+08:00`));
const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;

/** Test data for 2027: 元旦 1 Jan, Monday 4 Jan off in exchange for Saturday 9 Jan worked. */
const NOTICE = {
  title: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
  number: '国办发明电〔2026〕T1号',
  date: '2026-11-05',
};
const ARRANGEMENT = {
  holidays: {
    '2027-01-01': 'newYear',
    '2027-01-02': 'newYear',
    '2027-01-03': 'newYear',
    '2027-01-04': 'newYear',
    '2027-02-05': 'springFestival',
    '2027-02-06': 'springFestival',
    '2027-02-07': 'springFestival',
    '2027-02-08': 'springFestival',
  },
  workdays: { '2027-01-09': 'newYear' },
  notice: NOTICE,
};

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-12-07T10:00:00+08:00') });
}, 60_000);
afterAll(() => p?.stop());

async function proposedAward() {
  const fx = await closedCall(p, 'venture', [
    {
      orgId: p.demo.orgs.qicai,
      orgName: '鹤壁七彩社会工作服务中心',
      requestedFen: 4_000_000,
      totals: [85, 86, 84],
    },
  ]);
  const res = await fx.propose(await p.signIn('xun-officer'));
  expect(res.status).toBe(201);
  return ((await res.json()) as { proposed: { id: string; version: number }[] }).proposed[0]!;
}

describe('the years the platform starts with', () => {
  it('2004–2026 are loaded by the bootstrap as confirmed version 1; 2027 is not there', async () => {
    const list = await json<{ items: { year: number; calendarVersion: number; origin: string }[] }>(
      await p.api('GET', '/admin/calendar?limit=100', { token: await p.signIn('admin') }),
    );
    expect(list.items.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    expect(list.items.every((y) => y.calendarVersion === 1 && y.origin === 'imported')).toBe(true);
    const y2026 = await json<{ arrangement: { holidays: Record<string, string> } }>(
      await p.api('GET', '/calendar/2026'),
    );
    expect(y2026.arrangement.holidays['2026-10-01']).toBe('nationalDay');
    expect((await p.api('GET', '/calendar/2027')).status).toBe(404);
  });

  it('the statutory draft of 2027 names the festivals only, with no swapped days', async () => {
    const draft = await json<{ holidays: Record<string, string>; workdays: Record<string, string> }>(
      await p.api('GET', '/admin/calendar/2027/draft', { token: await p.signIn('admin') }),
    );
    expect(draft.holidays['2027-02-05']).toBe('springFestival'); // 除夕
    expect(draft.holidays['2027-01-01']).toBe('newYear');
    expect(draft.workdays).toEqual({});
    expect((await p.api('GET', '/calendar/2027')).status).toBe(404); // a draft counts nothing
  });
});

describe('until 2027 is confirmed', () => {
  it('an award whose windows reach into 2027 is refused, naming the year and who must publish it', async () => {
    at('2026-12-28T10:00:00');
    const award = await proposedAward();
    const res = await p.api('POST', `/awards/${award.id}/confirm`, {
      token: await p.signIn('xun-officer-2'),
      body: { version: award.version },
    });
    expect(res.status).toBe(422);
    const problem = await json<{ type: string; year: number; detail: string; detailZh: string }>(res);
    expect(problem.type).toMatch(/working-calendar-unavailable/);
    expect(problem.year).toBe(2027);
    expect(problem.detail).toMatch(/2027.*platform administrator/);
    expect(problem.detailZh).toContain('系统管理员');
    const after = await json<{ status: string }>(
      await p.api('GET', `/awards/${award.id}`, { token: await p.signIn('xun-officer') }),
    );
    expect(after.status).toBe('proposed');
  });

  it("officers' and administrators' start pages warn from 1 November", async () => {
    at('2026-12-07T10:00:00');
    for (const user of ['xun-officer', 'admin']) {
      const page = new PageClient(p);
      await page.signIn(user, user === 'admin' ? 'admin-2026' : undefined);
      const html = await (await page.req('GET', '/home')).text();
      expect(html, user).toContain('calendar-warning');
      expect(html).toContain('2027');
    }
    at('2026-10-31T10:00:00');
    const page = new PageClient(p);
    await page.signIn('xun-officer');
    expect(await (await page.req('GET', '/home')).text()).not.toContain('calendar-warning');
  });
});

describe('publishing a year (four-eyes)', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['a date outside the year', { holidays: { '2026-12-31': 'newYear' } }, 'body.holidays.2026-12-31'],
    [
      'a day both off and worked',
      { holidays: { '2027-01-09': 'newYear' }, workdays: { '2027-01-09': 'newYear' } },
      'body.workdays.2027-01-09',
    ],
    [
      'a weekday as a swapped working day',
      { workdays: { '2027-01-06': 'newYear' } },
      'body.workdays.2027-01-06',
    ],
    ['an impossible date', { holidays: { '2027-02-30': 'springFestival' } }, 'body.holidays.2027-02-30'],
    ['an unknown festival', { holidays: { '2027-01-01': 'christmas' } }, 'body.holidays.2027-01-01'],
    [
      'a notice without its number',
      { notice: { title: NOTICE.title, date: NOTICE.date } },
      'body.notice.number',
    ],
    ['an unknown field', { colour: 'red' }, 'body'],
  ];
  for (const [what, change, field] of bad) {
    it(`refuses ${what} with 422 naming ${field}, and stores nothing`, async () => {
      const res = await p.api('POST', '/admin/calendar/2027/proposal', {
        token: await p.signIn('admin'),
        body: { holidays: {}, workdays: {}, notice: NOTICE, ...change },
      });
      expect(res.status).toBe(422);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
      const problem = await json<{ errors: { field: string }[] }>(res);
      expect(problem.errors.map((e) => e.field)).toContain(field);
      expect((await p.api('GET', '/admin/calendar/2027', { token: await p.signIn('admin') })).status).toBe(
        404,
      );
    });
  }

  it('malformed JSON is a 400 and stores nothing', async () => {
    const res = await p.api('POST', '/admin/calendar/2027/proposal', {
      token: await p.signIn('admin'),
      raw: '{"holidays":',
    });
    expect(res.status).toBe(400);
    expect((await p.api('GET', '/admin/calendar/2027', { token: await p.signIn('admin') })).status).toBe(404);
  });

  it('one administrator submits; the same one cannot confirm; a second confirms; then it counts', async () => {
    const submitted = await p.api('POST', '/admin/calendar/2027/proposal', {
      token: await p.signIn('admin'),
      body: ARRANGEMENT,
    });
    expect(submitted.status).toBe(200);
    const { record } = await json<{ record: { version: number; calendarVersion: number } }>(submitted);
    expect(record.calendarVersion).toBe(0);
    expect((await p.api('GET', '/calendar/2027')).status).toBe(404); // not in force yet

    const self = await p.api('POST', '/admin/calendar/2027/confirm', {
      token: await p.signIn('admin'),
      body: { version: record.version },
    });
    expect(self.status).toBe(403);
    expect((await json<{ type: string }>(self)).type).toMatch(/four-eyes/);

    const stale = await p.api('POST', '/admin/calendar/2027/confirm', {
      token: await p.signIn('admin-2'),
      body: { version: record.version + 5 },
    });
    expect(stale.status).toBe(409);

    const ok = await p.api('POST', '/admin/calendar/2027/confirm', {
      token: await p.signIn('admin-2'),
      body: { version: record.version },
    });
    expect(ok.status).toBe(200);
    const published = await json<{
      calendarVersion: number;
      arrangement: { workdays: Record<string, string> };
    }>(await p.api('GET', '/calendar/2027'));
    expect(published.calendarVersion).toBe(1);
    expect(published.arrangement.workdays).toEqual({ '2027-01-09': 'newYear' });

    // The year's audit chain holds the proposal and the confirmation.
    const chain = await json<{ items: { action: string }[]; verification: { ok: boolean } }>(
      await p.api('GET', `/audit/chains/${encodeURIComponent('CAL#2027')}`, {
        token: await p.signIn('xun-auditor'),
      }),
    );
    expect(chain.items.map((e) => e.action)).toEqual(['calendar.proposed', 'calendar.confirmed']);
    expect(chain.verification.ok).toBe(true);
  });

  it("the start page's warning is gone once next year is confirmed", async () => {
    at('2026-12-07T10:00:00');
    const page = new PageClient(p);
    await page.signIn('xun-officer');
    expect(await (await page.req('GET', '/home')).text()).not.toContain('calendar-warning');
  });
});

describe('an award confirmed on 28 December 2026', () => {
  let awardId = '';
  let version = 0;

  it('gets its notice and challenge ends on 2027 working days, with the calendar versions it used', async () => {
    at('2026-12-28T10:00:00');
    const award = await proposedAward();
    const res = await p.api('POST', `/awards/${award.id}/confirm`, {
      token: await p.signIn('xun-officer-2'),
      body: { version: award.version },
    });
    expect(res.status).toBe(200);
    const a = await json<{
      id: string;
      version: number;
      noticeWorkingDays: number;
      noticeEndsAt: string;
      challengeDeadline: string;
      calendarVersions: Record<string, number>;
    }>(res);
    // From Monday 28 Dec: 29, 30, 31, (1–4 Jan off), 5, 6, 7, 8 → 7 working days end Friday 8 Jan.
    expect(a.challengeDeadline).toBe('2027-01-08T16:00:00.000Z');
    const noticeEnds: Record<number, string> = { 5: '2027-01-06', 7: '2027-01-08' };
    expect(a.noticeEndsAt).toBe(new Date(`${noticeEnds[a.noticeWorkingDays]}T24:00:00+08:00`).toISOString());
    expect(a.calendarVersions).toEqual({ '2026': 1, '2027': 1 });
    awardId = a.id;
    version = a.version;
  });

  it('a correction lists the open windows it would change and needs a reason; confirming it moves nothing by itself', async () => {
    // The correction: Monday 4 Jan becomes a working day again, Saturday 9 Jan an ordinary Saturday.
    const corrected = {
      ...ARRANGEMENT,
      holidays: { ...ARRANGEMENT.holidays, '2027-01-04': undefined },
      workdays: {},
    };
    delete (corrected.holidays as Record<string, unknown>)['2027-01-04'];
    const current = await json<{ record: { version: number } }>(
      await p.api('GET', '/admin/calendar/2027', { token: await p.signIn('admin') }),
    );
    const noReason = await p.api('POST', '/admin/calendar/2027/proposal', {
      token: await p.signIn('admin'),
      body: { ...corrected, version: current.record.version },
    });
    expect(noReason.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(noReason)).errors.map((e) => e.field)).toContain(
      'body.reason',
    );

    const proposed = await p.api('POST', '/admin/calendar/2027/proposal', {
      token: await p.signIn('admin'),
      body: { ...corrected, version: current.record.version, reason: '通知更正：1月4日正常上班' },
    });
    expect(proposed.status).toBe(200);
    const { record, affected } = await json<{
      record: { version: number };
      affected: {
        awardId: string;
        current: { challengeDeadline: string };
        proposed: { challengeDeadline: string };
      }[];
    }>(proposed);
    expect(affected).toEqual([
      expect.objectContaining({
        awardId,
        current: expect.objectContaining({ challengeDeadline: '2027-01-08T16:00:00.000Z' }),
        proposed: expect.objectContaining({ challengeDeadline: '2027-01-07T16:00:00.000Z' }),
      }),
    ]);
    // What the administrator sees of the award: no scores, no money.
    expect(JSON.stringify(affected)).not.toMatch(/totalCenti|amountFen|priceScore/);

    const confirmed = await p.api('POST', '/admin/calendar/2027/confirm', {
      token: await p.signIn('admin-2'),
      body: { version: record.version },
    });
    expect(confirmed.status).toBe(200);
    expect((await json<{ reviews: number }>(confirmed)).reviews).toBe(1);
    expect(
      (await json<{ calendarVersion: number }>(await p.api('GET', '/calendar/2027'))).calendarVersion,
    ).toBe(2);

    const officer = await p.signIn('xun-officer');
    const still = await json<{ challengeDeadline: string; calendarVersions: Record<string, number> }>(
      await p.api('GET', `/awards/${awardId}`, { token: officer }),
    );
    expect(still.challengeDeadline).toBe('2027-01-08T16:00:00.000Z');
    expect(still.calendarVersions['2027']).toBe(1);
    const versions = await json<{ versions: { calendarVersion: number }[] }>(
      await p.api('GET', '/admin/calendar/2027', { token: await p.signIn('admin') }),
    );
    expect(versions.versions.map((v) => v.calendarVersion)).toEqual([2, 1]);
  });

  it("the officer's start page lists the window; applying recomputes it with version 2, once", async () => {
    const page = new PageClient(p);
    await page.signIn('xun-officer');
    const html = await (await page.req('GET', '/home')).text();
    expect(html).toContain(`/officer/awards/${awardId}/windows`);

    const officer = await p.signIn('xun-officer');
    const yc = await p.signIn('yc-officer');
    const foreign = await p.api('POST', `/awards/${awardId}/windows`, {
      token: yc,
      body: { version, decision: 'apply' },
    });
    expect(foreign.status).toBe(404);
    const res = await p.api('POST', `/awards/${awardId}/windows`, {
      token: officer,
      body: { version, decision: 'apply' },
    });
    expect(res.status).toBe(200);
    const a = await json<{
      challengeDeadline: string;
      calendarVersions: Record<string, number>;
      version: number;
    }>(res);
    expect(a.challengeDeadline).toBe('2027-01-07T16:00:00.000Z');
    expect(a.calendarVersions).toEqual({ '2026': 1, '2027': 2 });
    const again = await p.api('POST', `/awards/${awardId}/windows`, {
      token: officer,
      body: { version: a.version, decision: 'apply' },
    });
    expect(again.status).toBe(404);
  });
});

describe('administrators', () => {
  it('create an officer for any jurisdiction, who can sign in; disabling stops sign-in and refresh', async () => {
    const res = await p.api('POST', '/admin/users', {
      token: await p.signIn('admin'),
      body: {
        username: 'xixia-officer',
        password: 'xixia-officer-pw',
        name: '西夏区 官员',
        role: 'officer',
        jurisdictionId: '640105',
      },
    });
    expect(res.status).toBe(201);
    const user = await json<{ id: string; version: number; jurisdictionPath: string }>(res);
    expect(user.jurisdictionPath).toBe('640100/640105/');
    const signIn = await p.api('POST', '/auth/sign-in', {
      body: { username: 'xixia-officer', password: 'xixia-officer-pw' },
    });
    expect(signIn.status).toBe(200);
    const { refreshToken } = await json<{ refreshToken: string }>(signIn);

    const self = await p.api('GET', '/admin/users?jurisdictionId=platform', {
      token: await p.signIn('admin'),
    });
    const me = (await json<{ items: { id: string; username: string; version: number }[] }>(self)).items.find(
      (u) => u.username === 'admin',
    )!;
    const own = await p.api('POST', `/admin/users/${me.id}/disable`, {
      token: await p.signIn('admin'),
      body: { version: me.version },
    });
    expect(own.status).toBe(409);

    const disabled = await p.api('POST', `/admin/users/${user.id}/disable`, {
      token: await p.signIn('admin'),
      body: { version: user.version },
    });
    expect(disabled.status).toBe(200);
    expect((await json<{ status: string }>(disabled)).status).toBe('disabled');
    expect(
      (
        await p.api('POST', '/auth/sign-in', {
          body: { username: 'xixia-officer', password: 'xixia-officer-pw' },
        })
      ).status,
    ).toBe(401);
    expect((await p.api('POST', '/auth/refresh', { body: { refreshToken } })).status).toBe(401);
    const stale = await p.api('POST', `/admin/users/${user.id}/enable`, {
      token: await p.signIn('admin'),
      body: { version: user.version },
    });
    expect(stale.status).toBe(409);
    const enabled = await p.api('POST', `/admin/users/${user.id}/enable`, {
      token: await p.signIn('admin'),
      body: { version: user.version + 1 },
    });
    expect(enabled.status).toBe(200);
  });

  it('refuse an officer without a known jurisdiction (404) and bad input (422), creating nothing', async () => {
    const unknown = await p.api('POST', '/admin/users', {
      token: await p.signIn('admin'),
      body: {
        username: 'nobody-officer',
        password: 'nobody-officer-pw',
        name: 'X',
        role: 'officer',
        jurisdictionId: '999999',
      },
    });
    expect(unknown.status).toBe(404);
    const bad = await p.api('POST', '/admin/users', {
      token: await p.signIn('admin'),
      body: { username: 'x', password: 'short', name: '', role: 'auditor' },
    });
    expect(bad.status).toBe(422);
    expect(
      (
        await p.api('POST', '/auth/sign-in', {
          body: { username: 'nobody-officer', password: 'nobody-officer-pw' },
        })
      ).status,
    ).toBe(401);
  });

  it('read no submission, score, ledger or bank detail', async () => {
    for (const path of [
      '/submissions',
      `/calls/${p.demo.calls.purchase}/submissions`,
      `/calls/${p.demo.calls.purchase}/ranking`,
      `/calls/${p.demo.calls.purchase}/sheets`,
      '/ledger',
      '/disbursements',
      '/contracts',
      '/reports',
      '/audit/verify',
    ]) {
      const res = await p.api('GET', path, { token: await p.signIn('admin') });
      expect(res.status, path).toBe(403);
    }
  });
});
