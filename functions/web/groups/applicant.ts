import { submissionPages } from '../pages/submissions';
import type { PageModule } from '../shell';

/** `web-applicant`: /applicant/* — an organization's submissions, attachments and explanations. */
export const pages: PageModule[] = [submissionPages];
