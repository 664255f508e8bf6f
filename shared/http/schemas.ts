import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    detailZh: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string(), messageZh: z.string() })).optional(),
  })
  .openapi('Problem');

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: ProblemSchema } },
});

/** The error answers every route may give, by status. */
export const problems = {
  400: problem('Malformed JSON, header or cursor'),
  401: problem('Missing, expired or invalid access token'),
  403: problem("The caller's role may not use this route"),
  404: problem('No such object, or not visible to the caller'),
  409: problem('Stale version or conflicting state'),
  413: problem('Body over the size limit'),
  415: problem('Body is not application/json'),
  422: problem('Validation failed; `errors` names each field'),
  429: problem('Too many attempts'),
} as const;

export const pick = <K extends keyof typeof problems>(...codes: K[]) =>
  Object.fromEntries(codes.map((c) => [c, problems[c]])) as Pick<typeof problems, K>;

export const json = <S extends z.ZodType>(schema: S, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

export const body = <S extends z.ZodType>(schema: S) => ({
  required: true,
  content: { 'application/json': { schema } },
});

export const IdParams = z.strictObject({ id: z.string().min(1).max(64) });

export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(2048).optional().openapi({ description: 'Opaque cursor from the previous page' }),
});

export const pageOf = <S extends z.ZodType>(item: S, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() }).openapi(name);

export const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .optional()
    .openapi({ description: 'Repeat a create safely: the same key returns the first response' }),
});
