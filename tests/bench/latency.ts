/**
 * Request latency through the local server (HTTP on loopback → Hono → DynamoDB on moto), against
 * the same DynamoDB operations issued directly with a document client in the same run, plus the
 * DynamoDB round trips each request makes (counted on the platform's own client).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type Platform, startPlatform } from '../../infra/local/platform';
import { type DemoIds, purchaseCall, seedDemo } from '../../infra/local/seed';
import { audited } from '../../shared/audit/record';
import type { Principal } from '../../shared/auth/principal';
import type { CallInput } from '../../shared/calls/model';
import { makeDocClient, makeDynamoClient } from '../../shared/db/client';
import { cityOf, keys } from '../../shared/db/keys';
import { createLog } from '../../shared/http/log';
import { signIn } from './cli';
import { type Summary, summarize } from './stats';

const DAY = 24 * 3600_000;

/** Counts what a document client sends: commands (one per `send`) and HTTP attempts (retries included). */
export interface Counter {
  commands: string[];
  attempts: number;
  reset(): void;
}

export function countOperations(doc: DynamoDBDocumentClient, name: string): Counter {
  const counter: Counter = {
    commands: [],
    attempts: 0,
    reset() {
      counter.commands = [];
      counter.attempts = 0;
    },
  };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      counter.commands.push(String(context.commandName ?? 'unknown').replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: `bench-count-commands-${name}`, priority: 'high' },
  );
  // The deserialize step runs once per HTTP attempt, inside the retry middleware.
  doc.middlewareStack.add(
    (next) => async (args) => {
      counter.attempts++;
      return next(args);
    },
    { step: 'deserialize', name: `bench-count-attempts-${name}` },
  );
  return counter;
}

export interface RouteResult {
  route: string;
  /** What the route sends to DynamoDB per request, and what the direct baseline sends. */
  operations: { route: string[]; direct: string[]; same: boolean };
  /** DynamoDB HTTP round trips per request (the same for every measured request, or a range). */
  roundTrips: { route: { min: number; max: number }; direct: { min: number; max: number } };
  viaServer: Summary;
  direct: Summary;
  ratioP50: number;
  ratioP99: number;
  met: boolean;
}

interface Case {
  route: string;
  expect: number;
  request: () => Promise<Response>;
  direct: () => Promise<void>;
}

/** Times `n` sequential runs of `fn`, in ms, and the round trips each made. */
async function sample(fn: () => Promise<void>, counter: Counter, n: number) {
  const ms: number[] = [];
  const trips: number[] = [];
  for (let i = 0; i < n; i++) {
    counter.reset();
    const started = performance.now();
    await fn();
    ms.push(performance.now() - started);
    trips.push(counter.attempts);
  }
  return { ms, trips };
}

const range = (xs: number[]) => ({ min: Math.min(...xs), max: Math.max(...xs) });

export interface LatencyOptions {
  endpoint: string;
  dir: string;
  requests: number;
  warmup: number;
  block: number;
  target: number;
  onPlatform?: (p: Platform) => void;
}

