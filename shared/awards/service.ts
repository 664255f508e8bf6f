import { audited, headOf } from '../audit/record';
import { JOBS_ACTOR, stateAfter } from '../audit/write';
import type { Principal } from '../auth/principal';
import { CalendarSource } from '../calendar/source';
import { awardWindows } from '../calendar/windows';
import { type Call, effectiveStatus } from '../calls/model';
import { keys } from '../db/keys';
import {
  ConflictError,
  NotFoundError,
  ProblemError,
  RuleViolationError,
  ServiceUnavailableError,
  StaleVersionError,
} from '../errors';
import type { Deps } from '../http/deps';
import { ledgerEntryPut } from '../ledger/entries';
import type { Pool } from '../pools/model';
import { PoolRepository } from '../pools/repository';
import { selectAwards } from '../scoring/award';
import type { AwardSelection, ResultRow } from '../scoring/model';
import { fileChallenge } from './challenge';
import { type Award, CHALLENGE_WORKING_DAYS, type Challenge, effectiveAwardStatus, finalAt } from './model';
import { computedRanking, type RankingSource } from './ranking';
import { AwardRepository } from './repository';
import { cancellationCodes, DEFAULT_RETRY, type RetryOptions, transactWrite } from './transact';

export interface AwardServiceOptions {
  ranking?: RankingSource;
  retry?: RetryOptions;
}

/** The deterministic id of a submission's award: a submission is awarded at most once. */
export const awardIdOf = (submissionId: string) => `aw-${submissionId}`;

const CCF = 'ConditionalCheckFailed';

export class InsufficientFundsError extends RuleViolationError {
  constructor(pool: Pool, amountFen: number) {
    const available = pool.budgetFen - pool.committedFen;
    super(
      'insufficient-funds',
      `The pool has ${available} fen available; this award needs ${amountFen} fen.`,
      `资金池可用余额 ${available} 分，不足以支付本项 ${amountFen} 分`,
      { availableFen: available, amountFen },
    );
  }
}

/**
 * Awards: proposal from the ranking, confirmation by a second officer (committing the money),
 * the public notice and its challenges, and finality. Every change of money is one
 * TransactWriteItems whose conditions make over-commitment impossible (ARCHITECTURE.md, "Data").
 */
export class AwardService {
  readonly awards: AwardRepository;
  private readonly pools: PoolRepository;
  private readonly ranking: RankingSource;
  private readonly retry: RetryOptions;

  constructor(
    private readonly deps: Deps,
    options: AwardServiceOptions = {},
  ) {
    const table = deps.config.tableName;
    this.awards = new AwardRepository(deps.doc, table);
    this.pools = new PoolRepository(deps.doc, table);
    this.ranking = options.ranking ?? computedRanking(deps.doc, table);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.calendar = new CalendarSource(deps.doc, table);
  }

  /** The working-day calendar (confirmed years, cached per process). */
  readonly calendar: CalendarSource;

  private get table() {
    return this.deps.config.tableName;
  }

