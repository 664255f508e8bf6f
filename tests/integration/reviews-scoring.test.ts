import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../shared/calls/model';
import { seatedFor } from '../../shared/reviews/draw';
import type { Panel, RankingRow, Sheet } from '../../shared/reviews/model';
import { ReviewService } from '../../shared/reviews/service';
import { aggregateAll } from '../../shared/scoring/aggregate';
import type { ScoreSheet, SubmissionForScoring } from '../../shared/scoring/model';
import { rank } from '../../shared/scoring/rank';
import type { Submission } from '../../shared/submissions/model';
import { type TestPlatform, testPlatform } from '../support/platform';
import {
  commandCounter,
  DAY,
  json,
  publishedCall,
  setEligible,
  submittedBid,
  usernameOf,
} from '../support/reviews';

let p: TestPlatform;
let call: Call;
let panel: Panel;
const subs: Record<string, Submission> = {};
const MAX: Record<string, number> = { T1: 15, T2: 25, T3: 15, T4: 10, T5: 15, T6: 10 };
const afterDeadline = new Date(Date.now() + 11 * DAY);

/** Tokens at the current clock (access tokens live 15 minutes: a moved clock needs new ones). */
let tokens = new Map<string, string>();
async function as(username: string): Promise<string> {
  let t = tokens.get(username);
  if (!t) {
    t = await p.signIn(username);
    tokens.set(username, t);
  }
  return t;
}
function clockAt(d: Date) {
  p.clock.set(d);
  tokens = new Map();
}
const asUser = (userId: string) => as(usernameOf(p, userId));

beforeAll(async () => {
  p = await testPlatform();
  clockAt(new Date());
  call = await publishedCall(p);
  const bids: [string, string, number, boolean | undefined][] = [
    ['L1a', '1', 50_000_000, true],
    ['L1b', '1', 52_000_000, true],
    ['L1c', '1', 48_000_000, true],
    ['L1d', '1', 30_000_000, true], // far below the others: 异常低价
    ['L1x', '1', 45_000_000, false], // screened out: no score, sets no benchmark
    ['L2a', '2', 40_000_000, true],
    ['L2b', '2', 40_000_000, true], // same price and scores as L2a: 并列
    ['L2c', '2', 45_000_000, true],
    ['L2u', '2', 41_000_000, undefined], // not screened yet
  ];
  for (const [name, lot, priceFen, eligible] of bids) {
    subs[name] = await submittedBid(p, call, {
      ...(name === 'L1a' ? { orgId: p.demo.orgs.qicai!, orgName: '鹤壁七彩社会工作服务中心' } : {}),
      lot,
      priceFen,
      eligible,
    });
  }
  clockAt(afterDeadline);
  const res = await p.api('POST', `/calls/${call.id}/panel`, {
    token: await as('xun-officer'),
    body: { seed: 'c0ffee00000000000000000000000087' },
  });
  expect(res.status).toBe(201);
  panel = await json<Panel>(res);
});
afterAll(() => p?.stop());

const member = (i: number) => panel.members[i]!.userId;
const reserve = (i: number) => panel.reserves[i]!.userId;
const get = async (userId: string, sub: string) =>
  p.api('GET', `/reviews/${subs[sub]?.id ?? sub}`, { token: await asUser(userId) });
const put = async (userId: string, sub: string, body: Record<string, unknown>) =>
  p.api('PUT', `/reviews/${subs[sub]!.id}/sheet`, { token: await asUser(userId), body });
const submit = async (userId: string, sub: string, version: number) =>
  p.api('POST', `/reviews/${subs[sub]!.id}/sheet/submit`, { token: await asUser(userId), body: { version } });

/** Deterministic scores: a level per submission, a small offset per member; all within bounds. */
function scoresFor(sub: string, userId: string): Record<string, number> {
  const level: Record<string, number> = {
    L1a: 0.8,
    L1b: 0.7,
    L1c: 0.75,
    L1d: 0.6,
    L2a: 0.7,
    L2b: 0.7,
    L2c: 0.72,
  };
  const r = panel.members.findIndex((m) => m.userId === userId);
  // One member scores L1c far below the others: an outlier (more than 15 points off the median).
  const f = sub === 'L1c' && r === 0 ? level[sub]! - 0.35 : level[sub]!;
  const out: Record<string, number> = {};
  for (const [id, max] of Object.entries(MAX)) {
    const c = Math.min(
      max * 100,
      Math.floor(max * 100 * f) + (sub.startsWith('L2') ? 0 : Math.max(r, 0) * 7),
    );
    out[id] = c / 100;
  }
  return out;
}

