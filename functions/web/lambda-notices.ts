import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/notices';
import { buildPages } from './shell';

/** `web-notices`: the pages of functions/web/groups/notices.ts (paths: PAGE_GROUPS in shared/http/routing.ts). */
export const handler = handle(buildPages(prodDeps('web-notices', { signs: true }), 'web-notices', pages));
