import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/officer';
import { buildPages } from './shell';

/** `web-officer`: the pages of functions/web/groups/officer.ts (paths: PAGE_GROUPS in shared/http/routing.ts). */
export const handler = handle(buildPages(prodDeps('web-officer', { signs: true }), 'web-officer', pages));
