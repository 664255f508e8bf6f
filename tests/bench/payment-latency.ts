/**
 * Issue 4, item 12 (part): the payment path's latency through the local server — request
 * (`POST /disbursements`), approve (`POST /disbursements/{id}/approve`) and above all the payment
 * (`POST /disbursements/{id}/pay`) — as a ratio to its raw DynamoDB TransactWriteItems on the same
 * moto in the same run.
 *
 * Each cycle runs the three steps through the server on one contract tranche, capturing the
 * TransactWriteItems each step sends; then the cycle is undone (untimed: every item a transaction
 * wrote is put back as it was read before the cycle, or deleted when it did not exist), and the
 * three captured transactions are sent again directly with a plain document client (the raw
 * baseline: exactly the items, conditions and sizes of the real payment), and undone again. So
 * every timed step does the full work on the same state, and both sides touch the same items.
 * Alternating blocks (ABBA) so drift hits both sides alike.
 *
 *   npx tsx tests/bench/payment-latency.ts [--requests=N] [--warmup=N]
 *
 * Starts and owns its moto server; stops it on every exit path (finally, signals, process exit).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type Platform, startPlatform } from '../../infra/local/platform';
import { seedDemo } from '../../infra/local/seed';
import type { Award } from '../../shared/awards/model';
import { AwardService } from '../../shared/awards/service';
import { ContractService } from '../../shared/contracts/service';
import { makeDocClient, makeDynamoClient } from '../../shared/db/client';
import { beijingDate } from '../../shared/finance/service';
import { createLog } from '../../shared/http/log';
import { closedCall } from '../support/awards';
import type { TestPlatform } from '../support/platform';
import { option, signIn } from './cli';
import { countOperations } from './latency';
import { round, type Summary, summarize } from './stats';

const DAY = 24 * 3600_000;
type Key = { pk: string; sk: string };
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/** The key of every item a transaction writes. */
function keysOf(items: TransactItems): Key[] {
  return items.flatMap((it) => {
    const k = it.Put ? { pk: it.Put.Item!.pk, sk: it.Put.Item!.sk } : (it.Update ?? it.Delete)?.Key;
    return k ? [{ pk: String(k.pk), sk: String(k.sk) }] : [];
  });
}

const id = (k: Key) => `${k.pk}\u0000${k.sk}`;

/**
 * Undo: every item the transactions wrote is put back as it was before (`before`: key → item or
 * undefined), in BatchWrites of 25.
 */
async function undo(
  doc: DynamoDBDocumentClient,
  table: string,
  before: Map<string, Record<string, unknown> | undefined>,
  touched: Key[],
) {
  const requests = [...new Map(touched.map((k) => [id(k), k])).values()].map((k) => {
    const old = before.get(id(k));
    return old ? { PutRequest: { Item: old } } : { DeleteRequest: { Key: k } };
  });
  for (let i = 0; i < requests.length; i += 25) {
    let pending: Record<string, unknown[]> | undefined = { [table]: requests.slice(i, i + 25) };
    while (pending && Object.keys(pending).length) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: pending as never }));
      pending = out.UnprocessedItems as typeof pending;
    }
  }
}

