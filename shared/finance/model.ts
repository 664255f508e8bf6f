import * as z from 'zod/mini';
import { MILESTONES } from '../calls/constants';
import { Fen } from '../domain/money';
import { LedgerEntrySchema } from '../ledger/entries';
import { named, text } from '../schema';

/**
 * Disbursements (拨付): the payment of one contract tranche, in three steps by three people —
 * an officer requests it once the tranche's milestone is met (`due`), a finance user who is not
 * the requester approves it, and finance records the bank transfer (reference and value date).
 *
 *   requested → approved → paid
 *   requested | approved → rejected   (the tranche goes back to `due`; a new request is a new
 *                                      disbursement, attempt n + 1)
 *
 * The id is deterministic: `db-<contractId>-<milestone>` for the first attempt and
 * `db-<contractId>-<milestone>-<n>` for attempt n ≥ 2, so a tranche can never have two live
 * requests: two concurrent requests compute the same id and only one Put succeeds
 * (`attribute_not_exists`). The tranche keeps `disbursementId` of its latest disbursement, which
 * also carries the attempt number (a rejected one while the tranche is `due` again).
 */
export const DISBURSEMENT_STATUSES = ['requested', 'approved', 'paid', 'rejected'] as const;
export type DisbursementStatus = (typeof DISBURSEMENT_STATUSES)[number];
export type Milestone = (typeof MILESTONES)[number];

export const DisbursementSchema = named(
  z.object({
    id: z.string(),
    contractId: z.string(),
    awardId: z.string(),
    callTitle: z.string(),
    poolId: z.string(),
    /** The provider (乙方): its users see their own organization's payments. */
    orgId: z.string(),
    orgName: z.string(),
    /** The buyer's jurisdiction (the contract's): officers', finance's and auditors' scope. */
    jurisdictionPath: z.string(),
    milestone: z.enum(MILESTONES),
    /** 1 for the first request of the tranche, n after n − 1 rejections. */
    attempt: z.int(),
    /** The tranche's payable amount when requested. */
    amountFen: Fen,
    status: z.enum(DISBURSEMENT_STATUSES),
    requestedBy: z.string(),
    requestedAt: z.string(),
    approvedBy: z.optional(z.string()),
    approvedAt: z.optional(z.string()),
    paidBy: z.optional(z.string()),
    paidAt: z.optional(z.string()),
    /** The bank's transfer reference (银行流水号), unique per pool. */
    bankReference: z.optional(z.string()),
    /** Value date of the transfer, YYYY-MM-DD (Asia/Shanghai). */
    paidOn: z.optional(z.string()),
    rejectedBy: z.optional(z.string()),
    rejectedAt: z.optional(z.string()),
    rejectReason: z.optional(z.string()),
    version: z.int(),
  }),
  'Disbursement',
);
export type Disbursement = z.infer<typeof DisbursementSchema>;

/** `db-<contractId>-<milestone>`, then `…-<n>` for a new request after a rejection. */
export function disbursementIdOf(contractId: string, milestone: Milestone, attempt: number): string {
  const base = `db-${contractId}-${milestone}`;
  return attempt <= 1 ? base : `${base}-${attempt}`;
}

/** The attempt number of a tranche's disbursement id (inverse of `disbursementIdOf`). */
export function attemptOf(contractId: string, milestone: Milestone, id: string | undefined): number {
  if (!id) return 0;
  const base = `db-${contractId}-${milestone}`;
  if (id === base) return 1;
  const m = id.startsWith(`${base}-`) ? /^(\d+)$/.exec(id.slice(base.length + 1)) : null;
  if (!m) throw new RangeError(`${id} is not a disbursement of ${contractId} ${milestone}`);
  return Number(m[1]);
}

const version = z.int().check(z.minimum(1));

export const DisbursementRequestSchema = named(
  z.strictObject({
    contractId: text(1, 128),
    milestone: z.enum(MILESTONES),
  }),
  'DisbursementRequest',
);
export type DisbursementRequest = z.infer<typeof DisbursementRequestSchema>;

