import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo2023, XUN_2023 } from '../../infra/local/demo-2023';
import { auditKeys } from '../../shared/audit/chain';
import { ContractRepository } from '../../shared/contracts/repository';
import { contractIdOf } from '../../shared/contracts/service';
import { EvaluationService } from '../../shared/evaluation/service';
import { disbursementIdOf } from '../../shared/finance/model';
import { DisbursementRepository } from '../../shared/finance/repository';
import { PoolRepository } from '../../shared/pools/repository';
import { ReportRepository } from '../../shared/reports/repository';
import { AWARD_START, type FinalAward, finalAward, YUAN } from '../support/contracts';
import { type TestPlatform, testPlatform } from '../support/platform';
import { approvedApplicant, PageClient } from '../support/web';

/**
 * The contract, report, evaluation, payment, ledger, statistics and audit pages over HTTP, as a
 * browser without script uses them: each role reaches its own pages and gets a 403 page
 * elsewhere, objects outside the caller's scope are 404 pages, forms need the CSRF token, and a
 * form with bad input comes back (422) with every message beside its field, the typed values
 * kept, and nothing stored. The final award is set up through the services; every step under
 * test goes through the pages.
 */
let p: TestPlatform;
let fa: FinalAward;
let contractId: string;
const ORG = '鹤壁七彩社会工作服务中心';
/** ¥80,000 at 40 / 30 / 30: ¥32,000 on signing, ¥24,000 after the mid-term evaluation. */
const AMOUNT = 80_000 * YUAN;

const clients = {} as Record<'officer' | 'yc' | 'applicant' | 'finance' | 'auditor' | 'other', PageClient>;

beforeAll(async () => {
  p = await testPlatform({ start: AWARD_START });
  // A purchase (the seed's tender, paid 40 / 30 / 30): the officer types the deliverables and
  // chooses the stations on the signing form. (Its call is left as the services wrote it, so the
  // audit trail verifies intact until the test alters it.)
  fa = await finalAward(p, 'purchase', { amountFen: AMOUNT });
  contractId = contractIdOf(fa.award.id);
  // Mid-October: the contract below starts on 1 October, so October's report may be filed.
  p.clock.set(new Date('2026-10-12T10:00:00+08:00'));
  const other = await approvedApplicant(p, '浚县同心社会工作服务中心');
  const users = {
    officer: 'xun-officer',
    yc: 'yc-officer',
    applicant: 'qicai-applicant',
    finance: 'xun-finance',
    auditor: 'xun-auditor',
  } as const;
  await Promise.all([
    ...Object.entries(users).map(async ([k, u]) => {
      clients[k as keyof typeof users] = await new PageClient(p).signIn(u);
    }),
    (async () => {
      clients.other = await new PageClient(p).signIn(other.username, other.password);
    })(),
  ]);
});
afterAll(() => p?.stop());

const table = () => p.deps.config.tableName;
const contracts = () => new ContractRepository(p.deps.doc, table());
const reports = () => new ReportRepository(p.deps.doc, table());
const disbursements = () => new DisbursementRepository(p.deps.doc, table());

/** The page's main text, for failure messages. */
const mainText = (body: string) =>
  body
    .slice(body.indexOf('<main'))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 800);

/** The error summary of a form page, for failure messages. */
const alertOf = (body: string) =>
  mainText(body.slice(body.indexOf('id="errors"') - 6).replace(/^/, '<main>'));

async function html(client: PageClient, path: string, status = 200) {
  const res = await client.req('GET', path);
  const body = await res.text();
  expect(res.status, `${path}: ${mainText(body)}`).toBe(status);
  return body;
}

async function post(client: PageClient, path: string, form: Record<string, string>, status: number) {
  const res = await client.post(path, form);
  const body = await res.text();
  expect(res.status, `${path}: ${mainText(body)}`).toBe(status);
  return { res, body };
}

const expectForbidden = async (client: PageClient, path: string) =>
  expect(await html(client, path, 403)).toContain('您的角色无权访问此页面');
