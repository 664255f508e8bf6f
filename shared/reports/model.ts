import * as z from 'zod/mini';
import { described, int, named, text } from '../schema';
import { AttachmentRequestSchema } from '../submissions/model';
import { MilestoneReportInputSchema } from './validation';

/**
 * Milestone reports (里程碑报告): what an organization delivered at one station in one month,
 * filed against its contract, reviewed by an officer.
 *
 * Lifecycle: `submitted` → `approved` (its figures are added to the contract's reported totals
 * and to the pre-aggregated statistics, in the same transaction) or `returned` (with comments) →
 * resubmitted (a new revision, `submitted` again) → … One report per contract, station and month
 * (a lock item). Every submitted revision is kept (`REPORT#id` / `V#000001`…).
 */
export const REPORT_STATUSES = ['submitted', 'approved', 'returned'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
export const REPORT_MILESTONES = ['midterm', 'final'] as const;
export type ReportMilestone = (typeof REPORT_MILESTONES)[number];

export const Month = described(
  z.string().check(z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'Use YYYY-MM (month 01 to 12).' })),
  'Calendar month YYYY-MM (Asia/Shanghai)',
  '2023-06',
);

/** Evidence documents (sign-in sheets, photos, minutes) a report may carry. */
export const MAX_REPORT_ATTACHMENTS = 20;

/**
 * One evidence document: declared by the organization (`POST /reports/:id/attachments`: name,
 * type and exact size, the same types and limit as submissions), its bytes uploaded to the
 * documents bucket through a presigned PUT with type and length signed. `etag` is set at
 * approval, from the stored object: it pins the exact bytes the officer approved.
 */
export const ReportAttachmentSchema = named(
  z.object({
    id: z.string(),
    name: z.string(),
    contentType: z.string(),
    sizeBytes: z.int(),
    key: z.string(),
    addedAt: z.string(),
    addedBy: z.string(),
    etag: z.optional(z.string()),
  }),
  'ReportAttachment',
);
export type ReportAttachment = z.infer<typeof ReportAttachmentSchema>;

/** The declaration of an evidence document: the submissions' rules (type, extension, ≤ 20 MiB). */
export const ReportAttachmentRequestSchema = AttachmentRequestSchema;
export type ReportAttachmentRequest = z.infer<typeof ReportAttachmentRequestSchema>;

export const ReportInputSchema = named(
  z.strictObject({
    /** The evaluation this report feeds: mid-term (中期) or final (末期). */
    milestone: z.enum(REPORT_MILESTONES),
    stationId: text(1, 64),
    month: Month,
    figures: MilestoneReportInputSchema,
  }),
  'ReportInput',
);
export type ReportInput = z.infer<typeof ReportInputSchema>;

/** Resubmission of a returned report: the figures again (station and month stay). */
export const ReportResubmitSchema = named(
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    figures: MilestoneReportInputSchema,
  }),
  'ReportResubmission',
);
export type ReportResubmit = z.infer<typeof ReportResubmitSchema>;

export const ReportApproveSchema = named(
  z.strictObject({ version: z.int().check(z.minimum(1)), comments: z.optional(text(0, 5000)) }),
  'ReportApproval',
);
export const ReportReturnSchema = named(
  z.strictObject({ version: z.int().check(z.minimum(1)), comments: text(1, 5000) }),
  'ReportReturn',
);

const Counted = z.object({
  total: z.int(),
  byCategory: z.optional(
    z.object({
      minimumLiving: z.int(),
      extremePoverty: z.int(),
      childrenInDifficulty: z.int(),
      disabled: z.int(),
      other: z.int(),
    }),
  ),
});
const Sessions = z.object({ sessions: z.int(), hours: z.int() });

/** The figures as stored (validated on the way in by MilestoneReportInputSchema). */
export const ReportFiguresSchema = named(
  z.object({
    visits: Counted,
    cases: Counted,
    groups: Counted,
    activities: Counted,
    peopleServed: Counted,
    resourcesLinkedFen: z.int(),
    training: Sessions,
    supervision: Sessions,
    narrative: z.string(),
  }),
  'ReportFigures',
);
export type ReportFigures = z.infer<typeof ReportFiguresSchema>;

export const ReportSchema = named(
  z.object({
    id: z.string(),
    contractId: z.string(),
    callTitle: z.string(),
    /** The contract's scope: officers of its jurisdiction review, its organization files. */
    jurisdictionPath: z.string(),
    orgId: z.string(),
    orgName: z.string(),
    milestone: z.enum(REPORT_MILESTONES),
    stationId: z.string(),
    stationName: z.string(),
    /** The station's own jurisdiction path (township): the statistics roll up along it. */
    stationPath: z.string(),
    month: z.string(),
    figures: ReportFiguresSchema,
    /** Evidence documents, in the order declared (added through `POST /reports/:id/attachments`). */
    attachments: z.array(ReportAttachmentSchema),
    status: z.enum(REPORT_STATUSES),
    /** 1 when filed, +1 per resubmission; each revision is kept as `V#<revision>`. */
    revision: int(1, 1_000_000),
    submittedAt: z.string(),
    submittedBy: z.string(),
    /** Every review decision, oldest first. */
    reviews: z.array(
      z.object({
        revision: z.int(),
        decision: z.enum(['approved', 'returned']),
        comments: z.optional(z.string()),
        by: z.string(),
        at: z.string(),
      }),
    ),
    version: z.int(),
  }),
  'Report',
);
export type Report = z.infer<typeof ReportSchema>;

/** A kept revision: the figures as submitted that time. */
export const ReportVersionSchema = named(
  z.object({
    reportId: z.string(),
    revision: z.int(),
    at: z.string(),
    by: z.string(),
    figures: ReportFiguresSchema,
    /** The evidence declared when this revision was submitted. */
    attachments: z.array(ReportAttachmentSchema),
  }),
  'ReportVersion',
);
export type ReportVersion = z.infer<typeof ReportVersionSchema>;