export const ApprovalInputSchema = named(z.strictObject({ version }), 'DisbursementApproval');

export const RejectionInputSchema = named(
  z.strictObject({ version, reason: text(2, 500) }),
  'DisbursementRejection',
);

/** A calendar date that exists: `2026-02-30` is refused. */
export const IsoDate = z.string().check(
  z.refine(
    (s) =>
      /^\d{4}-\d{2}-\d{2}$/.test(s) &&
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'A calendar date of the form YYYY-MM-DD.',
      params: { zh: '须为 YYYY-MM-DD 格式的有效日期' },
    },
  ),
);

export const PaymentInputSchema = named(
  z.strictObject({
    version,
    /** 银行流水号: letters, digits and - _ / . only. */
    bankReference: z.string().check(
      z.trim(),
      z.minLength(4),
      z.maxLength(64),
      z.refine((s) => /^[A-Za-z0-9][A-Za-z0-9\-_/.]*$/.test(s), {
        message: 'Letters, digits and - _ / . only.',
        params: { zh: '只能包含字母、数字及 - _ / .' },
      }),
    ),
    paidOn: IsoDate,
  }),
  'PaymentInput',
);
export type PaymentInput = z.infer<typeof PaymentInputSchema>;

/** A pool's figures for one fiscal year (资金台账). */
export const PoolLedgerSchema = named(
  z.object({
    poolId: z.string(),
    name: z.string(),
    fiscalYear: z.int(),
    jurisdictionPath: z.string(),
    budgetFen: Fen,
    committedFen: Fen,
    disbursedFen: Fen,
    /** budget − committed: what may still be awarded. */
    availableFen: z.int(),
    /** committed − disbursed: awarded but not yet paid. */
    outstandingFen: z.int(),
  }),
  'PoolLedger',
);
export type PoolLedger = z.infer<typeof PoolLedgerSchema>;

export const LedgerTotalsSchema = named(
  z.object({
    budgetFen: Fen,
    committedFen: Fen,
    disbursedFen: Fen,
    availableFen: z.int(),
    outstandingFen: z.int(),
  }),
  'LedgerTotals',
);

export const LedgerOverviewSchema = named(
  z.object({
    fiscalYear: z.optional(z.int()),
    pools: z.array(PoolLedgerSchema),
    totals: LedgerTotalsSchema,
  }),
  'LedgerOverview',
);
export type LedgerOverview = z.infer<typeof LedgerOverviewSchema>;

export const PoolLedgerPageSchema = named(
  z.object({
    pool: PoolLedgerSchema,
    items: z.array(LedgerEntrySchema),
    nextCursor: z.optional(z.string()),
  }),
  'PoolLedgerPage',
);

/** Per contract: paid and remaining, and where each fen went. */
export const ContractLedgerSchema = named(
  z.object({
    contractId: z.string(),
    poolId: z.string(),
    orgId: z.string(),
    orgName: z.string(),
    jurisdictionPath: z.string(),
    amountFen: Fen,
    withheldFen: Fen,
    paidFen: Fen,
    /** amount − withheld − paid. */
    remainingFen: z.int(),
    status: z.string(),
    tranches: z.array(
      z.object({
        milestone: z.enum(MILESTONES),
        amountFen: Fen,
        payableFen: Fen,
        paidFen: Fen,
        status: z.string(),
        disbursementId: z.optional(z.string()),
      }),
    ),
    entries: z.array(LedgerEntrySchema),
    disbursements: z.array(DisbursementSchema),
  }),
  'ContractLedger',
);
export type ContractLedger = z.infer<typeof ContractLedgerSchema>;

/** The result of re-adding a pool's ledger entries against its counters. */
export interface LedgerVerification {
  poolId: string;
  ok: boolean;
  entries: number;
  /** What the pool item says. */
  counters: { budgetFen: number; committedFen: number; disbursedFen: number };
  /** What the entries add up to. */
  sums: { committedFen: number; disbursedFen: number };
  /** Human-readable findings, empty when ok. */
  problems: string[];
}
