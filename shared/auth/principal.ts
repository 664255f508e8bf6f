/** `admin` (系统管理员) keeps what the whole platform shares: calendar, rule packs, jurisdictions, accounts. */
export const ROLES = ['applicant', 'reviewer', 'officer', 'finance', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as carried in a verified access token. */
export interface Principal {
  userId: string;
  role: Role;
  name: string;
  /** The organization of an applicant. */
  orgId?: string;
  jurisdictionId: string;
  /** Materialized path of the user's jurisdiction, e.g. `410600/410621/`; officers see its subtree. */
  jurisdictionPath: string;
}
