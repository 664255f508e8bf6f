import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { NotFoundError } from '../../shared/errors';
import { type Api, createApi, securedRoute } from '../../shared/http/app';
import type { ApiEnv, Deps } from '../../shared/http/deps';
import { buildApp as buildAuth } from '../auth/app';
import { buildApp as buildCalls } from '../calls/app';
import { DOC_ASSETS, DOCS_INIT, DOCS_PAGE, docAsset, openApiDocument } from './docs';

export const SESSION_COOKIE = 'gp_session';

export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'web');
  const session = (c: Context<ApiEnv>) => getCookie(c, SESSION_COOKIE);
  let doc: ReturnType<typeof openApiDocument> | undefined;

  securedRoute(app, 'get', '/openapi.json', session, (c) => {
    doc ??= openApiDocument([buildAuth(deps), buildCalls(deps)]);
    return c.json(doc);
  });
  securedRoute(app, 'get', '/docs', session, (c) => c.html(DOCS_PAGE));
  securedRoute(app, 'get', '/docs/assets/:file', session, (c) => {
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
  return app;
}
