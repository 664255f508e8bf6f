/**
 * The officer's contract pages (民政局): final awards waiting for their contract and the signing
 * form, the contracts of the jurisdiction, one contract with its payment schedule (a payment
 * request per due tranche), its reports and evaluations, the amendment form (a reason; every
 * version kept) and its versions. Writes go through ContractService and FinanceService, as the JSON
 * API's do; anything outside the officer's jurisdiction is a 404 page.
 */
import type { Context } from 'hono';
import { type Award, effectiveAwardStatus } from '../../../shared/awards/model';
import { AwardRepository } from '../../../shared/awards/repository';
import { CallRepository } from '../../../shared/calls/repository';
import type { Contract } from '../../../shared/contracts/model';
import {
  AmendInputSchema,
  ContractService,
  contractIdOf,
  SignInputSchema,
} from '../../../shared/contracts/service';
import { formatYuan } from '../../../shared/domain/money';
import { beijingToday, formatBeijing } from '../../../shared/domain/time';
import { EvaluationService } from '../../../shared/evaluation/service';
import { FinanceService } from '../../../shared/finance/service';
import { authorizeObject, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { JurisdictionRepository } from '../../../shared/jurisdictions/repository';
import { ReportRepository } from '../../../shared/reports/repository';
import { RECIPIENT_CATEGORIES } from '../../../shared/submissions/constants';
import {
  domainErrors,
  emptyForm,
  FormReader,
  type FormState,
  type FormValues,
  type PageError,
  pathResolver,
  readForm,
  zodErrors,
} from '../forms';
import { EVALUATION_STAGE, FIELD, pick, RECIPIENT, SERVICE_OUTPUT } from '../i18n';
import {
  Csrf,
  ErrorSummary,
  FieldErrors,
  hasError,
  Input,
  Layout,
  pageCtx,
  render,
  TextArea,
} from '../layout';
import type { PageRoute } from '../routes';
import { ContractsList } from './contracts-applicant';
import {
  ContractFacts,
  Done,
  EvaluationsView,
  fenToYuanText,
  MoneySummary,
  ReportsTable,
  stationNames,
  TargetsTable,
  TranchesTable,
  trancheText,
  userNames,
  VersionsList,
} from './contracts-view';

export const officerContractPath = (id: string) => `/officer/contracts/${encodeURIComponent(id)}`;
const signPath = (awardId: string) => `/officer/awards/${encodeURIComponent(awardId)}/contract`;

/** Public notices read to find final awards without a contract (newest first). */
const NOTICE_PAGES = 5;

const OUTPUTS = ['visits', 'cases', 'groups', 'activities'] as const;

const SIGN_FIELDS: Record<string, string> = {
  startDate: 'startDate',
  endDate: 'endDate',
  periodReason: 'periodReason',
  targets: 'targets',
  stationIds: 'stationIds',
};
for (const o of OUTPUTS) SIGN_FIELDS[`targets.${o}`] = `tg.${o}`;
SIGN_FIELDS['targets.peopleServed'] = 'targets';
for (const k of RECIPIENT_CATEGORIES) SIGN_FIELDS[`targets.peopleServed.${k}`] = `tg.peopleServed.${k}`;
const resolveSign = pathResolver(SIGN_FIELDS);

const resolveAmend = pathResolver({
  reason: 'amendReason',
  endDate: 'endDate',
  periodReason: 'periodReason',
  amountFen: 'amount',
  version: '',
});

/** A section's errors and typed values: where a form of the contract page failed. */
interface Section {
  at: 'amend' | 'pay';
  f: FormState;
}

export function officerContractPages(page: PageRoute, deps: Deps): void {
  const table = deps.config.tableName;
  const service = new ContractService(deps);
  const contracts = service.contracts;
  const awards = new AwardRepository(deps.doc, table);
  const calls = new CallRepository(deps.doc, table);
  const jurisdictions = new JurisdictionRepository(deps.doc, table);
  const reports = new ReportRepository(deps.doc, table);
  const evaluations = new EvaluationService(deps);
  const finance = new FinanceService(deps);
  const stationsOf = (ids: string[]) => stationNames((id) => jurisdictions.getStation(id), ids);

  const contractIn = async (c: Context<ApiEnv>) => {
    const read = await contracts.get(c.req.param('id') ?? '');
    authorizeObject(c, read?.contract, 'contract');
    return read!;
  };

  /** Final awards of the officer's jurisdiction that have no contract yet (from the public notices). */
  const awaitingContract = async (jurisdictionPath: string): Promise<Award[]> => {
    const now = deps.now();
    const found: Award[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < NOTICE_PAGES; i++) {
      const page = await awards.publicPage(100, cursor);
      for (const a of page.items)
        if (a.jurisdictionPath.startsWith(jurisdictionPath) && effectiveAwardStatus(a, now) === 'final')
          found.push(a);
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const signed = await Promise.all(found.map((a) => contracts.get(contractIdOf(a.id))));
    return found.filter((_, i) => !signed[i]);
  };

  page('get', '/officer/contracts', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const cursor = c.req.query('cursor') || undefined;
    const [waiting, list] = await Promise.all([
      awaitingContract(me.jurisdictionPath),
      contracts.pageInJurisdiction(me.jurisdictionPath, 50, cursor),
    ]);
    return render(
      c,
      <Layout p={p} title={p.l('合同与拨付', 'Contracts and payments')}>
        <Done p={p} done={c.req.query('done')} />
        <p class="actions">
          <a class="button secondary" href="/officer/reports">
            {p.l('报告审核', 'Report review')}
          </a>
          <a class="button secondary" href="/finance/ledger">
            {p.l('资金台账', 'Ledger')}
          </a>
          <a class="button secondary" href="/finance/statistics">
            {p.l('服务统计', 'Service statistics')}
          </a>
        </p>
        <h2 id="awaiting">{p.l('待签订合同的中标（立项）', 'Final awards awaiting a contract')}</h2>
        {waiting.length ? (
          <div class="table-wrap">
            <table id="awaiting-table">
              <thead>
                <tr>
                  <th>{p.l('项目', 'Call')}</th>
                  <th>{p.l('中标（立项）机构', 'Provider')}</th>
                  <th class="num">{p.l('金额', 'Amount')}</th>
                  <th>{p.l('生效时间', 'Final since')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {waiting.map((a) => (
                  <tr>
                    <td>
                      {a.callTitle}
                      {a.lot ? p.l(`（标包 ${a.lot}）`, ` (lot ${a.lot})`) : ''}
                    </td>
                    <td>{a.orgName}</td>
                    <td class="num">{formatYuan(a.amountFen)}</td>
                    <td>{a.closesAt ? formatBeijing(a.closesAt) : '—'}</td>
                    <td>
                      <a
                        class="button"
                        href={signPath(a.id)}
                        aria-label={p.l(`签订合同：${a.orgName}`, `Sign the contract: ${a.orgName}`)}
                      >
                        {p.l('签订合同', 'Sign the contract')}
                      </a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="muted">
            {p.l(
              '没有待签订合同的中标（立项）：公示期和质疑期届满且无未决质疑后，中标（立项）生效并出现在这里。',
              'None: an award appears here once its notice and challenge periods are over with no challenge open.',
            )}
          </p>
        )}
        <h2 id="signed">{p.l('已签订的合同', 'Signed contracts')}</h2>
        <ContractsList p={p} contracts={list.items} href={(x) => officerContractPath(x.id)} showOrg />
        {list.nextCursor ? (
          <p class="pager">
            <a href={`/officer/contracts?cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  // ---- Signing ------------------------------------------------------------------------------------

  const signPage = async (c: Context<ApiEnv>, award: Award, f: FormState, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const now = deps.now();
    const [call, subs] = await Promise.all([
      calls.get(award.callId),
      awards.submissions([award.submissionId]),
    ]);
    const sub = subs.get(award.submissionId);
    const jur = call ? await jurisdictions.get(call.jurisdictionId) : undefined;
    const stations = jur ? await jurisdictions.stationsUnder(jur) : [];
    const status_ = effectiveAwardStatus(award, now);
    const existing = await contracts.get(contractIdOf(award.id));
    const template = call?.paymentTemplate ?? [];
    const targets = sub?.content.kind === 'application' ? sub.content.targets : undefined;
    return render(
      c,
      <Layout p={p} title={p.l(`签订合同：${award.callTitle}`, `Sign the contract: ${award.callTitle}`)}>
        <section class="card">
          <dl class="facts">
            <dt>{p.l('中标（立项）机构', 'Provider')}</dt>
            <dd>{award.orgName}</dd>
            <dt>{p.l('合同金额', 'Amount')}</dt>
            <dd>
              <strong>{formatYuan(award.amountFen)}</strong>
            </dd>
            <dt>{p.l('拨付方案', 'Payment schedule')}</dt>
            <dd>
              {template.map((t) => `${trancheText(p, t.milestone)} ${t.percent}%`).join(p.l('；', '; '))}
            </dd>
            {targets ? (
              <>
                <dt>{p.l('产出目标（取自申报书）', 'Targets (from the application)')}</dt>
                <dd>
                  {OUTPUTS.map((o) => `${pick(p.lang, SERVICE_OUTPUT[o])} ${targets[o]}`).join(
                    p.l('，', ', '),
                  )}
                  {p.l('；服务人数 ', '; people served ')}
                  {RECIPIENT_CATEGORIES.map(
                    (k) => `${pick(p.lang, RECIPIENT[k])} ${targets.peopleServed[k]}`,
                  ).join(p.l('，', ', '))}
                </dd>
              </>
            ) : null}
          </dl>
        </section>
        {existing ? (
          <p class="card">
            {p.l('该中标（立项）的合同已签订：', 'This award’s contract is signed: ')}
            <a href={officerContractPath(existing.contract.id)}>{existing.contract.id}</a>
          </p>
        ) : status_ !== 'final' ? (
          <p class="alert" role="alert">
            {p.l(
              '中标（立项）尚未生效（公示期、质疑期未届满或有未决质疑），暂不能签订合同。',
              'The award is not final yet (its notice or challenge period is running, or a challenge is open): no contract can be signed.',
            )}
          </p>
        ) : (
          <form method="post" action={signPath(award.id)} class="stack" novalidate>
            <Csrf p={p} />
            <ErrorSummary p={p} f={f} />
            <fieldset>
              <legend>{p.l('履行期限', 'Period')}</legend>
              <div class="grid">
                <Input
                  p={p}
                  f={f}
                  name="startDate"
                  maxlength={10}
                  hint={p.l('年-月-日，默认今天', 'Year-month-day; today by default')}
                />
                <Input
                  p={p}
                  f={f}
                  name="endDate"
                  maxlength={10}
                  hint={p.l('留空则为一年', 'Blank: one year')}
                />
              </div>
              <TextArea
                p={p}
                f={f}
                name="periodReason"
                rows={2}
                hint={p.l(
                  '期限超过一年（最长三年）时必填。',
                  'Required when the period exceeds one year (three at most).',
                )}
              />
            </fieldset>
            {award.callKind === 'purchase' ? (
              <>
                <fieldset id="f-targets" class={hasError(f, 'targets') ? 'bad' : undefined}>
                  <legend>
                    {p.l('服务产出目标（按采购文件）', 'Deliverables (as the tender specified)')}
                  </legend>
                  <FieldErrors p={p} f={f} name="targets" />
                  <div class="grid">
                    {OUTPUTS.map((o) => (
                      <Input p={p} f={f} name={`tg.${o}`} inputmode="numeric" required />
                    ))}
                    {RECIPIENT_CATEGORIES.map((k) => (
                      <Input p={p} f={f} name={`tg.peopleServed.${k}`} inputmode="numeric" required />
                    ))}
                  </div>
                </fieldset>
                <fieldset id="f-stationIds" class={hasError(f, 'stationIds') ? 'bad' : undefined}>
                  <legend>{pick(p.lang, FIELD.stationIds!)}</legend>
                  <FieldErrors p={p} f={f} name="stationIds" />
                  {stations.map((s) => (
                    <div class="field check">
                      <input
                        type="checkbox"
                        id={`f-st.${s.id}`}
                        name={`st.${s.id}`}
                        checked={f.values[`st.${s.id}`] === 'on'}
                      />{' '}
                      <label for={`f-st.${s.id}`}>{s.name}</label>
                    </div>
                  ))}
                </fieldset>
              </>
            ) : null}
            <div class="actions">
              <button type="submit">{p.l('签订合同', 'Sign the contract')}</button>
              <a href="/officer/contracts">{p.l('取消', 'Cancel')}</a>
            </div>
          </form>
        )}
      </Layout>,
      status,
    );
  };

  const awardIn = async (c: Context<ApiEnv>) =>
    authorizeObject(c, await awards.get(c.req.param('id') ?? ''), 'award');

  page('get', '/officer/awards/:id/contract', async (c) => {
    const award = await awardIn(c);
    const values: FormValues = { startDate: beijingToday(deps.now()) };
    if (award.callKind === 'purchase') {
      const call = await calls.get(award.callId);
      const lot = call?.lots.find((l) => l.code === award.lot);
      if (lot?.stationId) values[`st.${lot.stationId}`] = 'on';
    }
    return signPage(c, award, emptyForm(values));
  });

  page('post', '/officer/awards/:id/contract', async (c) => {
    const award = await awardIn(c);
    const values = await readForm(c);
    const r = new FormReader(values);
    const raw: Record<string, unknown> = {};
    for (const k of ['startDate', 'endDate', 'periodReason'] as const) {
      const v = r.optional(k);
      if (v !== undefined) raw[k] = v;
    }
    if (award.callKind === 'purchase') {
      const targets: Record<string, unknown> = {};
      for (const o of OUTPUTS) targets[o] = r.int(`tg.${o}`);
      targets.peopleServed = Object.fromEntries(
        RECIPIENT_CATEGORIES.map((k) => [k, r.int(`tg.peopleServed.${k}`)]),
      );
      raw.targets = targets;
      const stationIds = Object.keys(values)
        .filter((k) => k.startsWith('st.') && values[k] === 'on')
        .map((k) => k.slice(3));
      if (stationIds.length) raw.stationIds = stationIds;
    }
    if (r.errors.length) return signPage(c, award, { values, errors: r.errors }, 422);
    const parsed = SignInputSchema.safeParse(raw);
    if (!parsed.success)
      return signPage(c, award, { values, errors: zodErrors(parsed.error, resolveSign) }, 422);
    let contract: Contract;
    try {
      contract = await service.sign(award.id, parsed.data, principalOf(c));
    } catch (e) {
      return signPage(c, award, { values, errors: domainErrors(e, resolveSign) }, 422);
    }
    return c.redirect(`${officerContractPath(contract.id)}?done=signed`, 303);
  });

  // ---- One contract -------------------------------------------------------------------------------

  const contractPage = async (
    c: Context<ApiEnv>,
    contract: Contract,
    s?: Section,
    status: 200 | 403 | 409 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const [ledger, list, evals, versions, stations] = await Promise.all([
      finance.contractLedger(me, contract.id),
      reports.allOfContract(contract.id),
      evaluations.ofContract(contract.id),
      contracts.versions(contract.id),
      stationsOf(contract.stationIds),
    ]);
    const names = await userNames(deps, [
      contract.signedBy,
      ...evals.map((e) => e.recordedBy),
      ...versions.map((v) => v.by),
    ]);
    list.sort((a, b) =>
      a.month === b.month ? a.stationName.localeCompare(b.stationName) : a.month < b.month ? 1 : -1,
    );
    const amend: FormState =
      s?.at === 'amend'
        ? s.f
        : emptyForm({
            endDate: contract.endDate,
            periodReason: contract.periodReason ?? '',
            amount: fenToYuanText(contract.amountFen),
          });
    const recorded = new Set(evals.map((e) => e.stage));
    const stages = (['midterm', 'final'] as const).filter(
      (st) =>
        !recorded.has(st) && (st === 'final' || contract.tranches.some((t) => t.milestone === 'midterm')),
    );
    return render(
      c,
      <Layout p={p} title={p.l(`合同：${contract.callTitle}`, `Contract: ${contract.callTitle}`)}>
        <Done p={p} done={c.req.query('done')} />
        <section class="card">
          <ContractFacts p={p} c={contract} stations={stations} names={names} />
          <p class="actions">
            <a href={`/finance/ledger/contracts/${encodeURIComponent(contract.id)}`}>
              {p.l('资金台账明细', 'Ledger entries')}
            </a>
          </p>
        </section>
        <h2 id="payments">{p.l('拨付计划与申请', 'Payment schedule and requests')}</h2>
        <MoneySummary p={p} c={contract} />
        {s?.at === 'pay' ? <ErrorSummary p={p} f={s.f} /> : null}
        <TranchesTable
          p={p}
          c={contract}
          disbursements={ledger.disbursements}
          actionHead={p.l('操作', 'Action')}
          action={(t) =>
            t.status === 'due' && contract.status === 'active' ? (
              <form
                method="post"
                action={`${officerContractPath(contract.id)}/disbursements`}
                aria-label={p.l(
                  `申请拨付：${trancheText(p, t.milestone)}`,
                  `Request payment: ${trancheText(p, t.milestone)}`,
                )}
              >
                <Csrf p={p} />
                <input type="hidden" name="milestone" value={t.milestone} />
                <button type="submit">{p.l('申请拨付', 'Request payment')}</button>
              </form>
            ) : null
          }
        />
        <p class="hint">
          {p.l(
            '首付款签约后即可申请；中期款、尾款在相应绩效评价记录后可申请。申请由另一名财务人员审批后登记支付。',
            'The first tranche is due at signing; the mid-term and final ones once their evaluation is recorded. Finance approves a request, then records the payment.',
          )}
        </p>
        <h2 id="reports-h">{p.l('里程碑报告', 'Milestone reports')}</h2>
        <ReportsTable p={p} reports={list} href={(r) => `/officer/reports/${encodeURIComponent(r.id)}`} />
        <h2 id="evaluations">{p.l('绩效评价', 'Performance evaluation')}</h2>
        <EvaluationsView p={p} evaluations={evals} names={names} />
        {stages.length && contract.status === 'active' ? (
          <p class="actions">
            {stages.map((st) => (
              <a
                class="button secondary"
                href={`${officerContractPath(contract.id)}/evaluations/new?stage=${st}`}
              >
                {p.l(
                  `记录${pick('zh', EVALUATION_STAGE[st])}`,
                  `Record the ${pick('en', EVALUATION_STAGE[st]).toLowerCase()}`,
                )}
              </a>
            ))}
          </p>
        ) : null}
        <h2>{p.l('产出目标与完成情况', 'Targets and delivery')}</h2>
        <TargetsTable p={p} c={contract} />
        <h2 id="amend">{p.l('合同变更', 'Amend the contract')}</h2>
        {contract.status === 'active' ? (
          <form method="post" action={`${officerContractPath(contract.id)}/amend`} class="stack" novalidate>
            <Csrf p={p} />
            <input type="hidden" name="version" value={String(contract.version)} />
            <ErrorSummary p={p} f={amend} />
            <fieldset>
              <legend>
                {p.l('变更内容（只提交有改动的项目）', 'What changes (only changed fields are sent)')}
              </legend>
              <div class="grid">
                <Input p={p} f={amend} name="endDate" maxlength={10} />
                <Input
                  p={p}
                  f={amend}
                  name="amount"
                  inputmode="decimal"
                  hint={p.l(
                    '金额变更将按拨付比例重新分期，并相应调整资金池承诺金额。',
                    'A new amount re-splits the schedule and moves the pool’s committed money.',
                  )}
                />
              </div>
              <TextArea p={p} f={amend} name="periodReason" rows={2} />
              <TextArea p={p} f={amend} name="amendReason" rows={2} required />
            </fieldset>
            <button type="submit">{p.l('保存变更', 'Amend')}</button>
          </form>
        ) : (
          <p class="muted">
            {p.l('合同已履行完毕，不能再变更。', 'The contract is completed; it can no longer be amended.')}
          </p>
        )}
        <h3>{p.l('合同版本', 'Versions')}</h3>
        <VersionsList p={p} versions={versions} names={names} />
        <p class="actions">
          <a href="/officer/contracts">{p.l('返回合同列表', 'Back to the contracts')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  page('get', '/officer/contracts/:id', async (c) => contractPage(c, (await contractIn(c)).contract));

  page('post', '/officer/contracts/:id/amend', async (c) => {
    const read = await contractIn(c);
    const contract = read.contract;
    const values = await readForm(c);
    const r = new FormReader(values);
    const raw: Record<string, unknown> = { version: Number(values.version), reason: r.text('amendReason') };
    const endDate = r.text('endDate');
    if (endDate && endDate !== contract.endDate) raw.endDate = endDate;
    const periodReason = r.text('periodReason');
    if (periodReason && periodReason !== (contract.periodReason ?? '')) raw.periodReason = periodReason;
    if (r.text('amount')) {
      const fen = r.yuan('amount');
      if (fen !== undefined && fen !== contract.amountFen) raw.amountFen = fen;
    }
    const fail = (errors: PageError[], code: 409 | 422 = 422) =>
      contractPage(c, contract, { at: 'amend', f: { values, errors } }, code);
    if (r.errors.length) return fail(r.errors);
    const parsed = AmendInputSchema.safeParse(raw);
    if (!parsed.success) return fail(zodErrors(parsed.error, resolveAmend));
    try {
      await service.amend(read, parsed.data, principalOf(c));
    } catch (e) {
      return fail(domainErrors(e, resolveAmend));
    }
    return c.redirect(`${officerContractPath(contract.id)}?done=amended#amend`, 303);
  });

  page('post', '/officer/contracts/:id/disbursements', async (c) => {
    const { contract } = await contractIn(c);
    const values = await readForm(c);
    const milestone = values.milestone;
    if (milestone !== 'signing' && milestone !== 'midterm' && milestone !== 'final')
      return contractPage(
        c,
        contract,
        {
          at: 'pay',
          f: {
            values,
            errors: [{ name: '', zh: '请选择要申请拨付的期次', en: 'Choose the tranche to request.' }],
          },
        },
        422,
      );
    try {
      await finance.request(principalOf(c), { contractId: contract.id, milestone });
    } catch (e) {
      const errors = domainErrors(e, () => '');
      const fresh = (await contracts.get(contract.id))?.contract ?? contract;
      return contractPage(c, fresh, { at: 'pay', f: { values, errors } }, 422);
    }
    return c.redirect(`${officerContractPath(contract.id)}?done=requested#payments`, 303);
  });
}
