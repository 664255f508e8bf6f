/**
 * The provider's pages (社工机构): its contracts with the parties, amount, period and the payment
 * schedule (each tranche's status, what is paid and what remains, the bank reference once paid),
 * filing a milestone report, its reports with the officers' comments, and resubmitting a returned
 * one. Every write goes through ReportService, as the JSON API does; another organization's
 * contract or report is a 404 page.
 *
 * Evidence documents: as on the submission pages, the form posts the file (multipart, no script)
 * to this function, which declares it (ReportService.addAttachment: presigned PUT, type and exact
 * size signed) and sends the bytes there itself; so the page takes files up to 4 MiB (shared/config.ts:
 * a Lambda request is at most 6 MB, base64-encoded). Larger ones (up to 20 MiB) go through the API's presigned URL directly.
 */
import type { Context } from 'hono';
import { PAGE_UPLOAD_BYTES } from '../../../shared/config';
import type { Contract } from '../../../shared/contracts/model';
import { ContractRepository } from '../../../shared/contracts/repository';
import { formatYuan } from '../../../shared/domain/money';
import { beijingToday } from '../../../shared/domain/time';
import { EvaluationService } from '../../../shared/evaluation/service';
import { FinanceService } from '../../../shared/finance/service';
import { authorizeObject, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { JurisdictionRepository } from '../../../shared/jurisdictions/repository';
import { type Report, ReportAttachmentRequestSchema } from '../../../shared/reports/model';
import { ReportService } from '../../../shared/reports/service';
import { domainErrors, emptyForm, type FormState, type PageError, readForm, zodErrors } from '../forms';
import { Csrf, ErrorSummary, Layout, type PageCtx, pageCtx, render } from '../layout';
import type { PageRoute } from '../routes';
import {
  ContractFacts,
  contractBadge,
  Done,
  EvaluationsView,
  MoneySummary,
  ReportsTable,
  stationNames,
  TargetsTable,
  TranchesTable,
  userNames,
} from './contracts-view';
import {
  FiguresView,
  figuresToValues,
  parseNewReport,
  parseResubmission,
  ReportFields,
  resolveReportPath,
} from './reports-form';
import { ReportAttachments, ReportFacts, ReviewHistory, RevisionsList } from './reports-view';

/** Evidence documents the page relays itself (shared/config.ts: a Lambda request is at most 6 MB, base64-encoded). */

const contractPath = (id: string) => `/applicant/contracts/${encodeURIComponent(id)}`;
const reportPath = (id: string) => `/applicant/reports/${encodeURIComponent(id)}`;

export function ContractsList(props: {
  p: PageCtx;
  contracts: Contract[];
  href: (c: Contract) => string;
  showOrg?: boolean;
}) {
  const { p, contracts } = props;
  if (!contracts.length) return <p class="card muted">{p.l('暂无合同。', 'No contracts yet.')}</p>;
  return (
    <div class="table-wrap">
      <table id="contracts">
        <thead>
          <tr>
            <th>{p.l('项目', 'Call')}</th>
            {props.showOrg ? <th>{p.l('服务机构', 'Provider')}</th> : null}
            <th>{p.l('履行期限', 'Period')}</th>
            <th class="num">{p.l('合同金额', 'Amount')}</th>
            <th class="num">{p.l('已支付', 'Paid')}</th>
            <th class="num">{p.l('待支付', 'Remaining')}</th>
            <th>{p.l('状态', 'Status')}</th>
          </tr>
        </thead>
        <tbody>
          {contracts.map((c) => (
            <tr>
              <td>
                <a href={props.href(c)}>{c.callTitle}</a>
                {c.lot ? p.l(`（标包 ${c.lot}）`, ` (lot ${c.lot})`) : ''}
              </td>
              {props.showOrg ? <td>{c.orgName}</td> : null}
              <td>
                {c.startDate} — {c.endDate}
              </td>
              <td class="num">{formatYuan(c.amountFen)}</td>
              <td class="num">{formatYuan(c.paidFen)}</td>
              <td class="num">{formatYuan(c.amountFen - c.withheldFen - c.paidFen)}</td>
              <td>{contractBadge(p, c.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The month a new report most likely covers: this month in Beijing, inside the contract. */
function defaultMonth(c: Contract, now: Date): string {
  const current = beijingToday(now).slice(0, 7);
  const first = c.startDate.slice(0, 7);
  const last = c.endDate.slice(0, 7);
  if (current < first) return first;
  if (current > last) return last;
  return current;
}

export function applicantContractPages(page: PageRoute, deps: Deps): void {
  const table = deps.config.tableName;
  const contracts = new ContractRepository(deps.doc, table);
  const reportService = new ReportService(deps);
  const reports = reportService.reports;
  const evaluations = new EvaluationService(deps);
  const finance = new FinanceService(deps);
  const jurisdictions = new JurisdictionRepository(deps.doc, table);
  const stationsOf = (ids: string[]) => stationNames((id) => jurisdictions.getStation(id), ids);

  const ownContract = async (c: Context<ApiEnv>, id: string) => {
    const read = await contracts.get(id);
    authorizeObject(c, read?.contract, 'contract');
    return read!;
  };
  const ownReport = async (c: Context<ApiEnv>) => {
    const read = await reports.get(c.req.param('id') ?? '');
    authorizeObject(c, read?.report, 'report');
    return read!;
  };

  page('get', '/applicant/contracts', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const cursor = c.req.query('cursor') || undefined;
    const list = me.orgId ? await contracts.pageOfOrg(me.orgId, 50, cursor) : { items: [] as Contract[] };
    return render(
      c,
      <Layout p={p} title={p.l('我的合同', 'My contracts')}>
        <p class="muted">
          {p.l(
            '中标（立项）生效后由民政局签订合同。在合同页面查看拨付进度、提交里程碑报告。',
            'Contracts are signed by the civil-affairs bureau once an award is final. Open one to follow its payments and file milestone reports.',
          )}
        </p>
        <ContractsList p={p} contracts={list.items} href={(x) => contractPath(x.id)} />
        {'nextCursor' in list && list.nextCursor ? (
          <p class="pager">
            <a href={`/applicant/contracts?cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  page('get', '/applicant/contracts/:id', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const { contract } = await ownContract(c, c.req.param('id') ?? '');
    const [ledger, list, evals, stations] = await Promise.all([
      finance.contractLedger(me, contract.id),
      reports.allOfContract(contract.id),
      evaluations.ofContract(contract.id),
      stationsOf(contract.stationIds),
    ]);
    const names = await userNames(deps, [contract.signedBy, ...evals.map((e) => e.recordedBy)]);
    list.sort((a, b) =>
      a.month === b.month ? a.stationName.localeCompare(b.stationName) : a.month < b.month ? 1 : -1,
    );
    const returned = list.filter((r) => r.status === 'returned');
    return render(
      c,
      <Layout p={p} title={contract.callTitle}>
        <Done p={p} done={c.req.query('done')} />
        {returned.length ? (
          <p class="alert" role="alert">
            {p.l(
              `有 ${returned.length} 份报告被退回，请按审核意见修改后重新提交。`,
              `${returned.length} report(s) were returned: correct them as the comments say and resubmit.`,
            )}
          </p>
        ) : null}
        <section class="card">
          <ContractFacts p={p} c={contract} stations={stations} names={names} />
        </section>
        <h2 id="payments">{p.l('拨付进度', 'Payments')}</h2>
        <MoneySummary p={p} c={contract} />
        <TranchesTable p={p} c={contract} disbursements={ledger.disbursements} />
        <h2 id="reports-h">{p.l('里程碑报告', 'Milestone reports')}</h2>
        {contract.status === 'active' ? (
          <p class="actions">
            <a class="button" href={`${contractPath(contract.id)}/reports/new`}>
              {p.l('提交报告', 'File a report')}
            </a>
          </p>
        ) : null}
        <ReportsTable p={p} reports={list} href={(r) => reportPath(r.id)} />
        <h2>{p.l('产出目标与完成情况', 'Targets and delivery')}</h2>
        <TargetsTable p={p} c={contract} />
        <h2>{p.l('绩效评价', 'Performance evaluation')}</h2>
        <EvaluationsView p={p} evaluations={evals} names={names} />
        <p class="actions">
          <a href="/applicant/contracts">{p.l('返回合同列表', 'Back to my contracts')}</a>
        </p>
      </Layout>,
    );
  });

  const reportForm = async (
    c: Context<ApiEnv>,
    contract: Contract,
    f: FormState,
    status: 200 | 409 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const stations = await stationsOf(contract.stationIds);
    return render(
      c,
      <Layout p={p} title={p.l(`提交报告：${contract.callTitle}`, `File a report: ${contract.callTitle}`)}>
        <p class="muted">
          {p.l(
            `每个社工站每月一份报告；月份须在合同期限（${contract.startDate} 至 ${contract.endDate}）内且已开始。`,
            `One report per station and month; the month must lie in the contract period (${contract.startDate} to ${contract.endDate}) and have begun.`,
          )}
        </p>
        <form method="post" action={`${contractPath(contract.id)}/reports`} class="stack" novalidate>
          <Csrf p={p} />
          <ErrorSummary p={p} f={f} />
          <ReportFields
            p={p}
            f={f}
            place={{
              stations: contract.stationIds.map((id) => ({ value: id, text: stations.get(id) ?? id })),
            }}
          />
          <div class="actions">
            <button type="submit">{p.l('提交报告', 'File the report')}</button>
            <a href={contractPath(contract.id)}>{p.l('取消', 'Cancel')}</a>
          </div>
        </form>
      </Layout>,
      status,
    );
  };

  page('get', '/applicant/contracts/:id/reports/new', async (c) => {
    const { contract } = await ownContract(c, c.req.param('id') ?? '');
    const milestone =
      contract.tranches.some((t) => t.milestone === 'midterm') && !contract.grades.midterm
        ? 'midterm'
        : 'final';
    return reportForm(
      c,
      contract,
      emptyForm({
        milestone,
        stationId: contract.stationIds[0] ?? '',
        month: defaultMonth(contract, deps.now()),
      }),
    );
  });

  page('post', '/applicant/contracts/:id/reports', async (c) => {
    const read = await ownContract(c, c.req.param('id') ?? '');
    const values = await readForm(c);
    const { input, errors } = parseNewReport(values);
    if (!input) return reportForm(c, read.contract, { values, errors }, 422);
    let report: Report;
    try {
      report = await reportService.file(read, input, principalOf(c));
    } catch (e) {
      return reportForm(c, read.contract, { values, errors: domainErrors(e, resolveReportPath) }, 422);
    }
    return c.redirect(`${reportPath(report.id)}?done=filed`, 303);
  });

  const reportPage = async (
    c: Context<ApiEnv>,
    r: Report,
    f?: FormState,
    status: 200 | 413 | 422 = 200,
    uploadErrors: PageError[] = [],
  ) => {
    const p = pageCtx(c);
    const [versions, names] = await Promise.all([
      reports.versions(r.id),
      userNames(deps, [r.submittedBy, ...r.reviews.map((x) => x.by)]),
    ]);
    const form = f ?? { values: { ...figuresToValues(r.figures) }, errors: [] };
    return render(
      c,
      <Layout p={p} title={p.l(`报告：${r.stationName} ${r.month}`, `Report: ${r.stationName} ${r.month}`)}>
        <Done p={p} done={c.req.query('done')} />
        <section class="card">
          <ReportFacts p={p} r={r} names={names} contractHref={contractPath(r.contractId)} />
        </section>
        <h2>{p.l('审核记录', 'Reviews')}</h2>
        <ReviewHistory p={p} r={r} names={names} />
        {r.status === 'returned' ? (
          <>
            <h2 id="resubmit">{p.l('修改后重新提交', 'Correct and resubmit')}</h2>
            <form method="post" action={reportPath(r.id)} class="stack" novalidate>
              <Csrf p={p} />
              <input type="hidden" name="version" value={String(r.version)} />
              <ErrorSummary p={p} f={form} />
              <ReportFields p={p} f={form} />
              <div class="actions">
                <button type="submit">{p.l('重新提交', 'Resubmit')}</button>
              </div>
            </form>
          </>
        ) : (
          <>
            <h2>{p.l('报告内容', 'The report')}</h2>
            <FiguresView p={p} figures={r.figures} />
          </>
        )}
        <h2 id="attachments">{p.l('证明材料', 'Evidence')}</h2>
        <ReportAttachments
          p={p}
          attachments={r.attachments}
          href={(id) => `${reportPath(r.id)}/attachments/${encodeURIComponent(id)}`}
        />
        {r.status !== 'approved' ? (
          <form
            method="post"
            action={`${reportPath(r.id)}/attachments`}
            enctype="multipart/form-data"
            class="stack card"
          >
            <Csrf p={p} />
            <ErrorSummary p={p} f={{ values: {}, errors: uploadErrors }} />
            <div class="field">
              <label for="f-file">{p.l('签到表、照片、会议纪要等', 'Sign-in sheets, photos, minutes')}</label>
              <input id="f-file" name="file" type="file" required accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx" />
              <p class="hint">
                {p.l(
                  'PDF、JPEG、PNG、DOCX 或 XLSX，本页面每个不超过 4 MiB（更大的文件最大 20 MiB，请通过接口直传），每份报告最多 20 个。',
                  'PDF, JPEG, PNG, DOCX or XLSX, up to 4 MiB each on this page (larger files, up to 20 MiB, go through the API’s direct upload); at most 20 per report.',
                )}
              </p>
            </div>
            <button type="submit" class="secondary">
              {p.l('上传证明材料', 'Upload evidence')}
            </button>
          </form>
        ) : null}
        <h2>{p.l('历次提交', 'Revisions')}</h2>
        <RevisionsList p={p} versions={versions} />
        <p class="actions">
          <a href={contractPath(r.contractId)}>{p.l('返回合同', 'Back to the contract')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  page('get', '/applicant/reports/:id', async (c) => reportPage(c, (await ownReport(c)).report));

  page('post', '/applicant/reports/:id', async (c) => {
    const read = await ownReport(c);
    const values = await readForm(c);
    const { input, errors } = parseResubmission(values);
    if (!input) return reportPage(c, read.report, { values, errors }, 422);
    try {
      await reportService.resubmit(read, input, principalOf(c));
    } catch (e) {
      return reportPage(c, read.report, { values, errors: domainErrors(e, resolveReportPath) }, 422);
    }
    return c.redirect(`${reportPath(read.report.id)}?done=resubmitted`, 303);
  });

  page('post', '/applicant/reports/:id/attachments', async (c) => {
    const read = await ownReport(c);
    const body = await c.req.parseBody();
    const file = body.file;
    const fail = (errors: PageError[], status: 413 | 422 = 422) =>
      reportPage(c, read.report, undefined, status, errors);
    if (!(file instanceof File) || !file.name)
      return fail([{ name: '', zh: '请选择要上传的文件', en: 'Choose a file to upload.' }]);
    if (file.size > PAGE_UPLOAD_BYTES)
      return fail(
        [
          {
            name: '',
            zh: `文件 ${(file.size / 1024 / 1024).toFixed(1)} MiB，超过本页面上传上限 4 MiB`,
            en: `The file is ${(file.size / 1024 / 1024).toFixed(1)} MiB, above this page’s 4 MiB limit.`,
          },
        ],
        413,
      );
    const parsed = ReportAttachmentRequestSchema.safeParse({
      name: file.name,
      contentType: file.type || 'application/octet-stream',
      sizeBytes: file.size,
    });
    if (!parsed.success) return fail(zodErrors(parsed.error, () => ''));
    try {
      const added = await reportService.addAttachment(read, parsed.data, principalOf(c));
      // The same presigned PUT an API client gets: S3 refuses bytes of another type or length.
      const put = await fetch(added.upload.url, {
        method: 'PUT',
        headers: added.upload.headers,
        body: new Uint8Array(await file.arrayBuffer()),
      });
      if (!put.ok) throw new Error(`evidence upload answered ${put.status}`);
    } catch (e) {
      return fail(domainErrors(e, () => ''));
    }
    return c.redirect(`${reportPath(read.report.id)}?done=evidence-uploaded#attachments`, 303);
  });

  page('get', '/applicant/reports/:id/attachments/:attachmentId', async (c) => {
    const { report } = await ownReport(c);
    const { url } = await reportService.attachmentUrl(report, c.req.param('attachmentId') ?? '');
    return c.redirect(url, 302);
  });
}
