import type { Api } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import type { WebFunction } from '../../shared/http/routing';
import { pages as admin } from './groups/admin';
import { pages as applicant } from './groups/applicant';
import { pages as contracts } from './groups/contracts';
import { pages as finance } from './groups/finance';
import { pages as notices } from './groups/notices';
import { pages as officer } from './groups/officer';
import { pages as review } from './groups/review';
import { pages as reviewer } from './groups/reviewer';
import { pages as web } from './groups/web';
import { buildPages, type PageModule, type PageOptions } from './shell';

export { SESSION_COOKIE } from './session';
export type { PageModule, PageOptions } from './shell';

/**
 * The page functions and their pages. Which function serves a path is decided by
 * `functionFor` (shared/http/routing.ts, PAGE_GROUPS); each Lambda entry
 * (functions/web/lambda*.ts) imports its own group module only, so it bundles only its pages.
 * The local server and the tests import this table.
 */
export const WEB_PAGES: Record<WebFunction, readonly PageModule[]> = {
  web,
  'web-contracts': contracts,
  'web-applicant': applicant,
  'web-reviewer': reviewer,
  'web-review': review,
  'web-officer': officer,
  'web-finance': finance,
  'web-notices': notices,
  'web-admin': admin,
};

/** Only `web` serves the API reference. */
const optionsOf = (fn: WebFunction, options: PageOptions): PageOptions =>
  fn === 'web' ? options : { ...options, openApi: undefined };

/** Every page function's app, by name: what the local server mounts behind `functionFor`. */
export function buildWebApps(deps: Deps, options: PageOptions): Record<WebFunction, Api> {
  return Object.fromEntries(
    Object.entries(WEB_PAGES).map(([fn, pages]) => [
      fn,
      buildPages(deps, fn as WebFunction, pages, optionsOf(fn as WebFunction, options)),
    ]),
  ) as Record<WebFunction, Api>;
}

/** Every page in one app (tests that look at all pages at once: POLICY coverage, cookies). */
export function buildApp(deps: Deps, options: PageOptions): Api {
  return buildPages(deps, 'web', Object.values(WEB_PAGES).flat(), options);
}
