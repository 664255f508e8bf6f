import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../shared/calls/model';
import type { Panel } from '../../shared/reviews/model';
import { ReviewService } from '../../shared/reviews/service';
import type { Submission } from '../../shared/submissions/model';
import { SubmissionService } from '../../shared/submissions/service';
import { type TestPlatform, testPlatform } from '../support/platform';
import { publishedCall, usernameOf } from '../support/reviews';
import { bid } from '../support/submissions';
import { approvedApplicant, PageClient } from '../support/web';

/**
 * Guards of the submission, review and award pages: what is not the caller's is the 404 page, and
 * before the deadline an officer's review page says nothing about what was submitted.
 */
let p: TestPlatform;
let call: Call;
let emptyCall: Call;
let qicaiSub: Submission;
let otherSub: Submission;
let other: Awaited<ReturnType<typeof approvedApplicant>>;

const START = new Date('2026-06-01T02:00:00Z');

beforeAll(async () => {
  p = await testPlatform({ start: START });
  [call, emptyCall] = await Promise.all([publishedCall(p, 1), publishedCall(p, 1)]);
  other = await approvedApplicant(p, '浚县同心社会工作服务中心');
  const service = new SubmissionService(p.deps);
  const qicai = p.demo.users['qicai-applicant']!;
  const otherPrincipal = { ...qicai, userId: 'other', orgId: other.orgId, name: '同心' };
  const submit = async (who: typeof qicai, priceFen: number) => {
    const draft = await service.create(who, call.id, bid(priceFen));
    return (await service.submit(who, draft, draft.version, p.clock.now)).submission;
  };
  qicaiSub = await submit(qicai, 52_000_000);
  otherSub = await submit(otherPrincipal, 55_000_000);
});
afterAll(() => p?.stop());

const isNotFoundPage = async (res: Response) => {
  expect(res.status).toBe(404);
  expect(await res.text()).toContain('页面不存在');
};

/** The page's text without what differs between two calls (ids, titles, times, the CSRF token). */
const skeleton = (html: string, c: Call) =>
  html
    .replaceAll(c.id, 'ID')
    .replace(/name="_csrf" value="[^"]*"/g, '')
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/g, 'TIME');

describe('before the deadline', () => {
  it("an officer's review page reveals nothing: the same page with submissions as without", async () => {
    const officer = await new PageClient(p).signIn('xun-officer');
    const withSubs = await officer.req('GET', `/officer/calls/${call.id}/review`);
    const without = await officer.req('GET', `/officer/calls/${emptyCall.id}/review`);
    expect(withSubs.status).toBe(200);
    const [a, b] = [await withSubs.text(), await without.text()];
    expect(a).toContain('密封');
    expect(a).not.toContain('鹤壁七彩');
    expect(a).not.toContain(qicaiSub.id);
    expect(skeleton(a, call)).toBe(skeleton(b, emptyCall));
    // Screening a sealed submission answers like a missing one; the draw is refused without a count.
    await isNotFoundPage(
      await officer.post(`/officer/submissions/${qicaiSub.id}/screening`, {
        version: '2',
        decision: 'eligible',
      }),
    );
    const draw = await officer.post(`/officer/calls/${call.id}/panel`, {});
    expect(draw.status).toBe(422);
    const text = await draw.text();
    expect(text).toContain('评审委员会须在递交截止后抽取');
    expect(text).not.toContain('鹤壁七彩');
  });

  it("an applicant gets the 404 page for another organization's submission", async () => {
    const chunxi = await new PageClient(p).signIn('chunxi-applicant');
    await isNotFoundPage(await chunxi.req('GET', `/applicant/submissions/${qicaiSub.id}`));
    const tongxin = await new PageClient(p).signIn(other.username, other.password);
    await isNotFoundPage(await tongxin.req('GET', `/applicant/submissions/${qicaiSub.id}`));
    await isNotFoundPage(
      await tongxin.post(`/applicant/submissions/${qicaiSub.id}/withdraw`, { version: '2' }),
    );
    expect((await tongxin.req('GET', `/applicant/submissions/${otherSub.id}`)).status).toBe(200);
    const qicai = await new PageClient(p).signIn('qicai-applicant');
    const own = await qicai.req('GET', `/applicant/submissions/${qicaiSub.id}`);
    expect(own.status).toBe(200);
    expect(await own.text()).toMatch(/[0-9a-f]{64}/); // the receipt's digest
  });
});

