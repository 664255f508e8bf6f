/**
 * The officer's report review (报告审核): the queue of submitted reports of the jurisdiction, oldest
 * first, and one report with its figures against the contract's targets, its history and
 * revisions, and the two decisions: approve (its figures join the contract's totals and the
 * statistics in the same transaction) or return with comments. Both go through ReportService.
 */
import type { Context } from 'hono';
import { ContractRepository } from '../../../shared/contracts/repository';
import { authorizeObject, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { type Report, ReportApproveSchema, ReportReturnSchema } from '../../../shared/reports/model';
import { ReportService } from '../../../shared/reports/service';
import { domainErrors, type FormState, type PageError, readForm, zodErrors } from '../forms';
import { Csrf, ErrorSummary, FieldErrors, hasError, Layout, pageCtx, render } from '../layout';
import type { PageRoute } from '../routes';
import { officerContractPath } from './contracts-officer';
import { Done, ReportsTable, TargetsTable, userNames } from './contracts-view';
import { FiguresView } from './reports-form';
import { ReportAttachments, ReportFacts, ReviewHistory, RevisionsList } from './reports-view';

const reportPath = (id: string) => `/officer/reports/${encodeURIComponent(id)}`;

interface Decision {
  at: 'approve' | 'return';
  f: FormState;
}

export function officerReportPages(page: PageRoute, deps: Deps): void {
  const service = new ReportService(deps);
  const reports = service.reports;
  const contracts = new ContractRepository(deps.doc, deps.config.tableName);

  const reportIn = async (c: Context<ApiEnv>) => {
    const read = await reports.get(c.req.param('id') ?? '');
    authorizeObject(c, read?.report, 'report');
    return read!;
  };

  page('get', '/officer/reports', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const cursor = c.req.query('cursor') || undefined;
    const queue = await reports.queuePage(me.jurisdictionPath, 50, cursor);
    return render(
      c,
      <Layout p={p} title={p.l('报告审核', 'Report review')}>
        <Done p={p} done={c.req.query('done')} />
        <p class="muted">
          {p.l(
            '待审核的里程碑报告，按提交时间先后排列。通过的报告计入合同完成情况和服务统计；退回的报告由机构修改后重新提交。',
            'Submitted milestone reports, oldest first. An approved report counts in the contract’s totals and the statistics; a returned one is corrected and resubmitted by its organization.',
          )}
        </p>
        <ReportsTable p={p} reports={queue.items} href={(r) => reportPath(r.id)} showOrg />
        {queue.nextCursor ? (
          <p class="pager">
            <a href={`/officer/reports?cursor=${encodeURIComponent(queue.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
        <p class="actions">
          <a href="/officer/contracts">{p.l('合同与拨付', 'Contracts and payments')}</a>
        </p>
      </Layout>,
    );
  });

  const reportPage = async (c: Context<ApiEnv>, r: Report, d?: Decision, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const [versions, names, contract] = await Promise.all([
      reports.versions(r.id),
      userNames(deps, [r.submittedBy, ...r.reviews.map((x) => x.by)]),
      contracts.get(r.contractId),
    ]);
    const value = (at: Decision['at']) => (d?.at === at ? (d.f.values.comments ?? '') : '');
    const errorsOf = (at: Decision['at']): FormState => (d?.at === at ? d.f : { values: {}, errors: [] });
    return render(
      c,
      <Layout
        p={p}
        title={p.l(
          `审核报告：${r.orgName} ${r.stationName} ${r.month}`,
          `Review: ${r.orgName} ${r.stationName} ${r.month}`,
        )}
      >
        <Done p={p} done={c.req.query('done')} />
        <section class="card">
          <ReportFacts p={p} r={r} names={names} contractHref={officerContractPath(r.contractId)} />
        </section>
        <h2>{p.l('报告内容', 'The report')}</h2>
        <FiguresView p={p} figures={r.figures} />
        <h2 id="attachments">{p.l('证明材料', 'Evidence')}</h2>
        <ReportAttachments
          p={p}
          attachments={r.attachments}
          href={(id) => `${reportPath(r.id)}/attachments/${encodeURIComponent(id)}`}
        />
        {r.status === 'submitted' ? (
          <section class="card" id="decide">
            <h2>{p.l('审核', 'Decision')}</h2>
            <form
              method="post"
              action={`${reportPath(r.id)}/approve`}
              class="stack"
              aria-label={p.l('通过报告', 'Approve the report')}
            >
              <Csrf p={p} />
              <input type="hidden" name="version" value={String(r.version)} />
              <ErrorSummary p={p} f={errorsOf('approve')} />
              <div class="field">
                <label for="f-approve-comments">{p.l('意见（选填）', 'Comments (optional)')}</label>
                <textarea id="f-approve-comments" name="comments" rows={2}>
                  {value('approve')}
                </textarea>
              </div>
              <button type="submit">{p.l('通过', 'Approve')}</button>
            </form>
            <form
              method="post"
              action={`${reportPath(r.id)}/return`}
              class="stack"
              aria-label={p.l('退回报告', 'Return the report')}
            >
              <Csrf p={p} />
              <input type="hidden" name="version" value={String(r.version)} />
              <ErrorSummary p={p} f={errorsOf('return')} />
              <div class={`field${hasError(errorsOf('return'), 'comments') ? ' invalid' : ''}`}>
                <label for="f-comments">{p.l('退回意见（必填）', 'Comments (required)')}</label>
                <textarea id="f-comments" name="comments" rows={3} required>
                  {value('return')}
                </textarea>
                <FieldErrors p={p} f={errorsOf('return')} name="comments" />
              </div>
              <button type="submit" class="danger">
                {p.l('退回修改', 'Return for correction')}
              </button>
            </form>
          </section>
        ) : null}
        <h2>{p.l('审核记录', 'Reviews')}</h2>
        <ReviewHistory p={p} r={r} names={names} />
        <h2>{p.l('历次提交', 'Revisions')}</h2>
        <RevisionsList p={p} versions={versions} />
        {contract ? (
          <>
            <h2>{p.l('合同目标与已审核完成情况', 'Contract targets and approved totals')}</h2>
            <TargetsTable p={p} c={contract.contract} />
          </>
        ) : null}
        <p class="actions">
          <a href="/officer/reports">{p.l('返回审核队列', 'Back to the queue')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  page('get', '/officer/reports/:id', async (c) => reportPage(c, (await reportIn(c)).report));

  page('get', '/officer/reports/:id/attachments/:attachmentId', async (c) => {
    const { report } = await reportIn(c);
    const { url } = await service.attachmentUrl(report, c.req.param('attachmentId') ?? '');
    return c.redirect(url, 302);
  });

  const decide = (at: Decision['at']) => async (c: Context<ApiEnv>) => {
    const read = await reportIn(c);
    const values = await readForm(c);
    const comments = (values.comments ?? '').trim();
    const fail = (errors: PageError[]) => reportPage(c, read.report, { at, f: { values, errors } }, 422);
    const resolve = (path: string) => (path.replace(/^body\.?/, '') === 'comments' ? 'comments' : '');
    if (at === 'approve') {
      const parsed = ReportApproveSchema.safeParse({
        version: Number(values.version),
        ...(comments ? { comments } : {}),
      });
      if (!parsed.success) return fail(zodErrors(parsed.error, resolve));
      try {
        await service.approve(read, parsed.data, principalOf(c));
      } catch (e) {
        return fail(domainErrors(e, resolve));
      }
      return c.redirect(`${reportPath(read.report.id)}?done=report-approved`, 303);
    }
    const parsed = ReportReturnSchema.safeParse({ version: Number(values.version), comments });
    if (!parsed.success) return fail(zodErrors(parsed.error, resolve));
    try {
      await service.returnReport(read, parsed.data, principalOf(c));
    } catch (e) {
      return fail(domainErrors(e, resolve));
    }
    return c.redirect(`${reportPath(read.report.id)}?done=report-returned`, 303);
  };

  page('post', '/officer/reports/:id/approve', decide('approve'));
  page('post', '/officer/reports/:id/return', decide('return'));
}
