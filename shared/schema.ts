import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * The project validates with `zod/mini` (about 12 KB instead of 450 KB, and cheap to build at
 * cold start; see `npm run bench`). English messages are configured once here, and every schema
 * module imports this one, so the configuration runs before any parse. Chinese messages come from
 * the zh-CN locale when errors are answered (shared/i18n/validation.ts). Import zod as
 * `import * as z from 'zod/mini'` and never re-export the namespace: a re-exported namespace
 * object defeats tree shaking and drags every locale into the bundle.
 */
z.config(en());

/** A schema's name in the OpenAPI document (`#/components/schemas/<id>`). */
export function named<T extends z.ZodMiniType>(schema: T, id: string, description?: string): T {
  z.globalRegistry.add(schema, { id, ...(description ? { description } : {}) });
  return schema;
}

/** A field's description and example in the OpenAPI document. */
export function described<T extends z.ZodMiniType>(schema: T, description: string, example?: unknown): T {
  z.globalRegistry.add(schema, {
    description,
    ...(example === undefined ? {} : { examples: [example as string] }),
  });
  return schema;
}

/*
 * `text()` and `int()` build their schema with its checks in one construction: what
 * `z.string().check(…)` and `z.int().check(…)` build, without the intermediate schema that
 * `.check()` clones (each page function builds a few hundred schemas at cold start; see
 * `npm run bench`). The definitions are the ones `z.string()` and `z.int()` pass (zod's
 * core `_string` and `_int`), plus the checks.
 */

/** A trimmed string of bounded length. */
export const text = (min: number, max: number): z.ZodMiniString<string> =>
  new z.ZodMiniString({
    type: 'string',
    checks: [z.trim(), z.minLength(min), z.maxLength(max)],
  }) as z.ZodMiniString<string>;

/** An integer within bounds. */
export const int = (min: number, max: number): z.ZodMiniNumberFormat =>
  new z.ZodMiniNumberFormat({
    type: 'number',
    check: 'number_format',
    abort: false,
    format: 'safeint',
    checks: [z.minimum(min), z.maximum(max)],
  });
