import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildJobs } from '../../functions/jobs/app';
import { closedCall } from '../support/awards';
import { type TestPlatform, testPlatform } from '../support/platform';

/**
 * The public notice (公示) and challenges (质疑) on real moto, with the clock moved across real
 * working days of 2026: the 调休 Sunday 20 Sep, 中秋 (Friday 25 Sep), National Day (1–7 Oct).
 */
let p: TestPlatform;
const YUAN = 100;

interface AwardJson {
  id: string;
  status: string;
  effectiveStatus: string;
  amountFen: number;
  version: number;
  poolId: string;
  noticeEndsAt: string;
  challengeDeadline: string;
  closesAt: string;
  openChallenges: number;
  finalizedAt?: string;
  challengeOpen: boolean;
}
interface NoticeJson {
  id: string;
  status: string;
  orgName: string;
  amountFen: number;
  scores: { total: number };
  challengeOpen: boolean;
  challengeDeadline: string;
  noticeEndsAt: string;
  finalizedAt?: string;
}

const at = (beijing: string) => p.clock.set(new Date(`${beijing}+08:00`));
const as = (user: string) => p.signIn(user);

beforeAll(async () => {
  p = await testPlatform({ start: new Date('2026-09-17T10:00:00+08:00') });
}, 60_000);
afterAll(() => p?.stop());

/** A venture call won by 牵手 (first) and 七彩 (second), both funded; proposed by A, confirmed by B. */
async function confirmedAwards(noticeWorkingDays = 5) {
  at('2026-09-17T10:00:00');
  const fx = await closedCall(
    p,
    'venture',
    [
      {
        orgId: p.demo.orgs.qianshou,
        orgName: '鹤壁牵手社会工作服务中心',
        requestedFen: 50_000 * YUAN,
        totals: [90, 91, 92, 90, 88],
      },
      {
        orgId: p.demo.orgs.qicai,
        orgName: '鹤壁七彩社会工作服务中心',
        requestedFen: 40_000 * YUAN,
        totals: [80, 82, 81, 79, 80],
      },
    ],
    { noticeWorkingDays },
  );
  // Closed at 12:00 (the helper moves the clock past the deadline).
  const proposal = await fx.propose(await as('xun-officer'));
  expect(proposal.status).toBe(201);
  const proposed = ((await proposal.json()) as { proposed: AwardJson[] }).proposed;
  const b = await as('xun-officer-2');
  const confirmed: AwardJson[] = [];
  for (const a of proposed) {
    const res = await p.api('POST', `/awards/${a.id}/confirm`, { token: b, body: { version: a.version } });
    expect(res.status).toBe(200);
    confirmed.push((await res.json()) as AwardJson);
  }
  return { fx, awards: confirmed as [AwardJson, AwardJson] };
}

async function award(id: string): Promise<AwardJson> {
  const res = await p.api('GET', `/awards/${id}`, { token: await as('xun-auditor') });
  expect(res.status).toBe(200);
  return (await res.json()) as AwardJson;
}

async function notice(id: string): Promise<NoticeJson> {
  const res = await p.api('GET', `/public/notices/${id}`);
  expect(res.status).toBe(200);
  return (await res.json()) as NoticeJson;
}

const challenge = async (awardId: string, user = 'qicai-applicant', key?: string) =>
  p.api('POST', `/awards/${awardId}/challenges`, {
    token: await as(user),
    body: { text: '评分中“服务计划”一项的得分与申报材料不符，请复核。' },
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });

describe('public notice and challenge windows on working days', () => {
  it('publishes confirmed awards only, with the notice period and challenge deadline', async () => {
    const { awards } = await confirmedAwards();
    const [first] = awards;
    // Confirmed Thursday 17 Sep 12:00: 5 working days end Wednesday 23 Sep (the 调休 Sunday 20 Sep
    // counts); 7 working days skip 中秋 (Friday 25 Sep) and end Monday 28 Sep, 24:00 Beijing time.
    expect(first.noticeEndsAt).toBe('2026-09-23T16:00:00.000Z');
    expect(first.challengeDeadline).toBe('2026-09-28T16:00:00.000Z');
    expect(first.closesAt).toBe(first.challengeDeadline);

    const n = await notice(first.id);
    expect(n).toMatchObject({
      status: 'confirmed',
      orgName: '鹤壁牵手社会工作服务中心',
      amountFen: 50_000 * YUAN,
      challengeOpen: true,
      noticeEndsAt: first.noticeEndsAt,
      challengeDeadline: first.challengeDeadline,
    });
    expect(n.scores.total).toBe(90.33); // trimmed mean of 90, 91, 90 (88 and 92 dropped)
    expect(JSON.stringify(n)).not.toContain('proposedBy');
    const list = (await (await p.api('GET', '/public/notices?limit=100')).json()) as { items: NoticeJson[] };
    expect(list.items.map((x) => x.id)).toEqual(expect.arrayContaining(awards.map((a) => a.id)));
  });

  it('a proposed award is not public, and cannot be challenged', async () => {
    at('2026-09-17T10:00:00');
    const fx = await closedCall(p, 'venture', [
      { orgId: p.demo.orgs.qicai, requestedFen: 10_000 * YUAN, totals: [70, 70, 70, 70, 70] },
    ]);
    const res = await fx.propose(await as('xun-officer'));
    const [proposed] = ((await res.json()) as { proposed: AwardJson[] }).proposed;
    expect((await p.api('GET', `/public/notices/${proposed!.id}`)).status).toBe(404);
    expect((await challenge(proposed!.id)).status).toBe(404);
  });

  it('accepts challenges from participants until 24:00 of the 7th working day; then refuses them', async () => {
    const { awards } = await confirmedAwards();
    const [first] = awards;
    // 春熙 did not take part in the call.
    const outsider = await challenge(first.id, 'chunxi-applicant');
    expect(outsider.status).toBe(403);
    expect(((await outsider.json()) as { type: string }).type).toMatch(/not-a-participant$/);
    // An officer cannot file one (role).
    expect(
      (
        await p.api('POST', `/awards/${first.id}/challenges`, {
          token: await as('xun-officer'),
          body: { text: '这是一个官员的质疑，不应被接受。' },
        })
      ).status,
    ).toBe(403);

    at('2026-09-28T23:59:59'); // Monday 28 Sep, the 7th working day, one second before 24:00
    const last = await challenge(first.id, 'qicai-applicant', 'challenge-1');
    expect(last.status).toBe(201);
    const ch = (await last.json()) as { id: string; status: string };
    expect(ch.status).toBe('open');
    const replay = await challenge(first.id, 'qicai-applicant', 'challenge-1');
    expect(((await replay.json()) as { id: string }).id).toBe(ch.id);
    expect((await award(first.id)).openChallenges).toBe(1);
    expect((await p.api('GET', `/challenges/${ch.id}`, { token: await as('qicai-applicant') })).status).toBe(
      200,
    );

    at('2026-09-29T00:00:00'); // 24:00 has passed
    const late = await challenge(first.id);
    expect(late.status).toBe(422);
    expect(((await late.json()) as { type: string }).type).toMatch(/challenge-window-closed$/);
    expect((await award(first.id)).openChallenges).toBe(1);
  });
});

