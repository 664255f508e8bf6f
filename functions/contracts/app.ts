import { type Api, createApi } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';

/** The contract context: contracts from final awards, amendments, milestone reports, evaluations, service statistics. */
export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'contracts');
  return app;
}