async function scoreAndSubmit(userId: string, sub: string, scores = scoresFor(sub, userId)) {
  const current = await json<{ sheet?: Sheet }>(await get(userId, sub));
  const saved = await put(userId, sub, {
    scores,
    comments: { T1: '需求分析具体' },
    comment: '总体良好',
    ...(current.sheet ? { version: current.sheet.version } : {}),
  });
  expect(saved.status).toBe(200);
  const sheet = await json<Sheet>(saved);
  const res = await submit(userId, sub, sheet.version);
  expect(res.status).toBe(200);
  return json<Sheet>(res);
}

describe('reading a submission', () => {
  it('is possible for a seated member after the deadline, never before, and only for eligible submissions', async () => {
    const res = await get(member(1), 'L1a');
    expect(res.status).toBe(200);
    const view = await json<{ submission: { orgName: string }; rubric: unknown; sheet?: unknown }>(res);
    expect(view.submission.orgName).toBe('鹤壁七彩社会工作服务中心');
    expect(view.sheet).toBeUndefined();
    expect((await get(member(1), 'L1x')).status).toBe(404); // screened out
    expect((await get(member(1), 'L2u')).status).toBe(404); // not screened yet
    expect((await get(reserve(0), 'L1a')).status).toBe(404); // a reserve not (yet) seated

    clockAt(new Date(new Date(call.periods.deadline).getTime() - 60_000));
    expect((await get(member(1), 'L1a')).status).toBe(404); // sealed before the deadline
    clockAt(afterDeadline);
  });
});

describe('conflicts of interest (回避)', () => {
  it('recuse the member, who then gets the same 404 as for a missing submission; the first reserve takes the seat', async () => {
    const res = await p.api('POST', `/reviews/${subs.L1a!.id}/conflict`, {
      token: await asUser(member(0)),
      body: { reason: '曾为该机构提供督导服务' },
    });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      submissionId: subs.L1a!.id,
      recused: true,
      replacedBy: { userId: reserve(0), name: panel.reserves[0]!.name },
    });
    const recused = await get(member(0), 'L1a');
    const missing = await get(member(0), 'no-such-submission');
    expect(recused.status).toBe(404);
    const [x, y] = (await Promise.all([recused.json(), missing.json()])) as Record<string, unknown>[];
    expect({ ...x, instance: 0, requestId: 0 }).toEqual({ ...y, instance: 0, requestId: 0 });
    expect((await put(member(0), 'L1a', { scores: { T1: 1 } })).status).toBe(404);
    expect((await submit(member(0), 'L1a', 1)).status).toBe(404);
    expect((await get(reserve(0), 'L1a')).status).toBe(200);

    const work = async (userId: string) =>
      (
        await json<{ items: { submissionId: string }[] }>(
          await p.api('GET', `/reviews/assignments/${call.id}`, { token: await asUser(userId) }),
        )
      ).items.map((i) => i.submissionId);
    expect(await work(member(0))).not.toContain(subs.L1a!.id);
    expect(await work(reserve(0))).toEqual([subs.L1a!.id]);

    const recorded = await json<Panel>(
      await p.api('GET', `/calls/${call.id}/panel`, { token: await as('xun-officer') }),
    );
    expect(recorded.recusals).toEqual([
      expect.objectContaining({ submissionId: subs.L1a!.id, userId: member(0), replacedBy: reserve(0) }),
    ]);
  });
});

