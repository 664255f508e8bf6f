/**
 * `npm start`: moto on a free loopback port, the tables from the shared definition, the demo
 * data of the seed article, and every function behind one port. Ctrl-C stops it all.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createLog } from '../../shared/http/log';
import { loadDemo2023InBackground } from './demo-2023';
import { publishDemo2027 } from './demo-calendar';
import { demoUsers } from './demo-data';
import { MOTO_MISSING, motoAvailable } from './moto';
import { startPlatform } from './platform';
import { seedDemo } from './seed';

if (!process.env.DYNAMODB_ENDPOINT && !motoAvailable()) {
  console.error(MOTO_MISSING);
  process.exit(1);
}

const port = Number(process.env.PORT ?? 3000);
const quiet = process.env.LOG_LEVEL === 'silent';
const platform = await startPlatform({
  port,
  endpoint: process.env.DYNAMODB_ENDPOINT || undefined,
  jobsEveryMs: 60_000,
  log: createLog({ service: 'grant-platform' }, quiet ? () => {} : (l) => process.stdout.write(`${l}\n`)),
});
// Where `npm run audit:verify` (infra/local/audit-verify.ts) finds this platform's table.
const platformFile = '.local/platform.json';
mkdirSync('.local', { recursive: true });
writeFileSync(
  platformFile,
  JSON.stringify({
    url: platform.url,
    endpoint: platform.deps.config.dynamoEndpoint,
    region: platform.deps.config.region,
    tableName: platform.deps.config.tableName,
    pid: process.pid,
  }),
);
// On every way out (moto's own signal hook exits at once): only if it is still this process's.
process.on('exit', () => {
  try {
    if (JSON.parse(readFileSync(platformFile, 'utf8')).pid === process.pid) rmSync(platformFile);
  } catch {
    /* already gone */
  }
});
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await platform.stop().catch(() => {});
  process.exit(code);
};
process.on('SIGINT', () => void stop(130));
process.on('SIGTERM', () => void stop(143));
process.on('uncaughtException', (e) => {
  console.error(e);
  void stop(1);
});
process.on('unhandledRejection', (e) => {
  console.error(e);
  void stop(1);
});

try {
  const demo = await seedDemo(platform.deps);
  await publishDemo2027(platform.deps, demo);
  loadDemo2023InBackground(platform.deps, demo);
} catch (e) {
  console.error('Loading the demo data failed:', e);
  await stop(1);
}

const width = Math.max(...demoUsers.map((u) => u.username.length));
console.log(`
政府购买服务与公益创投管理平台 / Grant and venture management platform

  Pages              ${platform.url}/
  Open calls         ${platform.url}/open-calls
  API reference      ${platform.url}/docs
  OpenAPI document   ${platform.url}/openapi.json
  JWKS               ${platform.url}/.well-known/jwks.json
  Local DynamoDB     ${platform.deps.config.dynamoEndpoint} (moto; data lives until you stop)

Calendar: 2004–2026 from the published arrangements; 2027 is DEMO DATA (not the State
Council's notice) so that the demo's award windows can reach into 2027.

Demo sign-ins (username / password):
${demoUsers.map((u) => `  ${u.role.padEnd(10)} ${u.username.padEnd(width)}  ${u.password}`).join('\n')}

Press Ctrl-C to stop.`);
