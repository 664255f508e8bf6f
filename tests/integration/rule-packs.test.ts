import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purchaseCall, ventureCall } from '../../infra/local/seed';
import { closedCall } from '../support/awards';
import { type TestPlatform, testPlatform } from '../support/platform';
import { PageClient } from '../support/web';

/**
 * Rule packs (issue 8, items 8 and 9) through the API: the national pack loaded by the bootstrap,
 * a local pack published by one administrator and confirmed by another, the minimum period from
 * publication to the deadline (a two-minute tender is refused), a call judged by the pack
 * versions it was published under, a challenge's answer deadline (7 working days, 94号令 第十三条)
 * and its overdue flag, and a pool budget computed from the source amount by a set-aside rule.
 *
 * The clock starts on Thursday 17 September 2026 (Sunday 20 Sep is a 调休 working day, Friday
 * 25 Sep 中秋 is off).
 */
let p: TestPlatform;
const DAY = 86_400_000;
const json = async <T = Record<string, unknown>>(res: Response) => (await res.json()) as T;
const at = (beijing: string) => p.clock.set(new Date(`${beijing}+08:00`));
const inDays = (d: number, hours = 0) =>
  new Date(p.clock.now.getTime() + d * DAY + hours * 3600_000).toISOString();
const periods = (deadline: string) => ({
  enquiryStartsAt: p.clock.now.toISOString(),
  enquiryEndsAt: deadline,
  submissionOpensAt: p.clock.now.toISOString(),
  deadline,
});

/** 银川市's local pack (test data, not a real city rule): tighter open-tender period, higher price share, a set-aside. */
const localRules = (openTenderDays: number) => [
  {
    id: 'yc-open-tender',
    kind: 'min-period',
    subject: 'open-tender',
    days: openTenderDays,
    unit: 'calendar',
    citation: {
      source: '银川市政府购买社会工作服务实施办法（测试数据）',
      article: '第十二条',
      excerpt: `公开招标的，自招标文件发出之日起至投标截止之日止不得少于${openTenderDays}日。`,
    },
  },
  {
    id: 'yc-venture',
    kind: 'min-period',
    subject: 'venture',
    days: 10,
    unit: 'calendar',
    citation: {
      source: '银川市公益创投项目管理办法（测试数据）',
      article: '第八条',
      excerpt: '申报期不少于10日。',
    },
  },
  {
    id: 'yc-county-set-aside',
    kind: 'set-aside',
    source: 'county-social-assistance',
    basisPoints: 300,
    citation: {
      source: '银川市社会工作人才政策（测试数据）',
      article: '第五条',
      excerpt: '各县（区）按社会救助资金的3%安排购买社会工作服务资金。',
    },
  },
];

let admin: string;
let admin2: string;

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
  admin = await p.signIn('admin');
  admin2 = await p.signIn('admin-2');
}, 60_000);
afterAll(() => p?.stop());

interface PackJson {
  packId: string;
  packVersion: number;
  version: number;
  proposal?: { submittedBy: string };
}

describe('the national pack', () => {
  it('is loaded by the bootstrap as version 1; officers read it with its articles, applicants may not', async () => {
    const officer = await p.signIn('xun-officer');
    const list = await json<{ items: PackJson[] }>(await p.api('GET', '/rule-packs', { token: officer }));
    expect(list.items).toContainEqual(expect.objectContaining({ packId: 'national', packVersion: 1 }));
    const detail = await json<{
      versions: {
        packVersion: number;
        rules: { id: string; days?: number; citation: { article: string; source: string } }[];
      }[];
    }>(await p.api('GET', '/rule-packs/national', { token: officer }));
    const rules = detail.versions[0]!.rules;
    expect(rules.find((r) => r.id === 'period-open-tender')).toMatchObject({
      days: 20,
      citation: { source: '中华人民共和国政府采购法', article: '第三十五条' },
    });
    expect(rules.find((r) => r.id === 'challenge-answer')?.citation.article).toBe('第十三条');
    expect((await p.api('GET', '/rule-packs', { token: await p.signIn('qicai-applicant') })).status).toBe(
      403,
    );
    expect((await p.api('GET', '/rule-packs/410699', { token: officer })).status).toBe(404);
  });
});

