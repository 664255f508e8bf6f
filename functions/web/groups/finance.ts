import { auditPages } from '../pages/audit';
import { financePages } from '../pages/finance';
import { ledgerPages } from '../pages/ledger';
import { statisticsPages } from '../pages/statistics';
import type { PageModule } from '../shell';

/** `web-finance`: /finance/* and /auditor/* — disbursements, the ledger and the audit trail (issue 4). */
export const pages: PageModule[] = [financePages, ledgerPages, statisticsPages, auditPages];
