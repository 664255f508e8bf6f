/**
 * Read-only views of a contract, its payment schedule, reports, evaluations and payments, shared by
 * the applicant's, the officer's and finance's pages (each group bundles what it imports).
 */
import type { Contract, ContractTranche } from '../../../shared/contracts/model';
import { committedFor } from '../../../shared/contracts/model';
import type { ContractVersion } from '../../../shared/contracts/repository';
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import type { Evaluation } from '../../../shared/evaluation/model';
import type { Disbursement } from '../../../shared/finance/model';
import type { Deps } from '../../../shared/http/deps';
import type { Report } from '../../../shared/reports/model';
import { formatCenti } from '../../../shared/scoring/arithmetic';
import { RECIPIENT_CATEGORIES } from '../../../shared/submissions/constants';
import { UserRepository } from '../../../shared/users/repository';
import {
  CONTRACT_STATUS,
  DISBURSEMENT_STATUS,
  EVALUATION_GROUP,
  EVALUATION_STAGE,
  GRADE_TEXT,
  MILESTONE,
  pick,
  RECIPIENT,
  REPORT_MILESTONE,
  REPORT_STATUS,
  SERVICE_OUTPUT,
  TRANCHE_STATUS,
} from '../i18n';
import { Badge, type PageCtx } from '../layout';

/** One-line confirmations after a redirect (`?done=`): only known keys, never echoed text. */
const DONE: Record<string, [string, string]> = {
  signed: ['合同已签订，首付款已可申请拨付。', 'The contract is signed; the first tranche is due.'],
  amended: ['合同已变更，原版本已保留。', 'The contract is amended; the previous version is kept.'],
  filed: ['报告已提交，等待民政局审核。', 'The report is filed and waits for review.'],
  resubmitted: ['报告已重新提交，等待审核。', 'The report is resubmitted and waits for review.'],
  'report-approved': [
    '报告已通过，数据已计入合同完成情况和服务统计。',
    "Approved: its figures now count in the contract's totals and the statistics.",
  ],
  'report-returned': ['报告已退回机构修改。', 'The report is returned to the organization.'],
  'evidence-uploaded': ['证明材料已上传。', 'The evidence document is uploaded.'],
  evaluated: ['绩效评价已记录。', 'The evaluation is recorded.'],
  requested: ['拨付申请已提交财务审批。', 'Payment requested: finance will approve it.'],
  'payment-approved': ['拨付已审批，可登记支付。', 'Approved: the payment can now be recorded.'],
  paid: ['支付已登记，资金台账已更新。', 'The payment is recorded and the ledger updated.'],
  'payment-rejected': [
    '拨付申请已退回，该期款项可重新申请。',
    'Rejected: the tranche can be requested again.',
  ],
};

export function Done({ p, done }: { p: PageCtx; done: string | undefined }) {
  const text = done ? DONE[done] : undefined;
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {p.l(text[0], text[1])}
    </p>
  );
}

const TRANCHE_KIND: Record<ContractTranche['status'], string> = {
  pending: 'closed',
  due: 'pending',
  requested: 'pending',
  approved: 'pending',
  paid: 'approved',
  withheld: 'rejected',
};

export const trancheBadge = (p: PageCtx, s: ContractTranche['status']) => (
  <Badge kind={TRANCHE_KIND[s]} text={pick(p.lang, TRANCHE_STATUS[s])} />
);

export const contractBadge = (p: PageCtx, s: Contract['status']) => (
  <Badge kind={s === 'active' ? 'published' : 'closed'} text={pick(p.lang, CONTRACT_STATUS[s])} />
);

export const reportBadge = (p: PageCtx, s: Report['status']) => (
  <Badge
    kind={s === 'approved' ? 'approved' : s === 'returned' ? 'rejected' : 'pending'}
    text={pick(p.lang, REPORT_STATUS[s])}
  />
);

export const disbursementBadge = (p: PageCtx, s: Disbursement['status']) => (
  <Badge
    kind={s === 'paid' ? 'approved' : s === 'rejected' ? 'rejected' : 'pending'}
    text={pick(p.lang, DISBURSEMENT_STATUS[s])}
  />
);

