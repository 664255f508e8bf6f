import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/finance';
import { buildPages } from './shell';

/** `web-finance`: the pages of functions/web/groups/finance.ts (paths: PAGE_GROUPS in shared/http/routing.ts). */
export const handler = handle(buildPages(prodDeps('web-finance', { signs: true }), 'web-finance', pages));
