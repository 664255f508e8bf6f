import * as z from 'zod/mini';

/** The per-submission score aggregates the ranking reads (schema-only, so writers need not load the whole review model). */

export const MemberTotalSchema = z.object({ reviewerId: z.string(), totalCenti: z.int() });

/** Flags and published scores of a row; centi-points (1.00 point = 100). */
export const RowSchema = z.object({
  submissionId: z.string(),
  lot: z.optional(z.string()),
  priceFen: z.optional(z.int()),
  requestedFen: z.optional(z.int()),
  priceScoreCenti: z.int(),
  technicalScoreCenti: z.int(),
  totalCenti: z.int(),
  reviewers: z.int(),
  flags: z.object({ abnormallyLow: z.boolean(), outlierReviewers: z.array(z.string()) }),
});

/** The stored per-submission aggregate (see shared/scoring/aggregate.ts). */
export const AggregateItemSchema = z.object({
  callId: z.string(),
  submissionId: z.string(),
  orgName: z.string(),
  lot: z.optional(z.string()),
  eligible: z.boolean(),
  /** Digest of the lot's eligible prices the price score and flags were computed from. */
  basis: z.string(),
  count: z.int(),
  sumCenti: z.int(),
  minCenti: z.int(),
  maxCenti: z.int(),
  members: z.array(MemberTotalSchema),
  row: z.optional(RowSchema),
  version: z.int(),
});
export type AggregateItem = z.infer<typeof AggregateItemSchema>;
