import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwardService } from '../../shared/awards/service';
import type { Call } from '../../shared/calls/model';
import type { Panel } from '../../shared/reviews/model';
import { ReviewService } from '../../shared/reviews/service';
import type { Submission } from '../../shared/submissions/model';
import { SubmissionService } from '../../shared/submissions/service';
import { type ClosedCall, closedCall } from '../support/awards';
import { type TestPlatform, testPlatform } from '../support/platform';
import { publishedCall, submittedBid, usernameOf } from '../support/reviews';
import { bid } from '../support/submissions';
import { approvedApplicant, PageClient } from '../support/web';

/**
 * The award-side pages over HTTP: challenges (质疑) filed from the public notice and answered by
 * an officer, the written explanation of an abnormally low price (异常低价) and its decision, and
 * an officer reopening a member's submitted score sheet. Set-up goes through the services; every
 * step under test goes through the pages.
 */
let p: TestPlatform;

// Inside 2026: the working-day calendar (notice and challenge windows) covers up to 2026.
const START = new Date('2026-06-01T02:00:00Z');

beforeAll(async () => {
  p = await testPlatform({ start: START });
});
afterAll(() => p?.stop());

const isNotFoundPage = async (res: Response) => {
  expect(res.status).toBe(404);
  expect(await res.text()).toContain('页面不存在');
};

const page = async (client: PageClient, path: string) => {
  const res = await client.req('GET', path);
  expect(res.status).toBe(200);
  return res.text();
};