/** Display names of users by id (signers, reviewers, requesters), for the facts beside an action. */
export async function userNames(deps: Deps, ids: (string | undefined)[]): Promise<Map<string, string>> {
  const users = new UserRepository(deps.doc, deps.config.tableName);
  const unique = [...new Set(ids.filter((x): x is string => !!x && !x.startsWith('system:')))];
  const found = await Promise.all(unique.map((id) => users.byId(id)));
  return new Map(found.flatMap((u) => (u ? [[u.id, u.name] as [string, string]] : [])));
}

/** Fen as the text of a yuan input ("1234.50"), for prefilled forms. */
export const fenToYuanText = (fen: number) => (fen / 100).toFixed(2);

export const trancheText = (p: PageCtx, m: ContractTranche['milestone']) => pick(p.lang, MILESTONE[m]);

/** Parties, amount, period, stations and the evaluation settings of a contract. */
export function ContractFacts(props: {
  p: PageCtx;
  c: Contract;
  stations: Map<string, string>;
  names: Map<string, string>;
}) {
  const { p, c, stations, names } = props;
  return (
    <dl class="facts">
      <dt>{p.l('合同编号', 'Contract')}</dt>
      <dd>
        <code>{c.id}</code> {contractBadge(p, c.status)}
      </dd>
      <dt>{p.l('项目', 'Call')}</dt>
      <dd>
        {c.callTitle}
        {c.lot ? p.l(`（标包 ${c.lot}）`, ` (lot ${c.lot})`) : ''}
      </dd>
      <dt>{p.l('甲方（采购人）', 'Buyer')}</dt>
      <dd>{c.buyerName}</dd>
      <dt>{p.l('乙方（服务机构）', 'Provider')}</dt>
      <dd>{c.orgName}</dd>
      <dt>{p.l('合同金额', 'Amount')}</dt>
      <dd>
        <strong>{formatYuan(c.amountFen)}</strong>
      </dd>
      <dt>{p.l('履行期限', 'Period')}</dt>
      <dd>
        {c.startDate} — {c.endDate}
        {c.periodReason ? p.l(`（理由：${c.periodReason}）`, ` (reason: ${c.periodReason})`) : ''}
      </dd>
      <dt>{p.l('服务社工站', 'Stations')}</dt>
      <dd>{c.stationIds.map((id) => stations.get(id) ?? id).join(p.l('、', ', '))}</dd>
      <dt>{p.l('评价权重', 'Evaluation weights')}</dt>
      <dd>
        {(['decision', 'process', 'outputs', 'benefits'] as const)
          .map((k) => `${pick(p.lang, EVALUATION_GROUP[k])} ${c.evaluationWeights[k]}`)
          .join(p.l('，', ', '))}
      </dd>
      <dt>{p.l('尾款支付比例（按评价等级）', 'Final tranche by grade')}</dt>
      <dd>
        {(['优', '良', '中', '差'] as const).map((g) => `${g} ${c.payoutPolicy[g]}%`).join(p.l('，', ', '))}
      </dd>
      <dt>{p.l('签订', 'Signed')}</dt>
      <dd>
        {formatBeijing(c.signedAt)} · {names.get(c.signedBy) ?? c.signedBy}
        {c.amendments ? p.l(`（已变更 ${c.amendments} 次）`, ` (amended ${c.amendments} times)`) : ''}
      </dd>
    </dl>
  );
}

