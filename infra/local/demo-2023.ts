import { randomUUID } from 'node:crypto';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  DeleteCommand,
  type DynamoDBDocumentClient,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '../../shared/audit/chain';
import { audited } from '../../shared/audit/record';
import type { Principal } from '../../shared/auth/principal';
import type { Award } from '../../shared/awards/model';
import { AwardRepository } from '../../shared/awards/repository';
import type { Call } from '../../shared/calls/model';
import { CallService } from '../../shared/calls/service';
import type { Contract } from '../../shared/contracts/model';
import { ContractService } from '../../shared/contracts/service';
import type { Writer } from '../../shared/contracts/writer';
import { keys } from '../../shared/db/keys';
import { EvaluationService } from '../../shared/evaluation/service';
import type { Deps } from '../../shared/http/deps';
import type { Station } from '../../shared/jurisdictions/model';
import { ledgerEntryPut } from '../../shared/ledger/entries';
import type { Pool } from '../../shared/pools/model';
import { PoolRepository } from '../../shared/pools/repository';
import type { Report } from '../../shared/reports/model';
import { ReportService } from '../../shared/reports/service';
import type { MilestoneReportInput } from '../../shared/reports/validation';
import type { Submission } from '../../shared/submissions/model';
import { RECIPIENT_CATEGORIES, type RecipientCategory } from '../../shared/submissions/model';
import { UserRepository } from '../../shared/users/repository';
import { xun, xunStations } from './demo-data';
import { type DemoIds, purchaseCall } from './seed';

/**
 * The seed article's 2023 Xun County figures (DOMAIN.md, "Service outputs"), rebuilt FROM REPORTS:
 * a 2023 purchased-services pool, the tender for the 11 township stations in two lots (七彩 north,
 * 牵手 south), its two final awards and contracts, and one milestone report per station per month,
 * each filed by the provider and approved by an officer through the same services the API uses —
 * so the statistics counters come from the approval path, exactly as in production.
 *
 * The 2023 totals the reports add up to:
 * - visits to registered recipients by category: 低保 4,139, 特困 373, 困境儿童 801, 残疾人 441,
 *   其他 711 — 6,465 in all. The article states a total of 5,665, which its own categories
 *   contradict; a report carrying that total with these categories would be refused (the
 *   breakdown must add up), so the demo reports the categories and their true sum;
 * - 18 case works, 20 group works, 162 community activities; ¥65,000 of resources linked;
 * - training 12 sessions (120 hours), supervision 65 sessions (145 hours);
 * - people served about 22,000 (the article gives no breakdown: reported unclassified).
 */
export const XUN_2023 = {
  visits: { minimumLiving: 4139, extremePoverty: 373, childrenInDifficulty: 801, disabled: 441, other: 711 },
  cases: 18,
  groups: 20,
  activities: 162,
  peopleServed: 22_000,
  resourcesLinkedFen: 65_000 * 100,
  training: { sessions: 12, hours: 120 },
  supervision: { sessions: 65, hours: 145 },
} as const satisfies {
  visits: Record<RecipientCategory, number>;
  [k: string]: unknown;
};

