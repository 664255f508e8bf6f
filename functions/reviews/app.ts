import { type Api, createApi } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { awardRoutes } from './awards';
import { reviewRoutes } from './review';

/** The review context: expert panels and scoring (review.ts), awards, notices and challenges (awards.ts). */
export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'reviews');
  reviewRoutes(app, deps);
  awardRoutes(app, deps);
  return app;
}
