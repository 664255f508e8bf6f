import { randomUUID } from 'node:crypto';
import { audited, type ChainHead } from '../audit/record';
import type { Principal } from '../auth/principal';
import { cancellationCodes } from '../awards/transact';
import type { Contract } from '../contracts/model';
import { type ContractRead, ContractRepository, contractWrite } from '../contracts/repository';
import { type WriteOptions, type Writer, writerOf } from '../contracts/writer';
import { DocumentStore } from '../db/documents';
import { beijingToday } from '../domain/time';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  NotFoundError,
  RuleViolationError,
  ServiceUnavailableError,
  StaleVersionError,
  ValidationError,
} from '../errors';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import { countersOf } from '../statistics/model';
import { statisticsUpdates } from '../statistics/repository';
import {
  MAX_REPORT_ATTACHMENTS,
  type Report,
  type ReportAttachment,
  type ReportAttachmentRequest,
  type ReportFigures,
  type ReportInput,
  type ReportResubmit,
  type ReportVersion,
} from './model';
import { ReportRepository, reportLockPut, reportVersionPut, reportWrite } from './repository';

const CCF = 'ConditionalCheckFailed';

export interface ReportRead {
  report: Report;
  head: ChainHead | undefined;
}

const lastSegment = (path: string) => path.split('/').filter(Boolean).pop()!;

/** Presigned URLs live long enough for a 20 MiB upload on a slow line, and no longer. */
const URL_SECONDS = 600;

/**
 * `submissions/reports/<reportId>/<uuid>-<safe name>`. Report evidence lives under the documents
 * bucket's `submissions/` prefix, the one prefix the functions may put and get (bindBucket in
 * infra/constructs/api-function.ts): no second IAM wildcard for it.
 */
export function reportAttachmentKey(reportId: string, id: string, name: string): string {
  const safe =
    name
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .replace(/^[._]+/, '')
      .slice(-100) || 'file';
  return `submissions/reports/${reportId}/${id}-${safe}`;
}

/**
 * Milestone reports: filed by the contract's organization, one per station and month; reviewed by
 * an officer of the contract's jurisdiction, who approves (figures added to the contract's reported
 * totals and to the statistics, in one transaction) or returns them with comments; a returned
 * report is resubmitted as a new revision. Every revision is kept.
 */
export class ReportService {
  readonly reports: ReportRepository;
  private readonly contracts: ContractRepository;
  private readonly jurisdictions: JurisdictionRepository;
  private readonly write: Writer;
  private store?: DocumentStore;

  constructor(
    private readonly deps: Deps,
    options: WriteOptions = {},
  ) {
    const table = deps.config.tableName;
    this.reports = new ReportRepository(deps.doc, table);
    this.contracts = new ContractRepository(deps.doc, table);
    this.jurisdictions = new JurisdictionRepository(deps.doc, table);
    this.write = writerOf(deps.doc, options);
  }

  private get table() {
    return this.deps.config.tableName;
  }

  /** The documents bucket; the S3 code loads on first use (shared/db/documents.ts). */
  private get documents(): DocumentStore {
    this.store ??= new DocumentStore(this.deps.config);
    return this.store;
  }

