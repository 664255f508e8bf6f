import type { Api } from '../shared/http/app';
import type { Deps } from '../shared/http/deps';
import type { JsonApiFunction } from '../shared/http/routing';
import { buildApp as admin } from './admin/app';
import { buildApp as audit } from './audit/app';
import { buildApp as auth } from './auth/app';
import { buildApp as calls } from './calls/app';
import { buildApp as contracts } from './contracts/app';
import { buildApp as finance } from './finance/app';
import { buildApp as reviews } from './reviews/app';
import { buildApp as submissions } from './submissions/app';

/**
 * Every JSON API function, by name: the local server mounts them, the OpenAPI document and the
 * route × role test read their routes. (Lambda entries import only their own app.)
 */
export const API_APPS: Record<JsonApiFunction, (deps: Deps) => Api> = {
  auth,
  calls,
  submissions,
  reviews,
  contracts,
  finance,
  audit,
  admin,
};
