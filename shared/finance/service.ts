import { audited } from '../audit/record';
import type { Principal } from '../auth/principal';
import { cancellationCodes, DEFAULT_RETRY, type RetryOptions, transactWrite } from '../awards/transact';
import { type Contract, type ContractTranche, committedFor } from '../contracts/model';
import { type ContractRead, ContractRepository, contractWrite } from '../contracts/repository';
import { keys } from '../db/keys';
import type { Page } from '../db/query';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ProblemError,
  RuleViolationError,
  ServiceUnavailableError,
  StaleVersionError,
} from '../errors';
import type { Deps } from '../http/deps';
import { type LedgerEntry, ledgerEntryPut, ledgerTotals } from '../ledger/entries';
import type { Pool } from '../pools/model';
import { PoolRepository } from '../pools/repository';
import {
  attemptOf,
  type ContractLedger,
  type Disbursement,
  type DisbursementRequest,
  type DisbursementStatus,
  disbursementIdOf,
  type LedgerOverview,
  type LedgerVerification,
  type PaymentInput,
  type PoolLedger,
} from './model';
import {
  type DisbursementRead,
  DisbursementRepository,
  disbursementWrite,
  LedgerRepository,
} from './repository';

/**
 * The finance context's rules: disbursements (request → approve → pay, or reject) and the fund
 * ledger's reads. The JSON API (functions/finance) and the pages call these methods directly with
 * the caller's principal; each method checks the role and the object's scope itself (out of scope
 * answers like missing: 404), so a page cannot forget a check the API makes.
 *
 * Every step is ONE TransactWriteItems (`transactWrite`: bounded retries with the same
 * ClientRequestToken, then 503) whose conditions carry every limit, computed here from what was
 * read — DynamoDB conditions have no arithmetic (PITFALLS.md):
 *
 * - request: disbursement Put (`attribute_not_exists`: the id is deterministic per tranche and
 *   attempt) + contract Put (`version`), each with its audit entry;
 * - approve / reject: disbursement Put (`version`, status, `requestedBy <> :me`) + contract Put;
 * - pay: disbursement Put (`version`, `approved`) + contract Put (`version`, contract
 *   `paidFen <= amount − withheld − amt`, tranche `approved`, `paidFen <= payable − amt`) + pool
 *   Update (`disbursedFen + amt`, guarded by `committedFen >= :committed AND disbursedFen <=
 *   :committed − amt`; the pool's version and chain are not touched: its money counters are attested
 *   by the ledger) + the ledger's `disburse` entry + the bank reference's lock item.
 *
 * A repeated step (a double click, a retried request without Idempotency-Key, 50 at once) finds
 * the status moved on and is refused (409): it never pays twice.
 */

const CCF = 'ConditionalCheckFailed';
const MONEY_ROLES = new Set(['officer', 'finance', 'auditor']);

/** Whether a principal may see a disbursement, contract or pool (the POLICY scopes of the finance routes). */
export function canSee(p: Principal, obj: { orgId?: string; jurisdictionPath?: string }): boolean {
  if (p.role === 'applicant') return p.orgId !== undefined && obj.orgId === p.orgId;
  if (MONEY_ROLES.has(p.role)) return obj.jurisdictionPath?.startsWith(p.jurisdictionPath) === true;
  return false;
}

function requireRole(p: Principal, role: Principal['role']): void {
  if (p.role !== role) throw new ForbiddenError();
}

