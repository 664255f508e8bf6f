import { randomUUID } from 'node:crypto';
import type { AuditAction } from '../audit/write';
import type { Principal } from '../auth/principal';
import { type Call, effectiveStatus } from '../calls/model';
import { CallRepository } from '../calls/repository';
import { DocumentStore } from '../db/documents';
import {
  ConflictError,
  NotFoundError,
  ProblemError,
  RuleViolationError,
  StaleVersionError,
  ValidationError,
} from '../errors';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import { OrganizationRepository } from '../organizations/repository';
import { attachmentIdOf, attachmentUrl, URL_SECONDS } from './attachments';
import { canonicalSha256 } from './canonical';
import {
  type Attachment,
  type AttachmentRequest,
  isEditable,
  MAX_ATTACHMENTS,
  type Receipt,
  type Submission,
  type SubmissionContent,
} from './model';
import { CallGateError, SubmissionRepository } from './repository';
import { contentProblems } from './rules';

/** Presigned URLs live long enough for a 20 MiB upload on a slow line, and no longer. */

/**
 * The deadline rule, in one place: a submission is accepted if and only if the server's clock
 * reads strictly before `periods.deadline` when the request arrives (and not before
 * `submissionOpensAt`). At the deadline instant itself the call is closed and submissions are
 * unsealed: `effectiveStatus` says `closed` from that instant on.
 */
export const acceptsSubmissions = (call: Pick<Call, 'status' | 'periods'>, now: Date): boolean =>
  call.status === 'published' &&
  now.getTime() < new Date(call.periods.deadline).getTime() &&
  now.getTime() >= new Date(call.periods.submissionOpensAt).getTime();

/** Submissions become readable by officers and auditors from the deadline instant on. */
export const unsealed = (call: Pick<Call, 'status' | 'periods'>, now: Date): boolean =>
  effectiveStatus(call, now) === 'closed';

export class DeadlinePassedError extends RuleViolationError {
  constructor(call: Pick<Call, 'periods'>, at: Date) {
    super(
      'deadline-passed',
      `The deadline ${call.periods.deadline} has passed: the server received this at ${at.toISOString()}. Nothing was changed.`,
      `已过截止时间 ${call.periods.deadline}（服务器收到时间 ${at.toISOString()}），未作任何更改`,
      { deadline: call.periods.deadline, receivedAt: at.toISOString() },
    );
  }
}

export class SealedError extends ProblemError {
  constructor(call: Pick<Call, 'periods'>) {
    super(
      409,
      'sealed-until-deadline',
      'Sealed until the deadline',
      `Submissions to this call are sealed until its deadline, ${call.periods.deadline}.`,
      { detailZh: `本项目的申报材料在截止时间 ${call.periods.deadline} 前密封，不可查看` },
    );
  }
}

function refuseClosed(call: Call, at: Date): never {
  if (call.status === 'published' && at.getTime() < new Date(call.periods.submissionOpensAt).getTime()) {
    throw new RuleViolationError(
      'submissions-not-open',
      `Submissions open at ${call.periods.submissionOpensAt}.`,
      `本项目自 ${call.periods.submissionOpensAt} 起接受递交`,
      { opensAt: call.periods.submissionOpensAt },
    );
  }
  throw new DeadlinePassedError(call, at);
}

/** RFC 8785 canonical JSON of what a receipt covers; its SHA-256 is the receipt's digest. */
export function receiptPayload(
  s: Pick<Submission, 'callId' | 'orgId' | 'lot' | 'content' | 'attachments' | 'version'>,
) {
  return {
    callId: s.callId,
    orgId: s.orgId,
    lot: s.lot ?? null,
    content: s.content,
    attachments: s.attachments,
    version: s.version,
  };
}
export const receiptDigest = (s: Parameters<typeof receiptPayload>[0]) => canonicalSha256(receiptPayload(s));

