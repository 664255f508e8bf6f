import { InvalidCursorError } from '../errors';

/**
 * Every key of the single table, in one module (access patterns: docs/DATA.md).
 * Generic attribute names (pk/sk, gsi1pk/gsi1sk, gsi2pk/gsi2sk) with entity prefixes.
 */
export const keys = {
  jurisdiction: (id: string) => ({ pk: `JUR#${id}`, sk: 'JUR' }),
  /** gsi1: children of a jurisdiction, by name. */
  jurisdictionChildren: (parentId: string) => `JURKIDS#${parentId}`,
  /** gsi1: the top-level divisions (provinces; cities loaded without one), by name. */
  topJurisdictions: 'JURKIDS#-',
  station: (id: string) => ({ pk: `STATION#${id}`, sk: 'STATION' }),
  /** gsi1: stations under a city, sorted by jurisdiction path (subtree = begins_with). */
  stationsOfCity: (cityId: string) => `STATIONS#${cityId}`,

  user: (id: string) => ({ pk: `USER#${id}`, sk: 'USER' }),
  username: (username: string) => ({ pk: `USERNAME#${username.toLowerCase()}`, sk: 'USERNAME' }),
  /** gsi1: users under a city, by jurisdiction path. */
  usersOfCity: (cityId: string) => `USERS#${cityId}`,
  refreshToken: (hash: string) => ({ pk: `REFRESH#${hash}`, sk: 'REFRESH' }),
  refreshFamily: (familyId: string) => ({ pk: `RFAMILY#${familyId}`, sk: 'RFAMILY' }),
  /** Failed sign-in counters, one item per account or source and window; expire by TTL. */
  signInFailures: (subject: string, window: number) => ({ pk: `THROTTLE#${subject}`, sk: `W#${window}` }),

  organization: (id: string) => ({ pk: `ORG#${id}`, sk: 'ORG' }),
  creditCode: (code: string) => ({ pk: `CREDIT#${code}`, sk: 'CREDIT' }),
  /** gsi1: organizations under a city by jurisdiction path; gsi2: the pending ones (sparse). */
  organizationsOfCity: (cityId: string) => `ORGS#${cityId}`,
  pendingOrganizations: (cityId: string) => `ORGPENDING#${cityId}`,

  pool: (id: string) => ({ pk: `POOL#${id}`, sk: 'POOL' }),
  poolsOfCity: (cityId: string) => `POOLS#${cityId}`,

  call: (id: string) => ({ pk: `CALL#${id}`, sk: 'CALL' }),
  callAmendment: (callId: string, seq: number) => ({
    pk: `CALL#${callId}`,
    sk: `AMEND#${String(seq).padStart(6, '0')}`,
  }),
  callAmendmentPrefix: 'AMEND#',
  callsOfCity: (cityId: string) => `CALLS#${cityId}`,
  /** gsi2 (sparse): published calls still open, sorted by deadline; the jobs function closes them. */
  openCalls: 'OPENCALLS',

  // Submissions (submissions function)
  submission: (id: string) => ({ pk: `SUB#${id}`, sk: 'SUB' }),
  /** One live submission per organization, call and lot. */
  submissionLock: (callId: string, orgId: string, lot: string) => ({
    pk: `SUBLOCK#${callId}#${orgId}#${lot}`,
    sk: 'SUBLOCK',
  }),
  /** gsi1: an organization's own submissions. */
  submissionsOfOrg: (orgId: string) => `ORGSUBS#${orgId}`,
  /** gsi2 (sparse, submitted only): a call's submissions by lot; read only after the deadline. */
  submissionsOfCall: (callId: string) => `CALLSUBS#${callId}`,

  // Reviews (reviews function: experts, panels, conflicts, sheets, aggregates)
  /** 专家库: a reviewer's expert profile; gsi1: the experts of a city by jurisdiction path. */
  expert: (userId: string) => ({ pk: `EXPERT#${userId}`, sk: 'EXPERT' }),
  expertsOfCity: (cityId: string) => `EXPERTS#${cityId}`,
  /** A call's drawn panel (seed, members, reserves, recusals), one item. */
  panel: (callId: string) => ({ pk: `PANEL#${callId}`, sk: 'PANEL' }),
  /** One item per drawn member or reserve; gsi1: a reviewer's assignments, newest first. */
  panelSeat: (callId: string, userId: string) => ({ pk: `PANEL#${callId}`, sk: `SEAT#${userId}` }),
  assignmentsOf: (userId: string) => `ASSIGN#${userId}`,
  /** A member's score sheet for a submission; gsi1: every sheet of a call, by submission. */
  sheet: (submissionId: string, reviewerId: string) => ({
    pk: `SHEET#${submissionId}`,
    sk: `R#${reviewerId}`,
  }),
  sheetsOfCall: (callId: string) => `SHEETS#${callId}`,
  /**
   * The per-submission score aggregate, maintained as sheets are submitted. gsi1: a call's
   * aggregates by lot (price inputs refreshed per lot on write); gsi2 (sparse: rankable rows
   * only): the ranking, its sort key the ranking order (one Query per page).
   */
  scoreAggregate: (submissionId: string) => ({ pk: `AGG#${submissionId}`, sk: 'AGG' }),
  aggregatesOfCall: (callId: string) => `AGGS#${callId}`,
  rankingOfCall: (callId: string) => `RANK#${callId}`,

  // Awards (reviews function: awards, notices, challenges)
  /** One award per winning submission (deterministic id: a submission is awarded at most once). */
  award: (id: string) => ({ pk: `AWARD#${id}`, sk: 'AWARD' }),
  /** gsi1: a call's awards, by lot and rank. */
  awardsOfCall: (callId: string) => `CALLAWARDS#${callId}`,
  /** gsi2 (sparse: confirmed, final, cancelled after notice): public notices, newest first. */
  publicNotices: 'NOTICES',
  /** A timer item per award in its notice period, sorted by when it may become final (jobs). */
  noticeDue: (closesAt: string, awardId: string) => ({ pk: 'NOTICEDUE', sk: `${closesAt}#${awardId}` }),
  noticeDuePartition: 'NOTICEDUE',
  challenge: (id: string) => ({ pk: `CHALLENGE#${id}`, sk: 'CHALLENGE' }),
  /** gsi1: an award's challenges, oldest first. */
  challengesOfAward: (awardId: string) => `AWARDCHALLENGES#${awardId}`,

  // Contracts (contracts function: contracts, amendments, reports, evaluations, statistics)
  /** One contract per final award (id `ct-<awardId>`); its kept versions share the partition. */
  contract: (id: string) => ({ pk: `CONTRACT#${id}`, sk: 'CONTRACT' }),
  contractVersion: (id: string, n: number) => ({
    pk: `CONTRACT#${id}`,
    sk: `V#${String(n).padStart(6, '0')}`,
  }),
  versionPrefix: 'V#',
  /** gsi1: contracts under a city, sk `jurisdictionPath + signedAt#id` (subtree = begins_with). */
  contractsOfCity: (cityId: string) => `CONTRACTS#${cityId}`,
  /** gsi2: an organization's own contracts, newest first. */
  contractsOfOrg: (orgId: string) => `ORGCONTRACTS#${orgId}`,
  /** A contract's evaluations, one per stage, in the contract's partition (own audit chain each). */
  evaluation: (contractId: string, stage: string) => ({ pk: `CONTRACT#${contractId}`, sk: `EVAL#${stage}` }),
  evaluationPrefix: 'EVAL#',
  /** Milestone reports; kept versions (each submission) share the partition. */
  report: (id: string) => ({ pk: `REPORT#${id}`, sk: 'REPORT' }),
  reportVersion: (id: string, n: number) => ({ pk: `REPORT#${id}`, sk: `V#${String(n).padStart(6, '0')}` }),
  /** One report per contract, station and month. */
  reportLock: (contractId: string, stationId: string, month: string) => ({
    pk: `REPORTLOCK#${contractId}#${stationId}#${month}`,
    sk: 'REPORTLOCK',
  }),
  /** gsi1: a contract's reports by month and station. */
  reportsOfContract: (contractId: string) => `CONTRACTREPORTS#${contractId}`,
  /** gsi2 (sparse: submitted only): the review queue of a city, sk `jurisdictionPath + submittedAt#id`. */
  reportQueue: (cityId: string) => `REPORTQUEUE#${cityId}`,
  /** Pre-aggregated statistics: a station's month, in its county's partition (sk `yyyy-mm#station`). */
  stationStats: (countyId: string, month: string, stationId: string) => ({
    pk: `STATS#${countyId}`,
    sk: `${month}#${stationId}`,
  }),
  stationStatsPartition: (countyId: string) => `STATS#${countyId}`,
  /** A jurisdiction's monthly rollup (every ancestor of a station: township, county, city). */
  rollupStats: (jurisdictionId: string, month: string) => ({ pk: `STATSROLL#${jurisdictionId}`, sk: month }),
  rollupStatsPartition: (jurisdictionId: string) => `STATSROLL#${jurisdictionId}`,

  // Finance (finance function: disbursements, the fund ledger)
  /** A disbursement (拨付), id `db-<contractId>-<milestone>[-<attempt>]`: one live request per tranche. */
  disbursement: (id: string) => ({ pk: `DISB#${id}`, sk: 'DISB' }),
  /**
   * gsi1: a city's disbursements by status, sk `status#jurisdictionPath + since#id` (the approval
   * and payment queues of a subtree: begins_with `status#path`; `since` = when it took the status).
   */
  disbursementsOfCity: (cityId: string) => `DISBS#${cityId}`,
  /** gsi2: an organization's disbursements by contract, sk `contractId#milestoneIndex#attempt`. */
  disbursementsOfOrg: (orgId: string) => `ORGDISBS#${orgId}`,
  /** One payment per bank transfer reference (银行流水号) and pool: a transfer is never booked twice. */
  bankReference: (poolId: string, reference: string) => ({
    pk: `BANKREF#${poolId}#${reference}`,
    sk: 'BANKREF',
  }),
  // Platform administration (admin function)
  /** A year's working-day calendar (国务院办公厅节假日安排): gsi1 `CALENDARS`, by year. */
  calendarYear: (year: number) => ({ pk: `CAL#${year}`, sk: 'CAL' }),
  calendarYears: 'CALENDARS',
  /** Each confirmed version of a year, kept (`V#000001` …) in the year's partition. */
  calendarVersion: (year: number, n: number) => ({
    pk: `CAL#${year}`,
    sk: `V#${String(n).padStart(6, '0')}`,
  }),
  /**
   * An open window (an award's notice and challenge periods) that a calendar correction would
   * move, awaiting its officer's decision; gsi1: a city's, by jurisdiction path.
   */
  windowReview: (awardId: string) => ({ pk: `WINREVIEW#${awardId}`, sk: 'WINREVIEW' }),
  windowReviewsOfCity: (cityId: string) => `WINREVIEWS#${cityId}`,

  // Ledger entries: `LEDGER#<pool>` / `at#id`, gsi1 `CONTRACTLEDGER#<contract>` (ledgerKeys in
  // shared/ledger/entries.ts, next to the entry's Put).
} as const;

/** The city is the first segment of a jurisdiction path: the partition of per-city lists. */
export function cityOf(jurisdictionPath: string): string {
  return jurisdictionPath.split('/')[0]!;
}

type Key = Record<string, string | number>;

/**
 * Opaque cursors: base64url of the LastEvaluatedKey, tagged with the list they belong to.
 * A cursor from another list, or one whose partition differs from the query's, is refused.
 */
export function encodeCursor(list: string, lastKey: Key | undefined): string | undefined {
  if (!lastKey) return undefined;
  return Buffer.from(JSON.stringify({ l: list, k: lastKey }), 'utf8').toString('base64url');
}

export function decodeCursor(
  list: string,
  cursor: string | undefined,
  partition: Record<string, string>,
): Key | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!parsed || typeof parsed !== 'object') throw new InvalidCursorError();
  const { l, k } = parsed as { l?: unknown; k?: unknown };
  if (l !== list || !k || typeof k !== 'object') throw new InvalidCursorError();
  const key = k as Key;
  for (const v of Object.values(key))
    if (typeof v !== 'string' && typeof v !== 'number') throw new InvalidCursorError();
  for (const [attr, value] of Object.entries(partition))
    if (key[attr] !== value) throw new InvalidCursorError();
  return key;
}
