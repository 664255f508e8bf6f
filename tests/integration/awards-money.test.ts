import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../shared/db/keys';
import { closedCall, serialTestPlatform } from '../support/awards';
import type { TestPlatform } from '../support/platform';

/**
 * Awards on real moto: the two-officer rule, and confirmation committing money in one
 * transaction that can never over-commit the pool, even under 50 concurrent confirmations.
 */
let p: TestPlatform;
let officerA: string;
let officerB: string;
const YUAN = 100;

interface AwardJson {
  id: string;
  status: string;
  effectiveStatus: string;
  amountFen: number;
  version: number;
  submissionId: string;
  proposedBy: string;
  noticeEndsAt?: string;
  challengeDeadline?: string;
}

beforeAll(async () => {
  // Thursday 17 September 2026, 10:00 in Beijing.
  // A moto of its own that serves one request at a time: moto's threaded server does not isolate
  // concurrent transactions (see startSerialMoto); DynamoDB does.
  p = await serialTestPlatform(new Date('2026-09-17T10:00:00+08:00'));
}, 60_000);
afterAll(() => p?.stop());

const tokens = async () => {
  officerA = await p.signIn('xun-officer');
  officerB = await p.signIn('xun-officer-2');
};

async function pool(id: string) {
  const res = await p.api('GET', `/pools/${id}`, { token: officerA });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    budgetFen: number;
    committedFen: number;
    availableFen: number;
    version: number;
  };
}

describe('proposal and confirmation by two officers', () => {
  it('proposes from the ranking; the proposer cannot confirm; a second officer commits the money', async () => {
    const fx = await closedCall(p, 'venture', [
      { requestedFen: 50_000 * YUAN, totals: [88, 90, 92, 91, 89] },
      { requestedFen: 40_000 * YUAN, totals: [80, 81, 79, 82, 80] },
      { requestedFen: 30_000 * YUAN, totals: [55, 58, 59, 57, 56] }, // below the minimum of 60
      { requestedFen: 20_000 * YUAN, totals: [70, 71, 72, 70, 69], eligible: false },
    ]);
    await tokens();
    const proposal = await fx.propose(officerA, { 'idempotency-key': 'proposal-1' });
    expect(proposal.status).toBe(201);
    const body = (await proposal.json()) as { proposed: AwardJson[]; selection: { decisions: unknown[] } };
    expect(body.proposed.map((a) => [a.submissionId, a.amountFen, a.status])).toEqual([
      [fx.submissions[0]!.id, 50_000 * YUAN, 'proposed'],
      [fx.submissions[1]!.id, 40_000 * YUAN, 'proposed'],
    ]);
    expect(body.selection.decisions).toContainEqual(
      expect.objectContaining({
        submissionId: fx.submissions[2]!.id,
        status: 'not-funded',
        reason: 'below-minimum',
      }),
    );
    // A replay with the same key returns the first answer; without a key there is nothing new to propose.
    const replay = await fx.propose(officerA, { 'idempotency-key': 'proposal-1' });
    expect(replay.status).toBe(201);
    expect(((await replay.json()) as { proposed: AwardJson[] }).proposed).toHaveLength(2);
    const again = await fx.propose(officerA);
    expect(again.status).toBe(422);
    expect(((await again.json()) as { type: string }).type).toMatch(/nothing-to-propose$/);

    const [first, second] = body.proposed as [AwardJson, AwardJson];
    const before = await pool(fx.pool.id);
    expect(before.committedFen).toBe(0);

    const own = await p.api('POST', `/awards/${first.id}/confirm`, { token: officerA, body: { version: 1 } });
    expect(own.status).toBe(403);
    expect(((await own.json()) as { type: string }).type).toMatch(/proposer-cannot-confirm$/);
    const auditor = await p.api('POST', `/awards/${first.id}/confirm`, {
      token: await p.signIn('xun-auditor'),
      body: { version: 1 },
    });
    expect(auditor.status).toBe(403);
    const foreign = await p.api('POST', `/awards/${first.id}/confirm`, {
      token: await p.signIn('yc-officer'),
      body: { version: 1 },
    });
    expect(foreign.status).toBe(404);
    expect((await pool(fx.pool.id)).committedFen).toBe(0);

    const stale = await p.api('POST', `/awards/${first.id}/confirm`, {
      token: officerB,
      body: { version: 7 },
    });
    expect(stale.status).toBe(409);

    const ok = await p.api('POST', `/awards/${first.id}/confirm`, { token: officerB, body: { version: 1 } });
    expect(ok.status).toBe(200);
    const confirmed = (await ok.json()) as AwardJson;
    expect(confirmed.status).toBe('confirmed');
    // Confirmed Thursday 17 Sep, 12:00: 5 working days are 18 Sep, Sunday 20 Sep (补班), 21, 22, 23.
    expect(confirmed.noticeEndsAt).toBe('2026-09-23T16:00:00.000Z');
    // 7 working days: … 23, 24, then 中秋 (Friday 25 Sep) is off, so Monday 28 Sep.
    expect(confirmed.challengeDeadline).toBe('2026-09-28T16:00:00.000Z');
    const after = await pool(fx.pool.id);
    expect(after.committedFen).toBe(50_000 * YUAN);
    expect(after.availableFen).toBe(after.budgetFen - 50_000 * YUAN);

    const twice = await p.api('POST', `/awards/${first.id}/confirm`, {
      token: officerB,
      body: { version: 2 },
    });
    expect(twice.status).toBe(409);
    expect((await pool(fx.pool.id)).committedFen).toBe(50_000 * YUAN);

    const list = await p.api('GET', `/calls/${fx.call.id}/awards`, { token: officerA });
    const items = ((await list.json()) as { items: AwardJson[] }).items;
    expect(items.map((a) => [a.id, a.status])).toEqual([
      [first.id, 'confirmed'],
      [second.id, 'proposed'],
    ]);
  });
});

