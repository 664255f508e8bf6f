/**
 * `npm run audit:verify`: verifies every audit chain of a table and the ledger sums of every
 * pool, prints a summary, and exits 1 naming the first broken entry (0 when all is intact).
 *
 * Which table:
 * - `TABLE_NAME` (and `DYNAMODB_ENDPOINT` for a local server) from the environment when set; in
 *   AWS, with credentials from the usual chain: `TABLE_NAME=… AWS_REGION=… npm run audit:verify`;
 * - otherwise the running local platform's (`npm start` writes `.local/platform.json`).
 *
 * Besides the index-based verification the API does (chains listed by their first entries), it
 * Scans the table for chains the index does not list (a first entry removed, or a root item with
 * a head and no chain): this is an offline tool, not a request path. `--no-scan` skips that;
 * `--json` prints the whole report as JSON.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { existsSync, readFileSync } from 'node:fs';
import { ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { BrokenEntry } from '../../shared/audit/model';
import { aggregateOf } from '../../shared/audit/record';
import { AuditRepository } from '../../shared/audit/repository';
import { verifyAggregate, verifyAll } from '../../shared/audit/verify';
import { loadConfig } from '../../shared/config';
import { makeDocClient, makeDynamoClient } from '../../shared/db/client';

export const PLATFORM_FILE = '.local/platform.json';

interface Target {
  tableName: string;
  endpoint?: string;
  region: string;
  source: string;
}

function target(): Target {
  const env = process.env;
  if (env.TABLE_NAME || env.DYNAMODB_ENDPOINT) {
    const config = loadConfig(env);
    return {
      tableName: config.tableName,
      endpoint: config.dynamoEndpoint,
      region: config.region,
      source: 'environment',
    };
  }
  if (!existsSync(PLATFORM_FILE)) {
    console.error(
      `No table to verify: start the local platform (npm start writes ${PLATFORM_FILE}), or set TABLE_NAME (and DYNAMODB_ENDPOINT for a local server).`,
    );
    process.exit(2);
  }
  const local = JSON.parse(readFileSync(PLATFORM_FILE, 'utf8')) as {
    tableName: string;
    endpoint?: string;
    region?: string;
  };
  return {
    tableName: local.tableName,
    endpoint: local.endpoint,
    region: local.region ?? 'us-east-1',
    source: PLATFORM_FILE,
  };
}

const describe = (b: BrokenEntry) => `${b.aggregate} entry ${b.seq} (${b.reason}): ${b.detail}`;

async function main(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  const t = target();
  const doc = makeDocClient(makeDynamoClient({ region: t.region, dynamoEndpoint: t.endpoint }));
  const repo = new AuditRepository(doc, t.tableName);
  const where = `table ${t.tableName}${t.endpoint ? ` at ${t.endpoint}` : ''} (from ${t.source})`;
  const started = performance.now();
  let report: Awaited<ReturnType<typeof verifyAll>>;
  try {
    report = await verifyAll(repo);
  } catch (e) {
    console.error(`Could not read ${where}: ${(e as Error).message}`);
    return 2;
  }
  let unlisted: string[] = [];
  if (!args.has('--no-scan')) {
    const listed = new Set((await repo.listChains()).map((c) => c.aggregate));
    unlisted = await findUnlistedChains(repo, listed);
    for (const aggregate of unlisted) {
      const v = await verifyAggregate(repo, aggregate);
      report.brokenChains.push(
        v.firstBroken ?? {
          aggregate,
          seq: 1,
          reason: 'altered',
          detail: 'entry 1 lost its index attributes: the chain was hidden from the index-based verification',
        },
      );
      report.chains.checked++;
      report.chains.entries += v.entries;
      report.chains.broken++;
    }
    report.ok = report.ok && unlisted.length === 0;
    report.firstBroken ??= report.brokenChains[0];
  }
  const ms = Math.round(performance.now() - started);

  if (args.has('--json')) console.log(JSON.stringify({ ...report, unlisted }, null, 2));
  else {
    console.log(`Audit trail of ${where}`);
    console.log(
      `  chains: ${report.chains.checked} verified, ${report.chains.entries} entries, ${report.chains.broken} broken${
        args.has('--no-scan') ? ' (index only: --no-scan)' : `; ${unlisted.length} not in the index`
      }`,
    );
    console.log(
      `  ledgers: ${report.ledgers.checked} checked (pools, contracts), ${report.ledgers.broken} broken (${ms} ms)`,
    );
    for (const b of report.brokenChains) console.log(`  BROKEN CHAIN  ${describe(b)}`);
    for (const l of report.brokenLedgers) console.log(`  BROKEN LEDGER ${l.ledger} ${l.id}: ${l.detail}`);
    if (report.ok) console.log('OK: every chain and every ledger verifies.');
    else if (report.firstBroken) console.log(`FAILED: first broken entry: ${describe(report.firstBroken)}`);
    else {
      const l = report.brokenLedgers[0]!;
      console.log(`FAILED: ledger of ${l.ledger} ${l.id}: ${l.detail}`);
    }
  }
  return report.ok ? 0 : 1;
}

process.exit(await main());

/**
 * Chains the index does not list (their first entry is gone), and root items that carry a chain
 * head with no chain at all: found with a Scan of the whole table — here only, never on a
 * request path. Returns the aggregates.
 */
async function findUnlistedChains(repo: AuditRepository, listed: ReadonlySet<string>): Promise<string[]> {
  const found = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const out: ScanCommandOutput = await repo.doc.send(
      new ScanCommand({
        TableName: repo.table,
        FilterExpression: 'attribute_exists(auditSeq) OR begins_with(pk, :audit)',
        ExpressionAttributeValues: { ':audit': 'AUDIT#' },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const pk = String(item.pk);
      const aggregate = pk.startsWith('AUDIT#')
        ? pk.slice('AUDIT#'.length)
        : aggregateOf({ pk, sk: item.sk });
      if (!listed.has(aggregate)) found.add(aggregate);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return [...found].sort();
}
