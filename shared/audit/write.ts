import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ChainHead } from './chain';
import { headOf } from './record';

/**
 * What the repositories need besides `audited` (record.ts) to put an audit entry into the write
 * that changes an aggregate.
 *
 * Where the chain head comes from: the root item as stored. A repository that already read the
 * raw item (e.g. to check a version) uses its `auditSeq`/`auditHead`; otherwise it reads the root
 * once more, consistently, just before the write (`readRoot`). Either way the root write keeps its
 * own guard (`version = :v`, a status…) and `audited` adds the guard that the chain is still at
 * that head, so a write computed from an older read is refused, never appended on the wrong head.
 * Every audited write moves the head, so the head guard alone is also a version guard for the
 * writes that had none (closing a call, finalizing an award).
 *
 * What has a chain (an aggregate: a root item whose state people or jobs change) and its actions:
 * - jurisdiction, station: `.created`, `.updated` (reference data loaded in bulk);
 * - organization: `.registered`, `.approved`, `.rejected`; user: `.created` (staff, registration);
 * - expert: `.created`, `.updated`; pool: `.created`, `.renamed`, `.rebudgeted`, `.updated`
 *   (its money counters are outside the chain: the ledger attests them);
 * - call: `.created`, `.edited`, `.published`, `.amended`, `.closed` (system:jobs);
 * - submission: `.created`, `.saved`, `.attachment-added`, `.submitted`, `.withdrawn`,
 *   `.resubmitted`, `.screened`, `.explained`, `.explanation-decided`;
 * - panel: `.drawn`, `.recused`; sheet: `.saved`, `.submitted`, `.reopened`;
 * - award: `.proposed`, `.confirmed`, `.challenged`, `.challenge-answered`, `.cancelled`,
 *   `.finalized` (system:jobs); challenge: `.filed`, `.answered`;
 * - contracts, reports, evaluations and disbursements (their own services).
 * What has none: uniqueness markers (`USERNAME#`, `CREDIT#`, locks), sessions, refresh tokens and
 * failed-sign-in counters (security bookkeeping with a TTL, not state anyone decides), derived
 * items (score aggregates and ranking rows, panel seats, notice timers, call amendment records
 * and kept versions — each is written in the same transaction as its aggregate's entry, which
 * attests the change), ledger entries and audit entries themselves (append-only, conditional).
 */

/** Who did it and when: the fields of an entry the caller knows. */
export interface AuditBy {
  /** A user id, or `system:<job>`. */
  actor: string;
  /** ISO 8601. */
  at: string;
}

/** `AuditBy` with the action named, `<aggregate type>.<verb>`. */
export interface AuditAction extends AuditBy {
  action: string;
}

/** Actor of accounts and reference data loaded outside the API (demo seed, onboarding scripts). */
export const PROVISIONING_ACTOR = 'system:provisioning';
/** Actor of the scheduled jobs function (closing calls, finalizing awards). */
export const JOBS_ACTOR = 'system:jobs';

/** The root item as stored (strongly consistent), or undefined. */
export async function readRoot(
  doc: DynamoDBDocumentClient,
  table: string,
  key: { pk: string; sk: string },
): Promise<Record<string, unknown> | undefined> {
  const out = await doc.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }));
  return out.Item;
}

/** The chain head of the root item as stored now (undefined: no chain yet, or no item). */
export async function readHead(
  doc: DynamoDBDocumentClient,
  table: string,
  key: { pk: string; sk: string },
): Promise<ChainHead | undefined> {
  return headOf(await readRoot(doc, table, key));
}

/**
 * The complete state after an Update of `raw` that SETs `set` and REMOVEs `remove`: what
 * `audited` needs for an Update root write (it strips keys, index, audit and money attributes
 * itself). Arithmetic updates (`ADD`, `x = x + :n`) must be given here as their computed result,
 * from the same read that the write's guard pins.
 */
export function stateAfter(
  raw: Record<string, unknown>,
  set: Record<string, unknown>,
  remove: readonly string[] = [],
): Record<string, unknown> {
  const state: Record<string, unknown> = { ...raw, ...set };
  for (const k of remove) delete state[k];
  return state;
}