describe('answers, cancellation and finality', () => {
  it('an open challenge holds the award back; dismissing it after the windows makes it final', async () => {
    const { awards } = await confirmedAwards();
    const [first] = awards;
    at('2026-09-25T10:00:00'); // 中秋, a holiday: challenges are still accepted
    const res = await challenge(first.id);
    expect(res.status).toBe(201);
    const ch = (await res.json()) as { id: string; version: number };

    at('2026-09-30T10:00:00'); // the windows have closed, the challenge is still open
    expect((await award(first.id)).effectiveStatus).toBe('confirmed');
    const jobs = buildJobs(p.deps);
    expect((await jobs.tick()).finalizedAwards).not.toContain(first.id);
    expect((await notice(first.id)).status).toBe('confirmed');

    const answer = await p.api('POST', `/challenges/${ch.id}/answer`, {
      token: await as('xun-officer'),
      body: { version: ch.version, outcome: 'dismissed', answer: '经复核，评分与申报材料相符，质疑不成立。' },
    });
    expect(answer.status).toBe(200);
    const viewed = await award(first.id);
    expect(viewed.status).toBe('confirmed'); // stored: the job has not run yet
    expect(viewed.effectiveStatus).toBe('final'); // what everyone sees
    expect(viewed.finalizedAt).toBe(new Date('2026-09-30T10:00:00+08:00').toISOString());
    expect((await notice(first.id)).status).toBe('final');

    at('2026-10-09T10:00:00'); // the job runs late, after National Day
    expect((await jobs.tick()).finalizedAwards).toContain(first.id);
    const stored = await award(first.id);
    expect(stored.status).toBe('final');
    expect(stored.finalizedAt).toBe(viewed.finalizedAt);
    // Answered twice? No.
    const again = await p.api('POST', `/challenges/${ch.id}/answer`, {
      token: await as('xun-officer'),
      body: { version: ch.version, outcome: 'upheld', answer: '再次答复' },
    });
    expect(again.status).toBe(409);
  });

  it('an upheld challenge cancels the award and releases its money in one transaction', async () => {
    const { awards } = await confirmedAwards();
    const [first, second] = awards;
    const poolOf = async () => {
      const res = await p.api('GET', `/pools/${first.poolId}`, { token: await as('xun-officer') });
      return ((await res.json()) as { committedFen: number }).committedFen;
    };
    expect(await poolOf()).toBe(90_000 * YUAN);

    at('2026-09-21T09:00:00');
    const ch = (await (await challenge(first.id)).json()) as { id: string; version: number };
    const answer = await p.api('POST', `/challenges/${ch.id}/answer`, {
      token: await as('xun-officer'),
      body: { version: ch.version, outcome: 'upheld', answer: '经复核，质疑成立，撤销该项目立项。' },
    });
    expect(answer.status).toBe(200);
    const out = (await answer.json()) as { award: AwardJson; challenge: { status: string; outcome: string } };
    expect(out.challenge).toMatchObject({ status: 'answered', outcome: 'upheld' });
    expect(out.award.status).toBe('cancelled');
    expect(await poolOf()).toBe(40_000 * YUAN); // only 七彩's award remains committed
    expect((await notice(first.id)).status).toBe('cancelled');
    const after = await challenge(first.id);
    expect(after.status).toBe(422);
    expect(((await after.json()) as { type: string }).type).toMatch(/award-cancelled$/);

    at('2026-10-09T10:00:00');
    const done = (await buildJobs(p.deps).tick()).finalizedAwards;
    expect(done).toContain(second.id);
    expect(done).not.toContain(first.id);
    expect((await award(first.id)).status).toBe('cancelled');
    expect((await award(second.id)).status).toBe('final');
    expect(await poolOf()).toBe(40_000 * YUAN);
  });

  it('a longer notice ends after National Day; a late job records what readers already saw', async () => {
    // 10 working days from Thursday 17 Sep: 18, 20 (补班), 21, 22, 23, 24, 28, 29, 30, then 8 Oct.
    const { awards } = await confirmedAwards(10);
    const [first, second] = awards;
    expect(first.noticeEndsAt).toBe('2026-10-08T16:00:00.000Z');
    expect(first.challengeDeadline).toBe('2026-09-28T16:00:00.000Z');
    expect(first.closesAt).toBe(first.noticeEndsAt);

    at('2026-10-08T23:00:00');
    expect((await award(first.id)).effectiveStatus).toBe('confirmed');
    expect((await notice(first.id)).challengeOpen).toBe(false);
    const jobs = buildJobs(p.deps);
    expect((await jobs.tick()).finalizedAwards).not.toContain(first.id);

    at('2026-10-09T00:00:00'); // final from 24:00 on, whether or not the job has run
    const publicView = await notice(first.id);
    expect(publicView.status).toBe('final');
    expect(publicView.finalizedAt).toBe(first.noticeEndsAt);
    const lateView = await award(second.id);
    expect(lateView.effectiveStatus).toBe('final');
    expect(lateView.finalizedAt).toBe(second.noticeEndsAt);

    at('2026-10-20T15:00:00'); // the job only runs eleven days later
    const done = (await jobs.tick()).finalizedAwards;
    expect(done).toEqual(expect.arrayContaining([first.id, second.id]));
    const [a1, a2] = [await award(first.id), await award(second.id)];
    expect(a1.status).toBe('final');
    expect(a2.status).toBe('final');
    expect(a1.finalizedAt).toBe(publicView.finalizedAt);
    expect(a2.finalizedAt).toBe(lateView.finalizedAt);
    expect((await notice(second.id)).finalizedAt).toBe(lateView.finalizedAt);
    expect((await buildJobs(p.deps).tick()).finalizedAwards).toEqual([]);
  });
});
