import { type Api, createApi } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { accountRoutes } from './accounts';
import { calendarRoutes } from './calendar';
import { jurisdictionRoutes } from './jurisdictions';
import { rulePackRoutes } from './rule-packs';

/**
 * Platform administration (issue 8): what a bureau keeps up to date as data, never as code —
 * the working-day calendar, accounts, jurisdictions and stations, rule packs. One file per
 * resource; each registers its routes on the function's app.
 */
export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'admin');
  calendarRoutes(app, deps);
  accountRoutes(app, deps);
  jurisdictionRoutes(app, deps);
  rulePackRoutes(app, deps);
  return app;
}