describe('challenges (质疑) through the notice page', () => {
  let fx: ClosedCall;
  let tongxin: Awaited<ReturnType<typeof approvedApplicant>>;
  /** Won by 同心 (first) and 七彩 (second), both confirmed and on notice. */
  let first: { id: string };
  let second: { id: string };
  const awardService = () => new AwardService(p.deps);

  beforeAll(async () => {
    tongxin = await approvedApplicant(p, '浚县同心社会工作服务中心');
    fx = await closedCall(p, 'venture', [
      {
        orgId: tongxin.orgId,
        orgName: tongxin.orgName,
        requestedFen: 5_000_000,
        totals: [90, 91, 92, 90, 88],
      },
      {
        orgId: p.demo.orgs.qicai,
        orgName: '鹤壁七彩社会工作服务中心',
        requestedFen: 4_000_000,
        totals: [80, 82, 81, 79, 80],
      },
    ]);
    const proposal = await fx.propose(await p.signIn('xun-officer'));
    expect(proposal.status).toBe(201);
    const proposed = (
      (await proposal.json()) as { proposed: { id: string; version: number; orgName: string }[] }
    ).proposed;
    expect(proposed).toHaveLength(2);
    const confirmer = await p.signIn('xun-officer-2');
    for (const a of proposed) {
      const res = await p.api('POST', `/awards/${a.id}/confirm`, {
        token: confirmer,
        body: { version: a.version },
      });
      expect(res.status).toBe(200);
    }
    first = proposed.find((a) => a.orgName === tongxin.orgName)!;
    second = proposed.find((a) => a.orgName === '鹤壁七彩社会工作服务中心')!;
    expect([first, second].every(Boolean)).toBe(true);
  });

  /** The challenge's id and version, from the officer's review page and the store. */
  async function openChallenge(officer: PageClient, awardId: string) {
    const html = await page(officer, `/officer/calls/${fx.call.id}/review`);
    const [ch] = await awardService().awards.challengesOf(awardId);
    expect(ch).toBeDefined();
    expect(html).toContain(`action="/officer/challenges/${ch!.id}/answer"`);
    return ch!;
  }

  it('a participant files a challenge from the notice page; a non-participant is refused with the reason', async () => {
    const qicai = await new PageClient(p).signIn('qicai-applicant');
    const notice = await page(qicai, `/notices/${first.id}`);
    expect(notice).toContain('提出质疑');
    expect(notice).toContain(`action="/notices/${first.id}/challenges"`);

    // Too short: refused beside the form, nothing recorded.
    const short = await qicai.post(`/notices/${first.id}/challenges`, { text: '不服' });
    expect(short.status).toBe(422);
    expect(await awardService().awards.challengesOf(first.id)).toEqual([]);

    const text = '评分中“服务计划”一项的得分与申报材料不符，请复核。';
    const res = await qicai.post(`/notices/${first.id}/challenges`, { text });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/notices/${first.id}?done=challenged`);
    expect(await page(qicai, res.headers.get('location')!)).toContain('质疑已提交');
    const recorded = await awardService().awards.challengesOf(first.id);
    expect(recorded.map((c) => [c.orgName, c.text, c.status])).toEqual([
      ['鹤壁七彩社会工作服务中心', text, 'open'],
    ]);
    // The officer sees it beside the award, with the form to answer it.
    const officer = await new PageClient(p).signIn('xun-officer');
    const review = await page(officer, `/officer/calls/${fx.call.id}/review`);
    expect(review).toContain(text);
    expect(review).toContain(`id="challenge-${recorded[0]!.id}"`);

    // 春晞 took no part in the call: the service's own words on the form, the text kept.
    const chunxi = await new PageClient(p).signIn('chunxi-applicant');
    const refused = await chunxi.post(`/notices/${first.id}/challenges`, {
      text: '我们认为评审结果不公正，请复核。',
    });
    expect(refused.status).toBe(403);
    const html = await refused.text();
    expect(html).toContain('只有参与本项目投标（申报）的机构可以提出质疑');
    expect(html).toContain('我们认为评审结果不公正，请复核。');
    expect(await awardService().awards.challengesOf(first.id)).toHaveLength(1);
  });

  it('an upheld answer cancels the award: the notice shows it cancelled and takes no more challenges', async () => {
    const client = await new PageClient(p).signIn(tongxin.username, tongxin.password);
    const filed = await client.post(`/notices/${second.id}/challenges`, {
      text: '中标机构的持证社工人数与申报材料不符，请核查。',
    });
    expect(filed.status).toBe(303);
    const officer = await new PageClient(p).signIn('xun-officer');
    const ch = await openChallenge(officer, second.id);
    const res = await officer.post(`/officer/challenges/${ch.id}/answer`, {
      version: String(ch.version),
      outcome: 'upheld',
      answer: '经复核，质疑成立，撤销该项目立项。',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(
      `/officer/calls/${fx.call.id}/review?done=answered#challenge-${ch.id}`,
    );
    const review = await page(officer, res.headers.get('location')!);
    expect(review).toContain('质疑答复已保存');
    expect(review).toContain('质疑成立：经复核，质疑成立，撤销该项目立项。');

    const notice = await page(new PageClient(p), `/notices/${second.id}`);
    expect(notice).toContain('已撤销');
    expect(notice).not.toContain('公示中');
    const again = await page(client, `/notices/${second.id}`);
    expect(again).not.toContain(`action="/notices/${second.id}/challenges"`);
    expect((await awardService().awards.get(second.id))?.status).toBe('cancelled');
  });

  it('a dismissed answer is shown to the officer; once the windows close the notice shows the award final', async () => {
    const officer = await new PageClient(p).signIn('xun-officer');
    const ch = await openChallenge(officer, first.id);
    // No answer text: refused beside the challenge, still open.
    const empty = await officer.post(`/officer/challenges/${ch.id}/answer`, {
      version: String(ch.version),
      outcome: 'dismissed',
      answer: '',
    });
    expect(empty.status).toBe(422);
    expect((await awardService().awards.getChallenge(ch.id))?.status).toBe('open');

    const answer = '经复核，评分与申报材料相符，质疑不成立。';
    const res = await officer.post(`/officer/challenges/${ch.id}/answer`, {
      version: String(ch.version),
      outcome: 'dismissed',
      answer,
    });
    expect(res.status).toBe(303);
    const review = await page(officer, res.headers.get('location')!);
    expect(review).toContain(`质疑不成立：${answer}`);
    expect(review).not.toContain(`action="/officer/challenges/${ch.id}/answer"`);
    const stored = await awardService().awards.getChallenge(ch.id);
    expect([stored?.status, stored?.outcome, stored?.answer]).toEqual(['answered', 'dismissed', answer]);

    // During the notice the award stands (公示中); the public sees the answer, not the challenger.
    const publicNotice = await page(new PageClient(p), `/notices/${first.id}`);
    expect(publicNotice).toContain('公示中');
    expect(publicNotice).toContain(`质疑不成立：${answer}`);
    expect(publicNotice).not.toContain(ch.text);
    const award = (await awardService().awards.get(first.id))!;
    const end = Math.max(Date.parse(award.noticeEndsAt!), Date.parse(award.challengeDeadline!));
    p.clock.set(new Date(end + 60_000));
    const later = await page(new PageClient(p), `/notices/${first.id}`);
    expect(later).toContain('已生效');
    expect(later).not.toContain('提出质疑');
  });
});