describe('publishing a local pack (four-eyes)', () => {
  it('refuses bad input with 422 and stores nothing', async () => {
    const loosening = await p.api('POST', '/admin/rule-packs/640100/proposal', {
      token: admin,
      body: {
        title: '银川市规则包',
        rules: [
          {
            id: 'yc-price',
            kind: 'min-price-share',
            category: 'services',
            percent: 5,
            citation: { source: '测试', article: '第一条', excerpt: '价格分不低于5%。' },
          },
        ],
      },
    });
    expect(loosening.status).toBe(422);
    const body = await json<{ errors: { field: string; message: string }[] }>(loosening);
    expect(body.errors[0]).toMatchObject({ field: 'body.rules.0' });
    expect(body.errors[0]!.message).toMatch(/never loosen.*财政部令第87号第五十五条/);

    const malformed = await p.api('POST', '/admin/rule-packs/640100/proposal', {
      token: admin,
      body: {
        title: '银川市规则包',
        rules: [{ id: 'x', kind: 'min-period', subject: 'open-tender', days: 0, unit: 'weeks' }],
      },
    });
    expect(malformed.status).toBe(422);
    const duplicate = await p.api('POST', '/admin/rule-packs/640100/proposal', {
      token: admin,
      body: { title: '银川市规则包', rules: [localRules(25)[0], localRules(30)[0]] },
    });
    expect(duplicate.status).toBe(422);
    expect((await p.api('GET', '/rule-packs/640100', { token: admin })).status).toBe(404);
    // An unknown jurisdiction has no local pack; an officer cannot propose.
    expect(
      (
        await p.api('POST', '/admin/rule-packs/999999/proposal', {
          token: admin,
          body: { title: 'x', rules: [] },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await p.api('POST', '/admin/rule-packs/640100/proposal', {
          token: await p.signIn('yc-officer'),
          body: { title: 'x', rules: [] },
        })
      ).status,
    ).toBe(403);
  });

  it('one administrator proposes, the same one cannot confirm (403), a second one does', async () => {
    const proposed = await json<PackJson>(
      await p.api('POST', '/admin/rule-packs/640100/proposal', {
        token: admin,
        body: { title: '银川市地方规则包（测试数据）', rules: localRules(25) },
      }),
    );
    expect(proposed).toMatchObject({ packId: '640100', packVersion: 0, version: 1 });
    const self = await p.api('POST', '/admin/rule-packs/640100/confirm', {
      token: admin,
      body: { version: 1 },
    });
    expect(self.status).toBe(403);
    expect((await json(self)).type).toMatch(/four-eyes$/);
    expect(
      (await p.api('POST', '/admin/rule-packs/640100/confirm', { token: admin2, body: { version: 7 } }))
        .status,
    ).toBe(409);
    const confirmed = await json<PackJson>(
      await p.api('POST', '/admin/rule-packs/640100/confirm', { token: admin2, body: { version: 1 } }),
    );
    expect(confirmed).toMatchObject({ packVersion: 1, version: 2 });
    expect(confirmed.proposal).toBeUndefined();
    expect(
      (await p.api('POST', '/admin/rule-packs/640100/confirm', { token: admin2, body: { version: 2 } }))
        .status,
    ).toBe(409);
    // The pack's audit chain: proposed, confirmed, by whom.
    const chain = await p.deps.doc.send(
      new QueryCommand({
        TableName: p.deps.config.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'AUDIT#RULEPACK#640100' },
      }),
    );
    expect((chain.Items ?? []).map((i) => i.action)).toEqual(['rule-pack.proposed', 'rule-pack.confirmed']);
  });
});

describe('pool budgets from set-aside rules', () => {
  it('computes the budget from the source amount (3%, rounded down to the fen); bad inputs are refused', async () => {
    const yc = await p.signIn('yc-officer');
    const base = { name: '银川市购买服务资金池', fiscalYear: 2026, jurisdictionId: '640100' };
    const missing = await p.api('POST', '/pools', {
      token: yc,
      body: { ...base, sources: [{ kind: 'county-social-assistance' }], budgetFen: 100_00 },
    });
    expect(missing.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(missing)).errors.map((e) => e.field)).toEqual([
      'body.sources.0.sourceAmountFen',
      'body.budgetFen',
    ]);
    const wrongSource = await p.api('POST', '/pools', {
      token: yc,
      body: { ...base, sources: [{ kind: 'community-charity', sourceAmountFen: 100_00 }], budgetFen: 100_00 },
    });
    expect(wrongSource.status).toBe(422);
    const pool = await json<{ id: string; budgetFen: number; setAside: unknown[] }>(
      await p.api('POST', '/pools', {
        token: yc,
        body: {
          ...base,
          sources: [
            { kind: 'county-social-assistance', sourceAmountFen: 10_000_000_001 },
            { kind: 'community-charity' },
          ],
          budgetFen: 50_000_00,
        },
      }),
    );
    // 10,000,000,001 fen × 3% = 300,000,000.03 fen → 300,000,000 fen; plus the typed ¥50,000.
    expect(pool.budgetFen).toBe(300_000_000 + 50_000_00);
    expect(pool.setAside).toEqual([
      expect.objectContaining({
        source: 'county-social-assistance',
        basisPoints: 300,
        amountFen: 300_000_000,
        pack: '640100',
        packVersion: 1,
      }),
    ]);
    // Xun County has no local pack: its budget is typed as before.
    const xun = await p.api('POST', '/pools', {
      token: await p.signIn('xun-officer'),
      body: {
        name: '浚县资金池',
        fiscalYear: 2026,
        jurisdictionId: '410621',
        sources: [{ kind: 'social-assistance-subsidy' }],
        budgetFen: 100_00,
      },
    });
    expect(xun.status).toBe(201);
    ycPool = pool.id;
  });
});
let ycPool: string;

