/**
 * Expert review: the expert pool, the panel draw, conflicts, score sheets and the aggregates the
 * ranking reads. Pure rules live in draw.ts and shared/scoring; this module does the I/O.
 *
 * Choices where the issue is silent:
 * - The panel is drawn after the call's deadline (the bidders are then known, so affiliated
 *   experts can be excluded), whether or not screening is finished; members read and score only
 *   submissions screened eligible. A draw is never repeated (409): redrawing until a wanted
 *   panel came up is exactly what the recorded seed is there to prevent.
 * - The pool of a call is the experts of its jurisdiction's subtree and those kept at its
 *   ancestors (a city's 专家库 serves its counties), active, not affiliated with any bidder.
 * - Reserves are experts only, so a replacement never lowers the expert share (87号令 第47条).
 * - A reviewer never sees another member's sheet. Once their own sheet for a submission is
 *   submitted they see the panel's totals for it, without names (the summary a committee signs);
 *   officers and auditors see every sheet with its outlier flag.
 * - A recused reviewer, or one not seated for a submission, gets the same 404 as for a missing
 *   submission; so does anyone before the deadline and for a submission not screened eligible.
 */
import { randomBytes } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../auth/principal';
import { type Call, checkCallRules, effectiveStatus } from '../calls/model';
import { CallRepository } from '../calls/repository';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import type { Page } from '../db/query';
import {
  ConflictError,
  type FieldError,
  InvalidCursorError,
  NotFoundError,
  RuleViolationError,
  StaleVersionError,
  ValidationError,
} from '../errors';
import type { Deps } from '../http/deps';
import { addSheet, type SubmissionAggregate, sheetProblems } from '../scoring/aggregate';
import { formatCenti } from '../scoring/arithmetic';
import type { Submission } from '../submissions/model';
import { SubmissionRepository, transactWithRetry } from '../submissions/repository';
import { UserRepository } from '../users/repository';
import { lotIndexOf, lotWrites, refreshRanking } from './aggregates';
import { type Candidate, drawPanel, nextReserve, PanelUnavailableError, seatedFor } from './draw';
import type { Expert, Panel, RankingRow, Sheet } from './model';
import { ReviewRepository } from './repository';

const within = (p: Principal, path: string) => path.startsWith(p.jurisdictionPath);

export interface ExpertInput {
  userId: string;
  expertise: string[];
  affiliations: string[];
  isExpert: boolean;
}

export interface SheetInput {
  version?: number;
  scores: Record<string, number>;
  comments: Record<string, string>;
  comment: string;
}

/** What a seated reviewer reads for one submission. */
export interface ReviewView {
  submission: Pick<Submission, 'id' | 'callId' | 'lot' | 'orgName' | 'content' | 'submittedAt'>;
  rubric: Call['rubric'];
  sheet?: Sheet;
  /** Only once the caller's own sheet is submitted: the panel's totals, without names. */
  panel?: { sheetsSubmitted: number; totals: string[] };
}

export class ReviewService {
  readonly repo: ReviewRepository;
  readonly calls: CallRepository;
  readonly submissions: SubmissionRepository;
  private readonly users: UserRepository;

  constructor(private readonly deps: Deps) {
    const t = deps.config.tableName;
    this.repo = new ReviewRepository(deps.doc, t);
    this.calls = new CallRepository(deps.doc, t);
    this.submissions = new SubmissionRepository(deps.doc, t);
    this.users = new UserRepository(deps.doc, t);
  }

  private nowIso() {
    return this.deps.now().toISOString();
  }

  // ---------------------------------------------------------------- experts

  async createExpert(input: ExpertInput, officer: Principal): Promise<Expert> {
    const user = await this.users.byId(input.userId);
    if (user?.role !== 'reviewer' || !within(officer, user.jurisdictionPath)) {
      throw new ValidationError([
        {
          field: 'body.userId',
          message: 'No reviewer account with this id in your jurisdiction.',
          messageZh: '您的辖区内没有该评审人员账号',
        },
      ]);
    }
    const at = this.nowIso();
    const expert: Expert = {
      userId: user.id,
      name: user.name,
      jurisdictionPath: user.jurisdictionPath,
      expertise: input.expertise,
      affiliations: [...new Set(input.affiliations)],
      isExpert: input.isExpert,
      active: true,
      createdAt: at,
      createdBy: officer.userId,
      updatedAt: at,
      version: 1,
    };
    await this.repo.createExpert(expert);
    return expert;
  }

