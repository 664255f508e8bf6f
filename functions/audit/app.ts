import { type Api, createApi } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';

/** The audit trail, read-only: every aggregate's hash chain and its verification. */
export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'audit');
  return app;
}
