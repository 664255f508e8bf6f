/** Read-only views of a submission, shared by the applicant's, the reviewer's and the officer's pages. */
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import type { Station } from '../../../shared/jurisdictions/model';
import { attachmentIdOf } from '../../../shared/submissions/attachments';
import type { Attachment, Receipt, Submission, SubmissionContent } from '../../../shared/submissions/model';
import { FIELD, pick, RECIPIENT, SUBMISSION_STATUS } from '../i18n';
import { Badge, type PageCtx } from '../layout';
import { Paragraphs } from './call-view';

export const submissionBadge = (p: PageCtx, status: Submission['status']) => (
  <Badge
    kind={status === 'submitted' ? 'approved' : status === 'draft' ? 'draft' : 'closed'}
    text={pick(p.lang, SUBMISSION_STATUS[status])}
  />
);

const label = (p: PageCtx, name: string) => pick(p.lang, FIELD[name]!);

/** What was bid or applied for: the lot, price and budget lines, or the project, station and targets. */
export function ContentView({
  p,
  content,
  stations = [],
}: {
  p: PageCtx;
  content: SubmissionContent;
  stations?: Station[];
}) {
  if (content.kind === 'bid') {
    const sum = content.budgetLines.reduce((s, l) => s + l.amountFen, 0);
    return (
      <>
        <dl class="facts">
          <dt>{label(p, 'lot')}</dt>
          <dd>{content.lot}</dd>
          <dt>{p.l('投标报价', 'Bid price')}</dt>
          <dd>
            <strong>{formatYuan(content.priceFen)}</strong>
          </dd>
        </dl>
        <h3>{label(p, 'budgetLines')}</h3>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{p.l('支出项目', 'Item')}</th>
                <th class="num">{p.l('金额', 'Amount')}</th>
              </tr>
            </thead>
            <tbody>
              {content.budgetLines.map((l) => (
                <tr>
                  <td>{l.item}</td>
                  <td class="num">{formatYuan(l.amountFen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th>{p.l('合计', 'Total')}</th>
                <td class="num total">{formatYuan(sum)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
        <h3>{label(p, 'proposal')}</h3>
        <Paragraphs text={content.proposal} />
      </>
    );
  }
  const station = stations.find((s) => s.id === content.stationId);
  const t = content.targets;
  return (
    <>
      <dl class="facts">
        <dt>{label(p, 'projectTitle')}</dt>
        <dd>{content.projectTitle}</dd>
        <dt>{p.l('申请资助金额', 'Amount requested')}</dt>
        <dd>
          <strong>{formatYuan(content.requestedFen)}</strong>
        </dd>
        <dt>{label(p, 'stationId')}</dt>
        <dd>{station?.name ?? content.stationId}</dd>
        <dt>{label(p, 'recipientGroups')}</dt>
        <dd>{content.recipientGroups.map((g) => pick(p.lang, RECIPIENT[g])).join(p.l('、', ', '))}</dd>
        <dt>{label(p, 't.visits')}</dt>
        <dd>{t.visits}</dd>
        <dt>{label(p, 't.cases')}</dt>
        <dd>{t.cases}</dd>
        <dt>{label(p, 't.groups')}</dt>
        <dd>{t.groups}</dd>
        <dt>{label(p, 't.activities')}</dt>
        <dd>{t.activities}</dd>
        <dt>{p.l('服务人数', 'People served')}</dt>
        <dd>
          {(Object.keys(RECIPIENT) as (keyof typeof RECIPIENT)[])
            .map((k) => `${pick(p.lang, RECIPIENT[k])} ${t.peopleServed[k]}`)
            .join(p.l('；', '; '))}
        </dd>
      </dl>
      <h3>{label(p, 'summary')}</h3>
      <Paragraphs text={content.summary} />
    </>
  );
}

/** Receipts of every submitted version: version, SHA-256 of the canonical content, server time. */
export function ReceiptsTable({ p, receipts }: { p: PageCtx; receipts: Receipt[] }) {
  if (!receipts.length)
    return <p class="muted">{p.l('尚未递交，暂无回执。', 'Not submitted yet: no receipt.')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th class="narrow">{p.l('版本', 'Version')}</th>
            <th>{p.l('SHA-256 摘要', 'SHA-256 digest')}</th>
            <th class="mid">{p.l('服务器收到时间', 'Received (server time)')}</th>
          </tr>
        </thead>
        <tbody>
          {[...receipts].reverse().map((r) => (
            <tr>
              <td class="num">{r.version}</td>
              <td>
                <code class="small">{r.sha256}</code>
              </td>
              <td>
                <time
                  datetime={r.receivedAt}
                >{`${formatBeijing(r.receivedAt)}:${r.receivedAt.slice(17, 19)}`}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : bytes >= 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${bytes} B`;

/**
 * A submission's attachments as download links. Each role's pages pass their own link builder
 * (the applicant's, the officer's or the reviewer's route), which answers a 302 to a presigned GET.
 */
export function AttachmentList({
  p,
  attachments,
  href,
}: {
  p: PageCtx;
  attachments: Attachment[];
  href: (attachmentId: string) => string;
}) {
  if (!attachments.length) return <p class="muted">{p.l('暂无附件。', 'No attachments.')}</p>;
  return (
    <ul>
      {attachments.map((a) => (
        <li>
          <a href={href(attachmentIdOf(a))}>{a.name}</a>{' '}
          <span class="muted small">
            {sizeText(a.sizeBytes)} · {formatBeijing(a.addedAt)}
          </span>
        </li>
      ))}
    </ul>
  );
}