const expectNotFound = async (client: PageClient, path: string) =>
  expect(await html(client, path, 404)).toContain('页面不存在');

/** The deliverables the officer types from the tender, and the station served. */
const TARGETS = {
  'tg.visits': '100',
  'tg.cases': '5',
  'tg.groups': '2',
  'tg.activities': '10',
  'tg.peopleServed.minimumLiving': '50',
  'tg.peopleServed.extremePoverty': '5',
  'tg.peopleServed.childrenInDifficulty': '0',
  'tg.peopleServed.disabled': '0',
  'tg.peopleServed.other': '0',
};
const STATION = { 'st.st-410621101': 'on' };

/** A sound report form: every breakdown adds up. */
function reportForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    milestone: 'midterm',
    stationId: 'st-410621101',
    month: '2026-10',
    'visits.total': '120',
    'visits.by.minimumLiving': '80',
    'visits.by.extremePoverty': '10',
    'visits.by.childrenInDifficulty': '15',
    'visits.by.disabled': '5',
    'visits.by.other': '10',
    'cases.total': '5',
    'groups.total': '2',
    'activities.total': '10',
    'peopleServed.total': '55',
    resources: '6,500.00',
    'training.sessions': '2',
    'training.hours': '12',
    'supervision.sessions': '3',
    'supervision.hours': '6',
    narrative: '本月入户探访困难群众，跟进个案，开展小组和社区活动。',
    ...over,
  };
}

/** The seed's own 2023 Xun County visits: categories summing to 6,465 against a stated 5,665. */
const SEED_VISITS = {
  'visits.total': '5665',
  'visits.by.minimumLiving': '4139',
  'visits.by.extremePoverty': '373',
  'visits.by.childrenInDifficulty': '801',
  'visits.by.disabled': '441',
  'visits.by.other': '711',
};