describe('score sheets', () => {
  it('refuse scores out of bounds, with more than two decimals or for unknown indicators, naming each', async () => {
    const res = await put(member(1), 'L1b', { scores: { T1: 16, T2: 3.333, T3: -1, T9: 1 } });
    expect(res.status).toBe(422);
    const body = await json<{ errors: { field: string; message: string; messageZh: string }[] }>(res);
    expect(body.errors).toEqual([
      { field: 'body.scores.T1', message: 'Must be between 0 and 15.', messageZh: '应在 0 至 15 分之间' },
      { field: 'body.scores.T2', message: 'Use at most two decimals.', messageZh: '最多保留两位小数' },
      { field: 'body.scores.T3', message: 'Must be between 0 and 15.', messageZh: '应在 0 至 15 分之间' },
      { field: 'body.scores.T9', message: 'No indicator T9 in this call.', messageZh: '本项目没有指标 T9' },
    ]);
  });

  it('can be saved partly as a draft, but only submitted complete', async () => {
    const draft = await put(member(1), 'L1b', { scores: { T1: 12.5 } });
    expect(draft.status).toBe(200);
    const res = await submit(member(1), 'L1b', 1);
    expect(res.status).toBe(422);
    const body = await json<{ errors: { field: string }[] }>(res);
    expect(body.errors.map((e) => e.field)).toEqual([
      'sheet.scores.T2',
      'sheet.scores.T3',
      'sheet.scores.T4',
      'sheet.scores.T5',
      'sheet.scores.T6',
    ]);
    // A stale version is a 409.
    expect((await put(member(1), 'L1b', { scores: { T1: 12 } })).status).toBe(409);
  });

  it("hide the other members' scores until the reviewer's own sheet is submitted", async () => {
    await scoreAndSubmit(member(1), 'L1b');
    const before = await get(member(2), 'L1b');
    const text = await before.text();
    expect(JSON.parse(text)).not.toHaveProperty('panel');
    expect(text).not.toContain(member(1));
    expect((await p.api('GET', `/calls/${call.id}/sheets`, { token: await asUser(member(2)) })).status).toBe(
      403,
    );
    await scoreAndSubmit(member(2), 'L1b');
    const after = await json<{ panel: { sheetsSubmitted: number; totals: string[] } }>(
      await get(member(2), 'L1b'),
    );
    expect(after.panel.sheetsSubmitted).toBe(2);
    expect(after.panel.totals).toHaveLength(2);
    expect(JSON.stringify(after)).not.toContain(member(1));
  });

  it('are locked once submitted; an officer reopens one with a reason, recorded, and the resubmission replaces the total', async () => {
    const locked = await json<{ sheet: Sheet }>(await get(member(1), 'L1b'));
    expect(locked.sheet.status).toBe('submitted');
    expect((await put(member(1), 'L1b', { version: locked.sheet.version, scores: {} })).status).toBe(409);
    expect((await submit(member(1), 'L1b', locked.sheet.version)).status).toBe(409);

    const path = `/reviews/${subs.L1b!.id}/sheets/${member(1)}/reopen`;
    const foreign = await p.api('POST', path, {
      token: await as('yc-officer'),
      body: { version: locked.sheet.version, reason: '分数录入错误' },
    });
    expect(foreign.status).toBe(404);
    const reopened = await p.api('POST', path, {
      token: await as('xun-officer'),
      body: { version: locked.sheet.version, reason: '指标 T3 分数录入错误' },
    });
    expect(reopened.status).toBe(200);
    const sheet = await json<Sheet>(reopened);
    expect(sheet.status).toBe('draft');
    expect(sheet.reopenings).toEqual([
      {
        by: p.demo.users['xun-officer']!.userId,
        at: afterDeadline.toISOString(),
        reason: '指标 T3 分数录入错误',
      },
    ]);

    const changed = { ...scoresFor('L1b', member(1)), T3: 1 };
    await scoreAndSubmit(member(1), 'L1b', changed);
    const sheets = await json<{ items: (Sheet & { totalCenti: number })[] }>(
      await p.api('GET', `/calls/${call.id}/sheets?limit=100`, { token: await as('xun-officer') }),
    );
    const mine = sheets.items.find((s) => s.submissionId === subs.L1b!.id && s.reviewerId === member(1))!;
    expect(mine.status).toBe('submitted');
    expect(mine.reopenings).toHaveLength(1);
    const view = await json<{ panel: { sheetsSubmitted: number; totals: string[] } }>(
      await get(member(1), 'L1b'),
    );
    expect(view.panel.sheetsSubmitted).toBe(2); // replaced, not counted twice
    expect(view.panel.totals).toContain((mine.totalCenti / 100).toFixed(2));
  });
});