  async patchExpert(
    userId: string,
    patch: { version: number } & Partial<Pick<Expert, 'expertise' | 'affiliations' | 'isExpert' | 'active'>>,
    officer: Principal,
  ): Promise<Expert> {
    const e = await this.repo.expert(userId);
    if (!e || !within(officer, e.jurisdictionPath)) throw new NotFoundError('expert');
    if (e.version !== patch.version) throw new StaleVersionError(patch.version);
    const { version, ...fields } = patch;
    const next: Expert = { ...e, ...fields, updatedAt: this.nowIso(), version: version + 1 };
    await this.repo.saveExpert(next, version, officer.userId);
    return next;
  }

  // ---------------------------------------------------------------- panel draw

  /** The call if it exists and lies in the officer's subtree; 404 otherwise. */
  async callInScope(callId: string, p: Principal): Promise<Call> {
    const call = await this.calls.get(callId);
    if (!call || !within(p, call.jurisdictionPath)) throw new NotFoundError('call');
    return call;
  }

  async draw(call: Call, officer: Principal, input: { seed?: string; reserves: number }): Promise<Panel> {
    if (effectiveStatus(call, this.deps.now()) !== 'closed') {
      throw new RuleViolationError(
        'deadline-not-passed',
        'The panel is drawn after the deadline, once the bidders are known.',
        '评审委员会须在递交截止后抽取（届时方可知晓投标人，以便回避）',
      );
    }
    // 87号令 第47条 again at the draw: the call's committee settings as they stand now.
    const errors: FieldError[] = [];
    checkCallRules(call, (path, t) => {
      if (path[0] === 'scoring')
        errors.push({ field: `call.${path.map(String).join('.')}`, message: t.en, messageZh: t.zh });
    });
    if (errors.length) throw new ValidationError(errors);

    const [subs, pool, existing] = await Promise.all([
      this.submissions.listSubmittedForCall(call.id),
      this.repo.allExpertsFor(call.jurisdictionPath),
      this.repo.panel(call.id),
    ]);
    if (existing) {
      throw new ConflictError(
        "This call's panel has already been drawn; a draw is never repeated.",
        '本项目已抽取评审委员会，不得重复抽取',
      );
    }
    const bidders = [...new Set(subs.filter((s) => s.status === 'submitted').map((s) => s.orgId))].sort();
    const bidderSet = new Set(bidders);
    const excluded: Panel['excluded'] = [];
    const candidates: (Candidate & { name: string })[] = [];
    for (const e of pool) {
      if (!e.active) continue;
      const orgIds = e.affiliations.filter((o) => bidderSet.has(o));
      if (orgIds.length) excluded.push({ userId: e.userId, name: e.name, orgIds });
      else candidates.push({ userId: e.userId, isExpert: e.isExpert, name: e.name });
    }
    candidates.sort((a, b) => (a.userId < b.userId ? -1 : 1));
    const rules = {
      size: call.scoring.committee.size,
      minExperts: call.scoring.committee.experts,
      reserves: input.reserves,
    };
    const seed = input.seed ?? randomBytes(16).toString('hex');
    let drawn: ReturnType<typeof drawPanel>;
    try {
      drawn = drawPanel(candidates, seed, rules);
    } catch (e) {
      if (e instanceof PanelUnavailableError) e.extra.excluded = excluded.length;
      throw e;
    }
    const byId = new Map(candidates.map((c) => [c.userId, c]));
    const seat = (id: string) => {
      const c = byId.get(id)!;
      return { userId: id, name: c.name, isExpert: c.isExpert };
    };
    const panel: Panel = {
      callId: call.id,
      jurisdictionPath: call.jurisdictionPath,
      seed,
      rules,
      bidders,
      candidates: candidates.map((c) => ({ userId: c.userId, isExpert: c.isExpert })),
      excluded,
      members: drawn.members.map(seat),
      reserves: drawn.reserves.map(seat),
      recusals: [],
      drawnAt: this.nowIso(),
      drawnBy: officer.userId,
      version: 1,
    };
    await this.repo.createPanel(panel, call.title);
    return panel;
  }

