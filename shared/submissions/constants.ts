/**
 * The submission constants, without the schemas: modules that need only these (the evaluation
 * grades, the statistics, the pages) import them from here, so that they do not build the
 * submission schemas at cold start (shared/submissions/model.ts re-exports them).
 */
export const SUBMISSION_STATUSES = ['draft', 'submitted', 'withdrawn'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** Recipient categories (低保 / 特困 / 困境儿童 / 残疾人 / 其他困难群体). */
export const RECIPIENT_CATEGORIES = [
  'minimumLiving',
  'extremePoverty',
  'childrenInDifficulty',
  'disabled',
  'other',
] as const;
export type RecipientCategory = (typeof RECIPIENT_CATEGORIES)[number];

/** Drafts and withdrawn submissions can be edited and (re)submitted; submitted ones must be withdrawn first. */
export const EDITABLE_STATUSES = ['draft', 'withdrawn'] as const satisfies readonly SubmissionStatus[];
export const isEditable = (s: { status: SubmissionStatus }) =>
  (EDITABLE_STATUSES as readonly string[]).includes(s.status);

/** Attachments: the types and the size the platform accepts. */
export const ATTACHMENT_TYPES = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/png': ['png'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
} as const satisfies Record<string, readonly string[]>;
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
export const MAX_ATTACHMENTS = 20;
