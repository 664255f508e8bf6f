import * as z from 'zod/mini';
import { policyFor } from '../../shared/authz/policy';
import { loadConfig } from '../../shared/config';
import type { Api } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { createLog } from '../../shared/http/log';
import { routeSpecs } from '../../shared/http/route';
import { PROBLEM_MEANINGS } from '../../shared/http/schemas';
import { API_APPS } from '../apis';

/**
 * The API document of every JSON function. The local server builds it from the live
 * apps; for Lambda the CDK stack writes it beside the web bundle at synth time, so the web
 * function never loads the JSON API's route definitions (see functions/web/lambda.ts).
 */
export const buildOpenApi = (deps: Deps) =>
  openApiDocument(Object.values(API_APPS).map((build) => build(deps)));

/** For the build: only the route specs are read, so the apps need no live dependencies. */
export const staticOpenApi = () =>
  buildOpenApi({ config: loadConfig(), log: createLog({}, () => {}) } as unknown as Deps);

/** One OpenAPI 3.1 document for the whole API, generated from every function's route specs. */
export function openApiDocument(apps: Api[]) {
  const uri = (id: string) => `#/components/schemas/${id}`;
  const jsonSchema = (schema: z.ZodMiniType): Record<string, unknown> => {
    const id = z.globalRegistry.get(schema)?.id;
    if (id) return { $ref: uri(id) };
    // Named schemas nested inside come back as local $defs: point them at the components instead.
    const {
      $schema: _s,
      $defs: _d,
      ...rest
    } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    return JSON.parse(JSON.stringify(rest).replaceAll('"#/$defs/', '"#/components/schemas/'));
  };
  const parameters = (schema: z.ZodMiniType | undefined, where: 'path' | 'query') => {
    if (!schema) return [];
    const s = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
      properties?: Record<string, object>;
      required?: string[];
    };
    return Object.entries(s.properties ?? {}).map(([name, sch]) => ({
      name,
      in: where,
      required: where === 'path' || (s.required ?? []).includes(name),
      schema: sch,
    }));
  };
  const problem = { $ref: uri('Problem') };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of apps.flatMap(routeSpecs)) {
    const access = policyFor(spec.method, spec.path);
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][spec.method] = {
      tags: spec.tags,
      summary: spec.summary,
      security: access === 'public' ? [] : [{ bearer: [] }],
      parameters: [
        ...parameters(spec.params, 'path'),
        ...parameters(spec.query, 'query'),
        ...(spec.idempotent
          ? [
              {
                name: 'Idempotency-Key',
                in: 'header',
                required: false,
                schema: { type: 'string', maxLength: 128 },
                description: 'Repeat a create safely: the same key returns the first response',
              },
            ]
          : []),
      ],
      ...(spec.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(spec.body) } },
            },
          }
        : {}),
      responses: {
        [spec.ok.status]: {
          description: spec.ok.description ?? 'OK',
          ...(spec.ok.schema
            ? { content: { 'application/json': { schema: jsonSchema(spec.ok.schema) } } }
            : {}),
        },
        ...Object.fromEntries(
          spec.problems.map((status) => [
            status,
            {
              description: PROBLEM_MEANINGS[status],
              content: { 'application/problem+json': { schema: problem } },
            },
          ]),
        ),
      },
    };
  }
  const { schemas } = z.toJSONSchema(z.globalRegistry, { io: 'input', unrepresentable: 'any', uri }) as {
    schemas: Record<string, Record<string, unknown>>;
  };
  for (const s of Object.values(schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Grant and venture management platform API / 政府购买服务与公益创投管理平台 API',
      version: '1.0.0',
      description:
        'Errors are RFC 9457 application/problem+json with `detail` (English) and `detailZh` (中文). Money is integer fen. Lists take `limit` and an opaque `cursor`. POSTs that create accept `Idempotency-Key`.',
    },
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
