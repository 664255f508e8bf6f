import { type Api, createApi } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';

/** The finance context: disbursement requests, approvals and payments; the fund ledger. */
export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'finance');
  return app;
}
