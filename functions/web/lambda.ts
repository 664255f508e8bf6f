import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { buildApp } from './app';

/** openapi.json is written beside the bundle by the CDK stack (functions/web/openapi.ts). */
const openApi = () =>
  JSON.parse(readFileSync(join(process.env.LAMBDA_TASK_ROOT ?? '.', 'openapi.json'), 'utf8'));

export const handler = handle(buildApp(prodDeps('web', { signs: true }), { openApi }));