  /**
   * Declares an evidence document on a report awaiting review (`submitted`) or returned to the
   * organization, and answers a presigned PUT URL for its bytes (type and exact length signed: S3
   * refuses an upload that differs). The report (version + 1) and its audit entry
   * `report.attachment-added` are one write; the revision stays (evidence is not a resubmission).
   */
  async addAttachment(read: ReportRead, req: ReportAttachmentRequest, applicant: Principal) {
    const r = read.report;
    if (!applicant.orgId || applicant.orgId !== r.orgId) throw new ForbiddenError();
    if (r.status === 'approved')
      throw new ConflictError(
        'This report is approved: its evidence is closed.',
        '该报告已审核通过，不能再添加证明材料',
        { status: r.status },
      );
    if (r.attachments.length >= MAX_REPORT_ATTACHMENTS)
      throw new RuleViolationError(
        'too-many-attachments',
        `A report may carry at most ${MAX_REPORT_ATTACHMENTS} attachments.`,
        `每份报告最多 ${MAX_REPORT_ATTACHMENTS} 个附件`,
      );
    const now = this.deps.now();
    const at = now.toISOString();
    const id = randomUUID();
    const contentType = req.contentType.toLowerCase();
    const attachment: ReportAttachment = {
      id,
      name: req.name,
      contentType,
      sizeBytes: req.sizeBytes,
      key: reportAttachmentKey(r.id, id, req.name),
      addedAt: at,
      addedBy: applicant.userId,
    };
    const next: Report = { ...r, attachments: [...r.attachments, attachment], version: r.version + 1 };
    try {
      await this.write(
        audited(reportWrite(this.table, next, r.version), read.head, {
          actor: applicant.userId,
          at,
          action: 'report.attachment-added',
        }),
      );
    } catch (e) {
      if (cancellationCodes(e)) throw new StaleVersionError(r.version);
      throw e;
    }
    const url = await this.documents.signedPut(
      { key: attachment.key, contentType, contentLength: req.sizeBytes },
      URL_SECONDS,
    );
    return {
      attachmentId: id,
      attachment,
      upload: {
        method: 'PUT' as const,
        url,
        headers: { 'content-type': contentType, 'content-length': String(req.sizeBytes) },
        expiresAt: new Date(now.getTime() + URL_SECONDS * 1000).toISOString(),
      },
      reportVersion: next.version,
    };
  }

  /** A short-lived presigned GET URL for one evidence document (the caller checked the report's scope). */
  async attachmentUrl(r: Report, attachmentId: string) {
    const a = r.attachments.find((x) => x.id === attachmentId);
    if (!a) throw new NotFoundError('attachment');
    const url = await this.documents.signedGet({ key: a.key, fileName: a.name }, URL_SECONDS);
    return {
      attachment: a,
      url,
      expiresAt: new Date(this.deps.now().getTime() + URL_SECONDS * 1000).toISOString(),
    };
  }

  /**
   * Every declared attachment must have been uploaded with its declared size before approval;
   * its ETag is kept, pinning the bytes approved. 422 `attachment-not-uploaded` otherwise.
   */
  private async pinAttachments(r: Report): Promise<ReportAttachment[]> {
    return Promise.all(
      r.attachments.map(async (a) => {
        if (a.etag) return a;
        let head: { ContentLength?: number; ETag?: string } | undefined;
        try {
          head = await this.documents.head(a.key);
        } catch (e) {
          if ((e as { name?: string }).name !== 'NotFound') throw e;
        }
        if (!head || head.ContentLength !== a.sizeBytes)
          throw new RuleViolationError(
            'attachment-not-uploaded',
            head
              ? `"${a.name}" was declared as ${a.sizeBytes} bytes but ${head.ContentLength} bytes were uploaded; the organization must upload it again before approval.`
              : `"${a.name}" was declared but never uploaded; the organization must upload it before the report can be approved.`,
            head
              ? `附件“${a.name}”申报大小为 ${a.sizeBytes} 字节，实际上传 ${head.ContentLength} 字节，须重新上传后才能审核通过`
              : `附件“${a.name}”已申报但尚未上传，上传后才能审核通过`,
            { attachmentId: a.id },
          );
        return { ...a, etag: head.ETag?.replaceAll('"', '') };
      }),
    );
  }