  // ---------------------------------------------------------------- reviewer access

  /**
   * The submission, its call and panel, if the reviewer may read it now: after the deadline,
   * submitted and screened eligible, and the reviewer seated for it (not recused). Anything else
   * is the same 404, so a reviewer learns nothing about submissions that are not theirs.
   */
  async seatedContext(submissionId: string, reviewer: Principal) {
    const found = await this.reviewContext(submissionId);
    if (!found || !seatedFor(found.panel, submissionId).includes(reviewer.userId))
      throw new NotFoundError('submission');
    return found;
  }

  private async reviewContext(submissionId: string) {
    const sub = await this.submissions.get(submissionId);
    if (sub?.status !== 'submitted' || sub.eligibility?.eligible !== true) return undefined;
    const [call, panel] = await Promise.all([this.calls.get(sub.callId), this.repo.panel(sub.callId)]);
    if (!call || !panel || effectiveStatus(call, this.deps.now()) !== 'closed') return undefined;
    return { sub, call, panel };
  }

  async view(submissionId: string, reviewer: Principal): Promise<ReviewView> {
    const { sub, call } = await this.seatedContext(submissionId, reviewer);
    const sheet = await this.repo.sheet(submissionId, reviewer.userId);
    const view: ReviewView = {
      submission: {
        id: sub.id,
        callId: sub.callId,
        lot: sub.lot,
        orgName: sub.orgName,
        content: sub.content,
        submittedAt: sub.submittedAt,
      },
      rubric: call.rubric,
      sheet,
    };
    if (sheet?.status === 'submitted') {
      const agg = await this.repo.aggregate(submissionId);
      view.panel = {
        sheetsSubmitted: agg?.count ?? 0,
        totals: (agg?.members ?? [])
          .map((m) => m.totalCenti)
          .sort((a, b) => b - a)
          .map(formatCenti),
      };
    }
    return view;
  }

  /** The reviewer's worklist on a call: eligible submissions they are seated for, after the deadline. */
  async worklist(callId: string, reviewer: Principal) {
    const [call, panel] = await Promise.all([this.calls.get(callId), this.repo.panel(callId)]);
    const onPanel = panel && [...panel.members, ...panel.reserves].some((m) => m.userId === reviewer.userId);
    if (!call || !panel || !onPanel || effectiveStatus(call, this.deps.now()) !== 'closed')
      throw new NotFoundError('call');
    const subs = (await this.submissions.listSubmittedForCall(callId)).filter(
      (s) => s.eligibility?.eligible === true && seatedFor(panel, s.id).includes(reviewer.userId),
    );
    const sheets = await this.repo.batchGet(subs.map((s) => keys.sheet(s.id, reviewer.userId)));
    const status = new Map(sheets.map((s) => [String(s.submissionId), String(s.status)]));
    return subs.map((s) => ({
      submissionId: s.id,
      lot: s.lot,
      orgName: s.orgName,
      sheet: (status.get(s.id) ?? 'none') as 'none' | 'draft' | 'submitted',
    }));
  }

  // ---------------------------------------------------------------- conflicts (回避)

