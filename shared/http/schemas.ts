import * as z from 'zod/mini';
import { named } from '../schema';

export const ProblemSchema = named(
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    detailZh: z.optional(z.string()),
    instance: z.optional(z.string()),
    requestId: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ field: z.string(), message: z.string(), messageZh: z.string() }))),
  }),
  'Problem',
);

/** What the error answers of a route mean, by status (the OpenAPI document lists them). */
export const PROBLEM_MEANINGS = {
  400: 'Malformed JSON, header or cursor',
  401: 'Missing, expired or invalid access token',
  403: "The caller's role may not use this route",
  404: 'No such object, or not visible to the caller',
  409: 'Stale version or conflicting state',
  413: 'Body over the size limit',
  415: 'Body is not application/json',
  422: 'Validation failed; `errors` names each field',
  429: 'Too many attempts',
  503: 'The database stayed busy (conflicts, throttling, timeouts): nothing was written; retry after Retry-After',
} as const;
export type ProblemStatus = keyof typeof PROBLEM_MEANINGS;

export const IdParams = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

export const ListQuery = z.strictObject({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 25),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});

export const pageOf = <S extends z.ZodMiniType>(item: S, name: string) =>
  named(z.object({ items: z.array(item), nextCursor: z.optional(z.string()) }), name);