describe('50 concurrent confirmations against a pool too small for all of them', () => {
  it('commits exactly as many as fit; the pool never holds more than its budget', async () => {
    const fx = await closedCall(
      p,
      'venture',
      Array.from({ length: 50 }, (_, i) => ({
        requestedFen: 30_000 * YUAN,
        totals: Array(5).fill(95 - i * 0.5) as number[],
      })),
    );
    await tokens();
    const proposal = await fx.propose(officerA);
    expect(proposal.status).toBe(201);
    const awards = ((await proposal.json()) as { proposed: AwardJson[] }).proposed;
    expect(awards).toHaveLength(50); // ¥1,500,000 fitted the ¥2,000,000 available when proposed
    // Meanwhile the pool is cut to ¥1,000,000: room for 33 awards of ¥30,000, not 34.
    const before = await pool(fx.pool.id);
    const cut = await p.api('PATCH', `/pools/${fx.pool.id}`, {
      token: officerA,
      body: { version: before.version, budgetFen: 1_000_000 * YUAN },
    });
    expect(cut.status).toBe(200);

    const answers = await Promise.all(
      awards.map((a) => p.api('POST', `/awards/${a.id}/confirm`, { token: officerB, body: { version: 1 } })),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(33);
    expect(statuses.filter((s) => s !== 200)).toEqual(Array(17).fill(422));
    for (const r of answers.filter((x) => x.status === 422)) {
      const problem = (await r.json()) as { type: string; availableFen: number; amountFen: number };
      expect(problem.type).toMatch(/insufficient-funds$/);
      expect(problem.availableFen).toBeLessThan(problem.amountFen);
    }
    const after = await pool(fx.pool.id);
    expect(after.committedFen).toBe(33 * 30_000 * YUAN);
    expect(after.committedFen).toBeLessThanOrEqual(after.budgetFen);

    const list = await p.api('GET', `/calls/${fx.call.id}/awards?limit=100`, { token: officerA });
    const items = ((await list.json()) as { items: AwardJson[] }).items;
    expect(items.filter((a) => a.status === 'confirmed')).toHaveLength(33);
    expect(items.filter((a) => a.status === 'proposed')).toHaveLength(17);
    expect(items.filter((a) => a.status === 'confirmed').reduce((s, a) => s + a.amountFen, 0)).toBe(
      after.committedFen,
    );
  });
});

describe('purchase calls: the top eligible bid of each lot', () => {
  it('an abnormally low top bid waits for its explanation; once accepted, proposing again adds it', async () => {
    const fx = await closedCall(p, 'purchase', [
      // Lot 1: the 300,000 bid is abnormally low (87号令 第60条) and ranks first.
      { lot: '1', priceFen: 550_000 * YUAN, totals: [80, 80, 80, 80, 80] },
      { lot: '1', priceFen: 560_000 * YUAN, totals: [84, 84, 84, 84, 84] },
      { lot: '1', priceFen: 300_000 * YUAN, totals: [85, 85, 85, 85, 85], explanation: 'pending' },
      // Lot 2: the ineligible bid is not ranked; the better score wins, not the lower price.
      { lot: '2', priceFen: 450_000 * YUAN, totals: [82, 82, 82, 82, 82] },
      { lot: '2', priceFen: 480_000 * YUAN, totals: [84, 84, 84, 84, 84] },
      { lot: '2', priceFen: 400_000 * YUAN, totals: [89, 89, 89, 89, 89], eligible: false },
    ]);
    await tokens();
    const first = await fx.propose(officerA);
    expect(first.status).toBe(201);
    const body = (await first.json()) as {
      proposed: (AwardJson & { lot: string })[];
      selection: { lots: { lot: string; status: string; reason?: string }[] };
    };
    expect(body.proposed.map((a) => [a.lot, a.submissionId, a.amountFen])).toEqual([
      ['2', fx.submissions[4]!.id, 480_000 * YUAN],
    ]);
    expect(body.selection.lots).toContainEqual(
      expect.objectContaining({ lot: '1', status: 'pending', reason: 'explanation-pending' }),
    );

    // The officer accepts the written explanation (the submissions context records it).
    await p.deps.doc.send(
      new UpdateCommand({
        TableName: p.deps.config.tableName,
        Key: keys.submission(fx.submissions[2]!.id),
        UpdateExpression: 'SET explanation.decision = :d',
        ExpressionAttributeValues: { ':d': 'accepted' },
      }),
    );
    const second = await fx.propose(officerA);
    expect(second.status).toBe(201);
    const again = (await second.json()) as {
      proposed: (AwardJson & { lot: string })[];
      existing: AwardJson[];
    };
    expect(again.proposed.map((a) => [a.lot, a.submissionId, a.amountFen])).toEqual([
      ['1', fx.submissions[2]!.id, 300_000 * YUAN],
    ]);
    expect(again.existing.map((a) => a.submissionId)).toEqual([fx.submissions[4]!.id]);
  });
});

describe('the deployed wiring reads the review context’s stored ranking', () => {
  it('refuses to propose while an eligible submission has no ranked row (scoring incomplete)', async () => {
    const fx = await closedCall(p, 'venture', [
      { requestedFen: 10_000 * YUAN, totals: [80, 80, 80, 80, 80] },
      { requestedFen: 10_000 * YUAN, totals: [70, 70, 70, 70, 70], eligible: false },
    ]);
    await tokens();
    // Through the local server: the reviews function as deployed, whose ranking has no rows yet.
    const res = await p.api('POST', `/calls/${fx.call.id}/awards/proposal`, { token: officerA, body: {} });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { type: string; submissionIds: string[] };
    expect(problem.type).toMatch(/scoring-incomplete$/);
    expect(problem.submissionIds).toEqual([fx.submissions[0]!.id]);
  });
});
