import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { awardRoutes } from '../../functions/reviews/awards';
import { demoUsers, xun } from '../../infra/local/demo-data';
import { startMoto } from '../../infra/local/moto';
import { startPlatform } from '../../infra/local/platform';
import { purchaseCall, seedDemo, ventureCall } from '../../infra/local/seed';
import { computedRanking } from '../../shared/awards/ranking';
import type { Call } from '../../shared/calls/model';
import { CallService } from '../../shared/calls/service';
import { keys } from '../../shared/db/keys';
import { type Api, createApi } from '../../shared/http/app';
import { createLog } from '../../shared/http/log';
import type { Pool } from '../../shared/pools/model';
import { PoolRepository } from '../../shared/pools/repository';
import { addSheet, emptyAggregate, type SubmissionAggregate } from '../../shared/scoring/aggregate';
import type { Submission } from '../../shared/submissions/model';
import type { TestPlatform } from './platform';

const HOUR = 3600_000;

/** One ranked, screened submission: who, what price or request, and each member's total. */
export interface Entry {
  orgId?: string;
  orgName?: string;
  lot?: string;
  priceFen?: number;
  requestedFen?: number;
  /** Member totals in points (one sheet each). */
  totals: number[];
  eligible?: boolean;
  explanation?: 'accepted' | 'rejected' | 'pending';
}

export interface ClosedCall {
  call: Call;
  pool: Pool;
  submissions: Submission[];
  /** The reviews function's award routes with the ranking computed from these entries' sheets. */
  awardsApp: Api;
  propose(token: string, headers?: Record<string, string>): Promise<Response>;
}

/**
 * A Xun County call, published, with submitted and screened submissions written with the
 * submissions context's keys and schema, and closed by moving the clock past its deadline. The
 * score sheets live in memory and feed `rank()` (the award path under test does not depend on
 * how the review context stores them).
 */
