import type { Role } from '../auth/principal';

/**
 * Object scope of a role on a route:
 * - `all`: every object the route serves (e.g. reference data);
 * - `jurisdiction`: objects in the caller's jurisdiction subtree;
 * - `own-org`: objects of the caller's organization;
 * - `self`: the caller's own record.
 */
export type Scope = 'all' | 'jurisdiction' | 'own-org' | 'self';
export type Access = 'public' | Partial<Record<Role, Scope>>;

const OVERSIGHT = { officer: 'jurisdiction', auditor: 'jurisdiction' } as const;
const MONEY_READERS = { officer: 'jurisdiction', finance: 'jurisdiction', auditor: 'jurisdiction' } as const;
const EVERYONE_SELF = {
  applicant: 'self',
  reviewer: 'self',
  officer: 'self',
  finance: 'self',
  auditor: 'self',
  admin: 'self',
} as const;
/** The platform administrator's own routes: platform-wide reference data and accounts, nothing else. */
const ADMIN = { admin: 'all' } as const;

/**
 * Who may call each route, and on which objects: the one place where that is declared.
 * Keys are `METHOD /path` with Hono's `:param` syntax. A route registered without an entry
 * here throws when its app is built (see `secured`), and the route × role test enumerates
 * this table. The CDK stack reads it too, to put the Lambda authorizer on non-public routes.
 */