describe('venture applications through the form', () => {
  it('applies with station, recipient groups and targets; a request over the limit is refused beside its field', async () => {
    const qicai = await new PageClient(p).signIn('qicai-applicant');
    const venture = p.demo.calls.venture;
    const form = await qicai.req('GET', `/applicant/submissions/new?call=${venture}`);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('value="st-640104003"');
    const fields = {
      call: venture,
      projectTitle: '“一老一小”邻里守望计划',
      requested: '120,000',
      stationId: 'st-640104003',
      'group.extremePoverty': 'on',
      'group.childrenInDifficulty': 'on',
      't.visits': '600',
      't.cases': '12',
      't.groups': '8',
      't.activities': '24',
      'ps.extremePoverty': '80',
      'ps.childrenInDifficulty': '60',
      summary: '为特困老人和困境儿童提供探访、个案跟进与社区互助活动。',
      action: 'submit',
    };
    const refused = await qicai.post('/applicant/submissions', fields);
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(html).toMatch(/id="f-requested"[^>]*value="120,000"/);
    expect(html).toMatch(/申请资助金额 ¥120,000.00（12000000 分）\s*超过本轮单个项目申请上限 ¥100,000.00/);
    const ok = await qicai.post('/applicant/submissions', { ...fields, requested: '80,000.00' });
    expect(ok.status).toBe(303);
    const detail = await qicai.req('GET', ok.headers.get('location')!);
    const text = await detail.text();
    expect(text).toContain('¥80,000.00');
    expect(text).toContain('困境儿童');
    expect(text).toMatch(/[0-9a-f]{64}/);
  });
});

describe('after the deadline', () => {
  let panel: Panel;
  beforeAll(async () => {
    p.clock.set(new Date(Date.parse(call.periods.deadline) + 60_000));
    const officer = p.demo.users['xun-officer']!;
    const subs = new SubmissionService(p.deps);
    for (const s of [qicaiSub, otherSub])
      await subs.screen(officer, (await subs.repo.get(s.id))!, {
        version: s.version,
        eligible: true,
        reasons: [],
      });
    const reviews = new ReviewService(p.deps);
    panel = await reviews.draw(call, officer, { seed: 'a'.repeat(32), reserves: 2 });
    // The first member recuses from 七彩's bid.
    const first = p.demo.users[usernameOf(p, panel.members[0]!.userId)]!;
    await reviews.declareConflict(qicaiSub.id, first, '曾为该机构提供督导服务');
  });

  it('a reviewer gets the 404 page for a recused submission and for one not theirs', async () => {
    const first = await new PageClient(p).signIn(usernameOf(p, panel.members[0]!.userId));
    await isNotFoundPage(await first.req('GET', `/reviewer/submissions/${qicaiSub.id}`));
    await isNotFoundPage(
      await first.post(`/reviewer/submissions/${qicaiSub.id}/sheet`, { 'score.T1': '10', action: 'save' }),
    );
    expect((await first.req('GET', `/reviewer/submissions/${otherSub.id}`)).status).toBe(200);

    // expert-chen is affiliated with 七彩: excluded from the draw, so seated for nothing.
    expect(panel.excluded.map((x) => usernameOf(p, x.userId))).toContain('expert-chen');
    const chen = await new PageClient(p).signIn('expert-chen');
    await isNotFoundPage(await chen.req('GET', `/reviewer/submissions/${otherSub.id}`));
    await isNotFoundPage(await chen.req('GET', `/reviewer/submissions/${qicaiSub.id}`));

    // A seated member sees the sheet, with the inline script allowed by its hash only.
    const second = await new PageClient(p).signIn(usernameOf(p, panel.members[1]!.userId));
    const page = await second.req('GET', `/reviewer/submissions/${qicaiSub.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[^']+'(;|$)/);
    expect(await page.text()).toContain('id="sheet-total"');
  });

  it('a sheet outside the indicator maximum is refused beside its input, with the input kept', async () => {
    const second = await new PageClient(p).signIn(usernameOf(p, panel.members[1]!.userId));
    const res = await second.post(`/reviewer/submissions/${otherSub.id}/sheet`, {
      'score.T1': '16',
      'score.T2': '20',
      action: 'save',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toMatch(/id="f-score\.T1"[^>]*value="16"/);
    expect(html).toContain('class="err"');
  });

  it('the officer sees the submissions and the panel; another jurisdiction gets the 404 page', async () => {
    const officer = await new PageClient(p).signIn('xun-officer');
    const res = await officer.req('GET', `/officer/calls/${call.id}/review`);
    const html = await res.text();
    expect(html).toContain('鹤壁七彩社会工作服务中心');
    expect(html).toContain('a'.repeat(32));
    expect(html).toContain('曾为该机构提供督导服务');
    const yc = await new PageClient(p).signIn('yc-officer');
    await isNotFoundPage(await yc.req('GET', `/officer/calls/${call.id}/review`));
    await isNotFoundPage(
      await yc.post(`/officer/submissions/${qicaiSub.id}/screening`, {
        version: '3',
        decision: 'ineligible',
      }),
    );
  });
});
