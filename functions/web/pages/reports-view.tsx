/** Read-only views of a milestone report: its facts, evidence, review history and kept revisions. */
import { formatBeijing } from '../../../shared/domain/time';
import type { Report, ReportAttachment, ReportVersion } from '../../../shared/reports/model';
import { pick, REPORT_MILESTONE } from '../i18n';
import type { PageCtx } from '../layout';
import { reportBadge } from './contracts-view';

export function ReportFacts({
  p,
  r,
  names,
  contractHref,
}: {
  p: PageCtx;
  r: Report;
  names: Map<string, string>;
  contractHref: string;
}) {
  return (
    <dl class="facts">
      <dt>{p.l('状态', 'Status')}</dt>
      <dd>
        {reportBadge(p, r.status)}{' '}
        <span class="small muted">{p.l(`第 ${r.revision} 版`, `revision ${r.revision}`)}</span>
      </dd>
      <dt>{p.l('合同', 'Contract')}</dt>
      <dd>
        <a href={contractHref}>{r.callTitle}</a> · {r.orgName}
      </dd>
      <dt>{p.l('阶段', 'Milestone')}</dt>
      <dd>{pick(p.lang, REPORT_MILESTONE[r.milestone])}</dd>
      <dt>{p.l('社工站', 'Station')}</dt>
      <dd>{r.stationName}</dd>
      <dt>{p.l('月份', 'Month')}</dt>
      <dd>{r.month}</dd>
      <dt>{p.l('提交', 'Submitted')}</dt>
      <dd>
        {formatBeijing(r.submittedAt)} · {names.get(r.submittedBy) ?? r.submittedBy}
      </dd>
    </dl>
  );
}

/** Evidence documents with their download links (`href` of an attachment id). */
export function ReportAttachments({
  p,
  attachments,
  href,
}: {
  p: PageCtx;
  attachments: ReportAttachment[];
  href: (attachmentId: string) => string;
}) {
  if (!attachments.length) return <p class="muted">{p.l('暂无证明材料。', 'No evidence documents.')}</p>;
  return (
    <ul id="evidence">
      {attachments.map((a) => (
        <li>
          <a href={href(a.id)}>{a.name}</a>{' '}
          <span class="muted small">
            {sizeText(a.sizeBytes)} · {formatBeijing(a.addedAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}

const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${bytes} B`;

export function ReviewHistory({ p, r, names }: { p: PageCtx; r: Report; names: Map<string, string> }) {
  if (!r.reviews.length) return <p class="muted">{p.l('尚未审核。', 'Not reviewed yet.')}</p>;
  return (
    <div class="table-wrap">
      <table id="reviews">
        <thead>
          <tr>
            <th class="narrow">{p.l('版本', 'Revision')}</th>
            <th>{p.l('结论', 'Decision')}</th>
            <th class="wide">{p.l('意见', 'Comments')}</th>
            <th>{p.l('时间 · 审核人', 'When · by')}</th>
          </tr>
        </thead>
        <tbody>
          {r.reviews.map((x) => (
            <tr>
              <td class="num">{x.revision}</td>
              <td>{x.decision === 'approved' ? p.l('通过', 'Approved') : p.l('退回修改', 'Returned')}</td>
              <td>{x.comments ?? '—'}</td>
              <td class="small">
                {formatBeijing(x.at)} · {names.get(x.by) ?? x.by}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RevisionsList({ p, versions }: { p: PageCtx; versions: ReportVersion[] }) {
  return (
    <div class="table-wrap">
      <table id="revisions">
        <thead>
          <tr>
            <th class="narrow">{p.l('版本', 'Revision')}</th>
            <th>{p.l('提交时间', 'Submitted')}</th>
            <th class="num">{p.l('探访', 'Visits')}</th>
            <th class="num">{p.l('个案', 'Cases')}</th>
            <th class="num">{p.l('小组', 'Groups')}</th>
            <th class="num">{p.l('社区活动', 'Activities')}</th>
            <th class="num">{p.l('服务人数', 'People')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr>
              <td class="num">{v.revision}</td>
              <td>{formatBeijing(v.at)}</td>
              <td class="num">{v.figures.visits.total}</td>
              <td class="num">{v.figures.cases.total}</td>
              <td class="num">{v.figures.groups.total}</td>
              <td class="num">{v.figures.activities.total}</td>
              <td class="num">{v.figures.peopleServed.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
