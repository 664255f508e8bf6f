/**
 * Finance's payment pages (拨付): the approval queue (requested), the payment queue (approved),
 * paid and rejected payments; one payment with its contract's tranche and the three decisions —
 * approve (never by the requester: the service refuses it, and the page says why), record the
 * payment (bank reference and date) or reject with a reason. Officers and auditors may read these
 * pages; only finance sees the forms. Every step goes through FinanceService, which checks role and
 * scope itself.
 */
import type { Context } from 'hono';
import { formatYuan } from '../../../shared/domain/money';
import { beijingToday, formatBeijing } from '../../../shared/domain/time';
import { ProblemError } from '../../../shared/errors';
import {
  DISBURSEMENT_STATUSES,
  type Disbursement,
  type DisbursementStatus,
  PaymentInputSchema,
  RejectionInputSchema,
} from '../../../shared/finance/model';
import { FinanceService } from '../../../shared/finance/service';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import {
  domainErrors,
  emptyForm,
  type FormState,
  type PageError,
  pathResolver,
  readForm,
  zodErrors,
} from '../forms';
import { DISBURSEMENT_STATUS, pick } from '../i18n';
import { Csrf, ErrorSummary, Input, Layout, type PageCtx, pageCtx, render, TextArea } from '../layout';
import type { PageRoute } from '../routes';
import { Done, disbursementBadge, TranchesTable, trancheText, userNames } from './contracts-view';

const disbursementPath = (id: string) => `/finance/disbursements/${encodeURIComponent(id)}`;

type Step = 'approve' | 'pay' | 'reject';
interface StepErrors {
  at: Step;
  f: FormState;
}

const resolvePay = pathResolver({ bankReference: 'bankReference', paidOn: 'paidOn', version: '' });
const resolveReject = pathResolver({ reason: 'rejectReason', version: '' });