  async declareConflict(submissionId: string, reviewer: Principal, reason: string) {
    for (let attempt = 0; ; attempt++) {
      const found = await this.reviewContext(submissionId);
      if (!found) throw new NotFoundError('submission');
      const { panel } = found;
      const seated = seatedFor(panel, submissionId).includes(reviewer.userId);
      const reserve =
        panel.reserves.some((r) => r.userId === reviewer.userId) &&
        !panel.recusals.some((r) => r.submissionId === submissionId && r.userId === reviewer.userId);
      if (!seated && !reserve) throw new NotFoundError('submission');
      const sheet = await this.repo.sheet(submissionId, reviewer.userId);
      if (sheet?.status === 'submitted') {
        throw new ConflictError(
          'Your sheet for this submission is already submitted; ask an officer to reopen it before declaring a conflict.',
          '您已提交该投标的评分表，如需回避请先由项目官员退回评分表',
        );
      }
      const replacedBy = seated ? nextReserve(panel, submissionId) : undefined;
      const at = this.nowIso();
      const next: Panel = {
        ...panel,
        recusals: [
          ...panel.recusals,
          {
            submissionId,
            userId: reviewer.userId,
            reason,
            at,
            ...(replacedBy ? { replacedBy } : {}),
          },
        ],
        version: panel.version + 1,
      };
      try {
        await this.repo.savePanel(next, panel.version, {
          actor: reviewer.userId,
          at,
          action: 'panel.recused',
        });
      } catch (e) {
        // Two members declaring at once: re-read and apply ours on top.
        if (e instanceof StaleVersionError && attempt < 3) continue;
        throw e;
      }
      const r = replacedBy ? panel.reserves.find((x) => x.userId === replacedBy) : undefined;
      return {
        submissionId,
        recused: true,
        replacedBy: r ? { userId: r.userId, name: r.name } : undefined,
      };
    }
  }

  // ---------------------------------------------------------------- sheets

  async saveDraft(submissionId: string, reviewer: Principal, input: SheetInput): Promise<Sheet> {
    const { call, sub } = await this.seatedContext(submissionId, reviewer);
    const problems = sheetProblems(call.rubric, {
      reviewerId: reviewer.userId,
      submissionId,
      scores: input.scores,
    }).filter((p) => input.scores[p.field.slice('scores.'.length)] !== undefined);
    const known = new Set(call.rubric.groups.flatMap((g) => g.indicators.map((i) => i.id)));
    for (const id of Object.keys(input.comments))
      if (!known.has(id))
        problems.push({
          field: `comments.${id}`,
          message: `No indicator ${id} in this call.`,
          messageZh: `本项目没有指标 ${id}`,
        });
    if (problems.length) throw new ValidationError(problems.map((p) => ({ ...p, field: `body.${p.field}` })));
    const { sheet: current, head } = await this.repo.sheetAsRead(submissionId, reviewer.userId);
    if (current?.status === 'submitted') throw lockedError();
    if (current && input.version !== current.version) throw new StaleVersionError(input.version);
    if (!current && input.version !== undefined) throw new StaleVersionError(input.version);
    const next: Sheet = {
      callId: call.id,
      submissionId,
      reviewerId: reviewer.userId,
      reviewerName: reviewer.name,
      jurisdictionPath: sub.jurisdictionPath,
      scores: input.scores,
      comments: input.comments,
      comment: input.comment,
      status: 'draft',
      reopenings: current?.reopenings ?? [],
      updatedAt: this.nowIso(),
      version: (current?.version ?? 0) + 1,
    };
    await this.repo.putSheetAt(next, current?.version, 'draft', head, {
      actor: reviewer.userId,
      at: next.updatedAt,
      action: 'sheet.saved',
    });
    return next;
  }

