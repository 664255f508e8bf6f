/**
 * Reading a submission's attachments: apart from the submission service so that the reviewer
 * pages, which only download attachments, need not load the applicant-side rules.
 */
import type { DocumentStore } from '../db/documents';
import { NotFoundError } from '../errors';
import type { Attachment, Submission } from './model';

/** How long a signed attachment URL (upload or download) stays valid, in seconds. */
export const URL_SECONDS = 600;

export const attachmentIdOf = (a: Pick<Attachment, 'key'>) => /\/([0-9a-f-]{36})-/.exec(a.key)?.[1] ?? '';

/** A short-lived download URL for one of the submission's attachments (404 when it has none by that id). */
export async function attachmentUrl(
  documents: DocumentStore,
  now: Date,
  s: Submission,
  attachmentId: string,
) {
  const a = s.attachments.find((x) => attachmentIdOf(x) === attachmentId);
  if (!a) throw new NotFoundError('attachment');
  const url = await documents.signedGet({ key: a.key, fileName: a.name }, URL_SECONDS);
  return {
    attachment: a,
    url,
    expiresAt: new Date(now.getTime() + URL_SECONDS * 1000).toISOString(),
  };
}