describe('price explanations and reopened sheets', () => {
  let call: Call;
  let qicaiSub: Submission;
  let panel: Panel;
  const reviews = () => new ReviewService(p.deps);

  beforeAll(async () => {
    call = await publishedCall(p, 1);
    const service = new SubmissionService(p.deps);
    const qicai = p.demo.users['qicai-applicant']!;
    const draft = await service.create(qicai, call.id, bid(30_000_000));
    qicaiSub = (await service.submit(qicai, draft, draft.version, p.clock.now)).submission;
    // Two other bids on lot 1: 七彩's ¥300,000 is more than 20% below their mean (异常低价).
    const others = [
      await submittedBid(p, call, { lot: '1', priceFen: 50_000_000, eligible: true }),
      await submittedBid(p, call, { lot: '1', priceFen: 52_000_000, eligible: true }),
    ];
    p.clock.set(new Date(Date.parse(call.periods.deadline) + 60_000));
    const officer = p.demo.users['xun-officer']!;
    qicaiSub = await service.screen(officer, (await service.repo.get(qicaiSub.id))!, {
      version: qicaiSub.version,
      eligible: true,
      reasons: [],
    });
    panel = await reviews().draw(call, officer, { seed: 'b'.repeat(32), reserves: 2 });
    const scores = { T1: 12, T2: 20, T3: 12, T4: 8, T5: 12, T6: 8 };
    for (const m of panel.members) {
      const member = p.demo.users[usernameOf(p, m.userId)]!;
      for (const s of [qicaiSub, ...others]) {
        const sheet = await reviews().saveDraft(s.id, member, { scores, comments: {}, comment: '' });
        await reviews().submit(s.id, member, sheet.version);
      }
    }
    expect((await reviews().repo.aggregate(qicaiSub.id))?.row?.flags.abnormallyLow).toBe(true);
  });

  it('a bidder files its explanation on its submission page; the officer decides and both pages show it', async () => {
    const qicai = await new PageClient(p).signIn('qicai-applicant');
    const path = `/applicant/submissions/${qicaiSub.id}`;
    const before = await page(qicai, path);
    expect(before).toContain('异常低价书面说明');
    expect(before).toContain(`action="${path}/explanation"`);
    const version = String((await new SubmissionService(p.deps).repo.get(qicaiSub.id))!.version);

    const empty = await qicai.post(`${path}/explanation`, { version, explanation: '' });
    expect(empty.status).toBe(422);

    const text = '报价较低的原因：机构自有活动场地，并有稳定的志愿者队伍，人员成本较低。';
    const res = await qicai.post(`${path}/explanation`, { version, explanation: text });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${path}?done=explained#explanation`);
    const filed = await page(qicai, res.headers.get('location')!);
    expect(filed).toContain('报价说明已提交');
    expect(filed).toContain(text);
    expect(filed).toContain('待审查');
    expect(filed).not.toContain(`action="${path}/explanation"`);

    const officer = await new PageClient(p).signIn('xun-officer');
    const review = await page(officer, `/officer/calls/${call.id}/review`);
    expect(review).toContain(text);
    expect(review).toContain(`action="/officer/submissions/${qicaiSub.id}/explanation"`);
    const current = (await new SubmissionService(p.deps).repo.get(qicaiSub.id))!;
    const decided = await officer.post(`/officer/submissions/${qicaiSub.id}/explanation`, {
      version: String(current.version),
      decision: 'accepted',
    });
    expect(decided.status).toBe(303);
    const after = await page(officer, decided.headers.get('location')!);
    expect(after).toContain('报价说明审查结论已保存');
    expect(after).toContain('已采纳');
    expect(after).not.toContain(`action="/officer/submissions/${qicaiSub.id}/explanation"`);
    expect(await page(qicai, path)).toContain('已采纳');
    expect((await new SubmissionService(p.deps).repo.get(qicaiSub.id))?.explanation?.decision).toBe(
      'accepted',
    );
  });

  it("the officer reopens a member's submitted sheet from the review page, with a reason required", async () => {
    const member = panel.members[0]!;
    const action = `/officer/calls/${call.id}/sheets/${qicaiSub.id}/${member.userId}/reopen`;
    const officer = await new PageClient(p).signIn('xun-officer');
    expect(await page(officer, `/officer/calls/${call.id}/review`)).toContain(`action="${action}"`);
    const sheet = (await reviews().repo.sheet(qicaiSub.id, member.userId))!;
    expect(sheet.status).toBe('submitted');
    const version = String(sheet.version);

    // No reason: refused beside the sheet, nothing changed.
    const empty = await officer.post(action, { version, reason: '' });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('role="alert"');
    expect((await reviews().repo.sheet(qicaiSub.id, member.userId))?.status).toBe('submitted');

    // Another jurisdiction's officer: the 404 page.
    const yc = await new PageClient(p).signIn('yc-officer');
    await isNotFoundPage(await yc.post(action, { version, reason: '技术分录入有误，请复核' }));

    const res = await officer.post(action, { version, reason: '技术分录入有误，请复核' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(
      `/officer/calls/${call.id}/review?done=reopened#sheet-${qicaiSub.id}-${member.userId}`,
    );
    const html = await page(officer, res.headers.get('location')!);
    expect(html).toContain('评分表已退回评委修改');
    expect(html).toContain('已退回：技术分录入有误，请复核');
    expect(html).not.toContain(`action="${action}"`);
    const reopened = (await reviews().repo.sheet(qicaiSub.id, member.userId))!;
    expect(reopened.status).toBe('draft');
    expect(reopened.reopenings.map((r) => r.reason)).toEqual(['技术分录入有误，请复核']);

    // The same form again (an old version): refused, the sheet stays as it is.
    const stale = await officer.post(action, { version, reason: '再次退回' });
    expect(stale.status).toBe(409);
    expect((await reviews().repo.sheet(qicaiSub.id, member.userId))?.reopenings).toHaveLength(1);
  });
});