export const POLICY = {
  // auth function
  'POST /auth/sign-in': 'public',
  'POST /auth/refresh': 'public',
  'POST /auth/sign-out': 'public',
  'POST /auth/register': 'public',
  'GET /auth/me': EVERYONE_SELF,
  'GET /.well-known/jwks.json': 'public',
  'GET /users': OVERSIGHT,
  'POST /users': { officer: 'jurisdiction' },

  // calls function: reference data, organizations, pools, calls
  'GET /jurisdictions/:id': 'public',
  'GET /jurisdictions/:id/stations': 'public',
  'GET /organizations': OVERSIGHT,
  'GET /organizations/:id': { ...OVERSIGHT, applicant: 'own-org' },
  'POST /organizations/:id/approve': { officer: 'jurisdiction' },
  'POST /organizations/:id/reject': { officer: 'jurisdiction' },
  'GET /pools': MONEY_READERS,
  'POST /pools': { officer: 'jurisdiction' },
  'GET /pools/:id': MONEY_READERS,
  'PATCH /pools/:id': { officer: 'jurisdiction' },
  'GET /calls': MONEY_READERS,
  'POST /calls': { officer: 'jurisdiction' },
  'GET /calls/:id': MONEY_READERS,
  'PATCH /calls/:id': { officer: 'jurisdiction' },
  'POST /calls/:id/publish': { officer: 'jurisdiction' },
  'GET /calls/:id/amendments': MONEY_READERS,
  'GET /public/calls': 'public',
  'GET /public/calls/:id': 'public',

  // submissions function (sealed submissions, receipts, attachments, screening)
  // Sealed until the deadline: before it only the own organization sees a submission; officers
  // and auditors of the call's jurisdiction see submitted ones after it (the handler enforces
  // the clock; everything else answers like a missing id).
  'GET /submissions': { applicant: 'own-org' },
  'POST /submissions': { applicant: 'own-org' },
  'GET /submissions/:id': { applicant: 'own-org', ...OVERSIGHT },
  'PATCH /submissions/:id': { applicant: 'own-org' },
  'POST /submissions/:id/submit': { applicant: 'own-org' },
  'POST /submissions/:id/withdraw': { applicant: 'own-org' },
  'GET /submissions/:id/receipts': { applicant: 'own-org', ...OVERSIGHT },
  'POST /submissions/:id/attachments': { applicant: 'own-org' },
  'GET /submissions/:id/attachments/:attachmentId': { applicant: 'own-org', ...OVERSIGHT },
  'GET /calls/:id/submissions': OVERSIGHT,
  'POST /submissions/:id/screening': { officer: 'jurisdiction' },
  'POST /submissions/:id/explanation': { applicant: 'own-org' },
  'POST /submissions/:id/explanation/decision': { officer: 'jurisdiction' },

  // reviews function: experts, panels, conflicts, score sheets, ranking
  // A reviewer's routes are 'self': the service admits only the members seated for a submission.
  'GET /experts': OVERSIGHT,
  'POST /experts': { officer: 'jurisdiction' },
  'PATCH /experts/:id': { officer: 'jurisdiction' },
  'POST /calls/:id/panel': { officer: 'jurisdiction' },
  'GET /calls/:id/panel': OVERSIGHT,
  'GET /reviews/assignments': { reviewer: 'self' },
  'GET /reviews/assignments/:callId': { reviewer: 'self' },
  'GET /reviews/:submissionId': { reviewer: 'self' },
  'POST /reviews/:submissionId/conflict': { reviewer: 'self' },
  'PUT /reviews/:submissionId/sheet': { reviewer: 'self' },
  'POST /reviews/:submissionId/sheet/submit': { reviewer: 'self' },
  'POST /reviews/:submissionId/sheets/:reviewerId/reopen': { officer: 'jurisdiction' },
  'GET /calls/:id/sheets': OVERSIGHT,
  'GET /calls/:id/ranking': MONEY_READERS,

  // reviews function: awards, public notices, challenges
  'POST /calls/:id/awards/proposal': { officer: 'jurisdiction' },
  'GET /calls/:id/awards': MONEY_READERS,
  'GET /awards/:id': MONEY_READERS,
  // The two-officer rule (proposer ≠ confirmer) is checked on the object, in the service.
  'POST /awards/:id/confirm': { officer: 'jurisdiction' },
  // Any applicant may try; the service admits only organizations that submitted to the call.
  'POST /awards/:id/challenges': { applicant: 'all' },
  'GET /challenges/:id': { ...OVERSIGHT, applicant: 'own-org' },
  'POST /challenges/:id/answer': { officer: 'jurisdiction' },
  'GET /public/notices': 'public',
  'GET /public/notices/:id': 'public',

  // contracts function: contracts, amendments, milestone reports, evaluations, statistics
  // Officers of the contract's jurisdiction sign, amend, review and evaluate; finance and
  // auditors read; the provider (its organization) reads its own and files its reports.
  'POST /awards/:id/contract': { officer: 'jurisdiction' },
  'GET /contracts': { ...MONEY_READERS, applicant: 'own-org' },
  'GET /contracts/:id': { ...MONEY_READERS, applicant: 'own-org' },
  'PATCH /contracts/:id': { officer: 'jurisdiction' },
  'GET /contracts/:id/versions': { ...MONEY_READERS, applicant: 'own-org' },
  'POST /contracts/:id/reports': { applicant: 'own-org' },
  'GET /contracts/:id/reports': { ...MONEY_READERS, applicant: 'own-org' },
  'GET /reports': OVERSIGHT,
  'GET /reports/:id': { ...MONEY_READERS, applicant: 'own-org' },
  'PUT /reports/:id': { applicant: 'own-org' },
  'GET /reports/:id/versions': { ...MONEY_READERS, applicant: 'own-org' },
  // Evidence documents: the organization declares them while the report awaits review or is
  // returned (the service refuses an approved one); whoever reads the report downloads them.
  'POST /reports/:id/attachments': { applicant: 'own-org' },
  'GET /reports/:id/attachments/:attachmentId': { ...MONEY_READERS, applicant: 'own-org' },
  'POST /reports/:id/approve': { officer: 'jurisdiction' },
  'POST /reports/:id/return': { officer: 'jurisdiction' },
  'POST /contracts/:id/evaluations': { officer: 'jurisdiction' },
  'GET /contracts/:id/evaluations': { ...MONEY_READERS, applicant: 'own-org' },
  'GET /statistics': MONEY_READERS,

  // finance function: disbursements (拨付) and the fund ledger (资金台账)
  // An officer requests, a finance user other than the requester approves (checked on the object,
  // in the service and in the write's condition), finance records the payment or rejects.
  // Providers follow their own organization's payments.
  'POST /disbursements': { officer: 'jurisdiction' },
  'GET /disbursements': { ...MONEY_READERS, applicant: 'own-org' },
  'GET /disbursements/:id': { ...MONEY_READERS, applicant: 'own-org' },
  'POST /disbursements/:id/approve': { finance: 'jurisdiction' },
  'POST /disbursements/:id/reject': { finance: 'jurisdiction' },
  'POST /disbursements/:id/pay': { finance: 'jurisdiction' },
  'GET /ledger': MONEY_READERS,
  'GET /ledger/contracts/:id': { ...MONEY_READERS, applicant: 'own-org' },
  'GET /pools/:id/ledger': MONEY_READERS,

  // audit function: the hash chain of every aggregate and the ledger sums, read-only.
  // Auditors see the chains whose root item (the aggregate itself) lies in their jurisdiction
  // subtree; a chain whose root item is gone cannot be attributed and is shown to every auditor
  // (it is evidence of tampering). Checked on the object, in functions/audit/app.ts.
  'GET /audit/chains/:aggregate': { auditor: 'jurisdiction' },
  'GET /audit/verify': { auditor: 'jurisdiction' },

  // admin function: what the whole platform shares (issue 8), kept by platform administrators
  // (系统管理员). An administrator reads no submission, score or bank detail: `admin` appears on
  // no route outside this section, the accounts and the start page (route × role matrix).
  // The working-day calendar: each year's official arrangement, published by one administrator
  // and confirmed by another (four-eyes, checked on the object in the service).
  'GET /calendar/:year': 'public',
  'GET /admin/calendar': ADMIN,
  'GET /admin/calendar/:year': ADMIN,
  'GET /admin/calendar/:year/draft': ADMIN,
  'POST /admin/calendar/:year/proposal': ADMIN,
  'POST /admin/calendar/:year/confirm': ADMIN,
  'POST /admin/calendar/:year/reject': ADMIN,
  // Accounts: administrators create officers (and administrators) for any jurisdiction and
  // disable or re-enable any account.
  'GET /admin/users': ADMIN,
  'POST /admin/users': ADMIN,
  'POST /admin/users/:id/disable': ADMIN,
  'POST /admin/users/:id/enable': ADMIN,
  // -- jurisdictions and stations (admin function) --
  // The tree (省 → 市 → 县 → 乡 → 村): administrators add divisions at any level and rename them.
  'GET /admin/jurisdictions': ADMIN,
  'POST /admin/jurisdictions': ADMIN,
  'GET /admin/jurisdictions/:id': ADMIN,
  'PATCH /admin/jurisdictions/:id': ADMIN,
  // Stations: officers of their subtree, if at county level or above (a township officer gets
  // 403; both checked on the object in shared/jurisdictions/service.ts), and administrators.
  'POST /stations': { officer: 'jurisdiction', admin: 'all' },
  'GET /stations/:id': { officer: 'jurisdiction', admin: 'all' },
  'PATCH /stations/:id': { officer: 'jurisdiction', admin: 'all' },
  'DELETE /stations/:id': { officer: 'jurisdiction', admin: 'all' },
  // -- rule packs (admin function) --
  // Rule packs: the national and local legal rules with the articles they cite. Officers and
  // auditors read them (reference data, no object scope); administrators publish (four-eyes).
  'GET /rule-packs': { officer: 'all', auditor: 'all', admin: 'all' },
  'GET /rule-packs/:id': { officer: 'all', auditor: 'all', admin: 'all' },
  'POST /admin/rule-packs/:id/proposal': ADMIN,
  'POST /admin/rule-packs/:id/confirm': ADMIN,

  // reviews function: an officer decides on an open window a calendar correction would move.
  'POST /awards/:id/windows': { officer: 'jurisdiction' },

  // web function: pages (session cookie) and the API reference
  'GET /': 'public',
  'GET /openapi.json': 'public',
  'GET /docs': 'public',
  'GET /docs/assets/:file': 'public',
  'GET /sign-in': 'public',
  'POST /sign-in': 'public',
  'POST /sign-out': 'public',
  'GET /register': 'public',
  'POST /register': 'public',
  'GET /open-calls': 'public',
  'GET /open-calls/:id': 'public',
  'GET /lang/:lang': 'public',
  // Each role's start page shows what that role may read: an applicant its own organization,
  // officers, finance and auditors the figures of their jurisdiction, a reviewer only itself.
  'GET /home': {
    applicant: 'own-org',
    reviewer: 'self',
    officer: 'jurisdiction',
    finance: 'jurisdiction',
    auditor: 'jurisdiction',
    admin: 'all',
  },
  'GET /officer/organizations': { officer: 'jurisdiction' },
  'POST /officer/organizations/:id/approve': { officer: 'jurisdiction' },
  'POST /officer/organizations/:id/reject': { officer: 'jurisdiction' },
  'GET /officer/pools': { officer: 'jurisdiction' },
  'POST /officer/pools': { officer: 'jurisdiction' },
  'GET /officer/calls': { officer: 'jurisdiction' },
  'GET /officer/calls/new': { officer: 'jurisdiction' },
  'POST /officer/calls': { officer: 'jurisdiction' },
  'GET /officer/calls/:id': { officer: 'jurisdiction' },
  'POST /officer/calls/:id': { officer: 'jurisdiction' },
  'POST /officer/calls/:id/publish': { officer: 'jurisdiction' },
  'GET /officer/users': { officer: 'jurisdiction' },
  'POST /officer/users': { officer: 'jurisdiction' },
  // Submission, review and award pages. Sealing, seating and the two-officer rule are checked on
  // the object by the same services the JSON API uses; anything not the caller's is a 404 page.
  'GET /applicant/submissions': { applicant: 'own-org' },
  'GET /applicant/submissions/new': { applicant: 'own-org' },
  'POST /applicant/submissions': { applicant: 'own-org' },
  'GET /applicant/submissions/:id': { applicant: 'own-org' },
  'POST /applicant/submissions/:id': { applicant: 'own-org' },
  'POST /applicant/submissions/:id/withdraw': { applicant: 'own-org' },
  'POST /applicant/submissions/:id/attachments': { applicant: 'own-org' },
  'GET /applicant/submissions/:id/attachments/:attachmentId': { applicant: 'own-org' },
  'POST /applicant/submissions/:id/explanation': { applicant: 'own-org' },
  'GET /reviewer': { reviewer: 'self' },
  'GET /reviewer/submissions/:id': { reviewer: 'self' },
  'POST /reviewer/submissions/:id/conflict': { reviewer: 'self' },
  'POST /reviewer/submissions/:id/sheet': { reviewer: 'self' },
  'GET /reviewer/submissions/:id/attachments/:attachmentId': { reviewer: 'self' },
  'GET /officer/calls/:id/review': { officer: 'jurisdiction' },
  'POST /officer/calls/:id/panel': { officer: 'jurisdiction' },
  'POST /officer/calls/:id/awards': { officer: 'jurisdiction' },
  'POST /officer/calls/:id/sheets/:submissionId/:reviewerId/reopen': { officer: 'jurisdiction' },
  'POST /officer/submissions/:id/screening': { officer: 'jurisdiction' },
  'POST /officer/submissions/:id/explanation': { officer: 'jurisdiction' },
  'GET /officer/submissions/:id/attachments/:attachmentId': { officer: 'jurisdiction' },
  'POST /officer/awards/:id/confirm': { officer: 'jurisdiction' },
  'POST /officer/awards/:id/windows': { officer: 'jurisdiction' },
  'POST /officer/challenges/:id/answer': { officer: 'jurisdiction' },
  'GET /notices': 'public',
  'GET /notices/:id': 'public',
  // Any applicant may try; the service admits only organizations that submitted to the call.
  'POST /notices/:id/challenges': { applicant: 'all' },
  // Contract, report, evaluation, payment, ledger, statistics and audit pages (issue 4). The
  // objects are checked like the API's (another organization's or jurisdiction's is a 404 page);
  // the finance service checks role and scope again and refuses the requester's own approval.
  'GET /applicant/contracts': { applicant: 'own-org' },
  'GET /applicant/contracts/:id': { applicant: 'own-org' },
  'GET /applicant/contracts/:id/reports/new': { applicant: 'own-org' },
  'POST /applicant/contracts/:id/reports': { applicant: 'own-org' },
  'GET /applicant/reports/:id': { applicant: 'own-org' },
  'POST /applicant/reports/:id': { applicant: 'own-org' },
  'POST /applicant/reports/:id/attachments': { applicant: 'own-org' },
  'GET /applicant/reports/:id/attachments/:attachmentId': { applicant: 'own-org' },
  'GET /officer/contracts': { officer: 'jurisdiction' },
  'GET /officer/awards/:id/contract': { officer: 'jurisdiction' },
  'POST /officer/awards/:id/contract': { officer: 'jurisdiction' },
  'GET /officer/contracts/:id': { officer: 'jurisdiction' },
  'POST /officer/contracts/:id/amend': { officer: 'jurisdiction' },
  'POST /officer/contracts/:id/disbursements': { officer: 'jurisdiction' },
  'GET /officer/contracts/:id/evaluations/new': { officer: 'jurisdiction' },
  'POST /officer/contracts/:id/evaluations': { officer: 'jurisdiction' },
  'GET /officer/reports': { officer: 'jurisdiction' },
  'GET /officer/reports/:id': { officer: 'jurisdiction' },
  'GET /officer/reports/:id/attachments/:attachmentId': { officer: 'jurisdiction' },
  'POST /officer/reports/:id/approve': { officer: 'jurisdiction' },
  'POST /officer/reports/:id/return': { officer: 'jurisdiction' },
  'GET /finance/disbursements': MONEY_READERS,
  'GET /finance/disbursements/:id': MONEY_READERS,
  'POST /finance/disbursements/:id/approve': { finance: 'jurisdiction' },
  'POST /finance/disbursements/:id/pay': { finance: 'jurisdiction' },
  'POST /finance/disbursements/:id/reject': { finance: 'jurisdiction' },
  'GET /finance/ledger': MONEY_READERS,
  'GET /finance/ledger/pools/:id': MONEY_READERS,
  'GET /finance/ledger/contracts/:id': MONEY_READERS,
  'GET /finance/statistics': MONEY_READERS,
  'GET /auditor/audit': { auditor: 'jurisdiction' },
  'GET /auditor/audit/chain': { auditor: 'jurisdiction' },
  'GET /auditor/audit/verify': { auditor: 'jurisdiction' },
  // Platform administration pages (web-admin): calendar, accounts, jurisdictions, rule packs.
  'GET /system/calendar': ADMIN,
  'GET /system/calendar/:year': ADMIN,
  'POST /system/calendar/:year/proposal': ADMIN,
  'POST /system/calendar/:year/confirm': ADMIN,
  'POST /system/calendar/:year/reject': ADMIN,
  'GET /system/users': ADMIN,
  'POST /system/users': ADMIN,
  'POST /system/users/:id/disable': ADMIN,
  'POST /system/users/:id/enable': ADMIN,
  // -- jurisdiction and station pages --
  'GET /system/jurisdictions': ADMIN,
  'POST /system/jurisdictions': ADMIN,
  'GET /system/jurisdictions/:id': ADMIN,
  'POST /system/jurisdictions/:id': ADMIN,
  // An officer's stations (web-officer): county level or above, their subtree (as the API).
  'GET /officer/stations': { officer: 'jurisdiction' },
  'POST /officer/stations': { officer: 'jurisdiction' },
  'GET /officer/stations/:id': { officer: 'jurisdiction' },
  'POST /officer/stations/:id': { officer: 'jurisdiction' },
  'POST /officer/stations/:id/delete': { officer: 'jurisdiction' },
  // -- rule pack pages --
  'GET /officer/rule-packs': { officer: 'all' },
  'GET /officer/rule-packs/:id': { officer: 'all' },
  'GET /system/rule-packs': ADMIN,
  'GET /system/rule-packs/:id': ADMIN,
  'POST /system/rule-packs/:id/proposal': ADMIN,
  'POST /system/rule-packs/:id/confirm': ADMIN,
} as const satisfies Record<string, Access>;

export type RouteKey = keyof typeof POLICY;

export function policyFor(method: string, path: string): Access | undefined {
  return (POLICY as Record<string, Access>)[`${method.toUpperCase()} ${path}`];
}
