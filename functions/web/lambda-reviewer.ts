import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/reviewer';
import { buildPages } from './shell';

/** `web-reviewer`: the pages of functions/web/groups/reviewer.ts (paths: PAGE_GROUPS in shared/http/routing.ts). */
export const handler = handle(buildPages(prodDeps('web-reviewer', { signs: true }), 'web-reviewer', pages));
