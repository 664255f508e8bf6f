import * as z from 'zod/mini';
import {
  ApprovalInputSchema,
  ContractLedgerSchema,
  DISBURSEMENT_STATUSES,
  DisbursementRequestSchema,
  DisbursementSchema,
  LedgerOverviewSchema,
  PaymentInputSchema,
  PoolLedgerPageSchema,
  RejectionInputSchema,
} from '../../shared/finance/model';
import { FinanceService, type FinanceServiceOptions } from '../../shared/finance/service';
import { type Api, createApi, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { route } from '../../shared/http/route';
import { IdParams, ListQuery, pageOf } from '../../shared/http/schemas';

/** Disbursement ids carry the contract's id: `db-ct-aw-<submission>-<milestone>[-n]`. */
const DisbursementParams = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(160)) });
const ContractParams = z.strictObject({ id: z.string().check(z.minLength(1), z.maxLength(128)) });
const DisbursementListQuery = z.extend(ListQuery, {
  status: z.optional(z.enum(DISBURSEMENT_STATUSES)),
  contractId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
});
const LedgerQuery = z.strictObject({
  fiscalYear: z.optional(z.coerce.number().check(z.int(), z.minimum(2000), z.maximum(2100))),
});
const PoolLedgerQuery = z.extend(ListQuery, { order: z._default(z.enum(['oldest', 'newest']), 'oldest') });
const DisbursementPage = pageOf(DisbursementSchema, 'DisbursementPage');

/** The finance context: disbursement requests, approvals and payments; the fund ledger. */
export function buildApp(deps: Deps, options: FinanceServiceOptions = {}): Api {
  const app = createApi(deps, 'finance');
  const service = new FinanceService(deps, options);

  route(
    app,
    {
      method: 'post',
      path: '/disbursements',
      tags: ['Disbursements'],
      summary: 'Request payment of a contract tranche whose milestone is met (officer)',
      body: DisbursementRequestSchema,
      idempotent: true,
      ok: { status: 201, schema: DisbursementSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { body }) => {
      const out = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: await service.request(principalOf(c), body),
      }));
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/disbursements',
      tags: ['Disbursements'],
      summary:
        'Disbursements: a status queue of your jurisdiction (default requested = the approval queue), a contract’s (contractId), or your organization’s',
      query: DisbursementListQuery,
      ok: { status: 200, schema: DisbursementPage },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { query }) => c.json(await service.list(principalOf(c), query), 200),
  );

  route(
    app,
    {
      method: 'get',
      path: '/disbursements/:id',
      tags: ['Disbursements'],
      summary: 'One disbursement and where it stands',
      params: DisbursementParams,
      ok: { status: 200, schema: DisbursementSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json(await service.get(principalOf(c), params.id), 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/disbursements/:id/approve',
      tags: ['Disbursements'],
      summary: 'Approve a requested disbursement (a finance user other than the requester)',
      params: DisbursementParams,
      body: ApprovalInputSchema,
      idempotent: true,
      ok: { status: 200, schema: DisbursementSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) => {
      const out = await idempotent(c, body, async () => ({
        status: 200 as const,
        body: await service.approve(principalOf(c), params.id, body.version),
      }));
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/disbursements/:id/reject',
      tags: ['Disbursements'],
      summary: 'Send a requested or approved disbursement back, with a reason: the tranche is due again',
      params: DisbursementParams,
      body: RejectionInputSchema,
      idempotent: true,
      ok: { status: 200, schema: DisbursementSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) => {
      const out = await idempotent(c, body, async () => ({
        status: 200 as const,
        body: await service.reject(principalOf(c), params.id, body.version, body.reason),
      }));
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/disbursements/:id/pay',
      tags: ['Disbursements'],
      summary:
        'Record the bank transfer of an approved disbursement: tranche, contract, pool and ledger in one transaction',
      params: DisbursementParams,
      body: PaymentInputSchema,
      idempotent: true,
      ok: { status: 200, schema: DisbursementSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) => {
      const out = await idempotent(c, body, async () => ({
        status: 200 as const,
        body: await service.pay(principalOf(c), params.id, body),
      }));
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/ledger',
      tags: ['Ledger'],
      summary:
        'Per pool of your jurisdiction (one fiscal year, or all): budget, committed, disbursed, available',
      query: LedgerQuery,
      ok: { status: 200, schema: LedgerOverviewSchema },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) => c.json(await service.ledgerOverview(principalOf(c), query.fiscalYear), 200),
  );

  route(
    app,
    {
      method: 'get',
      path: '/pools/:id/ledger',
      tags: ['Ledger'],
      summary: "A pool's figures and its ledger entries (commit, release, disburse), in time order",
      params: IdParams,
      query: PoolLedgerQuery,
      ok: { status: 200, schema: PoolLedgerPageSchema },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { params, query }) =>
      c.json(
        await service.poolLedger(principalOf(c), params.id, {
          limit: query.limit,
          cursor: query.cursor,
          backwards: query.order === 'newest',
        }),
        200,
      ),
  );

  route(
    app,
    {
      method: 'get',
      path: '/ledger/contracts/:id',
      tags: ['Ledger'],
      summary: 'Per contract: paid and remaining, its tranches, ledger entries and disbursements',
      params: ContractParams,
      ok: { status: 200, schema: ContractLedgerSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json(await service.contractLedger(principalOf(c), params.id), 200),
  );

  return app;
}
