import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { policyFor } from '../authz/policy';
import { MalformedRequestError, UnsupportedMediaTypeError, ValidationError } from '../errors';
import { toFieldErrors } from '../i18n/validation';
import { type Api, guard } from './app';
import type { ApiEnv } from './deps';
import type { ProblemStatus } from './schemas';

type Schema = z.ZodMiniType;
type Out<S> = S extends Schema ? z.output<S> : undefined;

/**
 * A JSON route: its contract (validated input, documented output) and its POLICY entry, in one
 * declaration. The OpenAPI document is generated from these specs (functions/web/docs.ts).
 */
export interface RouteSpec {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** Hono syntax: `/calls/:id`. */
  path: string;
  tags: string[];
  summary: string;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  /** A create that honours `Idempotency-Key`. */
  idempotent?: boolean;
  /** The success answer. */
  ok: { status: 200 | 201 | 204; schema?: Schema; description?: string };
  problems: ProblemStatus[];
}

export interface Input<S extends RouteSpec> {
  params: Out<S['params']>;
  query: Out<S['query']>;
  body: Out<S['body']>;
}

const specs = new WeakMap<Api, RouteSpec[]>();
export const routeSpecs = (app: Api): RouteSpec[] => specs.get(app) ?? [];

function parse<S extends Schema>(schema: S, value: unknown, where: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(toFieldErrors(r.error, [where]));
  return r.data;
}

/** Reads the body as JSON: 415 unless declared as JSON, 400 when it does not parse. */
async function jsonBody(c: Context<ApiEnv>): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) throw new UnsupportedMediaTypeError();
  const raw = await c.req.text();
  try {
    return JSON.parse(raw);
  } catch {
    throw new MalformedRequestError(
      'Malformed request: the body is not valid JSON.',
      '请求体不是合法的 JSON',
    );
  }
}

/**
 * Registers a route: the POLICY guard first (an undeclared route throws here, so it can never
 * be served), then validation of params, query and body, then the handler.
 */
export function route<S extends RouteSpec>(
  app: Api,
  spec: S,
  handler: (c: Context<ApiEnv>, input: Input<S>) => Response | Promise<Response>,
): void {
  const key = `${spec.method.toUpperCase()} ${spec.path}`;
  const access = policyFor(spec.method, spec.path);
  if (!access) throw new Error(`Route ${key} has no declaration in shared/authz/policy.ts`);
  const list = specs.get(app) ?? [];
  list.push(spec);
  specs.set(app, list);
  app.on(spec.method.toUpperCase(), spec.path, guard(key, access), async (c) => {
    const input = {
      params: spec.params ? parse(spec.params, c.req.param(), 'params') : undefined,
      query: spec.query ? parse(spec.query, c.req.query(), 'query') : undefined,
      body: spec.body ? parse(spec.body, await jsonBody(c), 'body') : undefined,
    } as Input<S>;
    return handler(c, input);
  });
}
