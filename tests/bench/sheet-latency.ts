/**
 * Issue item 13 (part): the latency of submitting a score sheet
 * (`POST /reviews/{submissionId}/sheet/submit`) through the local server, against the same
 * DynamoDB operations issued directly with a document client in the same run, on the same moto:
 * Get submission → Get call ‖ Get panel → Get sheet → Query the call's submissions ‖ Query the
 * lot's aggregates → TransactWriteItems (sheet locked + aggregate updated, both conditional).
 * Between timed submits the sheet is reopened (untimed) so each submit does the full work.
 *
 *   npx tsx tests/bench/sheet-latency.ts [--requests=N] [--warmup=N]
 *
 * Starts and owns its moto server; stops it on every exit path (finally, signals, process exit).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type Platform, startPlatform } from '../../infra/local/platform';
import { purchaseCall, seedDemo } from '../../infra/local/seed';
import { audited, headOf } from '../../shared/audit/record';
import type { Principal } from '../../shared/auth/principal';
import type { Call } from '../../shared/calls/model';
import { CallService } from '../../shared/calls/service';
import { makeDocClient, makeDynamoClient } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { withoutKeys } from '../../shared/db/query';
import { createLog } from '../../shared/http/log';
import type { Panel, Sheet } from '../../shared/reviews/model';
import { ReviewRepository } from '../../shared/reviews/repository';
import type { Submission } from '../../shared/submissions/model';
import { option, signIn } from './cli';
import { countOperations } from './latency';
import { round, type Summary, summarize } from './stats';

const DAY = 24 * 3600_000;
const SCORES = { T1: 12, T2: 20.5, T3: 12, T4: 8, T5: 12.25, T6: 7 };

function bid(call: Call, lot: string, priceFen: number, at: string): Submission {
  const id = randomUUID();
  return {
    id,
    callId: call.id,
    callKind: 'purchase',
    orgId: randomUUID(),
    orgName: `基准测试社工机构 ${id.slice(0, 4)}`,
    jurisdictionPath: call.jurisdictionPath,
    lot,
    content: {
      kind: 'bid',
      lot,
      priceFen,
      budgetLines: [{ item: '运营', amountFen: priceFen }],
      proposal: '方案',
    },
    attachments: [],
    status: 'submitted',
    receipts: [],
    eligibility: { eligible: true, reasons: [], by: 'bench', at },
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
    version: 2,
  };
}

/**
 * The same operations as the route, in the same order and concurrency, with the item
 * computation reduced to the minimum (the aggregate is folded by hand).
 */
async function submitDirectly(
  doc: DynamoDBDocumentClient,
  table: string,
  submissionId: string,
  reviewer: Principal,
  nowIso: string,
): Promise<void> {
  const sub = (await doc.send(new GetCommand({ TableName: table, Key: keys.submission(submissionId) })))
    .Item as Submission;
  await Promise.all([
    doc.send(new GetCommand({ TableName: table, Key: keys.call(sub.callId) })),
    doc.send(new GetCommand({ TableName: table, Key: keys.panel(sub.callId) })),
  ]);
  const sheetItem = (
    await doc.send(new GetCommand({ TableName: table, Key: keys.sheet(submissionId, reviewer.userId) }))
  ).Item!;
  const sheet = withoutKeys(sheetItem) as Sheet;
  const [, aggs] = await Promise.all([
    doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.submissionsOfCall(sub.callId) },
        Limit: 100,
      }),
    ),
    doc.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :lot)',
        ExpressionAttributeValues: { ':pk': keys.aggregatesOfCall(sub.callId), ':lot': `${sub.lot}#` },
        Limit: 100,
      }),
    ),
  ]);
  const agg = (aggs.Items ?? []).find((a) => a.submissionId === submissionId)!;
  const repo = new ReviewRepository(doc, table);
  await doc.send(
    new TransactWriteCommand({
      TransactItems: [
        // The sheet and its audit entry, as the service writes them.
        ...audited(
          {
            Put: repo.sheetPut(
              {
                ...sheet,
                status: 'submitted',
                submittedAt: nowIso,
                updatedAt: nowIso,
                version: sheet.version + 1,
              },
              sheet.version,
              'draft',
            ),
          },
          headOf(sheetItem),
          { actor: reviewer.userId, at: nowIso, action: 'sheet.submitted' },
        ),
        {
          Put: {
            TableName: table,
            Item: { ...agg, version: Number(agg.version) + 1 },
            ConditionExpression: 'version = :av',
            ExpressionAttributeValues: { ':av': agg.version },
          },
        },
      ],
    }),
  );
}