  /**
   * Locks the sheet and folds it into the submission's aggregate in ONE TransactWriteItems:
   * the sheet (condition: this version, still a draft), the aggregate (condition: its version)
   * and any other aggregate of the lot whose price inputs changed. A member who loses a race
   * with another member's submit re-reads the aggregate and tries again.
   */
  async submit(submissionId: string, reviewer: Principal, version: number): Promise<Sheet> {
    const { call, sub } = await this.seatedContext(submissionId, reviewer);
    for (let attempt = 0; ; attempt++) {
      const { sheet: current, head } = await this.repo.sheetAsRead(submissionId, reviewer.userId);
      if (!current) throw new NotFoundError('sheet');
      if (current.status === 'submitted') throw lockedError();
      if (current.version !== version) throw new StaleVersionError(version);
      const problems = sheetProblems(call.rubric, {
        reviewerId: reviewer.userId,
        submissionId,
        scores: current.scores,
      });
      if (problems.length)
        throw new ValidationError(problems.map((p) => ({ ...p, field: `sheet.${p.field}` })));
      const at = this.nowIso();
      const next: Sheet = {
        ...current,
        status: 'submitted',
        submittedAt: at,
        updatedAt: at,
        version: version + 1,
      };
      const puts = await this.lotWrites(call, sub.lot, {
        submissionId,
        fold: (agg) => addSheet(agg, { reviewerId: reviewer.userId, submissionId, scores: next.scores }),
      });
      try {
        await this.transact([
          ...this.repo.sheetWrites(next, version, 'draft', head, {
            actor: reviewer.userId,
            at,
            action: 'sheet.submitted',
          }),
          ...puts.slice(0, 98).map((Put) => ({ Put })),
        ]);
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const [sheetReason] = e.CancellationReasons ?? [];
        if (sheetReason?.Code === 'ConditionalCheckFailed') throw new StaleVersionError(version);
        if (attempt < 4) continue; // an aggregate moved under us: recompute from the new one
        throw new StaleVersionError(version);
      }
      // A lot of more than 97 other changed rows (a large venture round whose screening changed):
      // the rest are refreshed right after, each under its own version condition.
      for (let i = 98; i < puts.length; i += 100)
        await this.transact(puts.slice(i, i + 100).map((Put) => ({ Put })));
      return next;
    }
  }

  private async transact(items: NonNullable<TransactWriteCommandInput['TransactItems']>) {
    await transactWithRetry(this.deps.doc, { TransactItems: items });
  }

  async reopen(
    submissionId: string,
    reviewerId: string,
    officer: Principal,
    input: { version: number; reason: string },
  ): Promise<Sheet> {
    const { sheet, head } = await this.repo.sheetAsRead(submissionId, reviewerId);
    if (!sheet || !within(officer, sheet.jurisdictionPath)) throw new NotFoundError('sheet');
    if (sheet.version !== input.version) throw new StaleVersionError(input.version);
    if (sheet.status !== 'submitted') {
      throw new ConflictError('Only a submitted sheet can be reopened.', '只有已提交的评分表才能退回修改');
    }
    const at = this.nowIso();
    // The aggregate keeps the member's earlier total until the sheet is submitted again; addSheet
    // then replaces it (one total per member), so the aggregate is corrected, never double-counted.
    const next: Sheet = {
      ...sheet,
      status: 'draft',
      reopenings: [...sheet.reopenings, { by: officer.userId, at, reason: input.reason }],
      updatedAt: at,
      version: sheet.version + 1,
    };
    await this.repo.putSheetAt(next, sheet.version, 'submitted', head, {
      actor: officer.userId,
      at,
      action: 'sheet.reopened',
    });
    return next;
  }

  /** Every sheet of a call (officers, auditors), with the outlier flag of its member. */
  async sheetsPage(callId: string, limit: number, cursor?: string) {
    const page = await this.repo.sheetsOfCall(callId, limit, cursor);
    const ids = [...new Set(page.items.map((s) => s.submissionId))];
    const aggs = ids.length ? await this.repo.aggregates(ids) : [];
    const flagged = new Map(aggs.map((a) => [a.submissionId, new Set(a.row?.flags.outlierReviewers ?? [])]));
    return {
      items: page.items.map((s) => ({
        ...s,
        totalCenti: sumCenti(s.scores),
        outlier: s.status === 'submitted' && (flagged.get(s.submissionId)?.has(s.reviewerId) ?? false),
      })),
      nextCursor: page.nextCursor,
    };
  }

  // ---------------------------------------------------------------- aggregates and ranking

