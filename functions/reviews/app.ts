import { type Api, createApi } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';

export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'reviews');
  return app;
}
