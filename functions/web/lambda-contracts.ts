import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/contracts';
import { buildPages } from './shell';

/** `web-contracts`: the pages of functions/web/groups/contracts.ts (paths: PAGE_GROUPS in shared/http/routing.ts). */
export const handler = handle(buildPages(prodDeps('web-contracts', { signs: true }), 'web-contracts', pages));