export async function benchSheetLatency(
  options: { requests?: number; warmup?: number } = {},
): Promise<Record<string, unknown>> {
  const requests = options.requests ?? 200;
  const warmup = options.warmup ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'gp-sheet-bench-'));
  let clock = new Date();
  let platform: Platform | undefined;
  try {
    const id = randomUUID().slice(0, 8);
    platform = await startPlatform({
      now: () => clock,
      log: createLog({}, () => {}),
      config: {
        tableName: `bench-${id}`,
        idempotencyTableName: `bench-${id}-idem`,
        localKeyFile: join(dir, 'keys.json'),
      },
    });
    const deps = platform.deps;
    const table = deps.config.tableName;
    const demo = await seedDemo(deps);

    // A closed Xun County tender with five eligible bids on lot 1 and a drawn panel.
    const at = (d: number) => new Date(clock.getTime() + d * DAY).toISOString();
    const service = new CallService(deps);
    const draft = await service.create(
      purchaseCall(
        demo.pools.xun,
        { enquiryStartsAt: at(-1), enquiryEndsAt: at(5), submissionOpensAt: at(-1), deadline: at(10) },
        clock.getUTCFullYear(),
      ),
      demo.users['xun-officer']!,
    );
    const call = await service.publish(draft, draft.version);
    const nowIso = clock.toISOString();
    const bids = [50, 52, 48, 51, 49].map((k) => bid(call, '1', k * 1_000_000, nowIso));
    for (const s of bids) {
      await deps.doc.send(
        new PutCommand({
          TableName: table,
          Item: {
            ...keys.submission(s.id),
            gsi2pk: keys.submissionsOfCall(call.id),
            gsi2sk: `1#${s.id}`,
            ...s,
          },
        }),
      );
    }
    clock = new Date(clock.getTime() + 11 * DAY);
    const officer = await signIn(platform.url, 'xun-officer');
    const drawn = await fetch(`${platform.url}/calls/${call.id}/panel`, {
      method: 'POST',
      headers: { authorization: `Bearer ${officer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ seed: 'be9c4000000000000000000000000013' }),
    });
    if (drawn.status !== 201) throw new Error(`draw failed: ${drawn.status} ${await drawn.text()}`);
    const panel = (await drawn.json()) as Panel;
    const member = panel.members[0]!;
    const username = Object.entries(demo.users).find(([, u]) => u.userId === member.userId)![0];
    const reviewer = demo.users[username]!;
    const token = await signIn(platform.url, username);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const [viaServerSub, directSub] = [bids[0]!.id, bids[1]!.id];
    const repo = new ReviewRepository(deps.doc, table);

    // A submitted sheet on both submissions (the direct side needs its aggregate to exist).
    for (const s of [viaServerSub, directSub]) {
      const put = await fetch(`${platform.url}/reviews/${s}/sheet`, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ scores: SCORES }),
      });
      if (put.status !== 200) throw new Error(`draft failed: ${put.status} ${await put.text()}`);
      const sub = await fetch(`${platform.url}/reviews/${s}/sheet/submit`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ version: 1 }),
      });
      if (sub.status !== 200) throw new Error(`submit failed: ${sub.status} ${await sub.text()}`);
    }
    /** Untimed: back to a draft, as an officer's reopen does. Returns the draft's version. */
    const reopen = async (submissionId: string) => {
      const s = (await repo.sheet(submissionId, member.userId))!;
      const next: Sheet = { ...s, status: 'draft', version: s.version + 1 };
      await repo.putSheet(next, s.version, 'submitted');
      return next.version;
    };

    const viaServer = countOperations(deps.doc, 'sheet-platform');
    const directDoc = makeDocClient(makeDynamoClient(deps.config));
    const direct = countOperations(directDoc, 'sheet-direct');
    const viaHttp = async () => {
      const version = await reopen(viaServerSub);
      viaServer.reset();
      const t0 = performance.now();
      const res = await fetch(`${platform!.url}/reviews/${viaServerSub}/sheet/submit`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ version }),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`submit answered ${res.status}: ${text.slice(0, 300)}`);
      return { ms, trips: viaServer.attempts, ops: [...viaServer.commands] };
    };
    const viaDirect = async () => {
      await reopen(directSub);
      direct.reset();
      const t0 = performance.now();
      await submitDirectly(directDoc, table, directSub, reviewer, clock.toISOString());
      return { ms: performance.now() - t0, trips: direct.attempts, ops: [...direct.commands] };
    };

    let opsServer: string[] = [];
    let opsDirect: string[] = [];
    for (let i = 0; i < warmup; i++) {
      opsServer = (await viaHttp()).ops;
      opsDirect = (await viaDirect()).ops;
    }
    const server: number[] = [];
    const dirMs: number[] = [];
    const trips = { server: [] as number[], direct: [] as number[] };
    // Alternating blocks (ABBA) so drift hits both sides alike.
    const block = 10;
    for (let b = 0; b * block < requests; b++) {
      const n = Math.min(block, requests - b * block);
      const runServer = async () => {
        for (let i = 0; i < n; i++) {
          const r = await viaHttp();
          server.push(r.ms);
          trips.server.push(r.trips);
        }
      };
      const runDirect = async () => {
        for (let i = 0; i < n; i++) {
          const r = await viaDirect();
          dirMs.push(r.ms);
          trips.direct.push(r.trips);
        }
      };
      if (b % 2 === 0) {
        await runServer();
        await runDirect();
      } else {
        await runDirect();
        await runServer();
      }
    }
    const a: Summary = summarize(server);
    const d: Summary = summarize(dirMs);
    return {
      route: 'POST /reviews/{submissionId}/sheet/submit',
      operations: { route: opsServer, direct: opsDirect },
      roundTrips: {
        route: { min: Math.min(...trips.server), max: Math.max(...trips.server) },
        direct: { min: Math.min(...trips.direct), max: Math.max(...trips.direct) },
      },
      viaServer: a,
      direct: d,
      ratioP50: round(a.p50 / d.p50),
      ratioP99: round(a.p99 / d.p99),
    };
  } finally {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // No top-level await: the module stays importable from a CommonJS context too.
  void benchSheetLatency({ requests: option('requests', 200), warmup: option('warmup', 20) }).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e) => {
      process.stderr.write(`sheet latency bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
