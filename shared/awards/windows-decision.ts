import { audited, headOf } from '../audit/record';
import { stateAfter } from '../audit/write';
import type { Principal } from '../auth/principal';
import { CalendarRepository } from '../calendar/repository';
import type { CalendarSource } from '../calendar/source';
import { awardWindows } from '../calendar/windows';
import { keys } from '../db/keys';
import { ConflictError, NotFoundError, StaleVersionError } from '../errors';
import type { Deps } from '../http/deps';
import { type Award, CHALLENGE_WORKING_DAYS, effectiveAwardStatus } from './model';
import type { AwardRepository } from './repository';
import { transactWrite } from './transact';

/**
 * An officer's decision on an open window that a confirmed calendar correction would move
 * (shared/calendar/service.ts leaves the review): `apply` recomputes the notice and challenge
 * ends with the calendar now in force and records its versions; `keep` leaves the ends as they
 * are and records that the correction was seen. Either way the award's audit chain says so, the
 * review is gone, and a window never moves without this decision.
 */
export async function decideWindows(
  deps: Deps,
  awards: AwardRepository,
  calendar: CalendarSource,
  award: Award,
  input: { decision: 'apply' | 'keep'; version: number },
  officer: Principal,
): Promise<Award> {
  const table = deps.config.tableName;
  const reviews = new CalendarRepository(deps.doc, table);
  const review = await reviews.windowReview(award.id);
  if (!review) throw new NotFoundError('window review');
  const read = await awards.getAsRead(award.id);
  if (!read) throw new NotFoundError('award');
  const now = deps.now();
  if (read.award.version !== input.version) throw new StaleVersionError(input.version);
  if (effectiveAwardStatus(read.award, now) !== 'confirmed' || !read.award.noticeStartsAt)
    throw new ConflictError(
      'The award is no longer in its notice period; its windows cannot change.',
      '该中标（立项）已不在公示期内，期限不能再调整',
      { status: effectiveAwardStatus(read.award, now) },
    );
  const at = now.toISOString();
  let changes: Record<string, unknown>;
  if (input.decision === 'apply') {
    const { value, versions } = await calendar.run((cal) =>
      awardWindows(
        cal,
        new Date(read.award.noticeStartsAt!),
        read.award.noticeWorkingDays,
        CHALLENGE_WORKING_DAYS,
      ),
    );
    changes = { ...value, calendarVersions: versions, version: input.version + 1 };
  } else {
    changes = {
      windowsKept: { ...(read.award.windowsKept ?? {}), [String(review.year)]: review.toVersion },
      version: input.version + 1,
    };
  }
  const next = { ...read.award, ...changes } as Award;
  const names = Object.keys(changes);
  const timerMoves =
    input.decision === 'apply' && next.closesAt !== read.award.closesAt
      ? [
          { Delete: { TableName: table, Key: keys.noticeDue(read.award.closesAt!, award.id) } },
          {
            Put: {
              TableName: table,
              Item: { ...keys.noticeDue(next.closesAt!, award.id), awardId: award.id, callId: award.callId },
            },
          },
        ]
      : [];
  try {
    await transactWrite(deps.doc, [
      ...audited(
        {
          Update: {
            TableName: table,
            Key: keys.award(award.id),
            UpdateExpression: `SET ${names.map((_n, i) => `#n${i} = :v${i}`).join(', ')}`,
            ConditionExpression: '#status = :confirmed AND version = :expected',
            ExpressionAttributeNames: {
              '#status': 'status',
              ...Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
            },
            ExpressionAttributeValues: {
              ':confirmed': 'confirmed',
              ':expected': input.version,
              ...Object.fromEntries(names.map((n, i) => [`:v${i}`, changes[n]])),
            },
          },
        },
        headOf(read.raw),
        {
          actor: officer.userId,
          at,
          action: input.decision === 'apply' ? 'award.windows-recomputed' : 'award.windows-kept',
          state: stateAfter(read.raw, changes),
        },
      ),
      ...timerMoves,
      {
        Delete: {
          TableName: table,
          Key: keys.windowReview(award.id),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    ]);
  } catch (e) {
    if ((e as { name?: string }).name === 'TransactionCanceledException')
      throw new StaleVersionError(input.version);
    throw e;
  }
  return next;
}