/** Today's date in Beijing (Asia/Shanghai, UTC+8, no daylight saving): YYYY-MM-DD. */
export function beijingDate(instant: Date | string): string {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

/** Nothing is left to pay when every tranche is paid or withheld. */
const settled = (t: ContractTranche) => t.status === 'paid' || t.status === 'withheld';

function trancheIndex(c: Contract, milestone: string): number {
  const i = c.tranches.findIndex((t) => t.milestone === milestone);
  if (i < 0)
    throw new RuleViolationError(
      'no-such-tranche',
      `The contract has no ${milestone} tranche.`,
      `该合同没有“${milestone}”期拨付`,
      { milestone },
    );
  return i;
}

function withTranche(c: Contract, i: number, t: ContractTranche, extra: Partial<Contract> = {}): Contract {
  return { ...c, ...extra, tranches: c.tranches.map((x, j) => (j === i ? t : x)), version: c.version + 1 };
}

/** A step refused because the disbursement is no longer where the caller saw it. */
function statusConflict(d: Disbursement, wanted: string): ProblemError {
  if (d.status === 'paid')
    return new ProblemError(409, 'already-paid', 'Conflict', 'This disbursement has already been paid.', {
      detailZh: '该笔拨付已支付，不能重复支付',
      extra: { status: d.status, paidOn: d.paidOn, bankReference: d.bankReference },
    });
  if (d.status === 'rejected')
    return new ProblemError(409, 'disbursement-rejected', 'Conflict', 'This disbursement was rejected.', {
      detailZh: '该笔拨付申请已被退回',
      extra: { status: d.status },
    });
  return new ConflictError(
    `The disbursement is ${d.status}; it must be ${wanted} for this step.`,
    `该笔拨付当前状态为“${d.status}”，此操作要求状态为“${wanted}”`,
    { status: d.status },
  );
}

export interface FinanceServiceOptions {
  retry?: RetryOptions;
}

export class FinanceService {
  readonly disbursements: DisbursementRepository;
  readonly ledger: LedgerRepository;
  readonly contracts: ContractRepository;
  readonly pools: PoolRepository;
  private readonly retry: RetryOptions;

  constructor(
    private readonly deps: Deps,
    options: FinanceServiceOptions = {},
  ) {
    const table = deps.config.tableName;
    this.disbursements = new DisbursementRepository(deps.doc, table);
    this.ledger = new LedgerRepository(deps.doc, table);
    this.contracts = new ContractRepository(deps.doc, table);
    this.pools = new PoolRepository(deps.doc, table);
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  private get table() {
    return this.deps.config.tableName;
  }

  // -------------------------------------------------------------------------------------------
  // Reads

  /** One disbursement the principal may see (404 otherwise). */
  async get(p: Principal, id: string): Promise<Disbursement> {
    const read = await this.disbursements.get(id);
    if (!read || !canSee(p, read.disbursement)) throw new NotFoundError('disbursement');
    return read.disbursement;
  }

  private async readVisible(p: Principal, id: string): Promise<DisbursementRead> {
    const read = await this.disbursements.get(id);
    if (!read || !canSee(p, read.disbursement)) throw new NotFoundError('disbursement');
    return read;
  }

  private async contractVisible(p: Principal, id: string): Promise<ContractRead> {
    const read = await this.contracts.get(id);
    if (!read || !canSee(p, read.contract)) throw new NotFoundError('contract');
    return read;
  }

  /**
   * Lists: a contract's disbursements (`contractId`); an applicant's own organization's; otherwise
   * the caller's jurisdiction subtree in one status (default `requested`: the approval queue;
   * `approved` is the payment queue), oldest first — paid and rejected ones newest first.
   */
  async list(
    p: Principal,
    q: { status?: DisbursementStatus; contractId?: string; limit: number; cursor?: string },
  ): Promise<Page<Disbursement>> {
    if (q.contractId) {
      const { contract } = await this.contractVisible(p, q.contractId);
      return this.disbursements.pageOfOrg(contract.orgId, {
        contractId: contract.id,
        status: q.status,
        limit: q.limit,
        cursor: q.cursor,
      });
    }
    if (p.role === 'applicant') {
      if (!p.orgId) return { items: [] };
      return this.disbursements.pageOfOrg(p.orgId, { status: q.status, limit: q.limit, cursor: q.cursor });
    }
    if (!MONEY_ROLES.has(p.role)) throw new ForbiddenError();
    const status = q.status ?? 'requested';
    return this.disbursements.pageInJurisdiction(
      p.jurisdictionPath,
      status,
      q.limit,
      q.cursor,
      status === 'paid' || status === 'rejected',
    );
  }

  /** Per pool of the caller's subtree (one fiscal year, or all): budget, committed, disbursed, available. */
  async ledgerOverview(p: Principal, fiscalYear?: number): Promise<LedgerOverview> {
    if (!MONEY_ROLES.has(p.role)) throw new ForbiddenError();
    const pools: PoolLedger[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.pools.list(p.jurisdictionPath, 100, cursor);
      for (const pool of page.items)
        if (fiscalYear === undefined || pool.fiscalYear === fiscalYear) pools.push(poolLedger(pool));
      cursor = page.nextCursor;
    } while (cursor);
    const sum = (f: (x: PoolLedger) => number) => pools.reduce((s, x) => s + f(x), 0);
    return {
      ...(fiscalYear === undefined ? {} : { fiscalYear }),
      pools,
      totals: {
        budgetFen: sum((x) => x.budgetFen),
        committedFen: sum((x) => x.committedFen),
        disbursedFen: sum((x) => x.disbursedFen),
        availableFen: sum((x) => x.availableFen),
        outstandingFen: sum((x) => x.outstandingFen),
      },
    };
  }

  /** A pool's figures and one page of its ledger entries (newest first with `backwards`). */
  async poolLedger(
    p: Principal,
    poolId: string,
    page: { limit: number; cursor?: string; backwards?: boolean },
  ): Promise<{ pool: PoolLedger; items: LedgerEntry[]; nextCursor?: string }> {
    const pool = await this.pools.get(poolId);
    if (!pool || !MONEY_ROLES.has(p.role) || !canSee(p, pool)) throw new NotFoundError('pool');
    const entries = await this.ledger.pageOfPool(poolId, page.limit, page.cursor, page.backwards);
    return { pool: poolLedger(pool), ...entries };
  }

  /** Per contract: paid and remaining, its tranches, ledger entries and disbursements. */
  async contractLedger(p: Principal, contractId: string): Promise<ContractLedger> {
    const { contract: c } = await this.contractVisible(p, contractId);
    const [entries, disbursements] = await Promise.all([
      this.ledger.allOfContract(c.id),
      this.disbursements.ofContract(c.orgId, c.id),
    ]);
    return {
      contractId: c.id,
      poolId: c.poolId,
      orgId: c.orgId,
      orgName: c.orgName,
      jurisdictionPath: c.jurisdictionPath,
      amountFen: c.amountFen,
      withheldFen: c.withheldFen,
      paidFen: c.paidFen,
      remainingFen: committedFor(c) - c.paidFen,
      status: c.status,
      tranches: c.tranches.map((t) => ({
        milestone: t.milestone,
        amountFen: t.amountFen,
        payableFen: t.payableFen,
        paidFen: t.paidFen,
        status: t.status,
        ...(t.disbursementId ? { disbursementId: t.disbursementId } : {}),
      })),
      entries,
      disbursements,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Writes

  /**
   * An officer requests payment of a tranche whose milestone is met (`due`). The disbursement's
   * id is deterministic per tranche and attempt, so two requests for the same tranche can never
   * both succeed, whatever their timing.
   */
  async request(officer: Principal, input: DisbursementRequest): Promise<Disbursement> {
    requireRole(officer, 'officer');
    for (let round = 0; round < 3; round++) {
      const { contract: c, head } = await this.contractVisible(officer, input.contractId);
      const i = trancheIndex(c, input.milestone);
      const t = c.tranches[i]!;
      if (t.status !== 'due') throw trancheNotDue(t);
      if (c.status !== 'active' || t.payableFen - t.paidFen <= 0)
        throw new RuleViolationError(
          'nothing-to-pay',
          `The ${t.milestone} tranche has nothing left to pay.`,
          `该期没有可拨付的金额`,
        );
      const attempt = attemptOf(c.id, t.milestone, t.disbursementId) + 1;
      const at = this.deps.now().toISOString();
      const d: Disbursement = {
        id: disbursementIdOf(c.id, t.milestone, attempt),
        contractId: c.id,
        awardId: c.awardId,
        callTitle: c.callTitle,
        poolId: c.poolId,
        orgId: c.orgId,
        orgName: c.orgName,
        jurisdictionPath: c.jurisdictionPath,
        milestone: t.milestone,
        attempt,
        amountFen: t.payableFen - t.paidFen,
        status: 'requested',
        requestedBy: officer.userId,
        requestedAt: at,
        version: 1,
      };
      const next = withTranche(c, i, { ...t, status: 'requested', disbursementId: d.id });
      const by = { actor: officer.userId, at };
      try {
        await transactWrite(
          this.deps.doc,
          [
            ...audited(disbursementWrite(this.table, d), undefined, {
              ...by,
              action: 'disbursement.requested',
            }),
            ...audited(contractWrite(this.table, next, c.version), head, {
              ...by,
              action: 'contract.payment-requested',
            }),
          ],
          this.retry,
        );
        return d;
      } catch (e) {
        const codes = cancellationCodes(e);
        if (!codes) throw e;
        if (codes[0] === CCF || codes[1] === CCF)
          throw new ProblemError(
            409,
            'already-requested',
            'Conflict',
            `Payment of the ${t.milestone} tranche has already been requested.`,
            { detailZh: '该期拨付已申请，不能重复申请', extra: { disbursementId: d.id } },
          );
        // The contract moved on meanwhile (amendment, evaluation, another request): read it again.
        if (codes[2] === CCF || codes[3] === CCF) continue;
        throw e;
      }
    }
    throw new ServiceUnavailableError('The contract kept changing; retry shortly.');
  }

  /** A finance user other than the requester approves a requested disbursement. */
  async approve(finance: Principal, id: string, version: number): Promise<Disbursement> {
    requireRole(finance, 'finance');
    const read = await this.readVisible(finance, id);
    const d = read.disbursement;
    if (d.status !== 'requested') throw statusConflict(d, 'requested');
    if (d.requestedBy === finance.userId)
      throw new ProblemError(
        403,
        'requester-cannot-approve',
        'Forbidden',
        'The user who requested a payment cannot approve it; another finance user must.',
        { detailZh: '拨付申请人不能审批自己的申请，须由另一名财务人员审批' },
      );
    if (d.version !== version) throw new StaleVersionError(version);
    const at = this.deps.now().toISOString();
    const next: Disbursement = {
      ...d,
      status: 'approved',
      approvedBy: finance.userId,
      approvedAt: at,
      version: d.version + 1,
    };
    return this.moveWithTranche(read, next, finance, at, {
      trancheFrom: 'requested',
      trancheTo: 'approved',
      action: 'approved',
      extraGuard: { condition: 'requestedBy <> :me', values: { ':me': finance.userId } },
    });
  }

  /** Finance sends a requested or approved disbursement back: the tranche is `due` again. */
  async reject(finance: Principal, id: string, version: number, reason: string): Promise<Disbursement> {
    requireRole(finance, 'finance');
    const read = await this.readVisible(finance, id);
    const d = read.disbursement;
    if (d.status !== 'requested' && d.status !== 'approved') throw statusConflict(d, 'requested');
    if (d.version !== version) throw new StaleVersionError(version);
    const at = this.deps.now().toISOString();
    const next: Disbursement = {
      ...d,
      status: 'rejected',
      rejectedBy: finance.userId,
      rejectedAt: at,
      rejectReason: reason,
      version: d.version + 1,
    };
    return this.moveWithTranche(read, next, finance, at, {
      trancheFrom: d.status,
      trancheTo: 'due',
      action: 'rejected',
    });
  }

  /** Approve and reject: the disbursement and its tranche move together, nothing else. */
  private async moveWithTranche(
    read: DisbursementRead,
    next: Disbursement,
    actor: Principal,
    at: string,
    step: {
      trancheFrom: 'requested' | 'approved';
      trancheTo: 'approved' | 'due';
      action: 'approved' | 'rejected';
      extraGuard?: { condition: string; values: Record<string, unknown> };
    },
  ): Promise<Disbursement> {
    const d = read.disbursement;
    const write = disbursementWrite(this.table, next, { version: d.version, status: d.status });
    if (step.extraGuard) {
      write.Put.ConditionExpression += ` AND ${step.extraGuard.condition}`;
      Object.assign(write.Put.ExpressionAttributeValues!, step.extraGuard.values);
    }
    const by = { actor: actor.userId, at };
    for (let round = 0; round < 3; round++) {
      const { contract: c, head } = await this.requireContract(d);
      const i = trancheIndex(c, d.milestone);
      const t = c.tranches[i]!;
      if (t.disbursementId !== d.id || t.status !== step.trancheFrom)
        throw (
          (await this.movedOn(d, d.status)) ??
          new ConflictError(
            `The ${t.milestone} tranche is ${t.status}, no longer waiting on this disbursement.`,
            `该期拨付状态已变为“${t.status}”`,
            { trancheStatus: t.status },
          )
        );
      const contractNext = withTranche(c, i, { ...t, status: step.trancheTo });
      try {
        await transactWrite(
          this.deps.doc,
          [
            ...audited(write, read.head, { ...by, action: `disbursement.${step.action}` }),
            ...audited(contractWrite(this.table, contractNext, c.version), head, {
              ...by,
              action: `contract.payment-${step.action}`,
            }),
          ],
          this.retry,
        );
        return next;
      } catch (e) {
        const codes = cancellationCodes(e);
        if (!codes) throw e;
        if (codes[0] === CCF || codes[1] === CCF) throw await this.staleOrMoved(d, step.trancheFrom);
        if (codes[2] === CCF || codes[3] === CCF) continue;
        throw e;
      }
    }
    throw new ServiceUnavailableError('The contract kept changing; retry shortly.');
  }

  /**
   * Finance records the bank transfer of an approved disbursement: ONE transaction moves the
   * disbursement, the tranche and the contract's paid total, the pool's disbursed total and
   * writes the ledger's `disburse` entry (see the class comment for every guard).
   */
  async pay(finance: Principal, id: string, input: PaymentInput): Promise<Disbursement> {
    requireRole(finance, 'finance');
    const read = await this.readVisible(finance, id);
    const d = read.disbursement;
    if (d.status === 'requested')
      throw new RuleViolationError(
        'not-approved',
        'A disbursement must be approved before its payment is recorded.',
        '拨付须经审批后方可登记支付',
        { status: d.status },
      );
    if (d.status !== 'approved') throw statusConflict(d, 'approved');
    if (d.version !== input.version) throw new StaleVersionError(input.version);
    const now = this.deps.now();
    const at = now.toISOString();
    const approvedOn = beijingDate(d.approvedAt!);
    if (input.paidOn > beijingDate(now) || input.paidOn < approvedOn)
      throw new RuleViolationError(
        'invalid-payment-date',
        `The payment date must lie between the approval (${approvedOn}) and today.`,
        `支付日期须在审批日期（${approvedOn}）与今天之间`,
        { approvedOn, paidOn: input.paidOn },
      );
    const amt = d.amountFen;
    const next: Disbursement = {
      ...d,
      status: 'paid',
      paidBy: finance.userId,
      paidAt: at,
      bankReference: input.bankReference,
      paidOn: input.paidOn,
      version: d.version + 1,
    };
    const by = { actor: finance.userId, at };
    for (let round = 0; round < 3; round++) {
      const [{ contract: c, head }, pool] = await Promise.all([
        this.requireContract(d),
        this.pools.get(d.poolId, true),
      ]);
      if (!pool) throw new NotFoundError('pool');
      const i = trancheIndex(c, d.milestone);
      const t = c.tranches[i]!;
      if (t.disbursementId !== d.id || t.status !== 'approved')
        throw (
          (await this.movedOn(d, 'approved')) ??
          new ConflictError(
            `The ${t.milestone} tranche is ${t.status}, not approved for this disbursement.`,
            `该期拨付状态为“${t.status}”，不是本笔已审批的拨付`,
            { trancheStatus: t.status },
          )
        );
      // Every limit, from what was read; the transaction's conditions pin those reads.
      const trancheLimit = t.payableFen - amt; // tranche.paidFen may be at most this before
      const contractLimit = committedFor(c) - amt; // contract.paidFen likewise
      const poolLimit = pool.committedFen - amt; // pool.disbursedFen likewise
      if (t.paidFen > trancheLimit)
        throw overLimit('exceeds-tranche', 'tranche', t.payableFen - t.paidFen, amt);
      if (c.paidFen > contractLimit)
        throw overLimit('exceeds-contract', 'contract', committedFor(c) - c.paidFen, amt);
      if (pool.disbursedFen > poolLimit)
        throw overLimit('exceeds-pool', 'pool', pool.committedFen - pool.disbursedFen, amt);
      if (t.payableFen - t.paidFen !== amt)
        throw new ConflictError(
          'The tranche changed since the payment was requested; reject it and request again.',
          '申请后该期应付金额已变更，请退回后重新申请',
          { payableFen: t.payableFen - t.paidFen, amountFen: amt },
        );
      const tranches = c.tranches.map((x, j) =>
        j === i ? { ...x, status: 'paid' as const, paidFen: x.paidFen + amt } : x,
      );
      const contractNext: Contract = {
        ...c,
        tranches,
        paidFen: c.paidFen + amt,
        status: tranches.every(settled) ? 'completed' : c.status,
        version: c.version + 1,
      };
      const contractPut = contractWrite(this.table, contractNext, c.version).Put;
      const path = `tranches[${i}]`;
      const contractGuarded = {
        Put: {
          ...contractPut,
          ConditionExpression:
            `${contractPut.ConditionExpression} AND paidFen <= :contractLimit AND amountFen = :amount ` +
            `AND withheldFen = :withheld AND ${path}.#status = :approved AND ${path}.paidFen <= :trancheLimit ` +
            `AND ${path}.payableFen = :payable AND ${path}.disbursementId = :disbursementId`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ...contractPut.ExpressionAttributeValues,
            ':contractLimit': contractLimit,
            ':amount': c.amountFen,
            ':withheld': c.withheldFen,
            ':approved': 'approved',
            ':trancheLimit': trancheLimit,
            ':payable': t.payableFen,
            ':disbursementId': d.id,
          },
        },
      };
      try {
        await transactWrite(
          this.deps.doc,
          [
            ...audited(
              disbursementWrite(this.table, next, { version: d.version, status: 'approved' }),
              read.head,
              {
                ...by,
                action: 'disbursement.paid',
              },
            ),
            ...audited(contractGuarded, head, { ...by, action: 'contract.payment-recorded' }),
            {
              Update: {
                TableName: this.table,
                Key: keys.pool(pool.id),
                UpdateExpression: 'SET disbursedFen = disbursedFen + :amt',
                ConditionExpression:
                  'attribute_exists(pk) AND committedFen >= :committed AND disbursedFen <= :poolLimit',
                ExpressionAttributeValues: {
                  ':amt': amt,
                  ':committed': pool.committedFen,
                  ':poolLimit': poolLimit,
                },
              },
            },
            ledgerEntryPut(this.table, {
              id: d.id,
              poolId: pool.id,
              kind: 'disburse',
              amountFen: amt,
              at,
              actor: finance.userId,
              awardId: c.awardId,
              contractId: c.id,
              disbursementId: d.id,
              cause: 'disbursement.paid',
            }),
            {
              Put: {
                TableName: this.table,
                Item: {
                  ...keys.bankReference(pool.id, input.bankReference),
                  disbursementId: d.id,
                  poolId: pool.id,
                  at,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
          this.retry,
        );
        return next;
      } catch (e) {
        const codes = cancellationCodes(e);
        if (!codes) throw e;
        if (codes[0] === CCF || codes[1] === CCF) throw await this.staleOrMoved(d, 'approved');
        if (codes[6] === CCF)
          throw new ProblemError(
            409,
            'bank-reference-used',
            'Conflict',
            `The bank reference ${input.bankReference} is already booked for another payment from this pool.`,
            { detailZh: `银行流水号 ${input.bankReference} 已登记过本资金池的另一笔支付` },
          );
        // The contract or the pool moved on meanwhile: read them again (the limits are re-checked).
        if (codes.slice(2, 6).includes(CCF)) continue;
        throw e;
      }
    }
    throw new ServiceUnavailableError('The contract or the pool kept changing; retry shortly.');
  }

  private async requireContract(d: Disbursement): Promise<ContractRead> {
    const read = await this.contracts.get(d.contractId);
    if (!read) throw new NotFoundError('contract');
    return read;
  }

  /** The disbursement moved on since it was read (a concurrent step): 409 with its status. */
  private async movedOn(d: Disbursement, expected: DisbursementStatus): Promise<ProblemError | undefined> {
    const fresh = (await this.disbursements.get(d.id))?.disbursement;
    return fresh && fresh.status !== expected ? statusConflict(fresh, expected) : undefined;
  }

  /** After the disbursement's own guard failed: already moved on (409 with its status) or stale. */
  private async staleOrMoved(d: Disbursement, expected: DisbursementStatus): Promise<ProblemError> {
    return (await this.movedOn(d, expected)) ?? new StaleVersionError(d.version);
  }
}

function trancheNotDue(t: ContractTranche): ProblemError {
  if (t.status === 'pending')
    return new RuleViolationError(
      'milestone-not-met',
      `The ${t.milestone} milestone is not met yet: its tranche cannot be requested.`,
      `“${t.milestone}”里程碑尚未达成，不能申请该期拨付`,
      { trancheStatus: t.status },
    );
  if (t.status === 'withheld')
    return new RuleViolationError(
      'tranche-withheld',
      `The ${t.milestone} tranche is withheld (evaluation grade): nothing to pay.`,
      `该期拨付因绩效评价结果不予支付`,
      { trancheStatus: t.status },
    );
  if (t.status === 'paid')
    return new ProblemError(409, 'already-paid', 'Conflict', `The ${t.milestone} tranche is already paid.`, {
      detailZh: '该期已支付，不能重复申请',
      extra: { trancheStatus: t.status },
    });
  return new ProblemError(
    409,
    'already-requested',
    'Conflict',
    `Payment of the ${t.milestone} tranche has already been requested (${t.status}).`,
    {
      detailZh: '该期拨付已申请，不能重复申请',
      extra: { trancheStatus: t.status, disbursementId: t.disbursementId },
    },
  );
}

function overLimit(slug: string, what: 'tranche' | 'contract' | 'pool', leftFen: number, amountFen: number) {
  const zh = { tranche: '该期', contract: '合同', pool: '资金池' }[what];
  return new RuleViolationError(
    slug,
    `The ${what} has ${leftFen} fen left to pay; this payment is ${amountFen} fen.`,
    `${zh}剩余可支付 ${leftFen} 分，本次支付 ${amountFen} 分，超出限额`,
    { leftFen, amountFen },
  );
}

export function poolLedger(pool: Pool): PoolLedger {
  return {
    poolId: pool.id,
    name: pool.name,
    fiscalYear: pool.fiscalYear,
    jurisdictionPath: pool.jurisdictionPath,
    budgetFen: pool.budgetFen,
    committedFen: pool.committedFen,
    disbursedFen: pool.disbursedFen,
    availableFen: pool.budgetFen - pool.committedFen,
    outstandingFen: pool.committedFen - pool.disbursedFen,
  };
}

/**
 * Re-adds a pool's ledger entries and compares them with its counters: committed = Σ commit −
 * Σ release, disbursed = Σ disburse; and committed ≤ budget, disbursed ≤ committed. The audit
 * verifier (`GET /audit/verify`) and the property test call it.
 */
export async function verifyLedger(
  deps: Pick<Deps, 'doc' | 'config'>,
  poolId: string,
): Promise<LedgerVerification> {
  const table = deps.config.tableName;
  const [pool, entries] = await Promise.all([
    new PoolRepository(deps.doc, table).get(poolId, true),
    new LedgerRepository(deps.doc, table).allOfPool(poolId),
  ]);
  const sums = ledgerTotals(entries);
  const problems: string[] = [];
  const counters = {
    budgetFen: pool?.budgetFen ?? 0,
    committedFen: pool?.committedFen ?? 0,
    disbursedFen: pool?.disbursedFen ?? 0,
  };
  if (!pool) problems.push(`pool ${poolId} does not exist`);
  if (counters.committedFen !== sums.committedFen)
    problems.push(
      `committedFen is ${counters.committedFen} but the entries add up to ${sums.committedFen} (commit − release)`,
    );
  if (counters.disbursedFen !== sums.disbursedFen)
    problems.push(
      `disbursedFen is ${counters.disbursedFen} but the disburse entries add up to ${sums.disbursedFen}`,
    );
  if (counters.committedFen > counters.budgetFen)
    problems.push(`committedFen ${counters.committedFen} exceeds the budget ${counters.budgetFen}`);
  if (counters.disbursedFen > counters.committedFen)
    problems.push(`disbursedFen ${counters.disbursedFen} exceeds committedFen ${counters.committedFen}`);
  return { poolId, ok: problems.length === 0, entries: entries.length, counters, sums, problems };
}

/** A contract's paid total against its `disburse` entries, and paid ≤ amount − withheld. */
export async function verifyContractLedger(
  deps: Pick<Deps, 'doc' | 'config'>,
  contractId: string,
): Promise<{ contractId: string; ok: boolean; paidFen: number; disbursedFen: number; problems: string[] }> {
  const table = deps.config.tableName;
  const [read, entries] = await Promise.all([
    new ContractRepository(deps.doc, table).get(contractId),
    new LedgerRepository(deps.doc, table).allOfContract(contractId),
  ]);
  const disbursedFen = ledgerTotals(entries).disbursedFen;
  const problems: string[] = [];
  if (!read) return { contractId, ok: false, paidFen: 0, disbursedFen, problems: ['no such contract'] };
  const c = read.contract;
  if (c.paidFen !== disbursedFen)
    problems.push(`paidFen is ${c.paidFen} but its disburse entries add up to ${disbursedFen}`);
  const tranchesPaid = c.tranches.reduce((s, t) => s + t.paidFen, 0);
  if (tranchesPaid !== c.paidFen)
    problems.push(`the tranches' paid amounts add up to ${tranchesPaid}, not ${c.paidFen}`);
  if (c.paidFen > committedFor(c))
    problems.push(`paidFen ${c.paidFen} exceeds amount − withheld ${committedFor(c)}`);
  for (const t of c.tranches)
    if (t.paidFen > t.payableFen)
      problems.push(`the ${t.milestone} tranche paid ${t.paidFen} > payable ${t.payableFen}`);
  return { contractId, ok: problems.length === 0, paidFen: c.paidFen, disbursedFen, problems };
}
