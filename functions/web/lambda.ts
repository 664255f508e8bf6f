import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/web';
import { buildPages } from './shell';

/** openapi.json is written beside the bundle by the CDK stack (functions/web/openapi.ts). */
const openApi = () =>
  JSON.parse(readFileSync(join(process.env.LAMBDA_TASK_ROOT ?? '.', 'openapi.json'), 'utf8'));

/** `web`: public pages, sign-in, registration, every /home and the API reference. */
export const handler = handle(buildPages(prodDeps('web', { signs: true }), 'web', pages, { openApi }));