  /**
   * Officer A proposes the awards of a closed call: `selectAwards` over the ranking (without
   * submissions whose award an upheld challenge cancelled), against what the pool has available
   * plus what this call's own confirmed awards already hold. Winners that already have an award
   * are kept; only new winners are proposed, so proposing again after an explanation is accepted
   * or a challenge upheld adds the missing ones.
   */
  async propose(
    call: Call,
    officer: Principal,
  ): Promise<{ selection: AwardSelection; proposed: Award[]; existing: Award[] }> {
    const now = this.deps.now();
    if (effectiveStatus(call, now) !== 'closed') {
      throw new RuleViolationError(
        'call-not-closed',
        'Awards can be proposed only after the call has closed.',
        '项目截止后方可提出中标（立项）建议',
      );
    }
    const [rows, existing, pool] = await Promise.all([
      this.ranking.rows(call),
      this.awards.ofCall(call.id),
      this.pools.get(call.poolId),
    ]);
    if (!pool) throw new NotFoundError('pool');
    const cancelled = new Set(existing.filter((a) => a.status === 'cancelled').map((a) => a.submissionId));
    const active = new Map(existing.filter((a) => a.status !== 'cancelled').map((a) => [a.submissionId, a]));
    const usable = rows.filter((r) => !cancelled.has(r.submissionId));
    const subs = await this.awards.submissions(usable.map((r) => r.submissionId));
    // 87号令 第60条: an abnormally low bid wins only once its written explanation is accepted.
    const accepted = new Set(
      [...subs.values()].filter((s) => s.explanation?.decision === 'accepted').map((s) => s.id),
    );
    const heldHere = existing
      .filter((a) => a.status === 'confirmed' || a.status === 'final')
      .reduce((s, a) => s + a.amountFen, 0);
    const available = Math.max(0, pool.budgetFen - pool.committedFen + heldHere);
    const selection = selectAwards(call, usable, accepted, available);
    const winners =
      selection.kind === 'purchase'
        ? selection.lots.flatMap((l) => (l.status === 'awarded' ? [l] : []))
        : selection.decisions.flatMap((d) => (d.status === 'funded' ? [d] : []));
    const fresh = winners.filter((w) => !active.has(w.submissionId));
    if (!fresh.length) {
      throw new RuleViolationError(
        'nothing-to-propose',
        'The ranking gives no winner without an award yet (see the selection for pending lots or applications).',
        '当前排名没有可新增的中标（立项）建议，待定事项见 selection',
        { selection },
      );
    }
    const byId = new Map<string, ResultRow>(usable.map((r) => [r.submissionId, r]));
    const at = now.toISOString();
    const proposed: Award[] = fresh.map((w) => {
      const row = byId.get(w.submissionId)!;
      const sub = subs.get(w.submissionId);
      if (!sub) throw new NotFoundError('submission');
      return {
        id: awardIdOf(w.submissionId),
        callId: call.id,
        callKind: call.kind,
        callTitle: call.title,
        poolId: call.poolId,
        jurisdictionPath: call.jurisdictionPath,
        submissionId: w.submissionId,
        orgId: sub.orgId,
        orgName: sub.orgName,
        ...(row.lot !== undefined ? { lot: row.lot } : {}),
        amountFen: w.amountFen,
        rank: row.rank,
        totalCenti: row.totalCenti,
        priceScoreCenti: row.priceScoreCenti,
        technicalScoreCenti: row.technicalScoreCenti,
        noticeWorkingDays: call.noticeWorkingDays,
        status: 'proposed',
        proposedBy: officer.userId,
        proposedAt: at,
        openChallenges: 0,
        challenges: 0,
        version: 1,
      };
    });
    // Each award with the first entry of its audit chain: 50 awards (100 actions) per transaction.
    for (let i = 0; i < proposed.length; i += 50) {
      try {
        await transactWrite(
          this.deps.doc,
          proposed.slice(i, i + 50).flatMap((a) =>
            audited(
              {
                Put: {
                  TableName: this.table,
                  Item: this.awards.item(a),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              undefined,
              { actor: officer.userId, at, action: 'award.proposed' },
            ),
          ),
          this.retry,
        );
      } catch (e) {
        if (cancellationCodes(e)?.includes(CCF))
          throw new ConflictError(
            'Another officer is proposing awards for this call at the same time; reload and retry.',
            '其他人员正在同时提出本项目的中标建议，请刷新后重试',
          );
        throw e;
      }
    }
    return { selection, proposed, existing };
  }

  /**
   * Officer B (not the proposer) confirms: ONE transaction commits the money
   * (`committedFen + amount`, guarded by `committedFen <= budget − amount` computed here, and the
   * budget it was computed from), moves the award to `confirmed` (guarded by status, version and
   * the two-officer rule) and starts the public notice (公示) and its challenge window, with the
   * timer item the jobs function finalizes from. The pool's money moves with a plain Update of
   * `committedFen` alone (not its version: money counters are outside the pool's audit chain)
   * next to the ledger's `commit` entry; the award's change carries its audit entry
   * (`award.confirmed`). A budget changed meanwhile is re-read and the limit recomputed (a new
   * transaction, new token); conflicts are retried with the same token.
   */
  async confirm(award: Award, version: number, officer: Principal): Promise<Award> {
    if (award.status !== 'proposed') {
      throw new ConflictError(
        `The award is ${award.status}; only a proposed award can be confirmed.`,
        '该中标（立项）不是待确认状态',
        { status: award.status },
      );
    }
    if (award.proposedBy === officer.userId) {
      throw new ProblemError(
        403,
        'proposer-cannot-confirm',
        'Forbidden',
        'The officer who proposed an award cannot confirm it; another officer must.',
        { detailZh: '提出中标（立项）建议的人员不能自行确认，须由另一名工作人员确认' },
      );
    }
    if (award.version !== version) throw new StaleVersionError(version);
    const now = this.deps.now();
    const at = now.toISOString();
    // The windows are computed once, with the calendar versions recorded: they never move silently.
    const { value: windows, versions: calendarVersions } = await this.calendar.run((cal) =>
      awardWindows(cal, now, award.noticeWorkingDays, CHALLENGE_WORKING_DAYS),
    );
    const { noticeEndsAt, challengeDeadline, closesAt } = windows;
    const changes = {
      status: 'confirmed' as const,
      confirmedBy: officer.userId,
      confirmedAt: at,
      noticeStartsAt: at,
      noticeEndsAt,
      challengeDeadline,
      closesAt,
      calendarVersions,
      version: award.version + 1,
    };
    for (let round = 0; round < 3; round++) {
      const [pool, read] = await Promise.all([this.pools.get(award.poolId), this.awards.getAsRead(award.id)]);
      if (!pool) throw new NotFoundError('pool');
      if (!read) throw new NotFoundError('award');
      if (read.award.version !== version) {
        if (read.award.status !== 'proposed')
          throw new ConflictError(`The award is already ${read.award.status}.`, '该中标（立项）已被处理', {
            status: read.award.status,
          });
        throw new StaleVersionError(version);
      }
      const limit = pool.budgetFen - award.amountFen;
      if (pool.committedFen > limit) throw new InsufficientFundsError(pool, award.amountFen);
      try {
        // Action order (cancellation reasons): pool, ledger entry, award, its audit entry, timer.
        await transactWrite(
          this.deps.doc,
          [
            {
              Update: {
                TableName: this.table,
                Key: keys.pool(award.poolId),
                UpdateExpression: 'SET committedFen = committedFen + :amount',
                ConditionExpression:
                  'attribute_exists(pk) AND budgetFen = :budget AND committedFen <= :limit',
                ExpressionAttributeValues: {
                  ':amount': award.amountFen,
                  ':budget': pool.budgetFen,
                  ':limit': limit,
                },
              },
            },
            ledgerEntryPut(this.table, {
              id: `commit-${award.id}`,
              poolId: award.poolId,
              kind: 'commit',
              amountFen: award.amountFen,
              at,
              actor: officer.userId,
              awardId: award.id,
              cause: 'award.confirmed',
            }),
            ...audited(
              {
                Update: {
                  TableName: this.table,
                  Key: keys.award(award.id),
                  UpdateExpression:
                    'SET #status = :confirmed, confirmedBy = :me, confirmedAt = :at, noticeStartsAt = :at, ' +
                    'noticeEndsAt = :ne, challengeDeadline = :cd, closesAt = :closes, calendarVersions = :cv, ' +
                    'gsi2pk = :notices, gsi2sk = :g2sk, version = :next',
                  ConditionExpression: '#status = :proposed AND version = :v AND proposedBy <> :me',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':confirmed': 'confirmed',
                    ':proposed': 'proposed',
                    ':me': officer.userId,
                    ':at': at,
                    ':ne': noticeEndsAt,
                    ':cd': challengeDeadline,
                    ':closes': closesAt,
                    ':cv': calendarVersions,
                    ':notices': keys.publicNotices,
                    ':g2sk': `${at}#${award.id}`,
                    ':v': version,
                    ':next': version + 1,
                  },
                },
              },
              headOf(read.raw),
              { actor: officer.userId, at, action: 'award.confirmed', state: stateAfter(read.raw, changes) },
            ),
            {
              Put: {
                TableName: this.table,
                Item: { ...keys.noticeDue(closesAt, award.id), awardId: award.id, callId: award.callId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
          this.retry,
        );
        return { ...award, ...changes };
      } catch (e) {
        const codes = cancellationCodes(e);
        if (!codes) throw e;
        if (codes.slice(1).includes(CCF)) {
          const fresh = await this.awards.get(award.id);
          if (fresh && fresh.status !== 'proposed')
            throw new ConflictError(`The award is already ${fresh.status}.`, '该中标（立项）已被处理', {
              status: fresh.status,
            });
          throw new StaleVersionError(version);
        }
        // The pool changed: re-read it; the next round answers 422 if the money is gone.
        if (codes[0] === CCF) continue;
        throw e;
      }
    }
    throw new ServiceUnavailableError('The pool kept changing during the confirmation; retry shortly.');
  }

  /**
   * A bidder or applicant of the call challenges (质疑) a confirmed award before its challenge
   * deadline. The deadline is also a condition of the write, so a challenge cannot slip in after
   * the window whatever the clocks of the callers.
   */
  challenge(award: Award, applicant: Principal, text: string): Promise<Challenge> {
    return fileChallenge(this.deps, this.awards, award, applicant, text, this.retry);
  }

  /**
   * An officer answers a challenge. Upheld: the award is cancelled and its money released in the
   * same transaction (`committedFen − amount`, guarded by `committedFen >= amount`). Dismissed:
   * the award's open-challenge count drops; with none left after its windows, it is final.
   */
  async answer(
    challenge: Challenge,
    input: { version: number; outcome: 'upheld' | 'dismissed'; answer: string },
    officer: Principal,
  ): Promise<{ challenge: Challenge; award: Award }> {
    if (challenge.status !== 'open')
      throw new ConflictError('The challenge has already been answered.', '该质疑已答复');
    if (challenge.version !== input.version) throw new StaleVersionError(input.version);
    const at = this.deps.now().toISOString();
    const chRead = await this.awards.challengeAsRead(challenge.id);
    if (!chRead) throw new NotFoundError('challenge');
    const chSet = {
      status: 'answered' as const,
      outcome: input.outcome,
      answer: input.answer,
      answeredBy: officer.userId,
      answeredAt: at,
      version: input.version + 1,
    };
    const answered: Challenge = { ...challenge, ...chSet };
    const challengeUpdate = audited(
      {
        Update: {
          TableName: this.table,
          Key: keys.challenge(challenge.id),
          UpdateExpression:
            'SET #status = :answered, outcome = :outcome, answer = :answer, answeredBy = :me, answeredAt = :at, version = :next',
          ConditionExpression: '#status = :open AND version = :v',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':answered': 'answered',
            ':open': 'open',
            ':outcome': input.outcome,
            ':answer': input.answer,
            ':me': officer.userId,
            ':at': at,
            ':v': input.version,
            ':next': input.version + 1,
          },
        },
      },
      headOf(chRead.raw),
      { actor: officer.userId, at, action: 'challenge.answered', state: stateAfter(chRead.raw, chSet) },
    );
    for (let round = 0; round < 3; round++) {
      const read = await this.awards.getAsRead(challenge.awardId);
      if (!read) throw new NotFoundError('award');
      const award = read.award;
      const cancel = input.outcome === 'upheld' && award.status === 'confirmed';
      const awardSet = cancel
        ? {
            status: 'cancelled' as const,
            cancelledAt: at,
            cancelledBy: officer.userId,
            cancelledByChallenge: challenge.id,
            openChallenges: award.openChallenges - 1,
            lastAnsweredAt: at,
            version: award.version + 1,
          }
        : { openChallenges: award.openChallenges - 1, lastAnsweredAt: at, version: award.version + 1 };
      const awardUpdate = audited(
        {
          Update: cancel
            ? {
                TableName: this.table,
                Key: keys.award(award.id),
                UpdateExpression:
                  'SET #status = :cancelled, cancelledAt = :at, cancelledBy = :me, cancelledByChallenge = :ch, ' +
                  'openChallenges = :open, lastAnsweredAt = :at, version = :next',
                ConditionExpression: '#status = :confirmed AND openChallenges >= :one AND version = :v',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':cancelled': 'cancelled',
                  ':confirmed': 'confirmed',
                  ':at': at,
                  ':me': officer.userId,
                  ':ch': challenge.id,
                  ':open': awardSet.openChallenges,
                  ':one': 1,
                  ':v': award.version,
                  ':next': awardSet.version,
                },
              }
            : {
                TableName: this.table,
                Key: keys.award(award.id),
                UpdateExpression: 'SET openChallenges = :open, lastAnsweredAt = :at, version = :next',
                ConditionExpression: '#status = :status AND openChallenges >= :one AND version = :v',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: {
                  ':open': awardSet.openChallenges,
                  ':one': 1,
                  ':at': at,
                  ':status': award.status,
                  ':v': award.version,
                  ':next': awardSet.version,
                },
              },
        },
        headOf(read.raw),
        {
          actor: officer.userId,
          at,
          action: cancel ? 'award.cancelled' : 'award.challenge-answered',
          state: stateAfter(read.raw, awardSet),
        },
      );
      // Action order: challenge, its entry, award, its entry (then, when cancelled: the pool's
      // money released with the ledger's `release` entry, and the notice timer dropped).
      const items = cancel
        ? [
            ...challengeUpdate,
            ...awardUpdate,
            {
              Update: {
                TableName: this.table,
                Key: keys.pool(award.poolId),
                UpdateExpression: 'SET committedFen = committedFen - :amount',
                ConditionExpression: 'committedFen >= :amount',
                ExpressionAttributeValues: { ':amount': award.amountFen },
              },
            },
            ledgerEntryPut(this.table, {
              id: `release-${award.id}`,
              poolId: award.poolId,
              kind: 'release',
              amountFen: award.amountFen,
              at,
              actor: officer.userId,
              awardId: award.id,
              cause: 'award.cancelled',
            }),
            { Delete: { TableName: this.table, Key: keys.noticeDue(award.closesAt!, award.id) } },
          ]
        : [...challengeUpdate, ...awardUpdate];
      try {
        await transactWrite(this.deps.doc, items, this.retry);
        const next = await this.awards.get(award.id);
        return { challenge: answered, award: next ?? award };
      } catch (e) {
        const codes = cancellationCodes(e);
        if (!codes) throw e;
        if (codes[0] === CCF || codes[1] === CCF) {
          throw new ConflictError('The challenge was answered meanwhile.', '该质疑已被答复');
        }
        // The award changed under us (another challenge upheld or filed): read it again.
        if (codes[2] === CCF || codes[3] === CCF) continue;
        throw e;
      }
    }
    throw new ServiceUnavailableError('The award kept changing; retry shortly.');
  }

  /**
   * The jobs function: awards whose windows have closed with no open challenge become final.
   * The finality instant is derived from the award (its windows, its last answer), never from
   * when the job runs, so a late run records exactly what readers already saw.
   */
  async finalizeDue(): Promise<string[]> {
    const now = this.deps.now().toISOString();
    const done: string[] = [];
    // Page by key: awards held back by an open challenge stay at the head and are stepped over.
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.awards.due(now, 50, start);
      for (const d of page.items) {
        const read = await this.awards.getAsRead(d.awardId);
        const award = read?.award;
        const drop = { Delete: { TableName: this.table, Key: d.key } };
        if (award?.status !== 'confirmed') {
          await transactWrite(this.deps.doc, [drop], this.retry);
          continue;
        }
        if (effectiveAwardStatus(award, new Date(now)) !== 'final') continue; // open challenges
        try {
          await transactWrite(
            this.deps.doc,
            [
              ...audited(
                {
                  Update: {
                    TableName: this.table,
                    Key: keys.award(award.id),
                    UpdateExpression: 'SET #status = :final, finalizedAt = :fa, version = :next',
                    ConditionExpression:
                      '#status = :confirmed AND openChallenges = :zero AND closesAt <= :now AND version = :v',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: {
                      ':final': 'final',
                      ':confirmed': 'confirmed',
                      ':fa': finalAt(award),
                      ':zero': 0,
                      ':now': now,
                      ':v': award.version,
                      ':next': award.version + 1,
                    },
                  },
                },
                headOf(read!.raw),
                {
                  actor: JOBS_ACTOR,
                  at: now,
                  action: 'award.finalized',
                  state: stateAfter(read!.raw, {
                    status: 'final',
                    finalizedAt: finalAt(award),
                    version: award.version + 1,
                  }),
                },
              ),
              drop,
            ],
            this.retry,
          );
          done.push(award.id);
        } catch (e) {
          // A challenge or an answer raced the job: the next run sees the new state.
          if (!cancellationCodes(e)?.includes(CCF)) throw e;
        }
      }
      start = page.next;
    } while (start);
    return done;
  }
}