export function DisbursementsTable({ p, items }: { p: PageCtx; items: Disbursement[] }) {
  if (!items.length) return <p class="card muted">{p.l('暂无记录。', 'Nothing here.')}</p>;
  return (
    <div class="table-wrap">
      <table id="disbursements">
        <thead>
          <tr>
            <th>{p.l('服务机构 / 项目', 'Provider / call')}</th>
            <th>{p.l('期次', 'Tranche')}</th>
            <th class="num">{p.l('金额', 'Amount')}</th>
            <th>{p.l('申请时间', 'Requested')}</th>
            <th>{p.l('状态', 'Status')}</th>
            <th>{p.l('支付', 'Payment')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr>
              <td>
                <a href={disbursementPath(d.id)}>{d.orgName}</a>
                <br />
                <span class="small muted">{d.callTitle}</span>
              </td>
              <td>{trancheText(p, d.milestone)}</td>
              <td class="num">{formatYuan(d.amountFen)}</td>
              <td>{formatBeijing(d.requestedAt)}</td>
              <td>{disbursementBadge(p, d.status)}</td>
              <td class="small">
                {d.status === 'paid' ? (
                  <>
                    {d.paidOn} · <code>{d.bankReference}</code>
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function financePages(page: PageRoute, deps: Deps): void {
  const finance = new FinanceService(deps);

  page('get', '/finance/disbursements', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const q = c.req.query('status');
    const status: DisbursementStatus = (DISBURSEMENT_STATUSES as readonly string[]).includes(q ?? '')
      ? (q as DisbursementStatus)
      : 'requested';
    const cursor = c.req.query('cursor') || undefined;
    const list = await finance.list(me, { status, limit: 50, cursor });
    return render(
      c,
      <Layout p={p} title={p.l('拨付审批与支付', 'Payment approvals')}>
        <Done p={p} done={c.req.query('done')} />
        <p class="muted">
          {p.l(
            '项目官员按里程碑申请拨付；财务人员（非申请人）审批后登记银行支付。每一步都有审计记录，同一期款项不可能重复支付。',
            'Officers request payment per milestone; a finance user (never the requester) approves, then records the bank transfer. Every step is on the audit trail; no tranche can be paid twice.',
          )}
        </p>
        <nav aria-label={p.l('按状态', 'By status')}>
          <p class="actions">
            {DISBURSEMENT_STATUSES.map((s) => (
              <a
                class={s === status ? 'button' : 'button secondary'}
                href={`/finance/disbursements?status=${s}`}
                aria-current={s === status ? 'page' : undefined}
              >
                {pick(p.lang, DISBURSEMENT_STATUS[s])}
              </a>
            ))}
          </p>
        </nav>
        <DisbursementsTable p={p} items={list.items} />
        {list.nextCursor ? (
          <p class="pager">
            <a href={`/finance/disbursements?status=${status}&cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  const detail = async (
    c: Context<ApiEnv>,
    d: Disbursement,
    s?: StepErrors,
    status: 200 | 403 | 409 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const ledger = await finance.contractLedger(me, d.contractId);
    const read = await finance.contracts.get(d.contractId);
    const names = await userNames(deps, [d.requestedBy, d.approvedBy, d.paidBy, d.rejectedBy]);
    const isFinance = me.role === 'finance';
    const f = (at: Step, values: Record<string, string> = {}) => (s?.at === at ? s.f : emptyForm(values));
    const who = (id?: string, at?: string) =>
      id ? `${names.get(id) ?? id}${at ? ` · ${formatBeijing(at)}` : ''}` : '—';
    return render(
      c,
      <Layout
        p={p}
        title={p.l(
          `拨付：${d.orgName} · ${trancheText(p, d.milestone)}`,
          `Payment: ${d.orgName} · ${trancheText(p, d.milestone)}`,
        )}
      >
        <Done p={p} done={c.req.query('done')} />
        {s ? <ErrorSummary p={p} f={s.f} /> : null}
        <section class="card">
          <dl class="facts">
            <dt>{p.l('状态', 'Status')}</dt>
            <dd>{disbursementBadge(p, d.status)}</dd>
            <dt>{p.l('金额', 'Amount')}</dt>
            <dd>
              <strong id="amount">{formatYuan(d.amountFen)}</strong>
            </dd>
            <dt>{p.l('项目', 'Call')}</dt>
            <dd>{d.callTitle}</dd>
            <dt>{p.l('收款机构', 'Payee')}</dt>
            <dd>{d.orgName}</dd>
            <dt>{p.l('期次', 'Tranche')}</dt>
            <dd>
              {trancheText(p, d.milestone)}
              {d.attempt > 1 ? p.l(`（第 ${d.attempt} 次申请）`, ` (request ${d.attempt})`) : ''}
            </dd>
            <dt>{p.l('申请', 'Requested')}</dt>
            <dd>{who(d.requestedBy, d.requestedAt)}</dd>
            <dt>{p.l('审批', 'Approved')}</dt>
            <dd>{who(d.approvedBy, d.approvedAt)}</dd>
            {d.status === 'paid' ? (
              <>
                <dt>{p.l('支付', 'Paid')}</dt>
                <dd>
                  {d.paidOn} · {p.l('流水号', 'ref.')} <code>{d.bankReference}</code> ·{' '}
                  {who(d.paidBy, d.paidAt)}
                </dd>
              </>
            ) : null}
            {d.status === 'rejected' ? (
              <>
                <dt>{p.l('退回', 'Rejected')}</dt>
                <dd>
                  {d.rejectReason} · {who(d.rejectedBy, d.rejectedAt)}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
        {isFinance && d.status === 'requested' ? (
          <form
            method="post"
            action={`${disbursementPath(d.id)}/approve`}
            class="card"
            aria-label={p.l('审批拨付', 'Approve the payment')}
          >
            <Csrf p={p} />
            <input type="hidden" name="version" value={String(d.version)} />
            <h2>{p.l('审批', 'Approve')}</h2>
            <p>
              {d.requestedBy === me.userId
                ? p.l(
                    '您是申请人，须由另一名财务人员审批。',
                    'You requested it: another finance user must approve it.',
                  )
                : p.l(
                    '核对合同、里程碑和金额后审批；审批后方可登记支付。',
                    'Check the contract, milestone and amount; the payment can be recorded once approved.',
                  )}
            </p>
            <button type="submit">{p.l('审批通过', 'Approve')}</button>
          </form>
        ) : null}
        {isFinance && d.status === 'approved' ? (
          <form
            method="post"
            action={`${disbursementPath(d.id)}/pay`}
            class="card stack"
            aria-label={p.l('登记支付', 'Record the payment')}
            novalidate
          >
            <Csrf p={p} />
            <input type="hidden" name="version" value={String(d.version)} />
            <h2>{p.l('登记支付', 'Record the payment')}</h2>
            <div class="grid">
              <Input
                p={p}
                f={f('pay')}
                name="bankReference"
                required
                maxlength={64}
                hint={p.l(
                  '银行回单上的流水号（字母、数字及 - _ / .）',
                  'As on the bank slip (letters, digits, - _ / .)',
                )}
              />
              <Input
                p={p}
                f={f('pay', { paidOn: beijingToday(deps.now()) })}
                name="paidOn"
                required
                maxlength={10}
                hint={p.l(
                  '年-月-日，不早于审批日期、不晚于今天',
                  'Year-month-day, from the approval to today',
                )}
              />
            </div>
            <button type="submit">{p.l('登记支付', 'Record the payment')}</button>
          </form>
        ) : null}
        {isFinance && (d.status === 'requested' || d.status === 'approved') ? (
          <form
            method="post"
            action={`${disbursementPath(d.id)}/reject`}
            class="card stack"
            aria-label={p.l('退回申请', 'Reject the request')}
            novalidate
          >
            <Csrf p={p} />
            <input type="hidden" name="version" value={String(d.version)} />
            <h2>{p.l('退回', 'Reject')}</h2>
            <TextArea p={p} f={f('reject')} name="rejectReason" rows={2} required />
            <button type="submit" class="danger">
              {p.l('退回申请', 'Reject')}
            </button>
          </form>
        ) : null}
        {read ? (
          <>
            <h2>{p.l('合同拨付计划', 'The contract’s schedule')}</h2>
            <TranchesTable p={p} c={read.contract} disbursements={ledger.disbursements} />
          </>
        ) : null}
        <p class="actions">
          <a href={`/finance/ledger/contracts/${encodeURIComponent(d.contractId)}`}>
            {p.l('合同资金台账', 'Contract ledger')}
          </a>
          <a href="/finance/disbursements">{p.l('返回审批队列', 'Back to the queue')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  const load = (c: Context<ApiEnv>) => finance.get(principalOf(c), c.req.param('id') ?? '');

  page('get', '/finance/disbursements/:id', async (c) => detail(c, await load(c)));

  const fail = async (
    c: Context<ApiEnv>,
    at: Step,
    values: Record<string, string>,
    errors: PageError[],
    code: 403 | 422 = 422,
  ) => detail(c, await load(c), { at, f: { values, errors } }, code);

  page('post', '/finance/disbursements/:id/approve', async (c) => {
    const d = await load(c);
    const values = await readForm(c);
    try {
      await finance.approve(principalOf(c), d.id, Number(values.version));
    } catch (e) {
      // The four-eyes rule answers 403 with its own words: show them beside the form.
      if (e instanceof ProblemError && e.slug === 'requester-cannot-approve')
        return fail(c, 'approve', values, [{ name: '', en: e.message, zh: e.detailZh ?? e.message }], 403);
      return fail(
        c,
        'approve',
        values,
        domainErrors(e, () => ''),
      );
    }
    return c.redirect(`${disbursementPath(d.id)}?done=payment-approved`, 303);
  });

  page('post', '/finance/disbursements/:id/pay', async (c) => {
    const d = await load(c);
    const values = await readForm(c);
    const parsed = PaymentInputSchema.safeParse({
      version: Number(values.version),
      bankReference: values.bankReference ?? '',
      paidOn: (values.paidOn ?? '').trim(),
    });
    if (!parsed.success) return fail(c, 'pay', values, zodErrors(parsed.error, resolvePay));
    try {
      await finance.pay(principalOf(c), d.id, parsed.data);
    } catch (e) {
      return fail(c, 'pay', values, domainErrors(e, resolvePay));
    }
    return c.redirect(`${disbursementPath(d.id)}?done=paid`, 303);
  });

  page('post', '/finance/disbursements/:id/reject', async (c) => {
    const d = await load(c);
    const values = await readForm(c);
    const parsed = RejectionInputSchema.safeParse({
      version: Number(values.version),
      reason: (values.rejectReason ?? '').trim(),
    });
    if (!parsed.success) return fail(c, 'reject', values, zodErrors(parsed.error, resolveReject));
    try {
      await finance.reject(principalOf(c), d.id, parsed.data.version, parsed.data.reason);
    } catch (e) {
      return fail(c, 'reject', values, domainErrors(e, resolveReject));
    }
    return c.redirect(`${disbursementPath(d.id)}?done=payment-rejected`, 303);
  });
}