describe('minimum period from publication to the deadline', () => {
  const create = async (token: string, body: unknown) => {
    const res = await p.api('POST', '/calls', { token, body });
    expect(res.status).toBe(201);
    return json<{ id: string; version: number }>(res);
  };
  const publish = (token: string, c: { id: string; version: number }) =>
    p.api('POST', `/calls/${c.id}/publish`, { token, body: { version: c.version } });

  it('refuses a two-minute open tender, naming the article; accepts 20 days', async () => {
    at('2026-09-17T10:00:00');
    const xun = await p.signIn('xun-officer');
    const twoMinutes = await create(
      xun,
      purchaseCall(p.demo.pools.xun, periods(new Date(p.clock.now.getTime() + 120_000).toISOString()), 2026),
    );
    const res = await publish(xun, twoMinutes);
    expect(res.status).toBe(422);
    const e = (await json<{ errors: { field: string; message: string; messageZh: string }[] }>(res)).errors;
    expect(e).toHaveLength(1);
    expect(e[0]!.field).toBe('body.periods.deadline');
    expect(e[0]!.message).toContain('《中华人民共和国政府采购法》第三十五条');
    expect(e[0]!.message).toContain('2026-10-07 at the earliest');
    expect(e[0]!.messageZh).toContain('不得少于 20 日');
    // Nothing changed: still a draft.
    expect((await json(await p.api('GET', `/calls/${twoMinutes.id}`, { token: xun }))).status).toBe('draft');
    // 7 October (Beijing) is the 20th day after 17 September.
    const ok = await create(xun, purchaseCall(p.demo.pools.xun, periods('2026-10-07T09:00:00+08:00'), 2026));
    const published = await json<{ status: string; rulePacks: unknown }>(await publish(xun, ok));
    expect(published).toMatchObject({ status: 'published', rulePacks: { national: 1 } });
  });

  it('counts working days on the published calendar for 竞争性谈判 (3 working days, 74号令 第二十九条)', async () => {
    at('2026-09-17T10:00:00');
    const xun = await p.signIn('xun-officer');
    const negotiation = (deadline: string) => ({
      ...purchaseCall(p.demo.pools.xun, periods(deadline), 2026),
      procurementMethod: 'competitive-negotiation',
    });
    // Friday 18 and the 调休 Sunday 20 are working days 1 and 2: Sunday is too early, Monday 21 fine.
    const early = await create(xun, negotiation('2026-09-20T17:00:00+08:00'));
    const refused = await publish(xun, early);
    expect(refused.status).toBe(422);
    expect((await json<{ errors: { message: string }[] }>(refused)).errors[0]!.message).toMatch(
      /3 working days.*财政部令第74号第二十九条.*2026-09-21 at the earliest/,
    );
    expect((await publish(xun, await create(xun, negotiation('2026-09-21T09:00:00+08:00')))).status).toBe(
      200,
    );
    // A venture round has no procurement method.
    const bad = await p.api('POST', '/calls', {
      token: xun,
      body: {
        ...ventureCall(p.demo.pools.xun, periods(inDays(30)), 2026),
        jurisdictionId: '410621',
        procurementMethod: 'inquiry',
      },
    });
    expect(bad.status).toBe(422);
  });

  it('a call published under local pack v1 stays judged by v1 after v2 is confirmed', async () => {
    at('2026-09-17T10:00:00');
    const yc = await p.signIn('yc-officer');
    const ycTender = (days: number) => ({
      ...purchaseCall(ycPool, periods(inDays(days)), 2026),
      jurisdictionId: '640100',
    });
    // 银川市 v1 asks 25 days: 21 is refused by the local rule, citing it.
    const short = await publish(yc, await create(yc, ycTender(21)));
    expect(short.status).toBe(422);
    expect((await json<{ errors: { message: string }[] }>(short)).errors[0]!.message).toContain(
      '银川市政府购买社会工作服务实施办法（测试数据）》第十二条',
    );
    const call = await json<{ id: string; version: number; rulePacks: unknown }>(
      await publish(yc, await create(yc, ycTender(26))),
    );
    expect(call.rulePacks).toEqual({ national: 1, local: { id: '640100', version: 1 } });

    // v2: 30 days.
    const v2 = await json<PackJson>(
      await p.api('POST', '/admin/rule-packs/640100/proposal', {
        token: admin2,
        body: {
          version: 2,
          title: '银川市地方规则包（测试数据）第二版',
          rules: localRules(30),
          reason: '延长公开招标期限',
        },
      }),
    );
    expect(
      (
        await p.api('POST', '/admin/rule-packs/640100/proposal', {
          token: admin2,
          body: { version: 3, title: 'x', rules: [] },
        })
      ).status,
    ).toBe(422); // a pack in force needs a reason for a new version
    expect(
      (
        await p.api('POST', '/admin/rule-packs/640100/confirm', {
          token: admin,
          body: { version: v2.version },
        })
      ).status,
    ).toBe(200);

    // The published call is amended under v1 (27 days still pass 25)…
    const amended = await p.api('PATCH', `/calls/${call.id}`, {
      token: yc,
      body: { version: call.version, periods: periods(inDays(27)), amendmentReason: '延长截止时间一天' },
    });
    expect(amended.status).toBe(200);
    expect(await json(amended)).toMatchObject({ rulePacks: { local: { version: 1 } } });
    // …while a new call with 27 days is refused by v2.
    const newer = await publish(yc, await create(yc, ycTender(27)));
    expect(newer.status).toBe(422);
    expect((await json<{ errors: { message: string }[] }>(newer)).errors[0]!.message).toContain(
      'at least 30 days',
    );
    // An amendment shortening the period below v1's 25 days is refused.
    const current = await json<{ version: number }>(await p.api('GET', `/calls/${call.id}`, { token: yc }));
    const shortened = await p.api('PATCH', `/calls/${call.id}`, {
      token: yc,
      body: { version: current.version, periods: periods(inDays(10)), amendmentReason: '缩短截止时间' },
    });
    expect(shortened.status).toBe(422);
    expect((await json<{ errors: { field: string }[] }>(shortened)).errors.map((x) => x.field)).toContain(
      'body.periods.deadline',
    );
  });
});

