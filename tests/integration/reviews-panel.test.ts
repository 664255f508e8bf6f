import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Call } from '../../shared/calls/model';
import { keys } from '../../shared/db/keys';
import { drawPanel } from '../../shared/reviews/draw';
import type { Panel } from '../../shared/reviews/model';
import { type TestPlatform, testPlatform } from '../support/platform';
import { DAY, json, publishedCall, submittedBid } from '../support/reviews';

let p: TestPlatform;
let officer: string;
let a: Call;
let b: Call;
const SEED = '87a1c0ffee5eed0000000000000000aa';

beforeAll(async () => {
  p = await testPlatform();
  officer = await p.signIn('xun-officer');
  a = await publishedCall(p);
  b = await publishedCall(p);
  // The same bidders on both calls, 七彩 among them (陈专家 advises 七彩).
  const bidders = [
    { orgId: p.demo.orgs.qicai!, orgName: '鹤壁七彩社会工作服务中心' },
    { orgId: p.demo.orgs.qianshou!, orgName: '鹤壁牵手社会工作服务中心' },
  ];
  for (const call of [a, b])
    for (const [i, o] of bidders.entries())
      await submittedBid(p, call, { ...o, lot: '1', priceFen: 50_000_000 + i * 1_000_000, eligible: true });
});
afterAll(() => p?.stop());

const draw = (call: Call, body: Record<string, unknown> = {}, token = officer) =>
  p.api('POST', `/calls/${call.id}/panel`, { token, body });
/** Moves the clock (tokens are 15 minutes: sign in again at the new time). */
async function clockAt(d: Date) {
  p.clock.set(d);
  officer = await p.signIn('xun-officer');
}
const afterDeadline = () => clockAt(new Date(Date.now() + 11 * DAY));
const today = () => clockAt(new Date());

