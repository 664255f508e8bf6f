/**
 * The browser session of the pages: tokens in HttpOnly cookies, transparent refresh, CSRF, language.
 *
 * - Sign-in stores the access token and the refresh token in HttpOnly, SameSite=Lax cookies (Secure,
 *   with the `__Host-` prefix, unless `config.secureCookies` is off on the plain-http loopback).
 * - Before any page handler runs, `sessionMiddleware` verifies the access token with the one
 *   verification function; when it is missing or no longer valid but a refresh cookie is present,
 *   it rotates the refresh token (AuthService.refresh) and re-sets both cookies. The page guard
 *   (`securedRoute` with `accessTokenOf`) then sees the fresh token.
 * - CSRF: a random per-browser token in its own HttpOnly cookie, repeated in a hidden `_csrf`
 *   field of every form (double submit), compared in constant time before the guard and any handler
 *   run; a cross-site POST (`Sec-Fetch-Site: cross-site`) is refused too. The token is replaced at
 *   sign-in and sign-out, so a token planted before sign-in is worthless after it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { Principal } from '../../shared/auth/principal';
import { AuthService, type Session } from '../../shared/auth/service';
import { verifyAccessToken } from '../../shared/auth/tokens';
import type { Config } from '../../shared/config';
import { ForbiddenError, UnauthenticatedError } from '../../shared/errors';
import type { ApiEnv } from '../../shared/http/deps';
import { isLang, type Lang } from './i18n';

export const SESSION_COOKIE = 'gp_session';
const BASE_NAMES = {
  access: SESSION_COOKIE,
  refresh: 'gp_refresh',
  csrf: 'gp_csrf',
  lang: 'gp_lang',
} as const;
export const CSRF_FIELD = '_csrf';

/** `__Host-` cookies must be Secure, host-only and Path=/: the browser then refuses any planted copy. */
export function cookieNames(config: Pick<Config, 'secureCookies'>) {
  const prefix = config.secureCookies ? '__Host-' : '';
  return {
    access: prefix + BASE_NAMES.access,
    refresh: prefix + BASE_NAMES.refresh,
    csrf: prefix + BASE_NAMES.csrf,
    lang: prefix + BASE_NAMES.lang,
  };
}

export interface WebSession {
  lang: Lang;
  csrf: string;
  principal?: Principal;
  accessToken?: string;
}

const sessions = new WeakMap<Request, WebSession>();

/** The session resolved for this request (set by the middleware on every page request). */
export function webSession(c: Context<ApiEnv>): WebSession {
  let s = sessions.get(c.req.raw);
  if (!s) {
    s = { lang: 'zh', csrf: '' };
    sessions.set(c.req.raw, s);
  }
  return s;
}

/** The token getter of the page guard. */
export const accessTokenOf = (c: Context<ApiEnv>) => webSession(c).accessToken;

const options = (c: Context<ApiEnv>, maxAge: number): CookieOptions => ({
  path: '/',
  httpOnly: true,
  sameSite: 'Lax',
  secure: c.get('deps').config.secureCookies,
  maxAge,
});

export function setSessionCookies(c: Context<ApiEnv>, s: Session): void {
  const { config } = c.get('deps');
  const names = cookieNames(config);
  setCookie(c, names.access, s.accessToken, options(c, config.accessTokenTtlSeconds));
  setCookie(c, names.refresh, s.refreshToken, options(c, config.refreshTokenTtlSeconds));
  const ws = webSession(c);
  ws.principal = s.principal;
  ws.accessToken = s.accessToken;
}

export function clearSessionCookies(c: Context<ApiEnv>): void {
  const names = cookieNames(c.get('deps').config);
  const secure = c.get('deps').config.secureCookies;
  deleteCookie(c, names.access, { path: '/', secure });
  deleteCookie(c, names.refresh, { path: '/', secure });
  const ws = webSession(c);
  ws.principal = undefined;
  ws.accessToken = undefined;
}

export const refreshTokenOf = (c: Context<ApiEnv>) => getCookie(c, cookieNames(c.get('deps').config).refresh);

/** A new CSRF token (sign-in, sign-out, first visit); forms rendered afterwards carry it. */
export function rotateCsrf(c: Context<ApiEnv>): string {
  const token = randomBytes(32).toString('base64url');
  setCookie(c, cookieNames(c.get('deps').config).csrf, token, options(c, 30 * 24 * 3600));
  webSession(c).csrf = token;
  return token;
}

export function setLangCookie(c: Context<ApiEnv>, lang: Lang): void {
  setCookie(c, cookieNames(c.get('deps').config).lang, lang, options(c, 365 * 24 * 3600));
}

const CSRF_SHAPE = /^[A-Za-z0-9_-]{43}$/;

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class CsrfError extends ForbiddenError {
  constructor() {
    super(
      'The form has expired or did not come from this site. Reload the page and try again.',
      '表单已失效或并非来自本站，请刷新页面后重试',
    );
  }
}

/**
 * Runs before every page route (and so before the route's guard): language, CSRF check of POSTs,
 * and the session, refreshed transparently when the access token has expired.
 */
export function sessionMiddleware(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const deps = c.get('deps');
    const names = cookieNames(deps.config);
    const s = webSession(c);
    const lang = getCookie(c, names.lang);
    s.lang = isLang(lang) ? lang : 'zh';
    const cookieCsrf = getCookie(c, names.csrf);
    const hadCsrf = cookieCsrf !== undefined && CSRF_SHAPE.test(cookieCsrf);
    if (hadCsrf) s.csrf = cookieCsrf;
    else rotateCsrf(c);

    if (c.req.method === 'POST') {
      if (c.req.header('sec-fetch-site') === 'cross-site') throw new CsrfError();
      const type = c.req.header('content-type') ?? '';
      if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) throw new CsrfError();
      const body = await c.req.parseBody();
      const sent = body[CSRF_FIELD];
      if (!hadCsrf || typeof sent !== 'string' || !sameToken(sent, s.csrf)) throw new CsrfError();
    }

    const access = getCookie(c, names.access);
    if (access) {
      try {
        s.principal = verifyAccessToken(access, await deps.keyRing(), deps.config, deps.now().getTime());
        s.accessToken = access;
      } catch (e) {
        if (!(e instanceof UnauthenticatedError)) throw e;
      }
    }
    const refresh = getCookie(c, names.refresh);
    if (!s.principal && refresh) {
      try {
        setSessionCookies(c, await new AuthService(deps).refresh(refresh));
      } catch (e) {
        if (!(e instanceof UnauthenticatedError)) throw e;
        clearSessionCookies(c);
      }
    } else if (!s.principal && access) {
      clearSessionCookies(c);
    }
    await next();
  };
}

/** Only local paths may be redirect targets (no `//host`, no scheme): no open redirect. */
export function safeNext(next: string | undefined | null, fallback = '/home'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\r\n]/.test(next)) return fallback;
  return next;
}

/** The local path of the Referer, when it points at this site. */
export function refererPath(c: Context<ApiEnv>): string | undefined {
  const ref = c.req.header('referer');
  if (!ref) return undefined;
  try {
    const u = new URL(ref);
    if (u.host !== new URL(c.req.url).host) return undefined;
    return u.pathname + u.search;
  } catch {
    return undefined;
  }
}