export async function benchPaymentLatency(
  options: { requests?: number; warmup?: number } = {},
): Promise<Record<string, unknown>> {
  const requests = options.requests ?? 100;
  const warmup = options.warmup ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'gp-payment-bench-'));
  let now = new Date('2026-03-02T10:00:00+08:00');
  let platform: Platform | undefined;
  try {
    const tag = randomUUID().slice(0, 8);
    platform = await startPlatform({
      now: () => now,
      log: createLog({}, () => {}),
      config: {
        tableName: `bench-${tag}`,
        idempotencyTableName: `bench-${tag}-idem`,
        localKeyFile: join(dir, 'keys.json'),
      },
    });
    const deps = platform.deps;
    const table = deps.config.tableName;
    const demo = await seedDemo(deps);
    const url = platform.url;

    // One contract, signed the way the platform signs them: a closed venture call, its award
    // proposed and confirmed by two officers, final after its windows, then signed.
    const clock = {
      get now() {
        return now;
      },
      set(d: Date) {
        now = d;
      },
      advance(ms: number) {
        now = new Date(now.getTime() + ms);
      },
    };
    const p = { deps, demo, clock } as unknown as TestPlatform;
    const qicai = demo.orgs.qicai!;
    const fx = await closedCall(p, 'venture', [
      {
        requestedFen: 80_000_00,
        totals: [90, 90, 90, 90, 90],
        orgId: qicai,
        orgName: '鹤壁七彩社会工作服务中心',
      },
    ]);
    const proposal = await fx.propose(await signIn(url, 'xun-officer'));
    if (proposal.status !== 201)
      throw new Error(`proposal failed: ${proposal.status} ${await proposal.text()}`);
    const [award] = ((await proposal.json()) as { proposed: Award[] }).proposed;
    await new AwardService(deps).confirm(award!, award!.version, demo.users['xun-officer-2']!);
    clock.advance(30 * DAY);
    const contract = await new ContractService(deps).sign(award!.id, {}, demo.users['xun-officer']!);
    const [officer, finance] = await Promise.all([signIn(url, 'xun-officer'), signIn(url, 'xun-finance')]);
    const paidOn = beijingDate(now);

    // The items a cycle touches, as they are before it (the contract, the pool; the rest is new).
    const snapshot = async (ks: Key[]) => {
      const out = new Map<string, Record<string, unknown> | undefined>();
      for (const k of ks)
        out.set(
          id(k),
          (await deps.doc.send(new GetCommand({ TableName: table, Key: k, ConsistentRead: true }))).Item,
        );
      return out;
    };

    // Capture what the platform's client sends.
    const captured: TransactWriteCommandInput[] = [];
    deps.doc.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand')
          captured.push(structuredClone((args.input ?? {}) as TransactWriteCommandInput));
        return next(args);
      },
      { step: 'initialize', name: 'bench-capture-transactions', priority: 'low' },
    );
    const counter = countOperations(deps.doc, 'payment-platform');
    const directDoc = makeDocClient(makeDynamoClient(deps.config));
    const direct = countOperations(directDoc, 'payment-direct');

    const post = async (path: string, token: string, body: unknown) => {
      const t0 = performance.now();
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 300)}`);
      return { ms, body: JSON.parse(text) as { id: string; version: number } };
    };

    let cycle = 0;
    let lastTransactions: TransactWriteCommandInput[] = [];
    let keysTouched: Key[] = [];
    let before = new Map<string, Record<string, unknown> | undefined>();
    let opsPay: string[] = [];
    const viaServer = async () => {
      cycle++;
      captured.length = 0;
      const t = { request: 0, approve: 0, pay: 0, payTrips: 0 };
      const req = await post('/disbursements', officer, { contractId: contract.id, milestone: 'signing' });
      t.request = req.ms;
      const ok = await post(`/disbursements/${req.body.id}/approve`, finance, { version: req.body.version });
      t.approve = ok.ms;
      counter.reset();
      const paid = await post(`/disbursements/${req.body.id}/pay`, finance, {
        version: ok.body.version,
        bankReference: `BENCH-${cycle}`,
        paidOn,
      });
      t.pay = paid.ms;
      t.payTrips = counter.attempts;
      opsPay = [...counter.commands];
      if (captured.length !== 3) throw new Error(`expected 3 transactions per cycle, saw ${captured.length}`);
      lastTransactions = captured.map((x) => ({ ...x }));
      keysTouched = lastTransactions.flatMap((x) => keysOf(x.TransactItems!));
      await undo(deps.doc, table, before, keysTouched);
      return t;
    };
    /** The three captured transactions again, directly, with fresh tokens. */
    const viaDirect = async () => {
      const ms: number[] = [];
      for (const tx of lastTransactions) {
        direct.reset();
        const t0 = performance.now();
        await directDoc.send(
          new TransactWriteCommand({ TransactItems: tx.TransactItems, ClientRequestToken: randomUUID() }),
        );
        ms.push(performance.now() - t0);
      }
      await undo(deps.doc, table, before, keysTouched);
      return { request: ms[0]!, approve: ms[1]!, pay: ms[2]!, payTrips: direct.attempts };
    };

    // The state before a cycle: the contract and the pool as signed (everything else is new).
    const firstKeys = [
      { pk: `CONTRACT#${contract.id}`, sk: 'CONTRACT' },
      { pk: `POOL#${contract.poolId}`, sk: 'POOL' },
    ];
    before = await snapshot(firstKeys);
    // A first cycle to learn every key a cycle writes, then the real snapshot of all of them.
    await viaServer();
    before = await snapshot(keysTouched);
    for (let i = 0; i < warmup; i++) {
      await viaServer();
      await viaDirect();
    }

    const server = {
      request: [] as number[],
      approve: [] as number[],
      pay: [] as number[],
      path: [] as number[],
    };
    const raw = {
      request: [] as number[],
      approve: [] as number[],
      pay: [] as number[],
      path: [] as number[],
    };
    const trips = { server: [] as number[], direct: [] as number[] };
    const block = 10;
    for (let b = 0; b * block < requests; b++) {
      const n = Math.min(block, requests - b * block);
      const runServer = async () => {
        for (let i = 0; i < n; i++) {
          const r = await viaServer();
          server.request.push(r.request);
          server.approve.push(r.approve);
          server.pay.push(r.pay);
          server.path.push(r.request + r.approve + r.pay);
          trips.server.push(r.payTrips);
        }
      };
      const runDirect = async () => {
        for (let i = 0; i < n; i++) {
          const r = await viaDirect();
          raw.request.push(r.request);
          raw.approve.push(r.approve);
          raw.pay.push(r.pay);
          raw.path.push(r.request + r.approve + r.pay);
          trips.direct.push(r.payTrips);
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
    const s = (x: number[]): Summary => summarize(x);
    const pay = s(server.pay);
    const rawPay = s(raw.pay);
    const path = s(server.path);
    const rawPath = s(raw.path);
    return {
      route: 'POST /disbursements/{id}/pay',
      path: 'POST /disbursements → POST /disbursements/{id}/approve → POST /disbursements/{id}/pay',
      operations: {
        pay: opsPay,
        rawTransactionActions: lastTransactions.map((x) => x.TransactItems!.length),
      },
      roundTrips: {
        pay: { min: Math.min(...trips.server), max: Math.max(...trips.server) },
        rawPay: { min: Math.min(...trips.direct), max: Math.max(...trips.direct) },
      },
      viaServer: { pay, request: s(server.request), approve: s(server.approve), path },
      rawTransaction: { pay: rawPay, request: s(raw.request), approve: s(raw.approve), path: rawPath },
      ratioP50: round(pay.p50 / rawPay.p50),
      ratioP99: round(pay.p99 / rawPay.p99),
      pathRatioP50: round(path.p50 / rawPath.p50),
      pathRatioP99: round(path.p99 / rawPath.p99),
    };
  } finally {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // No top-level await: the module stays importable from a CommonJS context too.
  void benchPaymentLatency({ requests: option('requests', 100), warmup: option('warmup', 10) }).then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e) => {
      process.stderr.write(`payment latency bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