describe('the answer to a challenge', () => {
  it('is due 7 working days after receipt (94号令 第十三条); overdue once that passes unanswered', async () => {
    at('2026-09-17T10:00:00');
    const fx = await closedCall(p, 'venture', [
      {
        orgId: p.demo.orgs.qicai,
        orgName: '鹤壁七彩社会工作服务中心',
        requestedFen: 40_000_00,
        totals: [80, 82, 81, 79, 80],
      },
    ]);
    const proposal = await fx.propose(await p.signIn('xun-officer'));
    expect(proposal.status).toBe(201);
    const [a] = (await json<{ proposed: { id: string; version: number }[] }>(proposal)).proposed;
    expect(
      (
        await p.api('POST', `/awards/${a!.id}/confirm`, {
          token: await p.signIn('xun-officer-2'),
          body: { version: a!.version },
        })
      ).status,
    ).toBe(200);
    const filed = await p.api('POST', `/awards/${a!.id}/challenges`, {
      token: await p.signIn('qicai-applicant'),
      body: { text: '评分中“服务计划”一项的得分与申报材料不符，请复核。' },
    });
    expect(filed.status).toBe(201);
    const ch = await json<{
      id: string;
      version: number;
      answerDueAt: string;
      calendarVersions: unknown;
      overdue: boolean;
    }>(filed);
    // Received Thursday 17 Sep: Fri 18, Sun 20 (调休), Mon 21 … Thu 24, then 中秋 Fri 25 is off:
    // the 7th working day is Monday 28 Sep, due by 24:00 Beijing time.
    expect(ch.answerDueAt).toBe('2026-09-28T16:00:00.000Z');
    expect(ch.calendarVersions).toEqual({ '2026': 1 });
    expect(ch.overdue).toBe(false);

    p.clock.set(new Date('2026-09-28T16:00:00.000Z'));
    const officer = await p.signIn('xun-officer');
    const late = await json<{ overdue: boolean }>(
      await p.api('GET', `/challenges/${ch.id}`, { token: officer }),
    );
    expect(late.overdue).toBe(true);
    const award = await json<{ challengeList: { overdue: boolean }[] }>(
      await p.api('GET', `/awards/${a!.id}`, { token: officer }),
    );
    expect(award.challengeList[0]!.overdue).toBe(true);
    // The officer's award page says so.
    const page = await (await new PageClient(p).signIn('xun-officer')).req(
      'GET',
      `/officer/calls/${fx.call.id}/review`,
    );
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('书面答复期限');
    expect(html).toContain('逾期');

    const answered = await p.api('POST', `/challenges/${ch.id}/answer`, {
      token: officer,
      body: { version: ch.version, outcome: 'dismissed', answer: '经复核，评分符合评分细则。' },
    });
    expect(answered.status).toBe(200);
    expect((await json<{ challenge: { overdue: boolean } }>(answered)).challenge.overdue).toBe(false);
  });
});

