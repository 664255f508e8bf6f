/**
 * Issue item 12 (part): the service-statistics dashboard's round trips per page and latency —
 * `GET /statistics?jurisdictionId=<Xun County>&year=2023` (11 stations × 12 months, rolled up by
 * month and category) through the local server, against the same two Queries issued directly
 * with a document client in the same run, on the same moto. Target: at most two Queries per page.
 *
 *   npx tsx tests/bench/dashboard.ts [--requests=N] [--warmup=N]
 *
 * The counters are written by `statisticsUpdates` — the very Updates a report approval puts in its
 * transaction — for the demo's 132 station-months of 2023 (infra/local/demo-2023.ts), without the
 * reports themselves (the bench measures the read). Starts and owns its moto server; stops it on
 * every exit path (finally, signals, process exit).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { demoFigures, unbatched } from '../../infra/local/demo-2023';
import { xun, xunStations } from '../../infra/local/demo-data';
import { type Platform, startPlatform } from '../../infra/local/platform';
import { seedDemo } from '../../infra/local/seed';
import { makeDocClient, makeDynamoClient } from '../../shared/db/client';
import { keys } from '../../shared/db/keys';
import { createLog } from '../../shared/http/log';
import { JurisdictionRepository } from '../../shared/jurisdictions/repository';
import { countersOf } from '../../shared/statistics/model';
import { statisticsUpdates } from '../../shared/statistics/repository';
import { option, signIn } from './cli';
import { countOperations } from './latency';
import { round, type Summary, summarize } from './stats';

/** The dashboard's budget (issue item 9): a county's year in at most two Queries. */
export const MAX_QUERIES_PER_PAGE = 2;

export interface DashboardResult {
  route: string;
  /** The page's grid: stations × months. */
  cells: { stations: number; months: number };
  /** Per page: DynamoDB Queries, and every command sent (the jurisdiction lookup is cached). */
  roundTrips: {
    queries: { min: number; max: number };
    commands: { min: number; max: number };
    direct: number;
  };
  viaServer: Summary;
  direct: Summary;
  ratioP50: number;
  ratioP99: number;
  /** Queries per page ≤ MAX_QUERIES_PER_PAGE on every measured request. */
  met: boolean;
}

/** The route's two Queries, issued directly and side by side as the route does. */
async function readDirectly(doc: DynamoDBDocumentClient, table: string): Promise<number> {
  const [rollup, stations] = await Promise.all([
    doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.rollupStatsPartition(xun.id),
          ':from': '2023-01',
          ':to': '2023-12',
        },
      }),
    ),
    doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.stationStatsPartition(xun.id),
          ':from': '2023-01#',
          ':to': '2023-12#\uffff',
        },
      }),
    ),
  ]);
  return (rollup.Items?.length ?? 0) + (stations.Items?.length ?? 0);
}

/**
 * Loads 2023's counters for Xun County into a fresh table and measures the dashboard read.
 * `requests` timed pages per side (default 200) after `warmup` untimed ones (default 20).
 */
export async function benchDashboard(
  options: { requests?: number; warmup?: number } = {},
): Promise<DashboardResult> {
  const requests = options.requests ?? 200;
  const warmup = options.warmup ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'gp-dashboard-bench-'));
  let platform: Platform | undefined;
  try {
    const id = randomUUID().slice(0, 8);
    platform = await startPlatform({
      log: createLog({}, () => {}),
      config: {
        tableName: `bench-${id}`,
        idempotencyTableName: `bench-${id}-idem`,
        localKeyFile: join(dir, 'keys.json'),
      },
    });
    const deps = platform.deps;
    const table = deps.config.tableName;
    await seedDemo(deps);

    // The counters of 132 approved reports, as their approvals add them.
    const figures = demoFigures();
    const write = unbatched(deps.doc);
    const months = Array.from({ length: 12 }, (_, m) => `2023-${String(m + 1).padStart(2, '0')}`);
    await Promise.all(
      xunStations.map(async (station, s) => {
        for (const [m, month] of months.entries())
          await write(
            statisticsUpdates(
              table,
              {
                id: station.id,
                name: station.name,
                jurisdictionId: station.jurisdictionId,
                jurisdictionPath: station.jurisdictionPath,
              },
              month,
              countersOf(figures[s]![m]!),
            ),
          );
      }),
    );
    if (!(await new JurisdictionRepository(deps.doc, table).get(xun.id))) throw new Error('no Xun County');

    const token = await signIn(platform.url, 'xun-finance');
    const url = `${platform.url}/statistics?jurisdictionId=${xun.id}&year=2023`;
    const viaServer = countOperations(deps.doc, 'dashboard-platform');
    const directDoc = makeDocClient(makeDynamoClient(deps.config));
    const direct = countOperations(directDoc, 'dashboard-direct');

    let cells = { stations: 0, months: 0 };
    const page = async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`statistics: ${res.status} ${await res.text()}`);
      const body = (await res.json()) as { stations: unknown[]; months: unknown[] };
      cells = { stations: body.stations.length, months: body.months.length };
    };
    for (let i = 0; i < warmup; i++) {
      await page();
      await readDirectly(directDoc, table);
    }
    const serverMs: number[] = [];
    const directMs: number[] = [];
    const queries: number[] = [];
    const commands: number[] = [];
    // Interleaved, so both sides see the same moto.
    for (let i = 0; i < requests; i++) {
      viaServer.reset();
      let t0 = performance.now();
      await page();
      serverMs.push(performance.now() - t0);
      queries.push(viaServer.commands.filter((c) => c === 'Query').length);
      commands.push(viaServer.commands.length);
      direct.reset();
      t0 = performance.now();
      await readDirectly(directDoc, table);
      directMs.push(performance.now() - t0);
    }
    const s = summarize(serverMs);
    const d = summarize(directMs);
    return {
      route: 'GET /statistics (county, year)',
      cells,
      roundTrips: {
        queries: { min: Math.min(...queries), max: Math.max(...queries) },
        commands: { min: Math.min(...commands), max: Math.max(...commands) },
        direct: direct.commands.length,
      },
      viaServer: s,
      direct: d,
      ratioP50: round(s.p50 / d.p50),
      ratioP99: round(s.p99 / d.p99),
      met: Math.max(...queries) <= MAX_QUERIES_PER_PAGE && cells.stations * cells.months === 132,
    };
  } finally {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run on its own: `npx tsx tests/bench/dashboard.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)
    process.once(signal, () => process.exit(code));
  const result = await benchDashboard({ requests: option('requests', 200), warmup: option('warmup', 20) });
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(result.met ? 0 : 1);
}