export async function closedCall(
  p: TestPlatform,
  kind: 'purchase' | 'venture',
  entries: Entry[],
  options: {
    poolBudgetFen?: number;
    venture?: Partial<NonNullable<Call['venture']>>;
    noticeWorkingDays?: number;
  } = {},
): Promise<ClosedCall> {
  const deps = p.deps;
  const table = deps.config.tableName;
  const officer = p.demo.users['xun-officer']!;
  const now = p.clock.now;
  const pool: Pool = {
    id: randomUUID(),
    name: '浚县测试资金池',
    sources: [{ kind: 'social-assistance-subsidy' }],
    fiscalYear: now.getUTCFullYear(),
    jurisdictionId: xun.id,
    jurisdictionPath: xun.path,
    budgetFen: options.poolBudgetFen ?? 2_000_000 * 100,
    committedFen: 0,
    disbursedFen: 0,
    createdAt: now.toISOString(),
    createdBy: officer.userId,
    version: 1,
  };
  await new PoolRepository(deps.doc, table).create(pool);
  const periods = {
    enquiryStartsAt: new Date(now.getTime() - 48 * HOUR).toISOString(),
    enquiryEndsAt: new Date(now.getTime() - 24 * HOUR).toISOString(),
    submissionOpensAt: new Date(now.getTime() - 48 * HOUR).toISOString(),
    deadline: new Date(now.getTime() + HOUR).toISOString(),
  };
  const year = now.getUTCFullYear();
  const base =
    kind === 'purchase' ? purchaseCall(pool.id, periods, year) : ventureCall(pool.id, periods, year);
  const input = {
    ...base,
    jurisdictionId: xun.id,
    ...(kind === 'venture' ? { venture: { ...base.venture!, ...options.venture } } : {}),
    noticeWorkingDays: options.noticeWorkingDays ?? base.noticeWorkingDays,
  };
  // Published three weeks ago: an open tender needs 20 days from publication to its deadline
  // (政府采购法 第35条), and this one closes within the hour. (A clock of its own, not the
  // platform's: helpers may run concurrently.)
  const service = new CallService({ ...deps, now: () => new Date(now.getTime() - 21 * 24 * HOUR) });
  const draft = await service.create(input, officer);
  const call = await service.publish(draft, draft.version);

  const submittedAt = new Date(now.getTime() - HOUR).toISOString();
  const aggregates = new Map<string, SubmissionAggregate>();
  const submissions: Submission[] = [];
  for (const [i, e] of entries.entries()) {
    const id = randomUUID();
    const s: Submission = {
      id,
      callId: call.id,
      callKind: kind,
      orgId: e.orgId ?? `org-${i}`,
      orgName: e.orgName ?? `测试机构 ${i + 1}`,
      jurisdictionPath: call.jurisdictionPath,
      ...(kind === 'purchase' ? { lot: e.lot ?? '1' } : {}),
      content:
        kind === 'purchase'
          ? {
              kind: 'bid',
              lot: e.lot ?? '1',
              priceFen: e.priceFen!,
              budgetLines: [{ item: '运营服务', amountFen: e.priceFen! }],
              proposal: '服务方案',
            }
          : {
              kind: 'application',
              projectTitle: `项目 ${i + 1}`,
              requestedFen: e.requestedFen!,
              stationId: 'st-410621101',
              recipientGroups: ['minimumLiving'],
              targets: {
                visits: 100,
                cases: 5,
                groups: 2,
                activities: 10,
                peopleServed: {
                  minimumLiving: 50,
                  extremePoverty: 5,
                  childrenInDifficulty: 0,
                  disabled: 0,
                  other: 0,
                },
              },
              summary: '项目简介',
            },
      attachments: [],
      status: 'submitted',
      receipts: [{ submissionId: id, version: 1, sha256: '0'.repeat(64), receivedAt: submittedAt }],
      eligibility: { eligible: e.eligible ?? true, reasons: [], by: officer.userId, at: submittedAt },
      ...(e.explanation
        ? {
            explanation: {
              text: '报价低的原因：自有场地与志愿者',
              at: submittedAt,
              ...(e.explanation === 'pending' ? {} : { decision: e.explanation, decidedBy: officer.userId }),
            },
          }
        : {}),
      createdAt: submittedAt,
      updatedAt: submittedAt,
      submittedAt,
      version: 2,
    };
    await deps.doc.send(
      new PutCommand({
        TableName: table,
        Item: {
          ...keys.submission(id),
          gsi1pk: keys.submissionsOfOrg(s.orgId),
          gsi1sk: `${s.createdAt}#${id}`,
          gsi2pk: keys.submissionsOfCall(call.id),
          gsi2sk: `${s.lot ?? '-'}#${id}`,
          ...s,
        },
      }),
    );
    submissions.push(s);
    let agg = emptyAggregate();
    e.totals.forEach((t, r) => {
      agg = addSheet(agg, { reviewerId: `expert-${r}`, submissionId: id, scores: { all: t } });
    });
    aggregates.set(id, agg);
  }
  p.clock.advance(2 * HOUR); // past the deadline
  const awardsApp = createApi(deps, 'reviews');
  awardRoutes(awardsApp, deps, {
    ranking: computedRanking(deps.doc, table, async () => aggregates),
  });
  const propose = async (token: string, headers: Record<string, string> = {}) =>
    awardsApp.fetch(
      new Request(`http://local/calls/${call.id}/awards/proposal`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: '{}',
      }),
    );
  return { call, pool, submissions, awardsApp, propose };
}

/** A moto of its own that serves one request at a time (see `startMoto`'s `serial` option). */
export const startSerialMoto = () => startMoto({ serial: true });

/** `testPlatform`, on a moto of its own that serves one request at a time (see `startSerialMoto`). */
export async function serialTestPlatform(start: Date): Promise<TestPlatform> {
  const moto = await startSerialMoto();
  const clock = {
    now: start,
    set(d: Date) {
      clock.now = d;
    },
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  try {
    const platform = await startPlatform({
      endpoint: moto.endpoint,
      now: () => clock.now,
      log: createLog({}, () => {}),
      config: { localKeyFile: join(mkdtempSync(join(tmpdir(), 'gp-keys-')), 'keys.json') },
    });
    const demo = await seedDemo(platform.deps);
    const api: TestPlatform['api'] = (method, path, init = {}) =>
      fetch(platform.url + path, {
        method,
        headers: {
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...init.headers,
        },
        body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      });
    const signIn = async (username: string) => {
      const password = demoUsers.find((u) => u.username === username)?.password;
      const res = await api('POST', '/auth/sign-in', { body: { username, password } });
      if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status}`);
      return ((await res.json()) as { accessToken: string }).accessToken;
    };
    return {
      ...platform,
      demo,
      clock,
      api,
      signIn,
      stop: async () => {
        await platform.stop();
        await moto.stop();
      },
    };
  } catch (e) {
    await moto.stop();
    throw e;
  }
}
