import * as z from 'zod/mini';
import { described, int, named, text } from '../schema';
import { FESTIVALS } from './arrangement';

/**
 * The stored working-day calendar of a year and what administrators send to change it. One root
 * item per year (its own audit chain), each confirmed version kept beside it.
 */

const DateKey = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'Use dates as YYYY-MM-DD.'));
const Days = z.record(DateKey, z.enum(FESTIVALS));

export const CalendarNoticeSchema = named(
  z.strictObject({
    title: described(
      text(1, 200),
      'Title of the State Council notice',
      '国务院办公厅关于2027年部分节假日安排的通知',
    ),
    number: z.optional(described(text(1, 60), 'Document number', '国办发明电〔2026〕X号')),
    date: z.optional(described(DateKey, 'Date of the notice', '2026-11-10')),
  }),
  'CalendarNotice',
);

export const ArrangementSchema = named(
  z.strictObject({
    year: int(2000, 2100),
    holidays: described(Days, 'Days off: date → festival whose break it belongs to'),
    workdays: described(Days, 'Swapped working days (调休上班): date → festival it pays for'),
    notice: CalendarNoticeSchema,
  }),
  'Arrangement',
);

/** A submitted arrangement awaiting a second administrator's confirmation. */
export const CalendarProposalSchema = named(
  z.object({
    arrangement: ArrangementSchema,
    /** Demo data, not the State Council's (only the local demo loader sets it). */
    demo: z.boolean(),
    submittedBy: z.string(),
    submittedByName: z.string(),
    submittedAt: z.string(),
    /** Why a confirmed year is corrected. */
    reason: z.optional(z.string()),
  }),
  'CalendarProposal',
);

export const CalendarYearSchema = named(
  z.object({
    year: z.int(),
    /** 0 until a version is confirmed; +1 with each confirmation. */
    calendarVersion: z.int(),
    /** The confirmed arrangement in force (absent before the first confirmation). */
    arrangement: z.optional(ArrangementSchema),
    /** `imported`: loaded by the bootstrap from the published arrangements up to 2026. */
    origin: z.optional(z.enum(['imported', 'published'])),
    demo: z.boolean(),
    submittedBy: z.optional(z.string()),
    confirmedBy: z.optional(z.string()),
    confirmedByName: z.optional(z.string()),
    confirmedAt: z.optional(z.string()),
    proposal: z.optional(CalendarProposalSchema),
    /** The last proposal sent back, and why. */
    rejection: z.optional(
      z.object({ by: z.string(), byName: z.string(), at: z.string(), reason: z.string() }),
    ),
    version: z.int(),
  }),
  'CalendarYear',
);
export type CalendarYear = z.infer<typeof CalendarYearSchema>;
export type CalendarProposal = z.infer<typeof CalendarProposalSchema>;

export const CalendarVersionSchema = named(
  z.object({
    year: z.int(),
    calendarVersion: z.int(),
    arrangement: ArrangementSchema,
    demo: z.boolean(),
    origin: z.enum(['imported', 'published']),
    submittedBy: z.optional(z.string()),
    confirmedBy: z.string(),
    confirmedAt: z.string(),
    reason: z.optional(z.string()),
  }),
  'CalendarVersion',
);
export type CalendarVersion = z.infer<typeof CalendarVersionSchema>;

export const CalendarProposalInputSchema = named(
  z.strictObject({
    /** The year's `version` as read; absent for a year never stored. */
    version: z.optional(int(1, 1_000_000)),
    holidays: Days,
    workdays: Days,
    notice: CalendarNoticeSchema,
    reason: z.optional(text(1, 500)),
  }),
  'CalendarProposalInput',
);
export type CalendarProposalInput = z.infer<typeof CalendarProposalInputSchema>;

export const VersionBodySchema = named(z.strictObject({ version: int(1, 1_000_000) }), 'VersionBody');
export const RejectBodySchema = named(
  z.strictObject({ version: int(1, 1_000_000), reason: text(1, 500) }),
  'CalendarRejectBody',
);

/** An open window a correction would move (no scores, no bank details: what an administrator may see). */
export const AffectedWindowSchema = named(
  z.object({
    awardId: z.string(),
    callId: z.string(),
    callTitle: z.string(),
    jurisdictionPath: z.string(),
    year: z.int(),
    fromVersion: z.int(),
    current: z.object({ noticeEndsAt: z.string(), challengeDeadline: z.string() }),
    proposed: z.object({ noticeEndsAt: z.string(), challengeDeadline: z.string() }),
  }),
  'AffectedWindow',
);
export type AffectedWindow = z.infer<typeof AffectedWindowSchema>;

export const WindowReviewSchema = named(
  z.extend(AffectedWindowSchema, { toVersion: z.int(), createdAt: z.string() }),
  'WindowReview',
);
export type WindowReview = z.infer<typeof WindowReviewSchema>;