const MONTHS = Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`);
/** Relative activity of the stations (busier towns) and of the months (slow start, busy winter). */
const STATION_WEIGHTS = [13, 11, 9, 10, 12, 8, 10, 14, 11, 9, 10];
const MONTH_WEIGHTS = [7, 6, 9, 10, 10, 11, 10, 10, 11, 12, 11, 13];

/**
 * Splits `total` over the 132 station-months in proportion to the weights, in whole units, by
 * largest remainders: the parts always add up to the total exactly.
 */
export function spread(total: number, salt = 0): number[][] {
  const cells: { s: number; m: number; w: number }[] = [];
  STATION_WEIGHTS.forEach((sw, s) => {
    MONTH_WEIGHTS.forEach((mw, m) => {
      cells.push({ s, m, w: sw * mw });
    });
  });
  const W = cells.reduce((a, c) => a + c.w, 0);
  const parts = cells.map((c) => Math.floor((total * c.w) / W));
  let left = total - parts.reduce((a, b) => a + b, 0);
  // Largest remainder first; ties broken by a salted order so small totals do not all land on station 0.
  const order = cells
    .map((c, i) => ({ i, r: (total * c.w) % W, k: (i * 7 + salt * 13) % cells.length }))
    .sort((a, b) => b.r - a.r || a.k - b.k);
  for (const { i } of order) {
    if (left === 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  const grid = STATION_WEIGHTS.map(() => MONTH_WEIGHTS.map(() => 0));
  cells.forEach((c, i) => {
    grid[c.s]![c.m] = parts[i]!;
  });
  return grid;
}

/** The 132 reports' figures, [station][month]. */
export function demoFigures(): MilestoneReportInput[][] {
  const visits = Object.fromEntries(
    RECIPIENT_CATEGORIES.map((c, i) => [c, spread(XUN_2023.visits[c], i + 1)]),
  ) as Record<RecipientCategory, number[][]>;
  const cases = spread(XUN_2023.cases, 11);
  const groups = spread(XUN_2023.groups, 12);
  const activities = spread(XUN_2023.activities, 13);
  const people = spread(XUN_2023.peopleServed, 14);
  const resourcesYuan = spread(XUN_2023.resourcesLinkedFen / 100, 15);
  const supervision = spread(XUN_2023.supervision.sessions, 16);
  // Supervision hours: 2 per session, one more for the first sessions until 145 is reached.
  let extraHours = XUN_2023.supervision.hours - 2 * XUN_2023.supervision.sessions;
  return xunStations.map((station, s) =>
    MONTHS.map((month, m) => {
      const byCategory = Object.fromEntries(
        RECIPIENT_CATEGORIES.map((c) => [c, visits[c][s]![m]!]),
      ) as Record<RecipientCategory, number>;
      const supSessions = supervision[s]![m]!;
      const supExtra = supSessions > 0 ? Math.min(extraHours, supSessions) : 0;
      extraHours -= supExtra;
      // One training a month (10 hours), held in turn at the stations.
      const training = s === m % xunStations.length ? { sessions: 1, hours: 10 } : { sessions: 0, hours: 0 };
      return {
        visits: { total: RECIPIENT_CATEGORIES.reduce((a, c) => a + byCategory[c], 0), byCategory },
        cases: { total: cases[s]![m]! },
        groups: { total: groups[s]![m]! },
        activities: { total: activities[s]![m]! },
        peopleServed: { total: people[s]![m]! },
        resourcesLinkedFen: resourcesYuan[s]![m]! * 100,
        training,
        supervision: { sessions: supSessions, hours: 2 * supSessions + supExtra },
        narrative: `${station.name} ${month}：入户探访建档服务对象，开展个案、小组与社区活动，链接社会资源。`,
      };
    }),
  );
}

export interface Demo2023Ids {
  pool: string;
  call: string;
  contracts: string[];
  reports: number;
}

/**
 * Sends the writes of one change without a transaction: the Puts in one BatchWriteItem, the
 * Updates one by one, side by side. Only for loading history into a fresh local table where
 * nothing else runs: moto copies the whole table for every TransactWriteItems and handles about a
 * hundred requests a second, which would make the 264 changes below take minutes. The items are
 * exactly those the services build for their transactions (the approval path included); only
 * their conditions are not evaluated (ConditionChecks are skipped): nothing writes concurrently.
 */
export function unbatched(doc: DynamoDBDocumentClient): Writer {
  // moto applies an UpdateItem as read-modify-write without a lock: two ADDs to one item at the
  // same moment can lose one (DynamoDB's are atomic). Updates of one key are therefore chained.
  const chains = new Map<string, Promise<unknown>>();
  const update = (u: NonNullable<TransactItem['Update']>) => {
    const key = JSON.stringify(u.Key);
    const run = (chains.get(key) ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => doc.send(new UpdateCommand(u as ConstructorParameters<typeof UpdateCommand>[0])));
    chains.set(key, run);
    return run;
  };
  return async (items) => {
    const puts = items.flatMap((i) => (i.Put ? [{ PutRequest: { Item: i.Put.Item } }] : []));
    const table = items.find((i) => i.Put)?.Put?.TableName;
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < puts.length; i += 25) {
      sends.push(
        (async () => {
          let request: BatchWriteCommandInput['RequestItems'] = { [table!]: puts.slice(i, i + 25) };
          while (request && Object.keys(request).length)
            request = (await doc.send(new BatchWriteCommand({ RequestItems: request }))).UnprocessedItems;
        })(),
      );
    }
    for (const item of items) {
      if (item.Update) sends.push(update(item.Update));
      if (item.Delete)
        sends.push(
          doc.send(new DeleteCommand(item.Delete as ConstructorParameters<typeof DeleteCommand>[0])),
        );
    }
    await Promise.all(sends);
  };
}

/** Runs `run` for each item with at most `width` at a time. */
async function pooled<T>(items: T[], width: number, run: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

/**
 * Loads the 2023 history. A clock of its own walks through 2022–2024 (the services check the
 * calendar against it): the tender in late 2022, contracts signed at the end of 2022, each month's
 * reports filed and approved early the next month, the evaluations mid-year and at year end.
 */
export async function seedDemo2023(deps: Deps, ids: DemoIds): Promise<Demo2023Ids> {
  let now = new Date('2022-11-01T09:00:00+08:00');
  const past: Deps = { ...deps, now: () => now };
  const write = unbatched(deps.doc);
  const table = deps.config.tableName;
  const officer = ids.users['xun-officer']!;
  const reviewer = ids.users['xun-officer-2']!;
  const qicai = ids.users['qicai-applicant']!;
  const qianshouUser = await new UserRepository(deps.doc, table).byUsername('qianshou-admin');
  const qianshou: Principal = {
    userId: qianshouUser?.id ?? 'qianshou-admin',
    role: 'applicant',
    name: qianshouUser?.name ?? '鹤壁牵手社会工作服务中心 管理员',
    orgId: ids.orgs.qianshou!,
    jurisdictionId: qicai.jurisdictionId,
    jurisdictionPath: qicai.jurisdictionPath,
  };

  // The 2023 pool: about ¥1.2 million (2% of the provincial subsidy plus minor-protection funds).
  const pool: Pool = {
    id: randomUUID(),
    name: '浚县2023年度政府购买社会工作服务资金',
    sources: [
      { kind: 'social-assistance-subsidy', note: '省级困难群众救助补助资金总量的 2%' },
      { kind: 'minor-protection', note: '未成年人保护资金' },
    ],
    fiscalYear: 2023,
    jurisdictionId: xun.id,
    jurisdictionPath: xun.path,
    budgetFen: 1_200_000 * 100,
    committedFen: 0,
    disbursedFen: 0,
    createdAt: now.toISOString(),
    createdBy: officer.userId,
    version: 1,
  };
  await new PoolRepository(deps.doc, table).create(pool);

  const calls = new CallService(past);
  const periods = {
    enquiryStartsAt: '2022-11-01T09:00:00+08:00',
    enquiryEndsAt: '2022-11-20T17:00:00+08:00',
    submissionOpensAt: '2022-11-01T09:00:00+08:00',
    deadline: '2022-12-01T09:30:00+08:00',
  };
  const draft = await calls.create(purchaseCall(pool.id, periods, 2023), officer);
  const call: Call = await calls.publish(draft, draft.version, officer);

  // The two winning bids and their final awards, as the review context left them (the bids were
  // scored and the notices ran in December 2022; only the winners are kept in the demo).
  const lots = [
    {
      lot: '1',
      org: qicai,
      orgName: '鹤壁七彩社会工作服务中心',
      priceFen: 580_000 * 100,
      stations: xunStations.slice(0, 6),
    },
    {
      lot: '2',
      org: qianshou,
      orgName: '鹤壁牵手社会工作服务中心',
      priceFen: 470_000 * 100,
      stations: xunStations.slice(6),
    },
  ];
  const awardsRepo = new AwardRepository(deps.doc, table);
  const awards: Award[] = [];
  for (const l of lots) {
    const submittedAt = '2022-11-28T02:00:00.000Z';
    const subId = randomUUID();
    const sub: Submission = {
      id: subId,
      callId: call.id,
      callKind: 'purchase',
      orgId: l.org.orgId!,
      orgName: l.orgName,
      jurisdictionPath: call.jurisdictionPath,
      lot: l.lot,
      content: {
        kind: 'bid',
        lot: l.lot,
        priceFen: l.priceFen,
        budgetLines: [
          { item: '社工人员薪酬', amountFen: Math.round(l.priceFen * 0.7) },
          { item: '服务活动与培训督导', amountFen: l.priceFen - Math.round(l.priceFen * 0.7) },
        ],
        proposal: `承接${l.stations.map((s) => s.name).join('、')}2023年度运营服务。`,
      },
      attachments: [],
      status: 'submitted',
      receipts: [{ submissionId: subId, version: 1, sha256: '0'.repeat(64), receivedAt: submittedAt }],
      eligibility: { eligible: true, reasons: [], by: officer.userId, at: '2022-12-01T03:00:00.000Z' },
      createdAt: submittedAt,
      updatedAt: submittedAt,
      submittedAt,
      version: 2,
    };
    const award: Award = {
      id: `aw-${subId}`,
      callId: call.id,
      callKind: 'purchase',
      callTitle: call.title,
      poolId: pool.id,
      jurisdictionPath: call.jurisdictionPath,
      submissionId: subId,
      orgId: sub.orgId,
      orgName: sub.orgName,
      lot: l.lot,
      amountFen: l.priceFen,
      rank: 1,
      totalCenti: l.lot === '1' ? 8_912 : 8_655,
      priceScoreCenti: l.lot === '1' ? 950 : 1_000,
      technicalScoreCenti: l.lot === '1' ? 7_962 : 7_655,
      noticeWorkingDays: 5,
      status: 'final',
      proposedBy: officer.userId,
      proposedAt: '2022-12-05T02:00:00.000Z',
      confirmedBy: reviewer.userId,
      confirmedAt: '2022-12-06T02:00:00.000Z',
      noticeStartsAt: '2022-12-06T02:00:00.000Z',
      noticeEndsAt: '2022-12-13T02:00:00.000Z',
      challengeDeadline: '2022-12-15T02:00:00.000Z',
      closesAt: '2022-12-15T02:00:00.000Z',
      openChallenges: 0,
      challenges: 0,
      finalizedAt: '2022-12-15T02:00:00.000Z',
      version: 3,
    };
    const at = award.confirmedAt!;
    await write([
      ...audited(
        {
          Put: {
            TableName: table,
            Item: {
              ...keys.submission(sub.id),
              gsi1pk: keys.submissionsOfOrg(sub.orgId),
              gsi1sk: `${sub.createdAt}#${sub.id}`,
              gsi2pk: keys.submissionsOfCall(call.id),
              gsi2sk: `${l.lot}#${sub.id}`,
              ...sub,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        undefined,
        { actor: l.org.userId, at: submittedAt, action: 'submission.submitted' },
      ),
      ...audited(
        {
          Put: {
            TableName: table,
            Item: {
              ...awardsRepo.item(award),
              gsi2pk: keys.publicNotices,
              gsi2sk: `${award.noticeStartsAt}#${award.id}`,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        undefined,
        { actor: 'system:demo-2023', at: award.finalizedAt!, action: 'award.finalized' },
      ),
      {
        Update: {
          TableName: table,
          Key: keys.pool(pool.id),
          UpdateExpression: 'SET committedFen = committedFen + :a',
          ConditionExpression: 'committedFen <= :limit',
          ExpressionAttributeValues: { ':a': award.amountFen, ':limit': pool.budgetFen - award.amountFen },
        },
      },
      ledgerEntryPut(table, {
        id: randomUUID(),
        poolId: pool.id,
        kind: 'commit',
        amountFen: award.amountFen,
        at,
        actor: reviewer.userId,
        awardId: award.id,
        cause: 'award.confirmed',
      }),
    ]);
    awards.push(award);
  }

  // Contracts signed on 28 December 2022 for calendar 2023.
  now = new Date('2022-12-28T10:00:00+08:00');
  const contractService = new ContractService(past, { write });
  const contracts: Contract[] = [];
  for (const [i, l] of lots.entries()) {
    const share = l.stations.length / xunStations.length;
    contracts.push(
      await contractService.sign(
        awards[i]!.id,
        {
          startDate: '2023-01-01',
          endDate: '2023-12-31',
          targets: {
            visits: Math.round(6_000 * share),
            cases: Math.round(16 * share),
            groups: Math.round(20 * share),
            activities: Math.round(150 * share),
            peopleServed: {
              minimumLiving: Math.round(12_000 * share),
              extremePoverty: Math.round(1_200 * share),
              childrenInDifficulty: Math.round(2_400 * share),
              disabled: Math.round(1_600 * share),
              other: Math.round(2_800 * share),
            },
          },
          stationIds: l.stations.map((s) => s.id),
        },
        officer,
      ),
    );
  }

  // Each month's reports are filed on the 3rd of the next month and approved on the 5th; the
  // mid-term evaluation follows June's approvals, the final one December's. Every step runs with
  // a clock of its own date, so the filings of all months go out side by side; the approvals and
  // evaluations of one contract go in order (each writes the contract, guarded by its version),
  // the two contracts side by side.
  const figures = demoFigures();
  const on = (day: string) => {
    const at = new Date(`${day}T10:00:00+08:00`);
    return { ...deps, now: () => at } satisfies Deps;
  };
  const nextMonth = (m: number) => (m === 11 ? '2024-01' : MONTHS[m + 1]!);
  const ofContract = (station: Station) => (lots[0]!.stations.includes(station) ? 0 : 1);
  const jobs = xunStations.flatMap((station, s) => MONTHS.map((month, m) => ({ station, s, month, m })));
  const filed = new Map<string, Report>();
  await pooled(jobs, 6, async ({ station, s, month, m }) => {
    const ci = ofContract(station);
    const report = await new ReportService(on(`${nextMonth(m)}-03`), { write }).file(
      { contract: contracts[ci]!, head: undefined },
      {
        milestone: m < 6 ? 'midterm' : 'final',
        stationId: station.id,
        month,
        figures: figures[s]![m]!,
      },
      ci === 0 ? qicai : qianshou,
    );
    filed.set(`${station.id}|${month}`, report);
  });
  let count = 0;
  await Promise.all(
    contracts.map(async (contract, ci) => {
      for (const [m, month] of MONTHS.entries()) {
        const approvals = new ReportService(on(`${nextMonth(m)}-05`), { write });
        for (const station of lots[ci]!.stations) {
          const r = filed.get(`${station.id}|${month}`)!;
          const read = (await approvals.reports.get(r.id))!;
          await approvals.approve(read, { version: r.version }, officer);
          count++;
        }
        if (m === 5 || m === 11)
          await new EvaluationService(on(m === 5 ? '2023-07-10' : '2024-01-10'), { write }).record(
            contract.id,
            evaluationInput(m === 5 ? 'midterm' : 'final', ci),
            officer,
          );
      }
    }),
  );
  return { pool: pool.id, call: call.id, contracts: contracts.map((c) => c.id), reports: count };
}

