import * as z from 'zod/mini';
import { MILESTONES } from '../calls/constants';
import { Fen } from '../domain/money';
import { GRADES } from '../evaluation/grade';
import { EvaluationWeightsSchema, PayoutPolicySchema } from '../evaluation/settings';
import { named } from '../schema';
import { TargetsSchema } from '../submissions/targets';

/**
 * Contracts (合同): one per final award (id `ct-<awardId>`), with the payment schedule split from
 * the call's tranche template in integer fen (tranches.ts), each tranche tied to its milestone.
 *
 * A tranche moves: `pending` (its milestone not met yet) → `due` (signing: at once; midterm and
 * final: when that evaluation is recorded, with `payableFen` set by the grade policy for the
 * final one) → `requested` (an officer asked finance to pay) → `approved` (a finance user other
 * than the requester) → `paid` (finance recorded the bank transfer). A final tranche whose
 * payable amount is 0 (e.g. grade 差) goes to `withheld` instead of `due`, and the withheld
 * money is released to the pool. The contract is `completed` when no tranche is left to pay.
 *
 * Money on the contract: amountFen = Σ tranche.amountFen; paidFen = Σ paid tranches;
 * withheldFen = what evaluations withheld. The pool's committed money for the contract is
 * amountFen − withheldFen; the ledger (shared/ledger/entries.ts) records every change of it.
 */
export const TRANCHE_STATUSES = ['pending', 'due', 'requested', 'approved', 'paid', 'withheld'] as const;
export type TrancheStatus = (typeof TRANCHE_STATUSES)[number];

export const CONTRACT_STATUSES = ['active', 'completed'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const ContractTrancheSchema = named(
  z.object({
    milestone: z.enum(MILESTONES),
    percent: z.int(),
    /** The scheduled amount (the remainder of the split on the last tranche). */
    amountFen: Fen,
    /** What may be paid: the amount, or after the final evaluation what its grade allows. */
    payableFen: Fen,
    status: z.enum(TRANCHE_STATUSES),
    /** The disbursement that pays it (finance function), once requested. */
    disbursementId: z.optional(z.string()),
    paidFen: Fen,
  }),
  'ContractTranche',
);
export type ContractTranche = z.infer<typeof ContractTrancheSchema>;

// The evaluation settings a contract copies from its call (shared/evaluation/settings.ts, where
// calls/model.ts can import them without a cycle).
export {
  DEFAULT_EVALUATION_WEIGHTS,
  DEFAULT_PAYOUT_POLICY,
  EvaluationWeightsSchema,
  PayoutPolicySchema,
} from '../evaluation/settings';

export const ContractSchema = named(
  z.object({
    id: z.string(),
    awardId: z.string(),
    callId: z.string(),
    callKind: z.enum(['purchase', 'venture']),
    callTitle: z.string(),
    poolId: z.string(),
    /** The buyer (甲方): the call's jurisdiction, whose officers manage the contract. */
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    buyerName: z.string(),
    /** The provider (乙方). */
    orgId: z.string(),
    orgName: z.string(),
    lot: z.optional(z.string()),
    /** Stations where the service is delivered (reports are filed per station). */
    stationIds: z.array(z.string()),
    amountFen: Fen,
    /** Calendar days, both inclusive, Asia/Shanghai. */
    startDate: z.string(),
    endDate: z.string(),
    /** Why the contract runs longer than one year (required then; at most three). */
    periodReason: z.optional(z.string()),
    /** Deliverables (服务产出目标): the application's targets, or the officer's for a bid. */
    targets: TargetsSchema,
    tranches: z.array(ContractTrancheSchema),
    payoutPolicy: PayoutPolicySchema,
    evaluationWeights: EvaluationWeightsSchema,
    status: z.enum(CONTRACT_STATUSES),
    paidFen: Fen,
    withheldFen: Fen,
    /** Totals of the approved reports, compared with the targets by evaluations. */
    reported: z.object({
      visits: z.int(),
      cases: z.int(),
      groups: z.int(),
      activities: z.int(),
      peopleServed: z.int(),
      resourcesLinkedFen: Fen,
    }),
    /** Grades of the recorded evaluations. */
    grades: z.object({ midterm: z.optional(z.enum(GRADES)), final: z.optional(z.enum(GRADES)) }),
    signedAt: z.string(),
    signedBy: z.string(),
    /** 0 at signing; each amendment adds one and keeps the previous text as a version item. */
    amendments: z.int(),
    version: z.int(),
  }),
  'Contract',
);
export type Contract = z.infer<typeof ContractSchema>;

/** What the pool holds committed for a contract. */
export const committedFor = (c: Pick<Contract, 'amountFen' | 'withheldFen'>) => c.amountFen - c.withheldFen;