  /**
   * Files a report. The station must be one of the contract's; the month inside the contract's
   * period and already begun (Beijing time); the figures pass `MilestoneReportInputSchema` (the
   * route validated them). The report, its first kept revision, its lock (one per contract,
   * station and month) and its audit entry are one transaction.
   */
  async file(read: ContractRead, input: ReportInput, applicant: Principal): Promise<Report> {
    const c = read.contract;
    if (!applicant.orgId || applicant.orgId !== c.orgId) throw new ForbiddenError();
    const problems: FieldError[] = [];
    if (!c.stationIds.includes(input.stationId))
      problems.push({
        field: 'stationId',
        message: `Station ${input.stationId} is not served by this contract (its stations: ${c.stationIds.join(', ')}).`,
        messageZh: `社工站 ${input.stationId} 不在本合同的服务站点内（${c.stationIds.join('、')}）`,
      });
    const first = c.startDate.slice(0, 7);
    const last = c.endDate.slice(0, 7);
    const current = beijingToday(this.deps.now()).slice(0, 7);
    if (input.month < first || input.month > last)
      problems.push({
        field: 'month',
        message: `${input.month} is outside the contract period (${c.startDate} to ${c.endDate}).`,
        messageZh: `${input.month} 不在合同履行期限内（${c.startDate} 至 ${c.endDate}）`,
      });
    else if (input.month > current)
      problems.push({
        field: 'month',
        message: `${input.month} has not begun yet (it is ${current} in Beijing): report a month once it has started.`,
        messageZh: `${input.month} 尚未开始（北京时间当前为 ${current}），不能提前报告`,
      });
    if (problems.length) throw new ValidationError(problems.map((e) => ({ ...e, field: `body.${e.field}` })));

    const existing = await this.reports.lockedBy(c.id, input.stationId, input.month);
    if (existing) throw duplicate(input, existing);
    const station = await this.jurisdictions.getStation(input.stationId);
    if (!station) throw new NotFoundError('station');

    const at = this.deps.now().toISOString();
    const report: Report = {
      id: randomUUID(),
      contractId: c.id,
      callTitle: c.callTitle,
      jurisdictionPath: c.jurisdictionPath,
      orgId: c.orgId,
      orgName: c.orgName,
      milestone: input.milestone,
      stationId: station.id,
      stationName: station.name,
      stationPath: station.jurisdictionPath,
      month: input.month,
      figures: input.figures,
      attachments: [],
      status: 'submitted',
      revision: 1,
      submittedAt: at,
      submittedBy: applicant.userId,
      reviews: [],
      version: 1,
    };
    try {
      await this.write([
        ...audited(reportWrite(this.table, report), undefined, {
          actor: applicant.userId,
          at,
          action: 'report.submitted',
        }),
        reportVersionPut(this.table, versionOf(report)),
        reportLockPut(this.table, report),
      ]);
    } catch (e) {
      if (cancellationCodes(e)?.[3] === CCF) {
        throw duplicate(input, (await this.reports.lockedBy(c.id, input.stationId, input.month)) ?? '?');
      }
      throw e;
    }
    return report;
  }

  /** Resubmits a returned report: new figures, a new revision, `submitted` again. */
  async resubmit(read: ReportRead, input: ReportResubmit, applicant: Principal): Promise<Report> {
    const r = read.report;
    if (!applicant.orgId || applicant.orgId !== r.orgId) throw new ForbiddenError();
    if (r.version !== input.version) throw new StaleVersionError(input.version);
    if (r.status !== 'returned')
      throw new ConflictError(
        `Only a returned report can be resubmitted; this one is ${r.status}.`,
        `只有被退回的报告可以重新提交，该报告当前状态为 ${r.status}`,
        { status: r.status },
      );
    const at = this.deps.now().toISOString();
    const next: Report = {
      ...r,
      figures: input.figures,
      status: 'submitted',
      revision: r.revision + 1,
      submittedAt: at,
      submittedBy: applicant.userId,
      version: r.version + 1,
    };
    try {
      await this.write([
        ...audited(reportWrite(this.table, next, r.version), read.head, {
          actor: applicant.userId,
          at,
          action: 'report.resubmitted',
        }),
        reportVersionPut(this.table, versionOf(next)),
      ]);
    } catch (e) {
      if (cancellationCodes(e)) throw new StaleVersionError(input.version);
      throw e;
    }
    return next;
  }

  /** Returns a submitted report to its organization with comments. */
  async returnReport(
    read: ReportRead,
    input: { version: number; comments: string },
    officer: Principal,
  ): Promise<Report> {
    const r = this.reviewable(read, input.version);
    const at = this.deps.now().toISOString();
    const next: Report = {
      ...r,
      status: 'returned',
      reviews: [
        ...r.reviews,
        { revision: r.revision, decision: 'returned', comments: input.comments, by: officer.userId, at },
      ],
      version: r.version + 1,
    };
    try {
      await this.write(
        audited(reportWrite(this.table, next, r.version), read.head, {
          actor: officer.userId,
          at,
          action: 'report.returned',
        }),
      );
    } catch (e) {
      if (cancellationCodes(e)) throw new StaleVersionError(input.version);
      throw e;
    }
    return next;
  }

