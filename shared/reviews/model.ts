import * as z from 'zod/mini';
import { named, text } from '../schema';
import { RowSchema } from './aggregate-model';

/**
 * Expert review (评审): the expert pool (专家库), the panel drawn for a call (评标委员会 /
 * 评审委员会), conflicts of interest (回避), score sheets (评分表) and the per-submission score
 * aggregates the ranking reads.
 */

/**
 * An expert profile: a reviewer user plus what the draw needs. `isExpert` false marks a buyer
 * representative (采购人代表), who may sit on a committee but counts against the expert share
 * (87号令 第47条: experts at least two thirds). `affiliations` are the organizations the person
 * works for or advises: a draw excludes anyone affiliated with a bidder.
 */
export const ExpertSchema = named(
  z.object({
    userId: z.string(),
    name: z.string(),
    jurisdictionPath: z.string(),
    expertise: z.array(z.string()),
    affiliations: z.array(z.string()),
    isExpert: z.boolean(),
    active: z.boolean(),
    createdAt: z.string(),
    createdBy: z.string(),
    updatedAt: z.string(),
    version: z.int(),
  }),
  'Expert',
);
export type Expert = z.infer<typeof ExpertSchema>;

export const SeatSchema = z.object({ userId: z.string(), name: z.string(), isExpert: z.boolean() });
export type Seat = z.infer<typeof SeatSchema>;

/** 回避: a member's declared conflict on one submission, and who took the seat for it. */
export const RecusalSchema = z.object({
  submissionId: z.string(),
  userId: z.string(),
  reason: z.string(),
  at: z.string(),
  replacedBy: z.optional(z.string()),
});
export type Recusal = z.infer<typeof RecusalSchema>;

/**
 * A drawn panel. Everything the draw read is recorded — the seed, the candidates after exclusion
 * (in canonical order, with their expert flag) and the rules — so that `drawPanel` run again on
 * the record gives the same members and reserves.
 */
export const PanelSchema = named(
  z.object({
    callId: z.string(),
    jurisdictionPath: z.string(),
    seed: z.string(),
    rules: z.object({ size: z.int(), minExperts: z.int(), reserves: z.int() }),
    bidders: z.array(z.string()),
    candidates: z.array(z.object({ userId: z.string(), isExpert: z.boolean() })),
    excluded: z.array(z.object({ userId: z.string(), name: z.string(), orgIds: z.array(z.string()) })),
    members: z.array(SeatSchema),
    reserves: z.array(SeatSchema),
    recusals: z.array(RecusalSchema),
    drawnAt: z.string(),
    drawnBy: z.string(),
    version: z.int(),
  }),
  'Panel',
);
export type Panel = z.infer<typeof PanelSchema>;

export const AssignmentSchema = named(
  z.object({
    callId: z.string(),
    callTitle: z.string(),
    userId: z.string(),
    seat: z.enum(['member', 'reserve']),
    drawnAt: z.string(),
  }),
  'Assignment',
);
export type Assignment = z.infer<typeof AssignmentSchema>;

export const ReopeningSchema = z.object({ by: z.string(), at: z.string(), reason: z.string() });

/** 评分表: one member's scores for one submission, per indicator, with comments. */
export const SheetSchema = named(
  z.object({
    callId: z.string(),
    submissionId: z.string(),
    reviewerId: z.string(),
    reviewerName: z.string(),
    jurisdictionPath: z.string(),
    scores: z.record(z.string(), z.number()),
    comments: z.record(z.string(), z.string()),
    comment: z.string(),
    status: z.enum(['draft', 'submitted']),
    submittedAt: z.optional(z.string()),
    /** Each reopening by an officer: who, when, why. */
    reopenings: z.array(ReopeningSchema),
    updatedAt: z.string(),
    version: z.int(),
  }),
  'ScoreSheet',
);
export type Sheet = z.infer<typeof SheetSchema>;

export const SheetInputSchema = named(
  z.strictObject({
    /** The sheet's current version; absent for a new sheet. */
    version: z.optional(z.int().check(z.minimum(1))),
    scores: z.record(z.string().check(z.maxLength(20)), z.number()),
    comments: z._default(z.record(z.string().check(z.maxLength(20)), text(0, 2000)), {}),
    comment: z._default(text(0, 5000), ''),
  }),
  'ScoreSheetInput',
);

export const ConflictInputSchema = named(z.strictObject({ reason: text(2, 1000) }), 'ConflictInput');

export { type AggregateItem, AggregateItemSchema, MemberTotalSchema, RowSchema } from './aggregate-model';

export const RankingRowSchema = named(
  z.extend(RowSchema, {
    orgName: z.string(),
    rank: z.int(),
    tied: z.boolean(),
    /** The published figures, two decimals. */
    priceScore: z.string(),
    technicalScore: z.string(),
    total: z.string(),
  }),
  'RankingRow',
);
export type RankingRow = z.infer<typeof RankingRowSchema>;
