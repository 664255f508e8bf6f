import { type LedgerEntry, ledgerTotals } from '../ledger/entries';
import { verifyChain } from './chain';
import type { BrokenEntry, ChainVerification, LedgerCheck, VerifyReport } from './model';
import { auditedState, headOf } from './record';
import type { AuditRepository } from './repository';

/**
 * Verification of the audit trail and of the fund ledger, over what is stored:
 *
 * - One chain: its entries in seq order, re-hashed and re-linked (`verifyChain`), against the
 *   head its root item carries (`auditSeq`, `auditHead`: a removed or rewritten tail is seen) and
 *   the root item's current state (`auditedState`: the head entry's `stateHash` must be the hash
 *   of what is stored, so editing the root item itself is seen too).
 * - Every chain: listed by their first entries (gsi1 `AUDITCHAINS#0..f`, no Scan), in creation
 *   order; a chain whose first entry was removed is not listed there — the command-line verifier
 *   (infra/local/audit-verify.ts) finds those with a Scan, which no request path makes.
 * - Every pool whose chain is listed: `committedFen = Σcommit − Σrelease` and
 *   `disbursedFen = Σdisburse` over its `LEDGER#<pool>` entries (`ledgerTotals`), committed ≤
 *   budget, disbursed ≤ committed; every contract: `paidFen = Σdisburse` of its entries.
 */

/** Verifies one chain against its root item. */
export async function verifyAggregate(
  repo: AuditRepository,
  aggregate: string,
  root?: Record<string, unknown> | null,
): Promise<ChainVerification> {
  const [entries, stored] = await Promise.all([
    repo.chain(aggregate),
    root === undefined ? repo.root(aggregate) : Promise.resolve(root ?? undefined),
  ]);
  return checkChain(aggregate, entries, stored);
}

/** The pure part of `verifyAggregate`. */
export function checkChain(
  aggregate: string,
  entries: Parameters<typeof verifyChain>[1],
  root: Record<string, unknown> | undefined,
): ChainVerification {
  const base = { aggregate, entries: entries.length, rootPresent: root !== undefined };
  const brokenAt = (seq: number, reason: BrokenEntry['reason'], detail: string): ChainVerification => ({
    ...base,
    ok: false,
    ...(root && headOf(root) ? { headSeq: headOf(root)!.seq } : {}),
    firstBroken: { aggregate, seq, reason, detail },
  });
  if (!root) {
    // Without the root the tail cannot be checked; the entries themselves still can.
    const own = verifyChain(aggregate, entries);
    if (!own.ok) return brokenAt(own.firstBroken.seq, own.firstBroken.reason, own.firstBroken.detail);
    return brokenAt(
      Math.max(entries.length, 1),
      'root-missing',
      `the root item of ${aggregate} is missing: its chain has ${entries.length} entries and no head to end at`,
    );
  }
  const head = headOf(root);
  if (!head) {
    const own = verifyChain(aggregate, entries);
    if (!own.ok) return brokenAt(own.firstBroken.seq, own.firstBroken.reason, own.firstBroken.detail);
    return brokenAt(
      Math.max(entries.length, 1),
      'head-mismatch',
      entries.length
        ? `the root item carries no chain head (auditSeq, auditHead) but ${entries.length} entries exist`
        : 'the root item carries no chain head',
    );
  }
  let state: Record<string, unknown> | undefined;
  try {
    state = auditedState(root);
  } catch {
    state = undefined;
  }
  const result = verifyChain(aggregate, entries, head, new Map([[head.seq, state]]));
  if (!result.ok)
    return brokenAt(result.firstBroken.seq, result.firstBroken.reason, result.firstBroken.detail);
  return { ...base, ok: true, headSeq: head.seq };
}

/** Ledger entries that cannot be summed (tampered): named instead of added. */
function malformed(
  entries: readonly LedgerEntry[],
  check: (e: LedgerEntry) => boolean,
): LedgerEntry | undefined {
  return entries.find(
    (e) =>
      !['commit', 'release', 'disburse'].includes(e.kind) ||
      !Number.isSafeInteger(e.amountFen) ||
      e.amountFen <= 0 ||
      !check(e),
  );
}

/**
 * A pool's counters against the sums of its ledger entries (committed = Σcommit − Σrelease,
 * disbursed = Σdisburse), and the pool's own invariants: committed ≤ budget, disbursed ≤
 * committed. The same rules as the finance context's `verifyLedger` (shared/finance/service.ts),
 * but over the items as stored, so that a tampered item is reported rather than refused by a
 * schema.
 */