  /**
   * Approves a submitted report. One transaction: the report (audited `report.approved`), the
   * contract's reported totals (audited `contract.report-approved`, guarded by its version: a
   * concurrent change of the contract, e.g. a payment, is re-read and the approval retried), and
   * the statistics counters of the station and of every jurisdiction above it (ADD).
   */
  async approve(
    read: ReportRead,
    input: { version: number; comments?: string },
    officer: Principal,
  ): Promise<{ report: Report; contract: Contract }> {
    const r = this.reviewable(read, input.version);
    const attachments = await this.pinAttachments(r);
    const at = this.deps.now().toISOString();
    const next: Report = {
      ...r,
      attachments,
      status: 'approved',
      reviews: [
        ...r.reviews,
        {
          revision: r.revision,
          decision: 'approved',
          ...(input.comments ? { comments: input.comments } : {}),
          by: officer.userId,
          at,
        },
      ],
      version: r.version + 1,
    };
    const reportItems = audited(reportWrite(this.table, next, r.version), read.head, {
      actor: officer.userId,
      at,
      action: 'report.approved',
    });
    const stats = statisticsUpdates(
      this.table,
      {
        id: r.stationId,
        name: r.stationName,
        jurisdictionId: lastSegment(r.stationPath),
        jurisdictionPath: r.stationPath,
      },
      r.month,
      countersOf(r.figures),
    );
    for (let round = 0; round < 3; round++) {
      const cread = await this.contracts.get(r.contractId);
      if (!cread) throw new NotFoundError('contract');
      const c = cread.contract;
      const contract: Contract = {
        ...c,
        reported: addReported(c.reported, r.figures),
        version: c.version + 1,
      };
      try {
        await this.write([
          ...reportItems,
          ...audited(contractWrite(this.table, contract, c.version), cread.head, {
            actor: officer.userId,
            at,
            action: 'contract.report-approved',
          }),
          ...stats,
        ]);
        return { report: next, contract };
      } catch (e) {
        const codes = cancellationCodes(e);
        if (!codes) throw e;
        if (codes[0] === CCF || codes[1] === CCF) throw new StaleVersionError(input.version);
        if (codes[2] === CCF || codes[3] === CCF) continue; // the contract moved on: re-read it
        throw e;
      }
    }
    throw new ServiceUnavailableError('The contract kept changing during the approval; retry shortly.');
  }

  private reviewable(read: ReportRead, version: number): Report {
    const r = read.report;
    if (r.version !== version) throw new StaleVersionError(version);
    if (r.status !== 'submitted')
      throw new ConflictError(
        `Only a submitted report can be reviewed; this one is ${r.status}.`,
        `只有待审核的报告可以审核，该报告当前状态为 ${r.status}`,
        { status: r.status },
      );
    return r;
  }
}

function versionOf(r: Report): ReportVersion {
  return {
    reportId: r.id,
    revision: r.revision,
    at: r.submittedAt,
    by: r.submittedBy,
    figures: r.figures,
    attachments: r.attachments,
  };
}

function addReported(t: Contract['reported'], f: ReportFigures): Contract['reported'] {
  return {
    visits: t.visits + f.visits.total,
    cases: t.cases + f.cases.total,
    groups: t.groups + f.groups.total,
    activities: t.activities + f.activities.total,
    peopleServed: t.peopleServed + f.peopleServed.total,
    resourcesLinkedFen: t.resourcesLinkedFen + f.resourcesLinkedFen,
  };
}

function duplicate(input: { stationId: string; month: string }, reportId: string) {
  return new ConflictError(
    `A report for station ${input.stationId} and ${input.month} is already filed under this contract (${reportId}); a returned one is resubmitted, not filed again.`,
    `本合同已提交社工站 ${input.stationId} ${input.month} 的报告（${reportId}）；被退回的报告请重新提交，不要重复报送`,
    { reportId },
  );
}
