import * as z from 'zod/mini';
import { described, named } from '../schema';

/** The JSON shapes of the audit function's answers (OpenAPI). The chain itself: chain.ts. */

export const AuditEntrySchema = named(
  z.object({
    aggregate: described(z.string(), "The aggregate's chain name: its root key", 'CALL#5f0c…'),
    seq: z.int(),
    actor: described(z.string(), 'A user id, or system:<job>', 'system:jobs'),
    at: z.string(),
    action: described(z.string(), '<aggregate type>.<verb>', 'call.published'),
    stateHash: described(z.string(), 'SHA-256 of the RFC 8785 canonical JSON of the new state'),
    prevHash: described(z.string(), "The previous entry's entryHash (64 zeros for seq 1)"),
    entryHash: described(z.string(), 'SHA-256 of the canonical JSON of the seven fields above'),
  }),
  'AuditEntry',
);

export const BREAK_REASONS = [
  'altered',
  'missing',
  'reordered',
  'head-mismatch',
  'state-mismatch',
  'root-missing',
] as const;

export const BrokenEntrySchema = named(
  z.object({
    aggregate: z.string(),
    /** The first entry at which the chain stops being provably intact. */
    seq: z.int(),
    reason: z.enum(BREAK_REASONS),
    detail: z.string(),
  }),
  'BrokenAuditEntry',
);
export type BrokenEntry = z.infer<typeof BrokenEntrySchema>;

export const ChainVerificationSchema = named(
  z.object({
    aggregate: z.string(),
    ok: z.boolean(),
    /** Entries read. */
    entries: z.int(),
    /** The root item's head (`auditSeq`), when there is a root item with a head. */
    headSeq: z.optional(z.int()),
    rootPresent: z.boolean(),
    firstBroken: z.optional(BrokenEntrySchema),
  }),
  'ChainVerification',
);
export type ChainVerification = z.infer<typeof ChainVerificationSchema>;

export const ChainViewSchema = named(
  z.object({
    aggregate: z.string(),
    verification: ChainVerificationSchema,
    items: z.array(AuditEntrySchema),
    nextCursor: z.optional(z.string()),
  }),
  'AuditChain',
);

export const LedgerCheckSchema = named(
  z.object({
    /** A pool's counters, or a contract's paid total. */
    ledger: z.enum(['pool', 'contract']),
    id: z.string(),
    ok: z.boolean(),
    /** Ledger entries read. */
    entries: z.int(),
    /** As stored on the pool (pool) or the contract (`paidFen` as disbursedFen). */
    budgetFen: z.optional(z.number()),
    committedFen: z.optional(z.number()),
    disbursedFen: z.number(),
    /** The sums of the ledger entries: Σcommit − Σrelease, Σdisburse. */
    ledgerCommittedFen: z.optional(z.int()),
    ledgerDisbursedFen: z.int(),
    detail: z.optional(z.string()),
  }),
  'LedgerCheck',
);
export type LedgerCheck = z.infer<typeof LedgerCheckSchema>;

export const VerifyReportSchema = named(
  z.object({
    ok: z.boolean(),
    checkedAt: z.string(),
    chains: z.object({ checked: z.int(), entries: z.int(), broken: z.int() }),
    ledgers: z.object({ checked: z.int(), broken: z.int() }),
    /** The first broken entry of the oldest broken chain (chains in order of creation). */
    firstBroken: z.optional(BrokenEntrySchema),
    /** Every broken chain, each with its first broken entry. */
    brokenChains: z.array(BrokenEntrySchema),
    brokenLedgers: z.array(LedgerCheckSchema),
  }),
  'AuditVerifyReport',
);
export type VerifyReport = z.infer<typeof VerifyReportSchema>;
