import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/review';
import { buildPages } from './shell';

/** `web-review`: the pages of functions/web/groups/review.ts (paths: PAGE_GROUPS in shared/http/routing.ts). */
export const handler = handle(buildPages(prodDeps('web-review', { signs: true }), 'web-review', pages));