describe('the ranking', () => {
  const eligible = ['L1a', 'L1b', 'L1c', 'L1d', 'L2a', 'L2b', 'L2c'];

  async function allRows(limit: number): Promise<{ rows: RankingRow[]; pages: number; queries: number[] }> {
    const counter = commandCounter(p);
    const rows: RankingRow[] = [];
    const queries: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      counter.commands = [];
      const res = await p.api(
        'GET',
        `/calls/${call.id}/ranking?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        { token: await as('xun-officer') },
      );
      expect(res.status).toBe(200);
      const page = await json<{ items: RankingRow[]; nextCursor?: string }>(res);
      queries.push(counter.commands.filter((c) => c === 'Query').length);
      rows.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    return { rows, pages, queries };
  }

  /** The pure engine on the same data: submissions as screened, sheets as submitted. */
  async function engine() {
    const sheets = await json<{ items: Sheet[] }>(
      await p.api('GET', `/calls/${call.id}/sheets?limit=100`, { token: await as('xun-officer') }),
    );
    const scoreSheets: ScoreSheet[] = sheets.items
      .filter((s) => s.status === 'submitted')
      .map((s) => ({ reviewerId: s.reviewerId, submissionId: s.submissionId, scores: s.scores }));
    const service = new ReviewService(p.deps);
    const current = await service.submissions.listSubmittedForCall(call.id);
    const inputs: SubmissionForScoring[] = current.map((s) => ({
      id: s.id,
      lot: s.lot,
      priceFen: s.content.kind === 'bid' ? s.content.priceFen : undefined,
      eligible: s.eligibility?.eligible === true,
    }));
    return rank(call, inputs, aggregateAll(inputs, scoreSheets));
  }

  const comparable = (r: Omit<RankingRow, 'orgName' | 'priceScore' | 'technicalScore' | 'total'>) => ({
    submissionId: r.submissionId,
    lot: r.lot,
    rank: r.rank,
    tied: r.tied,
    priceScoreCenti: r.priceScoreCenti,
    technicalScoreCenti: r.technicalScoreCenti,
    totalCenti: r.totalCenti,
    reviewers: r.reviewers,
    flags: { abnormallyLow: r.flags.abnormallyLow, outlierReviewers: [...r.flags.outlierReviewers].sort() },
  });

  it('matches the pure engine once every seated member has scored: order, ties and flags', async () => {
    const current = await json<Panel>(
      await p.api('GET', `/calls/${call.id}/panel`, { token: await as('xun-officer') }),
    );
    for (const sub of eligible) {
      for (const userId of seatedFor(current, subs[sub]!.id)) {
        const view = await json<{ sheet?: Sheet }>(await get(userId, sub));
        if (view.sheet?.status !== 'submitted') await scoreAndSubmit(userId, sub);
      }
    }
    const { rows } = await allRows(100);
    const expected = await engine();
    expect(rows.map(comparable)).toEqual(expected.map(comparable));
    const by = (name: string) => rows.find((r) => r.submissionId === subs[name]!.id)!;
    expect(rows).toHaveLength(7);
    expect(by('L1d').flags.abnormallyLow).toBe(true);
    expect(by('L1c').flags.outlierReviewers).toEqual([member(0)]);
    // L2c scores higher despite its price; L2a and L2b read the same everywhere: 并列第二.
    expect(by('L2c').rank).toBe(1);
    expect([by('L2a').rank, by('L2b').rank, by('L2a').tied, by('L2b').tied]).toEqual([2, 2, true, true]);
    expect(by('L2c').tied).toBe(false);
    expect(by('L1d').priceScore).toBe('10.00'); // the lowest eligible price is the benchmark
    expect(rows.map((r) => r.lot)).toEqual(['1', '1', '1', '1', '2', '2', '2']);
  });

  it('pages with opaque cursors, one Query per page, with ranks and ties carried across pages', async () => {
    const whole = await allRows(100);
    for (const limit of [1, 2, 3]) {
      const paged = await allRows(limit);
      expect(paged.rows).toEqual(whole.rows);
      expect(paged.pages).toBe(Math.ceil(7 / limit));
      expect(paged.queries.every((q) => q === 1)).toBe(true);
    }
    const sheets = await json<{ nextCursor: string }>(
      await p.api('GET', `/calls/${call.id}/sheets?limit=1`, { token: await as('xun-officer') }),
    );
    const foreign = await p.api('GET', `/calls/${call.id}/ranking?cursor=${sheets.nextCursor}`, {
      token: await as('xun-officer'),
    });
    expect(foreign.status).toBe(400);
  });

  it('follows screening: a bid screened out leaves the ranking and no longer sets the benchmark', async () => {
    await setEligible(p, subs.L1d!.id, false);
    await new ReviewService(p.deps).refreshRanking(call.id);
    const { rows } = await allRows(100);
    expect(rows.map((r) => r.submissionId)).not.toContain(subs.L1d!.id);
    expect(rows.map(comparable)).toEqual((await engine()).map(comparable));
    expect(rows.find((r) => r.submissionId === subs.L1c!.id)!.priceScore).toBe('10.00');
  });

  it('is read by officers, finance and auditors of the jurisdiction only', async () => {
    for (const u of ['xun-finance', 'xun-auditor'])
      expect((await p.api('GET', `/calls/${call.id}/ranking`, { token: await as(u) })).status).toBe(200);
    expect((await p.api('GET', `/calls/${call.id}/ranking`, { token: await as('yc-officer') })).status).toBe(
      404,
    );
    expect((await p.api('GET', `/calls/${call.id}/ranking`, { token: await asUser(member(1)) })).status).toBe(
      403,
    );
  });
});
