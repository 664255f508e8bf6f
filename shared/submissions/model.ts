import * as z from 'zod/mini';
import { Fen, PositiveFen } from '../domain/money';
import { issue } from '../i18n/validation';
import { named, text } from '../schema';
import {
  ATTACHMENT_TYPES,
  MAX_ATTACHMENT_BYTES,
  RECIPIENT_CATEGORIES,
  SUBMISSION_STATUSES,
} from './constants';
import { TargetsSchema } from './targets';

/**
 * Submissions: bids (投标) to purchase calls and applications (申报) to venture calls. Sealed
 * until the call's deadline: before it only the submitting organization can read a submission
 * or learn that it exists (DOMAIN.md, "Lifecycle").
 */
export {
  ATTACHMENT_TYPES,
  EDITABLE_STATUSES,
  isEditable,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  RECIPIENT_CATEGORIES,
  type RecipientCategory,
  SUBMISSION_STATUSES,
  type SubmissionStatus,
} from './constants';
export { TargetsSchema } from './targets';

export const BudgetLineSchema = z.strictObject({ item: text(1, 200), amountFen: Fen });

/** 投标: a price for one lot, broken into budget lines that must add up to it. */
export const BidContentSchema = named(
  z.strictObject({
    kind: z.literal('bid'),
    lot: text(1, 10),
    priceFen: PositiveFen,
    budgetLines: z.array(BudgetLineSchema).check(z.minLength(1), z.maxLength(100)),
    proposal: text(1, 20_000),
  }),
  'BidContent',
);

/** 申报: a project asking for an amount, at a station, for recipient groups, with targets. */
export const ApplicationContentSchema = named(
  z.strictObject({
    kind: z.literal('application'),
    projectTitle: text(2, 200),
    requestedFen: PositiveFen,
    stationId: text(1, 64),
    recipientGroups: z.array(z.enum(RECIPIENT_CATEGORIES)).check(z.minLength(1), z.maxLength(5)),
    targets: TargetsSchema,
    summary: text(1, 20_000),
  }),
  'ApplicationContent',
);

export const SubmissionContentSchema = z.discriminatedUnion('kind', [
  BidContentSchema,
  ApplicationContentSchema,
]);
export type SubmissionContent = z.infer<typeof SubmissionContentSchema>;

export const AttachmentSchema = named(
  z.object({
    key: z.string(),
    name: z.string(),
    contentType: z.string(),
    sizeBytes: z.int(),
    addedAt: z.string(),
    /** Set at submit, from the stored object: pins the exact bytes the receipt covers. */
    etag: z.optional(z.string()),
  }),
  'Attachment',
);
export type Attachment = z.infer<typeof AttachmentSchema>;

/** One submitted version: the SHA-256 of its canonical JSON (RFC 8785) and the server's time. */
export const ReceiptSchema = named(
  z.object({ submissionId: z.string(), version: z.int(), sha256: z.string(), receivedAt: z.string() }),
  'Receipt',
);
export type Receipt = z.infer<typeof ReceiptSchema>;

/** 资格审查: an officer's decision; ineligible submissions are neither scored nor set the benchmark. */
export const EligibilitySchema = z.object({
  eligible: z.boolean(),
  reasons: z.array(z.string()),
  by: z.string(),
  at: z.string(),
});

/** 87号令 第60条: the written explanation of an abnormally low price, and the officer's decision on it. */
export const ExplanationSchema = z.object({
  text: z.string(),
  at: z.string(),
  decision: z.optional(z.enum(['accepted', 'rejected'])),
  decidedBy: z.optional(z.string()),
  decidedAt: z.optional(z.string()),
});