  /**
   * Why the ranking read never recomputes: each aggregate item stores its published row (price
   * score, technical score, total, flags) and its ranking sort key. The price score and the
   * abnormal-low flag depend on the lot's eligible prices (评标基准价 is the lowest of them), so
   * every write to a lot's aggregates recomputes them from the lot's current submissions and
   * rewrites the aggregate items whose row changed — including the ones whose stored `basis`
   * (the digest of the lot's eligible prices) is stale after screening changed. That is work per
   * write, bounded by the lot's size; a read is one Query per page.
   *
   * `change` folds a sheet into one submission's aggregate; without it the lot is only refreshed
   * (what screening should call after an eligibility decision: `refreshRanking`).
   */
  private lotWrites(
    call: Call,
    lot: string | undefined,
    change?: { submissionId: string; fold: (agg: SubmissionAggregate) => SubmissionAggregate },
  ) {
    return lotWrites(this.deps.doc, this.deps.config.tableName, call, lot, change);
  }

  /** Re-derives every lot's stored rows after screening changed who is eligible (per write, not per read). */
  refreshRanking(callId: string): Promise<void> {
    return refreshRanking(this.deps, callId);
  }

  /**
   * One page of the ranking: one Query on the ranking index (sorted lot by lot, best first).
   * Ranks are competition ranks within the lot (1, 1, 3): the cursor carries the position and
   * rank of the last row returned and its sort key, and the page is read one item long so that
   * a tie across the page boundary is seen.
   */
  async rankingPage(callId: string, limit: number, cursor?: string): Promise<Page<RankingRow>> {
    const list = `ranking#${callId}`;
    const partition = keys.rankingOfCall(callId);
    const raw = decodeCursor(list, cursor, { gsi2pk: partition });
    let state = { pos: 0, rank: 0, key: '' };
    let start: Record<string, string> | undefined;
    if (raw) {
      const { _pos, _rank, _key, ...k } = raw;
      if (typeof _pos !== 'number' || typeof _rank !== 'number' || typeof _key !== 'string')
        throw new InvalidCursorError();
      state = { pos: _pos, rank: _rank, key: _key };
      start = k as Record<string, string>;
    }
    const slice = await this.repo.rankingSlice(callId, limit, start);
    const keyOf = (sk: string) => sk.slice(0, sk.lastIndexOf('#'));
    const lotOf = (sk: string) => sk.slice(0, sk.indexOf('#'));
    const rows: RankingRow[] = [];
    const sks = [...slice.items.map((i) => i.gsi2sk), slice.peek?.gsi2sk];
    slice.items.forEach((item, i) => {
      const k = keyOf(item.gsi2sk);
      const sameLot = state.key !== '' && lotOf(state.key) === lotOf(k);
      const pos = sameLot ? state.pos + 1 : 1;
      const rank = sameLot && state.key === k ? state.rank : pos;
      const next = sks[i + 1];
      const tied = (sameLot && state.key === k) || (next !== undefined && keyOf(next) === k);
      const r = item.row!;
      rows.push({
        submissionId: item.submissionId,
        orgName: item.orgName,
        ...(r.lot !== undefined ? { lot: r.lot } : {}),
        ...(r.priceFen !== undefined ? { priceFen: r.priceFen } : {}),
        ...(r.requestedFen !== undefined ? { requestedFen: r.requestedFen } : {}),
        priceScoreCenti: r.priceScoreCenti,
        technicalScoreCenti: r.technicalScoreCenti,
        totalCenti: r.totalCenti,
        reviewers: r.reviewers,
        flags: r.flags,
        rank,
        tied,
        priceScore: formatCenti(r.priceScoreCenti),
        technicalScore: formatCenti(r.technicalScoreCenti),
        total: formatCenti(r.totalCenti),
      });
      state = { pos, rank, key: k };
    });
    const nextCursor = slice.lastKey
      ? encodeCursor(list, { ...slice.lastKey, _pos: state.pos, _rank: state.rank, _key: state.key })
      : undefined;
    return { items: rows, nextCursor };
  }
}

function lockedError() {
  return new ConflictError(
    'This sheet is submitted and locked; an officer must reopen it.',
    '评分表已提交并锁定，如需修改须由项目官员退回',
  );
}

function sumCenti(scores: Record<string, number>): number {
  return Object.values(scores).reduce((t, v) => t + Math.round(v * 100), 0);
}

export { lotIndexOf };
