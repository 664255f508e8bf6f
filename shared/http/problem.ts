import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { MalformedRequestError, ProblemError, UnsupportedMediaTypeError } from '../errors';
import type { ApiEnv } from './deps';

export const PROBLEM_TYPE_BASE = 'https://grant-platform.example/problems/';

/** Maps anything thrown to a ProblemError; unknown errors become an opaque 500. */
export function asProblem(err: unknown): ProblemError | undefined {
  if (err instanceof ProblemError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 415) return new UnsupportedMediaTypeError();
    if (err.status === 400)
      return new MalformedRequestError(`Malformed request: ${err.message}.`, '请求体不是合法的 JSON');
    if (err.status === 401 || err.status === 403 || err.status === 404 || err.status === 413)
      return new ProblemError(err.status, 'http', err.message || 'Error', err.message || 'Error');
  }
  return undefined;
}

export function problemResponse(c: Context<ApiEnv>, p: ProblemError): Response {
  const body = {
    type: PROBLEM_TYPE_BASE + p.slug,
    title: p.title,
    status: p.status,
    detail: p.message,
    ...(p.detailZh ? { detailZh: p.detailZh } : {}),
    instance: c.req.path,
    requestId: c.get('requestId'),
    ...p.extra,
  };
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: { 'Content-Type': 'application/problem+json; charset=utf-8', ...p.headers },
  });
}

/** The one error handler: known problems as they are, the rest as a 500 with no detail and a log line. */
export function onError(err: unknown, c: Context<ApiEnv>): Response {
  const p = asProblem(err);
  if (p) {
    if (p.status >= 500)
      c.get('log')?.error('request failed', { problem: p.slug, cause: String(p.cause ?? '') });
    return problemResponse(c, p);
  }
  c.get('log')?.error('unhandled error', {
    error: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
  });
  return problemResponse(
    c,
    new ProblemError(
      500,
      'internal',
      'Internal error',
      'Something went wrong; the request id identifies it in the logs.',
      {
        detailZh: '服务器内部错误，请凭请求编号联系管理员',
      },
    ),
  );
}
