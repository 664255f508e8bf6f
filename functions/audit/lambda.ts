import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { buildApp } from './app';

export const handler = handle(buildApp(prodDeps('audit', {})));
