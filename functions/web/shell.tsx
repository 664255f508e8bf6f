import type { Context } from 'hono';
import { MethodNotAllowedError, NotFoundError, type ProblemError } from '../../shared/errors';
import { type Api, allowedMethods, createApi, securedRoute } from '../../shared/http/app';
import type { ApiEnv, Deps } from '../../shared/http/deps';
import { asProblem, onError } from '../../shared/http/problem';
import type { WebFunction } from '../../shared/http/routing';
import { DOC_ASSETS, DOCS_INIT, DOCS_PAGE, docAsset } from './docs';
import { ErrorPage, pageCtx, render } from './layout';
import { Reference } from './reference';
import type { PageRoute } from './routes';
import {
  accessTokenOf,
  CsrfError,
  clearSessionCookies,
  refererPath,
  sessionMiddleware,
  webSession,
} from './session';

/** Registers a page module's routes (functions/web/pages/*): `page(method, path, ...handlers)`. */
export type PageModule = (page: PageRoute, deps: Deps, ref: Reference) => void;

/** The API reference keeps the API's problem+json errors; everything else is a page. */
const isApiDoc = (path: string) => path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/');

export interface PageOptions {
  /**
   * The OpenAPI document, for the function that serves the API reference (`web`): built from
   * the apps locally, read from a file in Lambda. Without it, no /openapi.json and no /docs.
   */
  openApi?: () => unknown;
}

/**
 * A page function: server-rendered pages (hono/jsx, Chinese first, English switch) of one
 * context, with the session, CSRF and error pages every page function shares. Pages call the
 * domain services and repositories directly, never the JSON API. Each Lambda entry
 * (functions/web/lambda*.ts) passes only its own page modules, so it bundles only what they need.
 */
export function buildPages(
  deps: Deps,
  fn: WebFunction,
  pages: readonly PageModule[],
  options: PageOptions = {},
): Api {
  const app = createApi(deps, fn);
  const { openApi } = options;
  if (openApi) {
    let doc: unknown;
    securedRoute(app, 'get', '/openapi.json', accessTokenOf, (c) => {
      doc ??= openApi();
      return c.json(doc as object);
    });
    securedRoute(app, 'get', '/docs', accessTokenOf, (c) => c.html(DOCS_PAGE));
    securedRoute(app, 'get', '/docs/assets/:file', accessTokenOf, (c) => {
      const file = c.req.param('file') ?? '';
      if (file === 'init.js')
        return c.body(DOCS_INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      if (!(file in DOC_ASSETS)) throw new NotFoundError('asset');
      const name = file as keyof typeof DOC_ASSETS;
      return c.body(docAsset(name), 200, {
        'Content-Type': DOC_ASSETS[name],
        'Cache-Control': 'public, max-age=86400',
      });
    });
  }

  // Pages: the session (with transparent refresh) and the CSRF check run before every route's guard.
  const session = sessionMiddleware();
  app.use('*', (c, next) => (isApiDoc(c.req.path) ? next() : session(c, next)));
  const page: PageRoute = (method, path, ...handlers) =>
    securedRoute(app, method, path, accessTokenOf, ...handlers);
  const ref = new Reference(deps);
  for (const register of pages) register(page, deps, ref);

  app.onError((err, c) => (isApiDoc(c.req.path) ? onError(err, c) : pageError(err, c)));
  // Browsers get a page; API clients (no text/html in Accept) get the API's 404 or 405 problem.
  app.notFound((c) => {
    if (!isApiDoc(c.req.path) && /text\/html/.test(c.req.header('accept') ?? '')) return notFoundPage(c);
    const allow = allowedMethods(app, c.req.path);
    return onError(allow.length ? new MethodNotAllowedError(allow) : new NotFoundError('route'), c);
  });
  return app;
}

const notFoundPage = (c: Context<ApiEnv>) => {
  const p = pageCtx(c);
  return render(
    c,
    <ErrorPage
      p={p}
      title={p.l('页面不存在', 'Page not found')}
      message={p.l(
        '您要找的页面或记录不存在，或不在您的权限范围内。',
        'The page or record you asked for does not exist, or is not yours to see.',
      )}
    />,
    404,
  );
};

/** Errors of page requests: sign-in redirect, 403 and 404 pages, and an opaque 500 page. */
function pageError(err: unknown, c: Context<ApiEnv>): Response | Promise<Response> {
  const problem: ProblemError | undefined = asProblem(err);
  const p = pageCtx(c);
  if (problem?.status === 401) {
    if (webSession(c).accessToken) clearSessionCookies(c);
    const back = c.req.method === 'GET' ? p.here : (refererPath(c) ?? '/home');
    return c.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 303);
  }
  if (problem?.status === 403) {
    return render(
      c,
      <ErrorPage
        p={p}
        title={p.l('无权访问', 'Not allowed')}
        message={
          err instanceof CsrfError
            ? p.l(problem.detailZh ?? problem.message, problem.message)
            : p.l(
                '您的角色无权访问此页面。如需使用其他账号，请先退出。',
                'Your role may not use this page. Sign out first to use another account.',
              )
        }
      />,
      403,
    );
  }
  if (problem?.status === 404) return notFoundPage(c);
  if (problem && problem.status < 500) {
    return render(
      c,
      <ErrorPage
        p={p}
        title={p.l('请求无法处理', 'The request cannot be processed')}
        message={p.l(problem.detailZh ?? problem.message, problem.message)}
      />,
      problem.status === 429 ? 429 : 400,
    );
  }
  c.get('log')?.error('page failed', {
    error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
  });
  return render(
    c,
    <ErrorPage
      p={p}
      title={p.l('系统错误', 'Something went wrong')}
      message={p.l(
        `服务器内部错误，请稍后重试。如问题持续，请凭请求编号 ${c.get('requestId') ?? ''} 联系管理员。`,
        `An internal error occurred; please retry later. If it persists, quote request id ${c.get('requestId') ?? ''} to the administrator.`,
      )}
    />,
    500,
  );
}
