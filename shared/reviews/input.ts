/**
 * What officers send to manage the expert pool, draw a panel and reopen a sheet, validated. Apart
 * from model.ts so that the reviewer pages, which need none of these, do not build them at cold start.
 */
import * as z from 'zod/mini';
import { int, named, text } from '../schema';

const Expertise = z.array(text(1, 50)).check(z.minLength(1), z.maxLength(20));
const Affiliations = z.array(text(1, 64)).check(z.maxLength(50));

export const ExpertInputSchema = named(
  z.strictObject({
    userId: text(1, 64),
    expertise: Expertise,
    affiliations: z._default(Affiliations, []),
    isExpert: z._default(z.boolean(), true),
  }),
  'ExpertInput',
);

export const ExpertPatchSchema = named(
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    expertise: z.optional(Expertise),
    affiliations: z.optional(Affiliations),
    isExpert: z.optional(z.boolean()),
    active: z.optional(z.boolean()),
  }),
  'ExpertPatch',
);

export const DrawInputSchema = named(
  z.strictObject({
    /** Hex, 32–64 digits; a random 128-bit seed when absent. */
    seed: z.optional(z.string().check(z.regex(/^[0-9a-f]{32,64}$/))),
    reserves: z._default(int(0, 5), 2),
  }),
  'PanelDrawInput',
);

export const ReopenInputSchema = named(
  z.strictObject({ version: z.int().check(z.minimum(1)), reason: text(4, 1000) }),
  'ReopenInput',
);