describe('who may open which page', () => {
  it('sends an anonymous visitor to sign in, and shows a 403 page to a role a page is not for', async () => {
    const anonymous = new PageClient(p);
    for (const path of ['/officer/contracts', '/applicant/contracts', '/finance/ledger', '/auditor/audit']) {
      const res = await anonymous.req('GET', path);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
    for (const path of [
      '/officer/contracts',
      '/officer/reports',
      '/finance/ledger',
      '/finance/statistics',
      '/auditor/audit',
    ])
      await expectForbidden(clients.applicant, path);
    for (const path of ['/officer/contracts', '/applicant/contracts', '/auditor/audit/verify'])
      await expectForbidden(clients.finance, path);
    for (const path of ['/officer/reports', '/applicant/contracts'])
      await expectForbidden(clients.auditor, path);
    await expectForbidden(clients.officer, '/auditor/audit');
    // Readers of the money pages: finance, officers, auditors.
    for (const c of [clients.finance, clients.officer, clients.auditor]) {
      await html(c, '/finance/ledger');
      await html(c, '/finance/statistics');
      await html(c, '/finance/disbursements');
    }
    await html(clients.auditor, '/auditor/audit');
    // Finance's decisions are finance's alone, whatever the page shows.
    const officerApproves = await clients.officer.post('/finance/disbursements/x/approve', { version: '1' });
    expect(officerApproves.status).toBe(403);
  });
});

describe('start pages and navigation', () => {
  it('links each role to its contract, payment, ledger, statistics and audit pages', async () => {
    const links: [keyof typeof clients, string[]][] = [
      ['applicant', ['/applicant/contracts']],
      ['officer', ['/officer/contracts', '/officer/reports', '/finance/ledger', '/finance/statistics']],
      ['finance', ['/finance/disbursements', '/finance/ledger', '/finance/statistics']],
      ['auditor', ['/auditor/audit', '/auditor/audit/verify', '/finance/ledger', '/finance/statistics']],
    ];
    for (const [who, hrefs] of links) {
      const home = await html(clients[who], '/home');
      for (const href of hrefs) expect(home, `${who} → ${href}`).toContain(`href="${href}"`);
    }
  });
});

describe('signing the contract of a final award', () => {
  it('lists the award, refuses a period over a year without a reason beside its field, and stores nothing', async () => {
    const list = await html(clients.officer, '/officer/contracts');
    expect(list).toContain(`签订合同：${ORG}`);
    await expectNotFound(clients.yc, `/officer/awards/${fa.award.id}/contract`);
    const form = await html(clients.officer, `/officer/awards/${fa.award.id}/contract`);
    expect(form).toContain('¥80,000.00');

    const blank = await post(
      clients.officer,
      `/officer/awards/${fa.award.id}/contract`,
      { ...TARGETS, 'tg.visits': '', startDate: '2026-10-01' },
      422,
    );
    expect(blank.body).toMatch(/id="e-tg\.visits"><p class="err">必填</);
    expect(blank.body).toContain('value="2026-10-01"');

    const { body } = await post(
      clients.officer,
      `/officer/awards/${fa.award.id}/contract`,
      { ...TARGETS, startDate: '2026-10-01', endDate: '2028-09-30', periodReason: '' },
      422,
    );
    expect(body).toContain('合同履行期限超过 1 年（2026-10-01 至 2028-09-30）须说明理由');
    expect(body).toContain('id="e-periodReason"');
    expect(body).toContain('请填写提供服务的社工站');
    expect(body).toContain('id="e-stationIds"');
    expect(body).toContain('value="2028-09-30"');
    expect(body).toContain('value="100"');
    expect(await contracts().get(contractId)).toBeUndefined();

    const noCsrf = await clients.officer.req('POST', `/officer/awards/${fa.award.id}/contract`, {
      ...TARGETS,
      ...STATION,
      startDate: '2026-10-01',
    });
    expect(noCsrf.status).toBe(403);
    expect(await contracts().get(contractId)).toBeUndefined();
  });

  it('signs with the defaults and shows the schedule; only the officer’s jurisdiction and the provider see it', async () => {
    const { res } = await post(
      clients.officer,
      `/officer/awards/${fa.award.id}/contract`,
      { ...TARGETS, ...STATION, startDate: '2026-10-01' },
      303,
    );
    expect(res.headers.get('location')).toBe(`/officer/contracts/${contractId}?done=signed`);
    const stored = (await contracts().get(contractId))!.contract;
    expect(stored.startDate).toBe('2026-10-01');
    expect(stored.stationIds).toEqual(['st-410621101']);
    expect(stored.targets).toEqual({
      visits: 100,
      cases: 5,
      groups: 2,
      activities: 10,
      peopleServed: { minimumLiving: 50, extremePoverty: 5, childrenInDifficulty: 0, disabled: 0, other: 0 },
    });
    expect(stored.endDate).toBe('2027-09-30');
    expect(stored.tranches.map((t) => [t.milestone, t.amountFen, t.status])).toEqual([
      ['signing', 32_000 * YUAN, 'due'],
      ['midterm', 24_000 * YUAN, 'pending'],
      ['final', 24_000 * YUAN, 'pending'],
    ]);
    const page = await html(clients.officer, `/officer/contracts/${contractId}?done=signed`);
    expect(page).toContain('合同已签订');
    expect(page).toContain('¥32,000.00');
    expect(page).toContain('可申请拨付');
    // Signed once: the award leaves the list, a second signature is refused.
    expect(await html(clients.officer, '/officer/contracts')).not.toContain(`签订合同：${ORG}`);

    await expectNotFound(clients.yc, `/officer/contracts/${contractId}`);
    await expectNotFound(clients.other, `/applicant/contracts/${contractId}`);
    await expectNotFound(clients.yc, `/finance/ledger/contracts/${contractId}`);
    const own = await html(clients.applicant, `/applicant/contracts/${contractId}`);
    expect(own).toContain('浚县民政局');
    expect(own).toContain('¥32,000.00');
    // The English switch: the same page in English.
    clients.applicant.jar.set('gp_lang', 'en');
    const en = await html(clients.applicant, `/applicant/contracts/${contractId}`);
    clients.applicant.jar.set('gp_lang', 'zh');
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('On signing (first payment)');
    expect(en).toContain('Milestone reports');
  });
});

describe('filing a milestone report', () => {
  const path = () => `/applicant/contracts/${contractId}/reports`;

  it('refuses the seed’s visit figures naming the numbers, keeps the values and stores nothing', async () => {
    const { body } = await post(clients.applicant, path(), reportForm(SEED_VISITS), 422);
    expect(body).toContain(
      '探访按类别合计 6465 次，与总数 5665 次不一致（低保 4139 + 特困 373 + 困境儿童 801 + 残疾人 441 + 其他 711）',
    );
    expect(body).toContain('id="e-visits.by"');
    expect(body).toContain('value="5665"');
    expect(body).toContain('value="711"');
    expect(await reports().allOfContract(contractId)).toEqual([]);

    // The same in English: the message names the numbers too.
    clients.applicant.jar.set('gp_lang', 'en');
    const en = await post(clients.applicant, path(), reportForm(SEED_VISITS), 422);
    expect(en.body).toContain('Visits by category add up to 6,465 but the total says 5,665');
    clients.applicant.jar.set('gp_lang', 'zh');
  });

  it('refuses negative, fractional and absurd values and a month outside the contract, beside their fields', async () => {
    const negative = await post(clients.applicant, path(), reportForm({ 'cases.total': '-3' }), 422);
    expect(negative.body).toMatch(/id="e-cases\.total"><p class="err">不能小于 0</);
    const fraction = await post(
      clients.applicant,
      path(),
      reportForm({ 'groups.total': '1.5', resources: '12.345' }),
      422,
    );
    expect(fraction.body).toMatch(/id="e-groups\.total"><p class="err">请输入整数</);
    expect(fraction.body).toMatch(/id="e-resources"><p class="err">请输入以元为单位的金额/);
    expect(fraction.body).toContain('value="12.345"');
    const absurd = await post(clients.applicant, path(), reportForm({ 'training.hours': '100' }), 422);
    expect(absurd.body).toContain('培训 2 次共 100 小时，平均每次 50 小时，超过每次 24 小时的上限');
    const partial = await post(clients.applicant, path(), reportForm({ 'visits.by.other': '' }), 422);
    expect(partial.body).toContain('按类别填写时五类都须填写');
    const outside = await post(clients.applicant, path(), reportForm({ month: '2026-09' }), 422);
    expect(outside.body).toContain('2026-09 不在合同履行期限内（2026-10-01 至 2027-09-30）');
    expect(outside.body).toContain('id="e-month"');
    const foreign = await clients.other.post(path(), reportForm());
    expect(foreign.status).toBe(404);
    const noCsrf = await clients.applicant.req('POST', path(), reportForm());
    expect(noCsrf.status).toBe(403);
    expect(await reports().allOfContract(contractId)).toEqual([]);
  });

  it('files a sound report once; the same station and month again is refused', async () => {
    const { res } = await post(clients.applicant, path(), reportForm(), 303);
    expect(res.headers.get('location')).toMatch(/^\/applicant\/reports\/[\w-]+\?done=filed$/);
    const [report] = await reports().allOfContract(contractId);
    expect(report).toMatchObject({
      status: 'submitted',
      month: '2026-10',
      figures: {
        visits: { total: 120 },
        resourcesLinkedFen: 6_500 * YUAN,
        training: { sessions: 2, hours: 12 },
      },
      attachments: [],
    });
    const again = await post(clients.applicant, path(), reportForm(), 422);
    expect(again.body).toContain('本合同已提交社工站 st-410621101 2026-10 的报告');
    expect(await reports().allOfContract(contractId)).toHaveLength(1);
  });
});

describe('reviewing a report', () => {
  let reportId: string;
  beforeAll(async () => {
    reportId = (await reports().allOfContract(contractId))[0]!.id;
  });

  it('returns it with comments (required); the provider sees them and resubmits a corrected revision', async () => {
    expect(await html(clients.officer, '/officer/reports')).toContain(`/officer/reports/${reportId}`);
    await expectNotFound(clients.yc, `/officer/reports/${reportId}`);
    const empty = await post(
      clients.officer,
      `/officer/reports/${reportId}/return`,
      { version: '1', comments: ' ' },
      422,
    );
    expect(empty.body).toMatch(/id="e-comments"><p class="err">必填</);
    expect((await reports().get(reportId))!.report.status).toBe('submitted');
    await post(
      clients.officer,
      `/officer/reports/${reportId}/return`,
      { version: '1', comments: '探访人次与签到表不符，请核对。' },
      303,
    );
    expect((await reports().get(reportId))!.report.status).toBe('returned');

    const page = await html(clients.applicant, `/applicant/reports/${reportId}`);
    expect(page).toContain('探访人次与签到表不符，请核对。');
    expect(page).toContain('value="120"'); // the resubmission form starts from the figures filed
    const bad = await post(
      clients.applicant,
      `/applicant/reports/${reportId}`,
      { ...reportForm({ 'visits.by.other': '30' }), version: '2' },
      422,
    );
    expect(bad.body).toContain('探访按类别合计 140 次，与总数 120 次不一致');
    expect(bad.body).toContain('value="30"');
    expect((await reports().get(reportId))!.report).toMatchObject({ status: 'returned', revision: 1 });
    await post(clients.applicant, `/applicant/reports/${reportId}`, { ...reportForm(), version: '2' }, 303);
    expect((await reports().get(reportId))!.report).toMatchObject({ status: 'submitted', revision: 2 });
  });

  it('approves the resubmitted revision: a stale form is refused, the figures join the contract', async () => {
    const stale = await post(clients.officer, `/officer/reports/${reportId}/approve`, { version: '1' }, 422);
    expect(stale.body).toContain('class="alert"');
    expect((await reports().get(reportId))!.report.status).toBe('submitted');
    const byApplicant = await clients.applicant.post(`/officer/reports/${reportId}/approve`, {
      version: '3',
    });
    expect(byApplicant.status).toBe(403);
    await post(clients.officer, `/officer/reports/${reportId}/approve`, { version: '3', comments: '' }, 303);
    expect((await reports().get(reportId))!.report.status).toBe('approved');
    expect((await contracts().get(contractId))!.contract.reported.visits).toBe(120);
    expect(await html(clients.applicant, `/applicant/contracts/${contractId}`)).toContain('已通过');
  });
});

describe('amending the contract', () => {
  const path = () => `/officer/contracts/${contractId}/amend`;
  /** The form as the page shows it: the version read (the report's approval moved it on). */
  let version = 0;
  beforeAll(async () => {
    version = (await contracts().get(contractId))!.contract.version;
  });
  const base = () => ({
    version: String(version),
    endDate: '2027-09-30',
    amount: '80,000.00',
    periodReason: '',
    amendReason: '',
  });

  it('needs a reason, refuses a longer period without its own reason, keeps the values, stores nothing', async () => {
    const noReason = await post(clients.officer, path(), { ...base(), endDate: '2027-06-30' }, 422);
    expect(noReason.body).toContain('id="e-amendReason"');
    expect(noReason.body).toContain('value="2027-06-30"');
    const longer = await post(
      clients.officer,
      path(),
      { ...base(), endDate: '2027-12-31', amendReason: '服务延至年底' },
      422,
    );
    expect(longer.body, alertOf(longer.body)).toContain(
      '合同履行期限超过 1 年（2026-10-01 至 2027-12-31）须说明理由',
    );
    const badAmount = await post(
      clients.officer,
      path(),
      { ...base(), amount: '80,000.001', amendReason: '调整金额' },
      422,
    );
    expect(badAmount.body).toMatch(/id="e-amount"><p class="err">请输入以元为单位的金额/);
    const nothing = await post(clients.officer, path(), { ...base(), amendReason: '没有改动' }, 422);
    expect(nothing.body).toContain('本次变更没有修改任何内容');
    const c = (await contracts().get(contractId))!.contract;
    expect([c.version, c.amendments, c.endDate]).toEqual([version, 0, '2027-09-30']);
    expect(await contracts().versions(contractId)).toHaveLength(1);
  });

  it('amends the end date with its reasons and keeps both versions', async () => {
    await post(
      clients.officer,
      path(),
      {
        ...base(),
        endDate: '2027-12-31',
        periodReason: '服务内容固定、连续性强，经费来源稳定',
        amendReason: '服务延至 2027 年底',
      },
      303,
    );
    const c = (await contracts().get(contractId))!.contract;
    expect([c.version, c.amendments, c.endDate]).toEqual([version + 1, 1, '2027-12-31']);
    const page = await html(clients.officer, `/officer/contracts/${contractId}?done=amended`);
    expect(page).toContain('合同已变更，原版本已保留');
    expect(page).toContain('服务延至 2027 年底');
    expect(await contracts().versions(contractId)).toHaveLength(2);
  });
});

describe('recording the mid-term evaluation', () => {
  const form = (over: Record<string, string> = {}) => ({
    stage: 'midterm',
    'pt.D1': '5',
    'pt.D2': '4.5',
    'pt.D3': '5',
    'pt.P1': '12',
    'pt.P2': '12.5',
    'pt.B1': '9',
    'pt.B2': '9',
    intent: 'record',
    ...over,
  });
  const path = () => `/officer/contracts/${contractId}/evaluations`;
  const stored = () => new EvaluationService(p.deps).get(contractId, 'midterm');

  it('shows the contract’s weights and the outputs compared with the targets', async () => {
    const page = await html(clients.officer, `${path()}/new?stage=midterm`);
    expect(page).toContain('决策 · 权重 15');
    expect(page).toContain('产出 · 权重 40');
    expect(page).toContain('120.00%'); // 120 visits of a target of 100
  });

  it('refuses points over a maximum or not a number beside the field, keeps them, stores nothing', async () => {
    const over = await post(clients.officer, path(), form({ 'pt.D1': '6' }), 422);
    expect(over.body).toContain('得分须在 0 至 5.00 之间');
    expect(over.body).toContain('id="e-pt.D1"');
    expect(over.body).toContain('value="6"');
    const text = await post(clients.officer, path(), form({ 'pt.B2': '九' }), 422);
    expect(text.body).toMatch(/id="e-pt\.B2"><p class="err">请输入分值/);
    expect(await stored()).toBeUndefined();
  });

  it('calculates without saving, then records it: the grade shows and the mid-term tranche is due', async () => {
    const preview = await post(clients.officer, path(), form({ intent: 'preview' }), 200);
    expect(preview.body).toContain('试算总分 97.00 分，等级：优');
    expect(await stored()).toBeUndefined();
    await post(clients.officer, path(), form(), 303);
    expect((await stored())?.result).toMatchObject({ total: '97.00', grade: '优' });
    const c = (await contracts().get(contractId))!.contract;
    expect(c.grades.midterm).toBe('优');
    expect(c.tranches[1]!.status).toBe('due');
    const page = await html(clients.officer, `/officer/contracts/${contractId}`);
    expect(page).toContain('中期评估：97.00 分');
    const again = await post(clients.officer, path(), form(), 422);
    expect(again.body).toContain('本合同的中期评估已记录');
  });
});

describe('payments', () => {
  const signing = () => disbursementIdOf(contractId, 'signing', 1);
  const request = (milestone: string, status: number) =>
    post(clients.officer, `/officer/contracts/${contractId}/disbursements`, { milestone }, status);

  it('requests a due tranche once; a tranche whose milestone is not met is refused', async () => {
    const early = await request('final', 422);
    expect(early.body).toContain('里程碑尚未达成，不能申请该期拨付');
    expect(await disbursements().get(disbursementIdOf(contractId, 'final', 1))).toBeUndefined();
    await request('signing', 303);
    expect((await disbursements().get(signing()))!.disbursement.status).toBe('requested');
    const twice = await request('signing', 422);
    expect(twice.body).toContain('该期拨付已申请，不能重复申请');
    expect(await html(clients.applicant, `/applicant/contracts/${contractId}`)).toContain(
      '已申请，待财务审批',
    );
  });

  it('finance approves; a payment with a bad reference or date keeps its values and pays nothing', async () => {
    const queue = await html(clients.finance, '/finance/disbursements');
    expect(queue).toContain(ORG);
    const early = await post(
      clients.finance,
      `/finance/disbursements/${signing()}/pay`,
      { version: '1', bankReference: 'BOC-1', paidOn: '2026-10-01' },
      422,
    );
    expect(early.body, mainText(early.body)).toContain('拨付须经审批后方可登记支付');
    await post(clients.finance, `/finance/disbursements/${signing()}/approve`, { version: '1' }, 303);
    expect((await disbursements().get(signing()))!.disbursement.status).toBe('approved');

    const bad = await post(
      clients.finance,
      `/finance/disbursements/${signing()}/pay`,
      { version: '2', bankReference: '银行 流水', paidOn: '2026-02-30' },
      422,
    );
    expect(bad.body).toContain('id="e-bankReference"');
    expect(bad.body).toContain('id="e-paidOn"');
    expect(bad.body).toContain('value="银行 流水"');
    expect(bad.body).toContain('value="2026-02-30"');
    const future = await post(
      clients.finance,
      `/finance/disbursements/${signing()}/pay`,
      { version: '2', bankReference: 'BOC-20261001-1', paidOn: '2027-01-01' },
      422,
    );
    expect(future.body).toContain('支付日期须在审批日期');
    expect((await disbursements().get(signing()))!.disbursement.status).toBe('approved');
    const pool = await new PoolRepository(p.deps.doc, table()).get(fa.poolId);
    expect(pool!.disbursedFen).toBe(0);
  });

  it('finance rejects a request with a reason (required): the tranche is due again', async () => {
    const midterm = disbursementIdOf(contractId, 'midterm', 1);
    await request('midterm', 303);
    const empty = await post(
      clients.finance,
      `/finance/disbursements/${midterm}/reject`,
      { version: '1', rejectReason: '' },
      422,
    );
    expect(empty.body).toContain('id="e-rejectReason"');
    expect((await disbursements().get(midterm))!.disbursement.status).toBe('requested');
    await post(
      clients.finance,
      `/finance/disbursements/${midterm}/reject`,
      { version: '1', rejectReason: '请补充中期评估报告盖章件' },
      303,
    );
    expect((await disbursements().get(midterm))!.disbursement.status).toBe('rejected');
    const c = (await contracts().get(contractId))!.contract;
    expect(c.tranches[1]!.status).toBe('due');
    expect(await html(clients.officer, `/officer/contracts/${contractId}`)).toContain(
      '请补充中期评估报告盖章件',
    );
  });

  it('records the payment: the ledger, the contract ledger and the provider’s page show it', async () => {
    const today = new Date(p.clock.now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
    await post(
      clients.finance,
      `/finance/disbursements/${signing()}/pay`,
      { version: '2', bankReference: 'BOC-20261001-1', paidOn: today },
      303,
    );
    expect((await disbursements().get(signing()))!.disbursement.status).toBe('paid');
    const again = await post(
      clients.finance,
      `/finance/disbursements/${signing()}/pay`,
      { version: '3', bankReference: 'BOC-20261001-2', paidOn: today },
      422,
    );
    expect(again.body).toContain('该笔拨付已支付，不能重复支付');

    const ledger = await html(clients.finance, '/finance/ledger');
    expect(ledger).toMatch(/id="total-disbursed">¥32,000.00</);
    expect(ledger).toContain('BOC-20261001-1');
    expect(ledger).toContain('<svg');
    const contractLedger = await html(clients.auditor, `/finance/ledger/contracts/${contractId}`);
    expect(contractLedger).toMatch(/id="paid">¥32,000.00</);
    expect(contractLedger).toMatch(/id="remaining">¥48,000.00</);
    const own = await html(clients.applicant, `/applicant/contracts/${contractId}`);
    expect(own).toContain('BOC-20261001-1');
    expect(own).toMatch(/id="paid">¥32,000.00</);
  });
});

describe('statistics and the audit trail', () => {
  it('shows the approved report in the statistics, with charts; another county’s officer gets a 404 page', async () => {
    const page = await html(clients.finance, '/finance/statistics?jurisdictionId=410621&year=2026');
    expect(page).toMatch(/id="total-visits">120</);
    expect(page).toMatch(/id="total-resources">¥6,500.00</);
    expect((page.match(/<svg/g) ?? []).length).toBe(4);
    await expectNotFound(clients.yc, '/finance/statistics?jurisdictionId=410621&year=2026');
  });

  it('lists the contract’s chain, shows its entries, verifies everything and names a tampered entry', async () => {
    const aggregate = `CONTRACT#${contractId}`;
    const list = await html(clients.auditor, '/auditor/audit?type=CONTRACT');
    expect(list).toContain(aggregate);
    const chain = await html(
      clients.auditor,
      `/auditor/audit/chain?aggregate=${encodeURIComponent(aggregate)}`,
    );
    for (const action of [
      'contract.signed',
      'contract.report-approved',
      'contract.evaluated',
      'contract.payment-recorded',
    ])
      expect(chain).toContain(action);
    expect(chain).toContain('链条完整');
    await expectNotFound(clients.auditor, '/auditor/audit/chain?aggregate=CONTRACT%23no-such-contract');
    const ok = await html(clients.auditor, '/auditor/audit/verify');
    expect(ok, mainText(ok)).toContain('全部完整');

    await p.deps.doc.send(
      new UpdateCommand({
        TableName: table(),
        Key: auditKeys.entry(aggregate, 2),
        UpdateExpression: 'SET actor = :a',
        ExpressionAttributeValues: { ':a': 'someone-else' },
      }),
    );
    const broken = await html(clients.auditor, '/auditor/audit/verify');
    expect(broken).toContain('发现破坏');
    expect(broken).toContain(aggregate);
    expect(broken).toContain('第 2 条（altered）');
    const tampered = await html(
      clients.auditor,
      `/auditor/audit/chain?aggregate=${encodeURIComponent(aggregate)}`,
    );
    expect(tampered).toContain('链条已被破坏');
  });
});

describe('the demo’s 2023 Xun County figures on the statistics page', () => {
  let p23: TestPlatform;
  beforeAll(async () => {
    p23 = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
    await seedDemo2023(p23.deps, p23.demo);
  }, 180_000);
  afterAll(() => p23?.stop());

  it('shows the seed’s totals, every station by month, and the charts', async () => {
    const officer = await new PageClient(p23).signIn('xun-officer');
    const page = await html(officer, '/finance/statistics?jurisdictionId=410621&year=2023');
    const visits = Object.values(XUN_2023.visits).reduce((s, v) => s + v, 0);
    expect(page).toMatch(new RegExp(`id="total-visits">${visits.toLocaleString('en-US')}<`));
    expect(page).toMatch(/id="total-cases">18</);
    expect(page).toMatch(/id="total-groups">20</);
    expect(page).toMatch(/id="total-activities">162</);
    expect(page).toMatch(/id="total-resources">¥65,000.00</);
    const matrix = page.slice(page.indexOf('id="matrix"'));
    expect((matrix.match(/<th scope="row">/g) ?? []).length).toBe(12); // 11 stations + the county
    expect((page.match(/<svg/g) ?? []).length).toBe(4);
    for (const n of Object.values(XUN_2023.visits))
      expect(page).toContain(`<td class="num">${n.toLocaleString('en-US')}</td>`);
  });
});