/** The officer's sheet (决策 15 / 过程 25 / 效益 20; 产出 40 is scored from the reports). */
function evaluationInput(stage: 'midterm' | 'final', ci: number) {
  return {
    stage,
    sheet: {
      groups: [
        {
          key: 'decision' as const,
          indicators: [
            { id: 'D1', name: '项目立项与目标', maxPoints: 8, points: 7.5 },
            { id: 'D2', name: '资金管理制度', maxPoints: 7, points: 6.5 },
          ],
        },
        {
          key: 'process' as const,
          indicators: [
            { id: 'P1', name: '服务台账与档案', maxPoints: 10, points: ci === 0 ? 9 : 8 },
            { id: 'P2', name: '资金使用规范', maxPoints: 10, points: 9 },
            { id: 'P3', name: '督导与培训落实', maxPoints: 5, points: 4.5 },
          ],
        },
        {
          key: 'benefits' as const,
          indicators: [
            { id: 'B1', name: '服务对象满意度', maxPoints: 10, points: ci === 0 ? 9.5 : 8.5 },
            { id: 'B2', name: '社会效益与可持续性', maxPoints: 10, points: ci === 0 ? 9 : 8 },
          ],
        },
      ],
    },
    comments: stage === 'midterm' ? '中期评估：服务推进有序。' : '末期评估：完成年度服务目标。',
  };
}

/**
 * `npm start`: loads the 2023 history after the platform is up, without holding up the banner
 * (moto takes some twenty seconds for the 264 changes); says so when it is there.
 */
export function loadDemo2023InBackground(deps: Deps, ids: DemoIds): void {
  const started = performance.now();
  seedDemo2023(deps, ids).then(
    (r) =>
      console.log(
        `2023 demo history loaded: ${r.reports} milestone reports of Xun County's 11 stations (${Math.round((performance.now() - started) / 1000)} s).`,
      ),
    (e) => console.error('Loading the 2023 demo history failed:', e),
  );
}
