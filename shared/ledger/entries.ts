import * as z from 'zod/mini';
import { Fen } from '../domain/money';
import { named } from '../schema';

/**
 * The fund ledger (资金台账): one append-only entry per movement of a pool's money, written in the
 * same transaction as the change of the pool's counters. Hence, for every pool at every moment:
 *
 *   pool.committedFen = Σ commit − Σ release      pool.disbursedFen = Σ disburse
 *
 * and for every contract: paid = Σ disburse of that contract. A verifier (and the property test)
 * re-adds the entries and compares.
 *
 * - `commit`: an award confirmed (money committed), or a contract amended upwards;
 * - `release`: an award cancelled (challenge upheld), or a contract amended downwards or closed
 *   with money left (e.g. a final tranche withheld after a 差 evaluation);
 * - `disburse`: a payment recorded.
 */
export const LEDGER_KINDS = ['commit', 'release', 'disburse'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const LedgerEntrySchema = named(
  z.object({
    id: z.string(),
    poolId: z.string(),
    kind: z.enum(LEDGER_KINDS),
    /** Always positive: the kind says which way the money moves. */
    amountFen: Fen,
    at: z.string(),
    actor: z.string(),
    /** What moved it: the award, contract and disbursement it belongs to (as applicable). */
    awardId: z.optional(z.string()),
    contractId: z.optional(z.string()),
    disbursementId: z.optional(z.string()),
    /** e.g. `award.confirmed`, `contract.amended`, `disbursement.paid`. */
    cause: z.string(),
  }),
  'LedgerEntry',
);
export type LedgerEntry = z.infer<typeof LedgerEntrySchema>;

export const ledgerKeys = {
  /** A pool's entries in time order (sk `at#id`). */
  entry: (poolId: string, at: string, id: string) => ({ pk: `LEDGER#${poolId}`, sk: `${at}#${id}` }),
  pool: (poolId: string) => `LEDGER#${poolId}`,
  /** gsi1: a contract's entries in time order. */
  ofContract: (contractId: string) => `CONTRACTLEDGER#${contractId}`,
} as const;

/** The conditional Put of a ledger entry, for a TransactWriteItems. */
export function ledgerEntryPut(tableName: string, e: LedgerEntry) {
  if (!Number.isSafeInteger(e.amountFen) || e.amountFen <= 0)
    throw new RangeError(`A ledger entry moves a positive whole number of fen, not ${e.amountFen}`);
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...ledgerKeys.entry(e.poolId, e.at, e.id),
        ...(e.contractId ? { gsi1pk: ledgerKeys.ofContract(e.contractId), gsi1sk: `${e.at}#${e.id}` } : {}),
        ...e,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Totals of a list of entries: what the pool's (or contract's) counters must equal. */
export function ledgerTotals(entries: readonly Pick<LedgerEntry, 'kind' | 'amountFen'>[]): {
  committedFen: number;
  disbursedFen: number;
} {
  let committedFen = 0;
  let disbursedFen = 0;
  for (const e of entries) {
    if (e.kind === 'commit') committedFen += e.amountFen;
    else if (e.kind === 'release') committedFen -= e.amountFen;
    else disbursedFen += e.amountFen;
  }
  return { committedFen, disbursedFen };
}
