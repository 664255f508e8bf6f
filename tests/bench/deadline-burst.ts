/**
 * Deadline burst (issue item 13): 100 concurrent clients, each an applicant of its own approved
 * organization with its own token, create and submit 5 bids each (500 submissions) over HTTP
 * through the local server shortly before a call's deadline. Then every submission is read back
 * from the table: zero errors, zero lost, zero duplicates. In the same run, on the same moto
 * server, raw PutItem throughput with the same concurrency and item size is the baseline; the
 * answer is the burst's throughput as a ratio of it.
 *
 * Alone: `npx tsx tests/bench/deadline-burst.ts [--clients=100] [--per-client=5]`.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Moto, startMoto } from '../../infra/local/moto';
import { type Platform, startPlatform } from '../../infra/local/platform';
import { purchaseCall, seedDemo } from '../../infra/local/seed';
import { hashPassword } from '../../shared/auth/passwords';
import { CallService } from '../../shared/calls/service';
import { keys } from '../../shared/db/keys';
import { withCheckChar } from '../../shared/domain/credit-code';
import { createLog } from '../../shared/http/log';
import { OrganizationRepository } from '../../shared/organizations/repository';
import type { Receipt } from '../../shared/submissions/model';
import { SubmissionRepository } from '../../shared/submissions/repository';
import { summarize } from './stats';

const PASSWORD = 'burst-applicant-password';

export interface BurstOptions {
  clients?: number;
  perClient?: number;
}

/** Runs `n` tasks with at most `concurrency` in flight; returns when all are done. */
async function pool<T>(n: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

export async function benchDeadlineBurst(options: BurstOptions = {}): Promise<Record<string, unknown>> {
  const clients = options.clients ?? 100;
  const perClient = options.perClient ?? 5;
  const dir = mkdtempSync(join(tmpdir(), 'gp-burst-'));
  let moto: Moto | undefined;
  let platform: Platform | undefined;
  try {
    moto = await startMoto({ quiet: process.env.BENCH_MOTO_LOGS ? false : undefined });
    const id = randomUUID().slice(0, 8);
    platform = await startPlatform({
      endpoint: moto.endpoint,
      log: createLog({}, () => {}),
      config: {
        tableName: `burst-${id}`,
        idempotencyTableName: `burst-${id}-idem`,
        localKeyFile: join(dir, 'keys.json'),
      },
    });
    const { deps, url } = platform;
    // The local platform gates transactions as moto needs (infra/local/moto-gate.ts).
    const gate = platform.gate!;
    const table = deps.config.tableName;
    const demo = await seedDemo(deps);

    // A tender with one lot per bid a client makes, closing a few minutes from now.
    const now = Date.now();
    const periods = {
      enquiryStartsAt: new Date(now - 3600_000).toISOString(),
      enquiryEndsAt: new Date(now).toISOString(),
      submissionOpensAt: new Date(now - 3600_000).toISOString(),
      deadline: new Date(now + 30 * 60_000).toISOString(),
    };
    const base = purchaseCall(demo.pools.xun, periods, new Date(now).getUTCFullYear());
    const lots = Array.from({ length: perClient }, (_, i) => ({
      code: String(i + 1),
      name: `第${i + 1}标包`,
      ceilingFen: 10_000_000,
    }));
    const calls = new CallService(deps);
    const draftCall = await calls.create({ ...base, lots }, demo.users['xun-officer']!);
    const call = await calls.publish(draftCall, draftCall.version);

    // 100 approved organizations, each with an applicant (set up directly: not what is measured).
    const orgs = new OrganizationRepository(deps.doc, table);
    const hash = await hashPassword(PASSWORD);
    const iso = new Date().toISOString();
    const usernames = await pool(clients, 20, async (i) => {
      const orgId = randomUUID();
      const username = `burst-${i}`;
      await orgs.register(
        {
          id: orgId,
          name: `压测社会工作服务中心${i}`,
          creditCode: withCheckChar(`52410600MJB${String(i).padStart(6, '0')}`),
          jurisdictionId: '410600',
          jurisdictionPath: '410600/',
          contactName: '联系人',
          contactPhone: '0392-5500000',
          status: 'pending',
          createdAt: iso,
          version: 1,
        },
        {
          id: randomUUID(),
          username,
          name: `申报员${i}`,
          role: 'applicant',
          orgId,
          jurisdictionId: '410600',
          jurisdictionPath: '410600/',
          status: 'active',
          createdAt: iso,
          version: 1,
          passwordHash: hash,
        },
      );
      await orgs.decide(orgId, 1, 'approved', 'bench', iso);
      return username;
    });
    const tokens = await pool(clients, 10, async (i) => {
      const res = await fetch(`${url}/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: usernames[i], password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { accessToken: string }).accessToken;
    });

    // The burst: every client at once, each creating and submitting its bids one after another.
    const errors: string[] = [];
    const receipts: Receipt[] = [];
    const latencies: number[] = [];
    const post = async (token: string, path: string, body: unknown) => {
      const t0 = performance.now();
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as Record<string, unknown>;
      latencies.push(performance.now() - t0);
      if (res.status >= 300) errors.push(`${path}: ${res.status} ${String(json.type)}`);
      return { status: res.status, json };
    };
    const gateBeforeBurst = gate.waitedMs();
    const started = performance.now();
    await Promise.all(
      tokens.map(async (token) => {
        for (let b = 0; b < perClient; b++) {
          const price = 9_000_000 + Math.floor(Math.random() * 1_000_000);
          const content = {
            kind: 'bid',
            lot: String(b + 1),
            priceFen: price,
            budgetLines: [
              { item: '社工人员薪酬', amountFen: price - 1_000_000 },
              { item: '活动与督导', amountFen: 1_000_000 },
            ],
            proposal: '按镇（街道）开展困难群众排查探访、个案与小组工作、社区活动，每月督导一次。'.repeat(4),
          };
          const created = await post(token, '/submissions', { callId: call.id, content });
          if (created.status !== 201) continue;
          const submitted = await post(token, `/submissions/${String(created.json.id)}/submit`, {
            version: 1,
          });
          if (submitted.status === 200) receipts.push(submitted.json.receipt as Receipt);
        }
      }),
    );
    const burstMs = performance.now() - started;
    const burstGateWaitMs = gate.waitedMs() - gateBeforeBurst;
    if (Date.now() >= new Date(call.periods.deadline).getTime())
      errors.push('the burst ran past the deadline');

    // Read back: every receipt's submission is stored, submitted, once, with the receipt's digest.
    const repo = new SubmissionRepository(deps.doc, table);
    const stored = await repo.listSubmittedForCall(call.id);
    const byId = new Map(stored.map((s) => [s.id, s]));
    const lost = receipts.filter(
      (r) => byId.get(r.submissionId)?.receipts.at(-1)?.sha256 !== r.sha256,
    ).length;
    const pairs = new Set(stored.map((s) => `${s.orgId}#${s.lot}`));
    const duplicates = stored.length - byId.size + (byId.size - pairs.size);
    const expected = clients * perClient;

    // Baseline: raw PutItem of items the size of a stored submission, same concurrency, same moto.
    const sample = (
      await deps.doc.send(new GetCommand({ TableName: table, Key: keys.submission(stored[0]!.id) }))
    ).Item!;
    const itemBytes = Buffer.byteLength(JSON.stringify(sample));
    const gateBeforeRaw = gate.waitedMs();
    const putStarted = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let b = 0; b < perClient; b++) {
          const rid = randomUUID();
          await deps.doc.send(
            new PutCommand({
              TableName: table,
              Item: {
                ...sample,
                pk: `BENCHPUT#${rid}`,
                sk: 'BENCHPUT',
                id: rid,
                gsi1pk: `BENCHPUT#${c}`,
                gsi2pk: undefined,
                gsi2sk: undefined,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
              RemoveUndefinedValues: true,
            } as never),
          );
        }
      }),
    );
    const putMs = performance.now() - putStarted;
    const gateWaitMs = gate.waitedMs() - gateBeforeRaw;

    const submissionsPerSecond = (receipts.length / burstMs) * 1000;
    const putsPerSecond = ((clients * perClient) / putMs) * 1000;
    const lat = summarize(latencies);
    return {
      clients,
      submissions: expected,
      accepted: receipts.length,
      stored: stored.length,
      errors: errors.length,
      lost: lost + (expected - stored.length > 0 ? expected - stored.length - lost : 0),
      duplicates,
      burstMs: Math.round(burstMs),
      submissionsPerSecond: Math.round(submissionsPerSecond * 10) / 10,
      httpRequestsPerSecond: Math.round((latencies.length / burstMs) * 1000 * 10) / 10,
      requestP50Ms: lat.p50,
      requestP99Ms: lat.p99,
      itemBytes,
      rawPutItemsPerSecond: Math.round(putsPerSecond * 10) / 10,
      ratioToRawPutItem: Math.round((submissionsPerSecond / putsPerSecond) * 1000) / 1000,
      burstGateWaitMsPerRequest: Math.round((burstGateWaitMs / Math.max(1, latencies.length)) * 10) / 10,
      rawPutGateWaitMs: Math.round(gateWaitMs),
      firstErrors: errors.slice(0, 5),
    };
  } finally {
    await platform?.stop().catch(() => {});
    await moto?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => {
    const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
    return flag ? Number(flag.split('=')[1]) : undefined;
  };
  void benchDeadlineBurst({ clients: arg('clients'), perClient: arg('per-client') }).then(
    (r) => {
      const width = Math.max(...Object.keys(r).map((k) => k.length));
      process.stdout.write('deadline burst\n');
      for (const [k, v] of Object.entries(r))
        process.stdout.write(`  ${k.padEnd(width)}  ${JSON.stringify(v)}\n`);
      const ok = r.errors === 0 && r.lost === 0 && r.duplicates === 0 && r.accepted === r.submissions;
      process.stdout.write(`zero errors, zero lost, zero duplicates: ${ok ? 'YES' : 'NO'}\n`);
      process.exitCode = ok ? 0 : 1;
    },
    (e) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