/** `submissions/<id>/<uuid>-<safe name>`: letters, digits, CJK, dot, dash, underscore. */
export function attachmentKey(submissionId: string, name: string, uuid: string = randomUUID()): string {
  const safe =
    name
      .normalize('NFC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .replace(/^[._]+/, '')
      .slice(-100) || 'file';
  return `submissions/${submissionId}/${uuid}-${safe}`;
}
export { attachmentIdOf };

export class SubmissionService {
  readonly repo: SubmissionRepository;
  readonly calls: CallRepository;
  private readonly orgs: OrganizationRepository;
  private readonly places: JurisdictionRepository;
  private store?: DocumentStore;

  constructor(private readonly deps: Deps) {
    const table = deps.config.tableName;
    this.repo = new SubmissionRepository(deps.doc, table);
    this.calls = new CallRepository(deps.doc, table);
    this.orgs = new OrganizationRepository(deps.doc, table);
    this.places = new JurisdictionRepository(deps.doc, table);
  }

  /** The documents bucket; the S3 code loads on first use (shared/db/documents.ts). */
  private get documents(): DocumentStore {
    this.store ??= new DocumentStore(this.deps.config);
    return this.store;
  }

  private async approvedOrg(applicant: Principal) {
    const org = applicant.orgId ? await this.orgs.get(applicant.orgId) : undefined;
    if (org?.status !== 'approved') {
      throw new RuleViolationError(
        'organization-not-approved',
        'Your organization has not been approved yet; an officer must approve it before it can submit.',
        '贵机构尚未通过审核，审核通过后方可申报',
      );
    }
    return org;
  }

  private async checkContent(content: SubmissionContent, call: Call, prefix: string): Promise<void> {
    const station =
      content.kind === 'application' ? await this.places.getStation(content.stationId) : undefined;
    const errors = contentProblems(content, { call, station }, prefix);
    if (errors.length) throw new ValidationError(errors);
  }

  /** The call of a submission (it always exists: calls are never deleted). */
  async callOf(s: Pick<Submission, 'callId'>): Promise<Call> {
    const call = await this.calls.get(s.callId);
    if (!call) throw new NotFoundError('call');
    return call;
  }

  async create(applicant: Principal, callId: string, content: SubmissionContent): Promise<Submission> {
    const now = this.deps.now();
    const call = await this.calls.get(callId);
    // Only published calls are visible to applicants: anything else is an unknown call.
    if (!call || call.status === 'draft') {
      throw new ValidationError([
        {
          field: 'body.callId',
          message: 'There is no published call with this id.',
          messageZh: '没有该已发布项目',
        },
      ]);
    }
    if (effectiveStatus(call, now) !== 'published') throw new DeadlinePassedError(call, now);
    const org = await this.approvedOrg(applicant);
    await this.checkContent(content, call, 'body.content');
    const at = now.toISOString();
    const s: Submission = {
      id: randomUUID(),
      callId: call.id,
      callKind: call.kind,
      orgId: org.id,
      orgName: org.name,
      jurisdictionPath: call.jurisdictionPath,
      ...(content.kind === 'bid' ? { lot: content.lot } : {}),
      content,
      attachments: [],
      status: 'draft',
      receipts: [],
      createdAt: at,
      updatedAt: at,
      version: 1,
    };
    await this.repo.create(s, applicant.userId);
    return s;
  }

  private editable(s: Submission, version: number): void {
    if (s.version !== version) throw new StaleVersionError(version);
    if (!isEditable(s)) {
      throw new ConflictError(
        'A submitted submission cannot be changed: withdraw it first (while the call is open), then edit and submit again.',
        '已递交的材料不能修改：请在截止前先撤回，修改后重新递交',
        { status: s.status },
      );
    }
  }

  /** Edits a draft (or a withdrawn submission); `actor` is the applicant (the audit entry's). */
  async update(
    s: Submission,
    version: number,
    content: SubmissionContent,
    actor: string,
  ): Promise<Submission> {
    this.editable(s, version);
    const now = this.deps.now();
    const call = await this.callOf(s);
    if (effectiveStatus(call, now) !== 'published') throw new DeadlinePassedError(call, now);
    await this.checkContent(content, call, 'body.content');
    const next: Submission = {
      ...s,
      content,
      ...(content.kind === 'bid' ? { lot: content.lot } : {}),
      updatedAt: now.toISOString(),
      version: s.version + 1,
    };
    await this.repo.saveEditable(next, s, { actor, at: next.updatedAt, action: 'submission.saved' });
    return next;
  }

  /**
   * Submits a draft or a withdrawn submission: checks the content against the call as it stands,
   * pins each attachment's stored bytes (ETag), and writes the new version with its receipt only
   * if the call is still open at `receivedAt`, the server's time when the request arrived.
   */
  async submit(
    applicant: Principal,
    s: Submission,
    version: number,
    receivedAt: Date,
  ): Promise<{ receipt: Receipt; submission: Submission }> {
    if (s.version !== version) throw new StaleVersionError(version);
    if (!isEditable(s)) {
      throw new ConflictError(
        'This submission is already submitted; its receipt is under /receipts.',
        '该材料已递交，回执见 /receipts',
        { status: s.status },
      );
    }
    const call = await this.callOf(s);
    if (!acceptsSubmissions(call, receivedAt)) refuseClosed(call, receivedAt);
    await this.approvedOrg(applicant);
    await this.checkContent(s.content, call, 'content');
    const attachments = await this.pinAttachments(s);
    const draft: Submission = {
      ...s,
      attachments,
      status: 'submitted',
      submittedAt: receivedAt.toISOString(),
      updatedAt: receivedAt.toISOString(),
      version: s.version + 1,
    };
    const receipt: Receipt = {
      submissionId: s.id,
      version: draft.version,
      sha256: receiptDigest(draft),
      receivedAt: receivedAt.toISOString(),
    };
    const next: Submission = { ...draft, receipts: [...s.receipts, receipt] };
    await this.gated(next, { version, statuses: ['draft', 'withdrawn'] }, call, receivedAt, {
      actor: applicant.userId,
      at: receivedAt.toISOString(),
      action: s.status === 'withdrawn' ? 'submission.resubmitted' : 'submission.submitted',
    });
    return { receipt, submission: next };
  }

  /** Withdraws a submitted submission while the call is open; it can then be edited and submitted again. */
  async withdraw(s: Submission, version: number, receivedAt: Date, actor: string): Promise<Submission> {
    if (s.version !== version) throw new StaleVersionError(version);
    if (s.status !== 'submitted') {
      throw new ConflictError('Only a submitted submission can be withdrawn.', '只有已递交的材料可以撤回', {
        status: s.status,
      });
    }
    const call = await this.callOf(s);
    if (!acceptsSubmissions(call, receivedAt)) refuseClosed(call, receivedAt);
    const at = receivedAt.toISOString();
    const next: Submission = {
      ...s,
      status: 'withdrawn',
      withdrawnAt: at,
      updatedAt: at,
      version: s.version + 1,
    };
    await this.gated(next, { version, statuses: ['submitted'] }, call, receivedAt, {
      actor,
      at,
      action: 'submission.withdrawn',
    });
    return next;
  }

  private async gated(
    next: Submission,
    expected: { version: number; statuses: Submission['status'][] },
    call: Call,
    at: Date,
    by: AuditAction,
  ): Promise<void> {
    try {
      await this.repo.writeWhileOpen(next, expected, at.toISOString(), by);
    } catch (e) {
      if (e instanceof CallGateError) {
        if (e.reason === 'stale') throw new StaleVersionError(expected.version);
        // The call changed under us (closed by the jobs function, deadline amended): re-read it.
        refuseClosed((await this.calls.get(call.id)) ?? call, at);
      }
      throw e;
    }
  }

  /** Every attachment must have been uploaded with its declared size; its ETag joins the receipt. */
  private async pinAttachments(s: Submission): Promise<Attachment[]> {
    return Promise.all(
      s.attachments.map(async (a, i) => {
        const problem = (en: string, zh: string) =>
          new ValidationError([{ field: `attachments.${i}`, message: en, messageZh: zh }]);
        let head: { ContentLength?: number; ETag?: string };
        try {
          head = await this.documents.head(a.key);
        } catch (e) {
          const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          if (status === 404 || (e as Error).name === 'NotFound')
            throw problem(`"${a.name}" has not been uploaded yet.`, `附件“${a.name}”尚未上传`);
          throw e;
        }
        if (head.ContentLength !== a.sizeBytes) {
          throw problem(
            `"${a.name}" was declared as ${a.sizeBytes} bytes but ${head.ContentLength} bytes were uploaded.`,
            `附件“${a.name}”申报大小为 ${a.sizeBytes} 字节，实际上传 ${head.ContentLength} 字节`,
          );
        }
        return { ...a, etag: head.ETag?.replaceAll('"', '') };
      }),
    );
  }

  /** Records an attachment on an editable submission and returns a presigned PUT URL for its bytes. */
  async addAttachment(s: Submission, req: AttachmentRequest, actor: string) {
    if (!isEditable(s)) this.editable(s, s.version);
    if (s.attachments.length >= MAX_ATTACHMENTS) {
      throw new RuleViolationError(
        'too-many-attachments',
        `A submission may carry at most ${MAX_ATTACHMENTS} attachments.`,
        `每份材料最多 ${MAX_ATTACHMENTS} 个附件`,
      );
    }
    const now = this.deps.now();
    const call = await this.callOf(s);
    if (effectiveStatus(call, now) !== 'published') throw new DeadlinePassedError(call, now);
    const contentType = req.contentType.toLowerCase();
    const attachment: Attachment = {
      key: attachmentKey(s.id, req.name),
      name: req.name,
      contentType,
      sizeBytes: req.sizeBytes,
      addedAt: now.toISOString(),
    };
    const next: Submission = {
      ...s,
      attachments: [...s.attachments, attachment],
      updatedAt: now.toISOString(),
      version: s.version + 1,
    };
    await this.repo.saveEditable(next, s, {
      actor,
      at: next.updatedAt,
      action: 'submission.attachment-added',
    });
    // Type and exact length are signed: S3 refuses an upload that differs from what was declared.
    const uploadUrl = await this.documents.signedPut(
      { key: attachment.key, contentType, contentLength: req.sizeBytes },
      URL_SECONDS,
    );
    return {
      attachmentId: attachmentIdOf(attachment),
      attachment,
      upload: {
        method: 'PUT' as const,
        url: uploadUrl,
        headers: { 'content-type': contentType, 'content-length': String(req.sizeBytes) },
        expiresAt: new Date(now.getTime() + URL_SECONDS * 1000).toISOString(),
      },
      submissionVersion: next.version,
    };
  }

  /** A presigned GET URL for one attachment (the caller has already passed the sealing check). */
  attachmentUrl(s: Submission, attachmentId: string) {
    return attachmentUrl(this.documents, this.deps.now(), s, attachmentId);
  }

  /** 资格审查 by an officer, after the deadline, on a submitted submission (already unsealed by the caller). */
  async screen(
    officer: Principal,
    s: Submission,
    input: { version: number; eligible: boolean; reasons: string[] },
  ): Promise<Submission> {
    if (s.version !== input.version) throw new StaleVersionError(input.version);
    const at = this.deps.now().toISOString();
    const next: Submission = {
      ...s,
      eligibility: { eligible: input.eligible, reasons: input.reasons, by: officer.userId, at },
      updatedAt: at,
      version: s.version + 1,
    };
    await this.repo.saveSubmitted(next, input.version, {
      actor: officer.userId,
      at,
      action: 'submission.screened',
    });
    return next;
  }

  /** 87号令 第60条: the bidder's written explanation of a low price, after the deadline. */
  async explain(s: Submission, input: { version: number; text: string }, actor: string): Promise<Submission> {
    if (s.version !== input.version) throw new StaleVersionError(input.version);
    const now = this.deps.now();
    const call = await this.callOf(s);
    if (s.status !== 'submitted' || s.content.kind !== 'bid') {
      throw new RuleViolationError(
        'not-a-submitted-bid',
        'Only a submitted bid can carry a price explanation.',
        '只有已递交的投标可以提交报价说明',
      );
    }
    if (!unsealed(call, now)) {
      throw new RuleViolationError(
        'call-still-open',
        `Price explanations are given after the deadline, ${call.periods.deadline}.`,
        `报价说明须在截止时间 ${call.periods.deadline} 后提交`,
      );
    }
    if (s.explanation?.decision) {
      throw new ConflictError('The explanation has already been decided.', '该报价说明已有审查结论', {
        decision: s.explanation.decision,
      });
    }
    const at = now.toISOString();
    const next: Submission = {
      ...s,
      explanation: { text: input.text, at },
      updatedAt: at,
      version: s.version + 1,
    };
    await this.repo.saveSubmitted(next, input.version, { actor, at, action: 'submission.explained' });
    return next;
  }

  async decideExplanation(
    officer: Principal,
    s: Submission,
    input: { version: number; decision: 'accepted' | 'rejected' },
  ): Promise<Submission> {
    if (s.version !== input.version) throw new StaleVersionError(input.version);
    if (!s.explanation) {
      throw new RuleViolationError(
        'no-explanation',
        'The bidder has not given a price explanation yet.',
        '投标人尚未提交报价说明',
      );
    }
    const at = this.deps.now().toISOString();
    const next: Submission = {
      ...s,
      explanation: { ...s.explanation, decision: input.decision, decidedBy: officer.userId, decidedAt: at },
      updatedAt: at,
      version: s.version + 1,
    };
    await this.repo.saveSubmitted(next, input.version, {
      actor: officer.userId,
      at,
      action: 'submission.explanation-decided',
    });
    return next;
  }
}
