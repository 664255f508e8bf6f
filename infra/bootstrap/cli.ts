/**
 * `npm run bootstrap` — once per deployment, after `npx cdk deploy`: loads the calendar years
 * already published (2004–2026) and the national rule pack, and creates the first platform
 * administrator (系统管理员), who then creates the bureaus' officers and a second administrator
 * (every calendar year and rule pack needs two). Idempotent: run it again and nothing changes.
 *
 *   TABLE_NAME=grant-platform-prod AWS_REGION=cn-north-1 \
 *   BOOTSTRAP_ADMIN_PASSWORD='…' npm run bootstrap -- --username=admin --name='平台管理员'
 *
 * The password comes from the environment (never the command line, which other users can see).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { keySource } from '../../shared/auth/key-source';
import { loadConfig } from '../../shared/config';
import { makeDocClient, makeDynamoClient } from '../../shared/db/client';
import { createLog } from '../../shared/http/log';
import { Password, Username } from '../../shared/users/model';
import { bootstrapPlatform } from './bootstrap';

const arg = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;

const username = arg('username') ?? 'admin';
const name = arg('name') ?? '平台管理员';
const password = process.env.BOOTSTRAP_ADMIN_PASSWORD ?? '';
const problems = [
  !Username.safeParse(username).success && '--username: 3–40 letters, digits, dots, dashes or underscores',
  !Password.safeParse(password).success && 'BOOTSTRAP_ADMIN_PASSWORD: at least 10 characters',
].filter(Boolean);
if (problems.length) {
  console.error(`bootstrap: ${problems.join('; ')}`);
  process.exit(2);
}

const config = loadConfig();
const client = makeDynamoClient(config);
const deps = {
  config,
  doc: makeDocClient(client),
  keyRing: keySource(config, false),
  now: () => new Date(),
  log: createLog({ service: 'grant-platform', fn: 'bootstrap' }),
};
const result = await bootstrapPlatform(deps, { admins: [{ username, password, name }] });
console.log(
  `bootstrap of ${config.tableName}: calendar years loaded ${result.yearsLoaded.length ? result.yearsLoaded.join(', ') : '(none new)'}; ` +
    `administrator ${result.adminsCreated.length ? `"${username}" created` : `"${username}" already exists (unchanged)`}`,
);