/** Amount, committed, paid, remaining and withheld, as cards. */
export function MoneySummary({ p, c }: { p: PageCtx; c: Contract }) {
  const committed = committedFor(c);
  return (
    <div class="cards" id="money">
      <section class="card">
        <h3>{p.l('合同金额', 'Contract amount')}</h3>
        <p class="total">{formatYuan(c.amountFen)}</p>
      </section>
      <section class="card">
        <h3>{p.l('已支付', 'Paid')}</h3>
        <p class="total" id="paid">
          {formatYuan(c.paidFen)}
        </p>
      </section>
      <section class="card">
        <h3>{p.l('待支付', 'Remaining')}</h3>
        <p class="total" id="remaining">
          {formatYuan(committed - c.paidFen)}
        </p>
      </section>
      {c.withheldFen ? (
        <section class="card">
          <h3>{p.l('不予支付（评价扣减）', 'Withheld (evaluation)')}</h3>
          <p class="total">{formatYuan(c.withheldFen)}</p>
        </section>
      ) : null}
    </div>
  );
}

/**
 * The payment schedule: each tranche with its milestone, amount, payable, status, what is paid and
 * the payment that pays it (bank reference and date once paid). `action` adds a last column.
 */
export function TranchesTable(props: {
  p: PageCtx;
  c: Contract;
  disbursements?: Disbursement[];
  action?: (t: ContractTranche) => unknown;
  actionHead?: string;
}) {
  const { p, c } = props;
  const byId = new Map((props.disbursements ?? []).map((d) => [d.id, d]));
  return (
    <div class="table-wrap">
      <table id="tranches">
        <thead>
          <tr>
            <th>{p.l('期次（里程碑）', 'Tranche (milestone)')}</th>
            <th class="num">{p.l('比例', 'Share')}</th>
            <th class="num">{p.l('金额', 'Amount')}</th>
            <th class="num">{p.l('应付', 'Payable')}</th>
            <th class="num">{p.l('已付', 'Paid')}</th>
            <th class="num">{p.l('未付', 'Unpaid')}</th>
            <th>{p.l('状态', 'Status')}</th>
            <th>{p.l('支付记录', 'Payment')}</th>
            {props.action ? <th>{props.actionHead ?? ''}</th> : null}
          </tr>
        </thead>
        <tbody>
          {c.tranches.map((t) => {
            const d = t.disbursementId ? byId.get(t.disbursementId) : undefined;
            const unpaid = t.status === 'withheld' ? 0 : t.payableFen - t.paidFen;
            return (
              <tr id={`tranche-${t.milestone}`}>
                <td>{trancheText(p, t.milestone)}</td>
                <td class="num">{t.percent}%</td>
                <td class="num">{formatYuan(t.amountFen)}</td>
                <td class="num">{formatYuan(t.payableFen)}</td>
                <td class="num">{formatYuan(t.paidFen)}</td>
                <td class="num">{formatYuan(unpaid)}</td>
                <td>{trancheBadge(p, t.status)}</td>
                <td class="small">
                  {d ? (
                    <>
                      {disbursementBadge(p, d.status)}
                      {d.status === 'paid' && d.paidOn ? (
                        <>
                          <br />
                          {p.l(`${d.paidOn} 支付，流水号 `, `paid ${d.paidOn}, ref. `)}
                          <code>{d.bankReference}</code>
                        </>
                      ) : null}
                      {d.status === 'rejected' && d.rejectReason ? (
                        <>
                          <br />
                          {p.l(`退回理由：${d.rejectReason}`, `Rejected: ${d.rejectReason}`)}
                        </>
                      ) : null}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                {props.action ? <td>{props.action(t)}</td> : null}
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr>
            <th>{p.l('合计', 'Total')}</th>
            <td class="num">100%</td>
            <td class="num total">{formatYuan(c.amountFen)}</td>
            <td class="num">{formatYuan(c.tranches.reduce((s, t) => s + t.payableFen, 0))}</td>
            <td class="num total">{formatYuan(c.paidFen)}</td>
            <td class="num">{formatYuan(committedFor(c) - c.paidFen)}</td>
            <td colspan={props.action ? 3 : 2} />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

const OUTPUTS = ['visits', 'cases', 'groups', 'activities', 'peopleServed'] as const;

/** Contracted targets against the approved reports' totals. */
export function TargetsTable({ p, c }: { p: PageCtx; c: Contract }) {
  const target = (o: (typeof OUTPUTS)[number]) =>
    o === 'peopleServed'
      ? RECIPIENT_CATEGORIES.reduce((s, k) => s + c.targets.peopleServed[k], 0)
      : c.targets[o];
  return (
    <div class="table-wrap">
      <table id="targets">
        <thead>
          <tr>
            <th>{p.l('服务产出', 'Output')}</th>
            <th class="num">{p.l('合同目标', 'Target')}</th>
            <th class="num">{p.l('已审核报告合计', 'Approved reports')}</th>
            <th class="num">{p.l('完成率', 'Achieved')}</th>
          </tr>
        </thead>
        <tbody>
          {OUTPUTS.map((o) => {
            const t = target(o);
            const got = c.reported[o];
            return (
              <tr>
                <td>{pick(p.lang, SERVICE_OUTPUT[o])}</td>
                <td class="num">{t}</td>
                <td class="num">{got}</td>
                <td class="num">{t ? `${formatCenti(Math.round((got * 10_000) / t))}%` : '—'}</td>
              </tr>
            );
          })}
          <tr>
            <td>{p.l('链接资源金额', 'Resources linked')}</td>
            <td class="num">—</td>
            <td class="num">{formatYuan(c.reported.resourcesLinkedFen)}</td>
            <td class="num">—</td>
          </tr>
        </tbody>
      </table>
      <p class="hint">
        {p.l(
          `服务人数目标按类别：${RECIPIENT_CATEGORIES.map((k) => `${pick(p.lang, RECIPIENT[k])} ${c.targets.peopleServed[k]}`).join('，')}`,
          `People-served targets by category: ${RECIPIENT_CATEGORIES.map((k) => `${pick(p.lang, RECIPIENT[k])} ${c.targets.peopleServed[k]}`).join(', ')}`,
        )}
      </p>
    </div>
  );
}

/** A contract's reports: station, month, milestone, status, the last review comment. */
export function ReportsTable(props: {
  p: PageCtx;
  reports: Report[];
  href: (r: Report) => string;
  showOrg?: boolean;
}) {
  const { p, reports } = props;
  if (!reports.length) return <p class="muted">{p.l('暂无报告。', 'No reports yet.')}</p>;
  return (
    <div class="table-wrap">
      <table id="reports">
        <thead>
          <tr>
            {props.showOrg ? <th>{p.l('机构 / 项目', 'Organization / call')}</th> : null}
            <th>{p.l('月份', 'Month')}</th>
            <th>{p.l('社工站', 'Station')}</th>
            <th>{p.l('阶段', 'Milestone')}</th>
            <th class="num">{p.l('探访', 'Visits')}</th>
            <th>{p.l('状态', 'Status')}</th>
            <th>{p.l('审核意见', 'Review comments')}</th>
          </tr>
        </thead>
        <tbody>
          {reports.map((r) => {
            const last = r.reviews[r.reviews.length - 1];
            return (
              <tr>
                {props.showOrg ? (
                  <td>
                    {r.orgName}
                    <br />
                    <span class="small muted">{r.callTitle}</span>
                  </td>
                ) : null}
                <td>
                  <a href={props.href(r)}>{r.month}</a>
                </td>
                <td>{r.stationName}</td>
                <td>{pick(p.lang, REPORT_MILESTONE[r.milestone])}</td>
                <td class="num">{r.figures.visits.total}</td>
                <td>
                  {reportBadge(p, r.status)}
                  {r.revision > 1 ? (
                    <span class="small muted">{p.l(` 第 ${r.revision} 版`, ` rev. ${r.revision}`)}</span>
                  ) : null}
                </td>
                <td class="small">{last?.comments ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Recorded evaluations: stage, total, grade, group scores, the final tranche's payable part. */
export function EvaluationsView({
  p,
  evaluations,
  names,
}: {
  p: PageCtx;
  evaluations: Evaluation[];
  names: Map<string, string>;
}) {
  if (!evaluations.length) return <p class="muted">{p.l('尚未进行绩效评价。', 'No evaluation yet.')}</p>;
  return (
    <>
      {evaluations.map((e) => (
        <section class="card" id={`evaluation-${e.stage}`}>
          <h3>
            {pick(p.lang, EVALUATION_STAGE[e.stage])}：{e.result.total} {p.l('分', 'points')} ·{' '}
            <span class="grade">{e.result.grade}</span>
          </h3>
          <p class="small muted">
            {pick(p.lang, GRADE_TEXT[e.result.grade])} · {formatBeijing(e.recordedAt)} ·{' '}
            {names.get(e.recordedBy) ?? e.recordedBy}
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{p.l('一级指标', 'Group')}</th>
                  <th class="num">{p.l('权重', 'Weight')}</th>
                  <th class="num">{p.l('得分', 'Score')}</th>
                </tr>
              </thead>
              <tbody>
                {e.result.groups.map((g) => (
                  <tr>
                    <td>{pick(p.lang, EVALUATION_GROUP[g.key])}</td>
                    <td class="num">{formatCenti(g.weightCenti)}</td>
                    <td class="num">{formatCenti(g.scoreCenti)}</td>
                  </tr>
                ))}
                <tr>
                  <th>{p.l('总分', 'Total')}</th>
                  <td class="num">100.00</td>
                  <td class="num total">{e.result.total}</td>
                </tr>
              </tbody>
            </table>
          </div>
          {e.finalTranche ? (
            <p>
              {p.l(
                `尾款 ${formatYuan(e.finalTranche.amountFen)}，按等级“${e.result.grade}”支付 ${e.finalTranche.percent}%：应付 ${formatYuan(e.finalTranche.payableFen)}，扣减 ${formatYuan(e.finalTranche.withheldFen)}（已释放回资金池）。`,
                `Final tranche ${formatYuan(e.finalTranche.amountFen)}; grade ${e.result.grade} pays ${e.finalTranche.percent}%: ${formatYuan(e.finalTranche.payableFen)} payable, ${formatYuan(e.finalTranche.withheldFen)} withheld (released to the pool).`,
              )}
            </p>
          ) : null}
          {e.comments ? <p>{e.comments}</p> : null}
        </section>
      ))}
    </>
  );
}

/** Kept versions of a contract: as signed, then each amendment with its reason and changes. */
export function VersionsList({
  p,
  versions,
  names,
}: {
  p: PageCtx;
  versions: ContractVersion[];
  names: Map<string, string>;
}) {
  const show = (v: unknown) =>
    typeof v === 'number' ? formatYuan(v) : typeof v === 'string' ? v : v == null ? '—' : JSON.stringify(v);
  return (
    <div class="table-wrap">
      <table id="versions">
        <thead>
          <tr>
            <th class="narrow">{p.l('版本', 'Version')}</th>
            <th>{p.l('时间 · 经办人', 'When · by')}</th>
            <th>{p.l('理由', 'Reason')}</th>
            <th>{p.l('变更内容', 'Changes')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr>
              <td class="num">{v.number}</td>
              <td class="small">
                {formatBeijing(v.at)} · {names.get(v.by) ?? v.by}
              </td>
              <td>{v.reason ?? p.l('签订', 'As signed')}</td>
              <td class="small">
                {v.changes.length
                  ? v.changes.map((ch) => (
                      <div>
                        <code>{ch.field}</code>:{' '}
                        {ch.field === 'amountFen' ? show(ch.before) : showPlain(ch.before)} →{' '}
                        {ch.field === 'amountFen' ? show(ch.after) : showPlain(ch.after)}
                      </div>
                    ))
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const showPlain = (v: unknown) =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : v == null ? '—' : JSON.stringify(v);

/** Station names of a contract's station ids (one GetItem each; a contract has a few). */
export async function stationNames(
  getStation: (id: string) => Promise<{ id: string; name: string } | undefined>,
  ids: string[],
): Promise<Map<string, string>> {
  const found = await Promise.all([...new Set(ids)].map((id) => getStation(id)));
  return new Map(found.flatMap((s) => (s ? [[s.id, s.name] as [string, string]] : [])));
}