/** Starts the platform on `endpoint` with its own tables, seeds it and measures both routes. */
export async function measureLatency(options: LatencyOptions): Promise<RouteResult[]> {
  const id = randomUUID().slice(0, 8);
  const platform = await startPlatform({
    endpoint: options.endpoint,
    log: createLog({}, () => {}),
    config: {
      tableName: `bench-${id}`,
      idempotencyTableName: `bench-${id}-idem`,
      localKeyFile: join(options.dir, 'platform-keys.json'),
    },
  });
  options.onPlatform?.(platform);
  const demo = await seedDemo(platform.deps);
  const token = await signIn(platform.url, 'xun-officer');
  const table = platform.deps.config.tableName;
  const viaServer = countOperations(platform.deps.doc, 'platform');
  const directDoc = makeDocClient(makeDynamoClient(platform.deps.config));
  const direct = countOperations(directDoc, 'direct');

  const callPath = `/calls/${demo.calls.purchase}`;
  const input = newCallInput(demo, platform.deps.now());
  const officer = demo.users['xun-officer']!;
  const headers = { authorization: `Bearer ${token}` };
  const body = JSON.stringify(input);

  const cases: Case[] = [
    {
      route: 'GET /calls/{id}',
      expect: 200,
      request: () => fetch(platform.url + callPath, { headers }),
      direct: async () => {
        await directDoc.send(new GetCommand({ TableName: table, Key: keys.call(demo.calls.purchase) }));
      },
    },
    {
      route: 'POST /calls',
      expect: 201,
      request: () =>
        fetch(`${platform.url}/calls`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body,
        }),
      direct: () => createCallDirectly(directDoc, table, input, officer),
    },
  ];

  const results: RouteResult[] = [];
  for (const c of cases) {
    const http = async () => {
      const res = await c.request();
      const text = await res.text();
      if (res.status !== c.expect)
        throw new Error(`${c.route} answered ${res.status}: ${text.slice(0, 500)}`);
    };
    // Warm-up (untimed): JIT, connection pools, moto's code paths. The last one records the operations.
    for (let i = 0; i < options.warmup; i++) {
      viaServer.reset();
      direct.reset();
      await http();
      await c.direct();
    }
    const ops = { route: [...viaServer.commands], direct: [...direct.commands] };
    const same = [...ops.route].sort().join() === [...ops.direct].sort().join();

    // Alternating blocks, in ABBA order, so drift (moto's table growing, GC, the other core) hits both alike.
    const server = { ms: [] as number[], trips: [] as number[] };
    const dir = { ms: [] as number[], trips: [] as number[] };
    const blocks = Math.ceil(options.requests / options.block);
    for (let b = 0; b < blocks; b++) {
      const n = Math.min(options.block, options.requests - b * options.block);
      const runServer = async () => {
        const s = await sample(http, viaServer, n);
        server.ms.push(...s.ms);
        server.trips.push(...s.trips);
      };
      const runDirect = async () => {
        const s = await sample(c.direct, direct, n);
        dir.ms.push(...s.ms);
        dir.trips.push(...s.trips);
      };
      if (b % 2 === 0) {
        await runServer();
        await runDirect();
      } else {
        await runDirect();
        await runServer();
      }
    }
    const a = summarize(server.ms);
    const d = summarize(dir.ms);
    const ratioP50 = a.p50 / d.p50;
    results.push({
      route: c.route,
      operations: { ...ops, same },
      roundTrips: { route: range(server.trips), direct: range(dir.trips) },
      viaServer: a,
      direct: d,
      ratioP50: Math.round(ratioP50 * 100) / 100,
      ratioP99: Math.round((a.p99 / d.p99) * 100) / 100,
      met: ratioP50 <= options.target,
    });
  }
  return results;
}

/** The seed's purchase call again, in the officer's pool, with its deadline a month ahead. */
function newCallInput(demo: DemoIds, now: Date): CallInput {
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  const periods = {
    enquiryStartsAt: at(-1),
    enquiryEndsAt: at(20),
    submissionOpensAt: at(-1),
    deadline: at(30),
  };
  return purchaseCall(demo.pools.xun, periods, now.getUTCFullYear());
}

/**
 * What `POST /calls` does to the table, and nothing else: read the jurisdiction and the pool
 * (in parallel), then put the new call under a condition. Same item shape as CallRepository.
 */
async function createCallDirectly(
  doc: DynamoDBDocumentClient,
  table: string,
  input: CallInput,
  officer: Principal,
): Promise<void> {
  const [jur, pool] = await Promise.all([
    doc.send(new GetCommand({ TableName: table, Key: keys.jurisdiction(input.jurisdictionId) })),
    doc.send(new GetCommand({ TableName: table, Key: keys.pool(input.poolId) })),
  ]);
  if (!jur.Item || !pool.Item) throw new Error('direct: jurisdiction or pool missing');
  const path = String(jur.Item.path);
  const id = randomUUID();
  const createdAt = new Date().toISOString();
  const call = {
    ...input,
    id,
    jurisdictionPath: path,
    status: 'draft',
    amendments: 0,
    createdAt,
    createdBy: officer.userId,
    version: 1,
  };
  // The call and its first audit entry, in one transaction, as CallRepository writes them.
  await doc.send(
    new TransactWriteCommand({
      TransactItems: audited(
        {
          Put: {
            TableName: table,
            Item: {
              ...keys.call(id),
              gsi1pk: keys.callsOfCity(cityOf(path)),
              gsi1sk: `${path}${createdAt}#${id}`,
              ...call,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        undefined,
        { actor: officer.userId, at: createdAt, action: 'call.created' },
      ),
    }),
  );
}
