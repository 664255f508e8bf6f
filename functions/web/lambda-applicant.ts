import { handle } from 'hono/aws-lambda';
import { prodDeps } from '../../shared/http/runtime';
import { pages } from './groups/applicant';
import { buildPages } from './shell';

/** `web-applicant`: the pages of functions/web/groups/applicant.ts (paths: PAGE_GROUPS in shared/http/routing.ts). */
export const handler = handle(buildPages(prodDeps('web-applicant', { signs: true }), 'web-applicant', pages));
