import { type Context, type Handler, Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { requestId } from 'hono/request-id';
import type { Principal } from '../auth/principal';
import { verifyWithKeys } from '../auth/verify';
import { type Access, policyFor, type Scope } from '../authz/policy';
import {
  ForbiddenError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
} from '../errors';
import type { ApiEnv, Deps } from './deps';
import { onError, problemResponse } from './problem';

export type Api = Hono<ApiEnv>;

/** Builds a function's app with the conventions every route inherits (see README, "API conventions"). */
export function createApi(deps: Deps, name: string): Api {
  const app = new Hono<ApiEnv>();
  app.use('*', requestId({ headerName: 'X-Request-Id' }));
  app.use('*', async (c, next) => {
    const started = performance.now();
    const log = deps.log.child({ fn: name, requestId: c.get('requestId') });
    c.set('deps', deps);
    c.set('log', log);
    await next();
    log.info('request', {
      method: c.req.method,
      path: c.req.path,
      route: c.get('routeKey'),
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      user: c.get('principal')?.userId,
    });
  });
  app.use(
    '*',
    // Multipart bodies are page upload forms (the JSON API answers them 415 anyway).
    (c, next) => {
      const max = /^multipart\/form-data/i.test(c.req.header('content-type') ?? '')
        ? deps.config.maxUploadBodyBytes
        : deps.config.maxBodyBytes;
      return bodyLimit({
        maxSize: max,
        onError: () => {
          throw new PayloadTooLargeError(max);
        },
      })(c, next);
    },
  );
  app.onError(onError);
  app.notFound((c) => {
    const allow = allowedMethods(app, c.req.path);
    return problemResponse(c, allow.length ? new MethodNotAllowedError(allow) : new NotFoundError('route'));
  });
  return app;
}

/** The methods some route of `app` answers on `path` (for 405 and its Allow header). */
export function allowedMethods(app: Api, path: string): string[] {
  const methods = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue;
    const re = new RegExp(`^${r.path.replace(/:[^/]+/g, '[^/]+').replace(/\*/g, '.*')}/?$`);
    if (re.test(path)) methods.add(r.method);
  }
  return [...methods].sort();
}

export function guard(
  routeKey: string,
  access: Access,
  token?: (c: Context<ApiEnv>) => string | undefined,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    c.set('routeKey', routeKey);
    if (access === 'public') return next();
    const raw = token ? token(c) : bearer(c);
    if (!raw) throw new UnauthenticatedError();
    const deps = c.get('deps');
    const principal = await verifyWithKeys(raw, deps.keyRing, deps.config, deps.now().getTime());
    const scope = access[principal.role];
    c.set('principal', principal);
    if (!scope) throw new ForbiddenError();
    c.set('scope', scope);
    return next();
  };
}

function bearer(c: Context): string | undefined {
  const h = c.req.header('authorization');
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m?.[1];
}

export function principalOf(c: Context<ApiEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new UnauthenticatedError();
  return p;
}

/** Object-level check against the route's declared scope. Out of scope looks exactly like missing. */
export function inScope(principal: Principal, scope: Scope | undefined, obj: ScopedObject): boolean {
  switch (scope) {
    case 'all':
      return true;
    case 'jurisdiction':
      return obj.jurisdictionPath?.startsWith(principal.jurisdictionPath) === true;
    case 'own-org':
      return obj.orgId !== undefined && obj.orgId === principal.orgId;
    case 'self':
      return obj.userId !== undefined && obj.userId === principal.userId;
    default:
      return false;
  }
}

export interface ScopedObject {
  orgId?: string;
  jurisdictionPath?: string;
  userId?: string;
}

export function authorizeObject<T>(
  c: Context<ApiEnv>,
  obj: T | undefined,
  what: string,
  scopeOf: (o: T) => ScopedObject = (o) => o as ScopedObject,
): T {
  if (!obj || !inScope(principalOf(c), c.get('scope'), scopeOf(obj))) throw new NotFoundError(what);
  return obj;
}

/**
 * Registers a plain (non-OpenAPI) route, e.g. a page, under its POLICY entry; `token` reads the
 * access token (the web function takes it from the session cookie). Undeclared routes throw.
 */
export function securedRoute(
  app: Api,
  method: 'get' | 'post',
  path: string,
  token: (c: Context<ApiEnv>) => string | undefined,
  ...handlers: Handler<ApiEnv>[]
): void {
  const key = `${method.toUpperCase()} ${path}`;
  const access = policyFor(method, path);
  if (!access) throw new Error(`Route ${key} has no declaration in shared/authz/policy.ts`);
  app.on(method.toUpperCase(), path, guard(key, access, token), ...handlers);
}