export async function verifyLedger(
  repo: AuditRepository,
  poolId: string,
  pool: Record<string, unknown>,
): Promise<LedgerCheck> {
  const entries = await repo.ledger(poolId);
  const bad = malformed(entries, (e) => e.poolId === poolId);
  const totals = ledgerTotals(bad ? [] : entries);
  const budgetFen = Number(pool.budgetFen ?? 0);
  const committedFen = Number(pool.committedFen ?? 0);
  const disbursedFen = Number(pool.disbursedFen ?? 0);
  const problems: string[] = [];
  if (bad) problems.push(`ledger entry ${bad.id} is malformed (kind, amount or pool)`);
  else {
    if (committedFen !== totals.committedFen)
      problems.push(
        `committedFen is ${committedFen} but the ledger's commits less releases come to ${totals.committedFen}`,
      );
    if (disbursedFen !== totals.disbursedFen)
      problems.push(
        `disbursedFen is ${disbursedFen} but the ledger's disbursements come to ${totals.disbursedFen}`,
      );
  }
  if (committedFen > budgetFen) problems.push(`committedFen ${committedFen} exceeds the budget ${budgetFen}`);
  if (disbursedFen > committedFen)
    problems.push(`disbursedFen ${disbursedFen} exceeds committedFen ${committedFen}`);
  return {
    ledger: 'pool',
    id: poolId,
    ok: problems.length === 0,
    entries: entries.length,
    budgetFen,
    committedFen,
    disbursedFen,
    ledgerCommittedFen: totals.committedFen,
    ledgerDisbursedFen: totals.disbursedFen,
    ...(problems.length ? { detail: problems.join('; ') } : {}),
  };
}

/** A contract's paid total against its `disburse` entries (gsi1 `CONTRACTLEDGER#<id>`). */
export async function verifyContractLedger(
  repo: AuditRepository,
  contractId: string,
  contract: Record<string, unknown>,
): Promise<LedgerCheck> {
  const entries = await repo.contractLedger(contractId);
  const bad = malformed(entries, (e) => e.contractId === contractId);
  const disbursed = ledgerTotals(bad ? [] : entries).disbursedFen;
  const paidFen = Number(contract.paidFen ?? 0);
  const problems: string[] = [];
  if (bad) problems.push(`ledger entry ${bad.id} is malformed (kind, amount or contract)`);
  else if (paidFen !== disbursed)
    problems.push(`paidFen is ${paidFen} but the contract's disbursements come to ${disbursed}`);
  return {
    ledger: 'contract',
    id: contractId,
    ok: problems.length === 0,
    entries: entries.length,
    disbursedFen: paidFen,
    ledgerDisbursedFen: disbursed,
    ...(problems.length ? { detail: problems.join('; ') } : {}),
  };
}

/** The ledger check of an aggregate's root, if it holds money counters (pools, contracts). */
function ledgerOf(
  repo: AuditRepository,
  aggregate: string,
  root: Record<string, unknown>,
): Promise<LedgerCheck> | undefined {
  if (aggregate.includes('|')) return undefined;
  if (aggregate.startsWith('POOL#')) return verifyLedger(repo, aggregate.slice('POOL#'.length), root);
  if (aggregate.startsWith('CONTRACT#') && 'paidFen' in root)
    return verifyContractLedger(repo, aggregate.slice('CONTRACT#'.length), root);
  return undefined;
}

export interface VerifyOptions {
  /**
   * Which chains the report covers, by their root item (e.g. an auditor's jurisdiction). A chain
   * whose root item is missing is always covered: it cannot be attributed, and it is evidence.
   */
  covers?: (root: Record<string, unknown>) => boolean;
  /** Chains verified at once. */
  concurrency?: number;
  now?: () => Date;
}

/** Verifies every listed chain (and the ledger of every pool among them). */
export async function verifyAll(repo: AuditRepository, options: VerifyOptions = {}): Promise<VerifyReport> {
  const listed = await repo.listChains();
  const results: (ChainVerification | undefined)[] = new Array(listed.length);
  const ledgers: (LedgerCheck | undefined)[] = new Array(listed.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(options.concurrency ?? 16, listed.length) }, async () => {
      while (next < listed.length) {
        const i = next++;
        const aggregate = listed[i]!.aggregate;
        const root = await repo.root(aggregate);
        if (root && options.covers && !options.covers(root)) continue;
        results[i] = await verifyAggregate(repo, aggregate, root ?? null);
        if (root) ledgers[i] = await ledgerOf(repo, aggregate, root);
      }
    }),
  );
  const checked = results.filter((r): r is ChainVerification => r !== undefined);
  const brokenChains = checked.flatMap((r) => (r.firstBroken ? [r.firstBroken] : []));
  const checkedLedgers = ledgers.filter((l): l is LedgerCheck => l !== undefined);
  const brokenLedgers = checkedLedgers.filter((l) => !l.ok);
  return {
    ok: brokenChains.length === 0 && brokenLedgers.length === 0,
    checkedAt: (options.now ?? (() => new Date()))().toISOString(),
    chains: {
      checked: checked.length,
      entries: checked.reduce((s, r) => s + r.entries, 0),
      broken: brokenChains.length,
    },
    ledgers: { checked: checkedLedgers.length, broken: brokenLedgers.length },
    ...(brokenChains[0] ? { firstBroken: brokenChains[0] } : {}),
    brokenChains,
    brokenLedgers,
  };
}