describe('the expert pool', () => {
  it('lists the experts a county officer can draw from: its subtree and the city pool above it', async () => {
    const page = await json<{ items: { name: string; jurisdictionPath: string; isExpert: boolean }[] }>(
      await p.api('GET', '/experts?limit=100', { token: officer }),
    );
    expect(page.items).toHaveLength(10);
    expect(page.items.filter((e) => !e.isExpert).map((e) => e.name)).toEqual(['浚县民政局 采购人代表']);
    const yc = await json<{ items: unknown[] }>(
      await p.api('GET', '/experts', { token: await p.signIn('yc-officer') }),
    );
    expect(yc.items).toEqual([]);
  });

  it('adds only reviewer accounts of the officer’s subtree, and edits profiles with a version', async () => {
    const zhang = p.demo.users['expert-zhang']!.userId; // at city level, above Xun County
    const res = await p.api('POST', '/experts', {
      token: officer,
      body: { userId: zhang, expertise: ['社会工作'] },
    });
    expect(res.status).toBe(422);
    const wang = p.demo.users['expert-wang']!.userId;
    const dup = await p.api('POST', '/experts', { token: officer, body: { userId: wang, expertise: ['x'] } });
    expect(dup.status).toBe(409);
    const patched = await p.api('PATCH', `/experts/${wang}`, {
      token: officer,
      body: { version: 1, expertise: ['社会工作', '儿童保护', '督导'] },
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toMatchObject({ version: 2, expertise: ['社会工作', '儿童保护', '督导'] });
    const stale = await p.api('PATCH', `/experts/${wang}`, {
      token: officer,
      body: { version: 1, active: false },
    });
    expect(stale.status).toBe(409);
  });
});

describe('the panel draw', () => {
  it('is refused before the deadline', async () => {
    await today();
    const res = await draw(a, { seed: SEED });
    expect(res.status).toBe(422);
    expect(await json(res)).toMatchObject({ type: expect.stringContaining('deadline-not-passed') });
  });

  it('draws members and reserves by the committee rules, excluding an expert affiliated with a bidder', async () => {
    await afterDeadline();
    const res = await draw(a, { seed: SEED });
    expect(res.status).toBe(201);
    const panel = await json<Panel>(res);
    expect(panel.seed).toBe(SEED);
    expect(panel.members).toHaveLength(5);
    expect(panel.reserves).toHaveLength(2);
    // 87号令 第47条: the call asks for at least 4 experts of 5; reserves are experts.
    expect(panel.members.filter((m) => m.isExpert).length).toBeGreaterThanOrEqual(4);
    expect(panel.reserves.every((r) => r.isExpert)).toBe(true);
    const chen = p.demo.users['expert-chen']!.userId;
    expect(panel.excluded).toEqual([{ userId: chen, name: '陈专家', orgIds: [p.demo.orgs.qicai] }]);
    const seated = [...panel.members, ...panel.reserves].map((m) => m.userId);
    expect(seated).not.toContain(chen);
    expect(new Set(seated).size).toBe(7);
    expect(panel.candidates).toHaveLength(9);

    // The drawn reviewers see the assignment.
    const first = panel.members[0]!;
    const username = Object.entries(p.demo.users).find(([, u]) => u.userId === first.userId)![0];
    const list = await json<{ items: { callId: string; seat: string }[] }>(
      await p.api('GET', '/reviews/assignments', { token: await p.signIn(username) }),
    );
    expect(list.items).toEqual([expect.objectContaining({ callId: a.id, seat: 'member' })]);
  });

  it('is reproducible: the recorded seed and candidates give the same panel, and so does the same seed on the same pool', async () => {
    const panel = await json<Panel>(await p.api('GET', `/calls/${a.id}/panel`, { token: officer }));
    const again = drawPanel(panel.candidates, panel.seed, panel.rules);
    expect(again.members).toEqual(panel.members.map((m) => m.userId));
    expect(again.reserves).toEqual(panel.reserves.map((m) => m.userId));

    const other = await json<Panel>(await draw(b, { seed: SEED }));
    expect(other.members).toEqual(panel.members);
    expect(other.reserves).toEqual(panel.reserves);
    // Another seed, another order (with 9 candidates, 7 seated: the chance of the same is tiny).
    expect(drawPanel(panel.candidates, `${SEED.slice(0, -2)}ab`, panel.rules)).not.toEqual(again);
  });

  it('is never repeated, and answers 404 outside the officer’s jurisdiction', async () => {
    expect((await draw(a, { seed: SEED })).status).toBe(409);
    const yc = await draw(a, {}, await p.signIn('yc-officer'));
    expect(yc.status).toBe(404);
  });

  it('records a random 128-bit seed when none is given', async () => {
    await today();
    const c = await publishedCall(p);
    await afterDeadline();
    const panel = await json<Panel>(await draw(c));
    expect(panel.seed).toMatch(/^[0-9a-f]{32}$/);
  });

  it('refuses committee settings that break 87号令 第47条, naming each rule in both languages', async () => {
    await today();
    const c = await publishedCall(p);
    await afterDeadline();
    // A call stored before the rules were enforced (or edited behind the API's back).
    await p.deps.doc.send(
      new UpdateCommand({
        TableName: p.deps.config.tableName,
        Key: keys.call(c.id),
        UpdateExpression: 'SET scoring.committee = :c',
        ExpressionAttributeValues: { ':c': { size: 4, experts: 2 } },
      }),
    );
    const res = await draw(c);
    expect(res.status).toBe(422);
    const body = await json<{ errors: { field: string; message: string; messageZh: string }[] }>(res);
    expect(body.errors.map((e) => e.field)).toEqual([
      'call.scoring.committee.size',
      'call.scoring.committee.size',
      'call.scoring.committee.experts',
    ]);
    expect(body.errors[0]!.messageZh).toBe('评审委员会至少需要 5 人，当前为 4 人');
    expect(body.errors[1]!.message).toBe('The committee must have an odd number of members, not 4.');
  });

  it('refuses, with the exact shortfall, when the pool cannot seat the committee and its reserves', async () => {
    await today();
    const c = await publishedCall(p, 10, { committee: { size: 7, experts: 6 }, complex: true });
    await submittedBid(p, c, { orgId: p.demo.orgs.qicai!, lot: '1', priceFen: 50_000_000, eligible: true });
    await afterDeadline();
    // 8 experts not affiliated with 七彩 and 1 buyer representative: 7 members take 6 experts and the
    // representative; 2 expert reserves fit (8), 3 do not (9).
    const res = await draw(c, { reserves: 3 });
    expect(res.status).toBe(422);
    const body = await json<{ type: string; detail: string; detailZh: string; expertsAvailable: number }>(
      res,
    );
    expect(body.type).toContain('panel-unavailable');
    expect(body.expertsAvailable).toBe(8);
    expect(body.detail).toContain('needs 7 members of whom at least 6 experts');
    expect(body.detailZh).toContain('与投标人无关联的可抽取专家仅 8 人');
    const ok = await draw(c, { reserves: 2 });
    expect(ok.status).toBe(201);
  });
});
