import { applicantContractPages } from '../pages/contracts-applicant';
import { officerContractPages } from '../pages/contracts-officer';
import { evaluationPages } from '../pages/evaluations';
import { officerReportPages } from '../pages/reports-officer';
import type { PageModule } from '../shell';

/**
 * `web-contracts`: contracts, milestone reports and evaluations — a provider's under
 * /applicant/contracts and /applicant/reports, an officer's under /officer/contracts,
 * /officer/reports and /officer/awards/:id/contract (PAGE_GROUPS in shared/http/routing.ts).
 */
export const pages: PageModule[] = [
  applicantContractPages,
  officerContractPages,
  officerReportPages,
  evaluationPages,
];
