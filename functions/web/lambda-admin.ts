import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/admin';
import { buildPages } from './shell';

/** `web-admin`: the pages of functions/web/groups/admin.ts (paths: PAGE_GROUPS in shared/http/routing.ts). */
export const handler = handle(buildPages(prodDeps('web-admin', { signs: true }), 'web-admin', pages));