export const SubmissionSchema = named(
  z.object({
    id: z.string(),
    callId: z.string(),
    callKind: z.enum(['purchase', 'venture']),
    orgId: z.string(),
    orgName: z.string(),
    /** The call's jurisdiction path (officers' scope). */
    jurisdictionPath: z.string(),
    /** Purchase calls: the lot bid on (also inside `content`). */
    lot: z.optional(z.string()),
    content: SubmissionContentSchema,
    attachments: z.array(AttachmentSchema),
    status: z.enum(SUBMISSION_STATUSES),
    /** Receipts of every submitted version, oldest first. */
    receipts: z.array(ReceiptSchema),
    eligibility: z.optional(EligibilitySchema),
    explanation: z.optional(ExplanationSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
    submittedAt: z.optional(z.string()),
    withdrawnAt: z.optional(z.string()),
    version: z.int(),
  }),
  'Submission',
);
export type Submission = z.infer<typeof SubmissionSchema>;

/** The price the scoring engine reads: the bid price, or the amount a venture project asks for. */
export const priceOf = (s: Pick<Submission, 'content'>): number =>
  s.content.kind === 'bid' ? s.content.priceFen : s.content.requestedFen;

/** The lot of the one-live-submission lock: the bid's lot, or `-` for a venture application. */
export const lockLotOf = (content: SubmissionContent): string => (content.kind === 'bid' ? content.lot : '-');

/**
 * 资格审查: only a submission an officer screened eligible is scored and may set the benchmark
 * price (87号令 第44条); unscreened ones count as not (yet) eligible.
 */
export const screenedEligible = (s: Pick<Submission, 'eligibility'>): boolean =>
  s.eligibility?.eligible === true;

/** What the scoring engine (shared/scoring) needs of a submission. */
export const forScoring = (s: Submission) => ({
  id: s.id,
  lot: s.lot,
  ...(s.content.kind === 'bid' ? { priceFen: s.content.priceFen } : { requestedFen: s.content.requestedFen }),
  eligible: screenedEligible(s),
});

// ---- Requests ---------------------------------------------------------------------------------

const Version = z.int().check(z.minimum(1));

export const SubmissionCreateSchema = named(
  z.strictObject({ callId: text(1, 64), content: SubmissionContentSchema }),
  'SubmissionCreate',
);
export const SubmissionPatchSchema = named(
  z.strictObject({ version: Version, content: SubmissionContentSchema }),
  'SubmissionPatch',
);
export const SubmissionVersionSchema = named(z.strictObject({ version: Version }), 'SubmissionVersion');

export const ScreeningInputSchema = named(
  z
    .strictObject({
      version: Version,
      eligible: z.boolean(),
      reasons: z._default(z.array(text(1, 500)).check(z.maxLength(20)), []),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (!v.eligible && v.reasons.length === 0)
          issue(ctx, ['reasons'], {
            en: 'Give at least one reason when a submission is found ineligible.',
            zh: '认定不符合资格时须至少填写一条理由',
          });
      }),
    ),
  'ScreeningInput',
);

export const ExplanationInputSchema = named(
  z.strictObject({ version: Version, text: text(10, 10_000) }),
  'ExplanationInput',
);
export const ExplanationDecisionSchema = named(
  z.strictObject({ version: Version, decision: z.enum(['accepted', 'rejected']) }),
  'ExplanationDecision',
);

export const AttachmentRequestSchema = named(
  z
    .strictObject({
      name: text(1, 200),
      contentType: text(1, 200),
      sizeBytes: z.int(),
    })
    .check(
      z.superRefine((v, ctx) => {
        const exts = (ATTACHMENT_TYPES as Record<string, readonly string[]>)[v.contentType.toLowerCase()];
        if (!exts) {
          issue(ctx, ['contentType'], {
            en: `Type "${v.contentType}" is not accepted; upload PDF, JPEG, PNG, DOCX or XLSX.`,
            zh: `不接受“${v.contentType}”类型的文件，请上传 PDF、JPEG、PNG、DOCX 或 XLSX`,
          });
        } else {
          const ext = /\.([A-Za-z0-9]+)$/.exec(v.name)?.[1]?.toLowerCase();
          if (!ext || !exts.includes(ext))
            issue(ctx, ['name'], {
              en: `The file name must end in .${exts.join(' or .')} for type ${v.contentType}.`,
              zh: `${v.contentType} 类型的文件名须以 .${exts.join(' 或 .')} 结尾`,
            });
        }
        if (v.sizeBytes < 1 || v.sizeBytes > MAX_ATTACHMENT_BYTES)
          issue(ctx, ['sizeBytes'], {
            en: `A file must be between 1 byte and 20 MiB (${MAX_ATTACHMENT_BYTES} bytes); this one is ${v.sizeBytes} bytes.`,
            zh: `文件大小须在 1 字节至 20 MiB（${MAX_ATTACHMENT_BYTES} 字节）之间，此文件为 ${v.sizeBytes} 字节`,
          });
      }),
    ),
  'AttachmentRequest',
);
export type AttachmentRequest = z.infer<typeof AttachmentRequestSchema>;
