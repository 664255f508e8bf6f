/**
 * What an officer sends to create or edit a call, validated. Apart from model.ts so that the
 * functions that only read calls (submissions, reviews, contracts and their pages) do not build
 * these schemas at cold start; model.ts keeps the stored form and the rules (`checkCallRules`).
 */
import * as z from 'zod/mini';
import { issue } from '../i18n/validation';
import { named, text } from '../schema';
import { CallFields, CallInputBase, checkCallRules } from './model';

export const CallInputSchema = named(
  CallInputBase.check(z.superRefine((c, ctx) => checkCallRules(c, (path, t) => issue(ctx, path, t)))),
  'CallInput',
);

/** Editable fields; on a published call the change is an amendment and needs a reason. */
export const CallPatchSchema = named(
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    amendmentReason: z.optional(text(4, 1000)),
    ...z.partial(z.object(CallFields)).shape,
  }),
  'CallPatch',
);
export type CallPatch = z.infer<typeof CallPatchSchema>;
