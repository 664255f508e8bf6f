import { handle } from 'hono/aws-lambda';
import { idempotencyStore } from '../../shared/http/idempotency';
import { prodDeps } from '../../shared/http/runtime';
import { buildApp } from './app';

export const handler = handle(buildApp(prodDeps('admin', { idempotency: idempotencyStore })));