describe('the pages', () => {
  it('officers read the packs with their articles; administrators propose and a second one confirms', async () => {
    const officer = await new PageClient(p).signIn('xun-officer');
    const list = await officer.req('GET', '/officer/rule-packs');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('/officer/rule-packs/national');
    const nat = await officer.req('GET', '/officer/rule-packs/national');
    const html = await nat.text();
    expect(html).toContain('第三十五条');
    expect(html).toContain('不得少于二十日');
    expect(html).toContain('财库〔2014〕214号第十条');
    expect((await officer.req('GET', '/system/rule-packs')).status).toBe(403);

    const a = await new PageClient(p).signIn('admin', 'admin-2026');
    expect((await a.req('GET', '/system/rule-packs')).status).toBe(200);
    const rules = JSON.stringify([
      {
        id: 'xun-venture',
        kind: 'min-period',
        subject: 'venture',
        days: 7,
        unit: 'calendar',
        citation: {
          source: '浚县公益创投实施办法（测试数据）',
          article: '第六条',
          excerpt: '申报期不少于7日。',
        },
      },
    ]);
    const bad = await a.post('/system/rule-packs/410621/proposal', {
      version: '',
      title: '浚县规则包',
      rules: '[{',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('规则不是有效的 JSON');
    const proposed = await a.post('/system/rule-packs/410621/proposal', {
      version: '',
      title: '浚县规则包（测试数据）',
      rules,
    });
    expect(proposed.status).toBe(303);
    const own = await (await a.req('GET', '/system/rule-packs/410621')).text();
    expect(own).toContain('须由另一名系统管理员确认');
    const b = await new PageClient(p).signIn('admin-2', 'admin-2-2026');
    const page = await (await b.req('GET', '/system/rule-packs/410621')).text();
    expect(page).toContain('/system/rule-packs/410621/confirm');
    const confirmed = await b.post('/system/rule-packs/410621/confirm', { version: '1' });
    expect(confirmed.status).toBe(303);
    const after = await json<{ record: PackJson }>(
      await p.api('GET', '/rule-packs/410621', { token: await p.signIn('xun-officer') }),
    );
    expect(after.record).toMatchObject({ packVersion: 1 });
  });
});
