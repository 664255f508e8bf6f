import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from '../auth/principal';
import { transactWrite } from '../awards/transact';
import { keys } from '../db/keys';
import { ConflictError, NotFoundError, ProblemError, StaleVersionError, ValidationError } from '../errors';
import type { Deps } from '../http/deps';
import { type Arrangement, arrangementProblems } from './arrangement';
import type {
  AffectedWindow,
  CalendarProposalInput,
  CalendarVersion,
  CalendarYear,
  WindowReview,
} from './model';
import { CalendarRepository } from './repository';
import { CalendarSource } from './source';
import { awardWindows } from './windows';
import { beijingDate } from './working-calendar';

/** 质疑期: 7 working days (财政部令第94号 第十条); the awards model holds the same constant. */
const CHALLENGE_WORKING_DAYS = 7;

export const CALENDAR_YEARS = { first: 2000, last: 2100 } as const;

const fourEyes = () =>
  new ProblemError(
    403,
    'four-eyes',
    'Forbidden',
    'The administrator who submitted an arrangement cannot confirm it; a second administrator must.',
    { detailZh: '提交节假日安排的管理员不能自行确认，须由另一名系统管理员确认' },
  );

/**
 * The working-day calendar as data (ARCHITECTURE.md, "Decisions for the second wave"): an
 * administrator submits a year's arrangement — the statutory draft corrected to the State
 * Council notice — and a second administrator confirms it; only then does it count working days.
 * Each confirmation is a new version, kept; a window computed once stores the versions it used
 * (awards: `calendarVersions`), and confirming a correction leaves, for every open window it
 * would move, a review for the window's officer to decide (POST /awards/{id}/windows).
 */
export class CalendarService {
  readonly repo: CalendarRepository;
  readonly source: CalendarSource;

  constructor(private readonly deps: Deps) {
    this.repo = new CalendarRepository(deps.doc, deps.config.tableName);
    this.source = new CalendarSource(deps.doc, deps.config.tableName);
  }

  private checkYear(year: number) {
    if (!Number.isInteger(year) || year < CALENDAR_YEARS.first || year > CALENDAR_YEARS.last)
      throw new NotFoundError('calendar year');
  }

  async get(year: number): Promise<{ record: CalendarYear; versions: CalendarVersion[] }> {
    this.checkYear(year);
    const [read, versions] = await Promise.all([this.repo.getAsRead(year), this.repo.versions(year)]);
    if (!read) throw new NotFoundError('calendar year');
    return { record: read.record, versions };
  }

  /** Submits (or replaces) a year's proposed arrangement; nothing counts with it until confirmed. */
  async propose(
    admin: Principal,
    year: number,
    input: CalendarProposalInput,
    options: { demo?: boolean } = {},
  ): Promise<{ record: CalendarYear; affected: AffectedWindow[] }> {
    this.checkYear(year);
    const arrangement: Arrangement = {
      year,
      holidays: sorted(input.holidays),
      workdays: sorted(input.workdays),
      notice: input.notice,
    };
    const problems = arrangementProblems(arrangement);
    // A published year reproduces a notice: its number and date are part of it.
    if (!options.demo) {
      if (!input.notice.number)
        problems.push({
          field: 'notice.number',
          message: "The notice's document number is required.",
          messageZh: '请填写通知文号',
        });
      if (!input.notice.date)
        problems.push({
          field: 'notice.date',
          message: "The notice's date is required.",
          messageZh: '请填写通知日期',
        });
    }
    const read = await this.repo.getAsRead(year);
    if (read?.record.arrangement && !input.reason)
      problems.push({
        field: 'reason',
        message: `${year} is already confirmed (version ${read.record.calendarVersion}); a correction needs a reason.`,
        messageZh: `${year} 年安排已确认（第 ${read.record.calendarVersion} 版），更正须说明理由`,
      });
    if (problems.length) throw new ValidationError(problems.map((p) => ({ ...p, field: `body.${p.field}` })));
    if (read && input.version !== read.record.version) throw new StaleVersionError(input.version);
    if (!read && input.version !== undefined) throw new StaleVersionError(input.version);
    const at = this.deps.now().toISOString();
    const record: CalendarYear = {
      ...(read?.record ?? { year, calendarVersion: 0, demo: false, version: 0 }),
      proposal: {
        arrangement,
        demo: options.demo ?? false,
        submittedBy: admin.userId,
        submittedByName: admin.name,
        submittedAt: at,
        ...(input.reason ? { reason: input.reason } : {}),
      },
      version: (read?.record.version ?? 0) + 1,
    };
    await this.write(
      this.repo.rootWrite(record, read?.raw, { actor: admin.userId, at, action: 'calendar.proposed' }),
      record.version,
    );
    const affected = read?.record.arrangement ? await this.affectedWindows(year, record) : [];
    return { record, affected };
  }

  /** A second administrator confirms the proposal: it becomes the year's next version. */
  async confirm(
    admin: Principal,
    year: number,
    version: number,
  ): Promise<{ record: CalendarYear; reviews: number }> {
    this.checkYear(year);
    const read = await this.repo.getAsRead(year);
    if (!read) throw new NotFoundError('calendar year');
    const { record: old } = read;
    if (old.version !== version) throw new StaleVersionError(version);
    const proposal = old.proposal;
    if (!proposal)
      throw new ConflictError(
        `There is no submitted arrangement of ${year} to confirm.`,
        `${year} 年没有待确认的安排`,
      );
    if (proposal.submittedBy === admin.userId) throw fourEyes();
    const at = this.deps.now().toISOString();
    const calendarVersion = old.calendarVersion + 1;
    const record: CalendarYear = {
      year,
      calendarVersion,
      arrangement: proposal.arrangement,
      origin: 'published',
      demo: proposal.demo,
      submittedBy: proposal.submittedBy,
      confirmedBy: admin.userId,
      confirmedByName: admin.name,
      confirmedAt: at,
      version: old.version + 1,
    };
    const affected = old.arrangement ? await this.affectedWindows(year, record) : [];
    const root = this.repo.rootWrite(record, read.raw, {
      actor: admin.userId,
      at,
      action: 'calendar.confirmed',
    });
    // The four-eyes rule is a condition of the write too, not only of the check above.
    const first = root[0] as {
      Put: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> };
    };
    first.Put.ConditionExpression = `(${first.Put.ConditionExpression}) AND proposal.submittedBy <> :me`;
    first.Put.ExpressionAttributeValues = { ...first.Put.ExpressionAttributeValues, ':me': admin.userId };
    await this.write(
      [
        ...root,
        this.repo.versionPut({
          year,
          calendarVersion,
          arrangement: proposal.arrangement,
          demo: proposal.demo,
          origin: 'published',
          submittedBy: proposal.submittedBy,
          confirmedBy: admin.userId,
          confirmedAt: at,
          ...(proposal.reason ? { reason: proposal.reason } : {}),
        }),
      ],
      version,
    );
    CalendarSource.invalidate(this.deps.config.tableName, year);
    // The reviews are to-do items for officers, derived from the confirmed correction: written
    // after it (idempotent Puts by award id), at most 25 per transaction.
    const reviews: WindowReview[] = affected.map((a) => ({
      ...a,
      toVersion: calendarVersion,
      createdAt: at,
    }));
    for (let i = 0; i < reviews.length; i += 25)
      await transactWrite(
        this.deps.doc,
        reviews.slice(i, i + 25).map((r) => this.repo.windowReviewPut(r)),
      );
    return { record, reviews: reviews.length };
  }

  /** Either administrator sends a proposal back; the confirmed version (if any) stays in force. */
  async reject(admin: Principal, year: number, version: number, reason: string): Promise<CalendarYear> {
    this.checkYear(year);
    const read = await this.repo.getAsRead(year);
    if (!read) throw new NotFoundError('calendar year');
    if (read.record.version !== version) throw new StaleVersionError(version);
    if (!read.record.proposal)
      throw new ConflictError(`There is no submitted arrangement of ${year}.`, `${year} 年没有待确认的安排`);
    const { proposal: _gone, ...rest } = read.record;
    const at = this.deps.now().toISOString();
    const record: CalendarYear = {
      ...rest,
      rejection: { by: admin.userId, byName: admin.name, at, reason },
      version: version + 1,
    };
    await this.write(
      this.repo.rootWrite(record, read.raw, { actor: admin.userId, at, action: 'calendar.rejected' }),
      version,
    );
    return record;
  }

  private async write(items: Parameters<typeof transactWrite>[1], version: number) {
    try {
      await transactWrite(this.deps.doc, items);
    } catch (e) {
      if ((e as { name?: string }).name === 'TransactionCanceledException')
        throw new StaleVersionError(version);
      throw e;
    }
  }

  /**
   * The open windows (awards still in their notice or challenge period) computed with an earlier
   * version of `year` whose ends the arrangement of `next` (proposed or confirmed) would move.
   */
  async affectedWindows(year: number, next: CalendarYear): Promise<AffectedWindow[]> {
    const arrangement = next.proposal?.arrangement ?? next.arrangement;
    if (!arrangement) return [];
    const nowIso = this.deps.now().toISOString();
    const timers: { awardId: string }[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.deps.doc.send(
        new QueryCommand({
          TableName: this.deps.config.tableName,
          KeyConditionExpression: 'pk = :pk AND sk > :now',
          ExpressionAttributeValues: { ':pk': keys.noticeDuePartition, ':now': nowIso },
          ExclusiveStartKey: start,
        }),
      );
      for (const i of out.Items ?? []) timers.push({ awardId: String(i.awardId) });
      start = out.LastEvaluatedKey;
    } while (start);
    if (!timers.length) return [];
    const awards = await this.repo.batchGet(timers.map((t) => keys.award(t.awardId)));
    const override = new Map([
      [year, { version: next.calendarVersion + (next.proposal ? 1 : 0), arrangement }],
    ]);
    const out: AffectedWindow[] = [];
    for (const a of awards) {
      if (a.status !== 'confirmed' || typeof a.noticeStartsAt !== 'string') continue;
      const used = (a.calendarVersions ?? {}) as Record<string, number>;
      const fromVersion = used[String(year)] ?? (spans(a, year) ? 1 : undefined);
      if (fromVersion === undefined) continue;
      const { value } = await this.source.run(
        (cal) =>
          awardWindows(
            cal,
            new Date(a.noticeStartsAt as string),
            Number(a.noticeWorkingDays),
            CHALLENGE_WORKING_DAYS,
          ),
        override,
      );
      if (value.noticeEndsAt === a.noticeEndsAt && value.challengeDeadline === a.challengeDeadline) continue;
      out.push({
        awardId: String(a.id),
        callId: String(a.callId),
        callTitle: String(a.callTitle),
        jurisdictionPath: String(a.jurisdictionPath),
        year,
        fromVersion,
        current: { noticeEndsAt: String(a.noticeEndsAt), challengeDeadline: String(a.challengeDeadline) },
        proposed: { noticeEndsAt: value.noticeEndsAt, challengeDeadline: value.challengeDeadline },
      });
    }
    return out;
  }
}

/** Whether an award's windows (from the notice's start to its close) reach into a year. */
function spans(a: Record<string, unknown>, year: number): boolean {
  const from = Number(beijingDate(new Date(String(a.noticeStartsAt))).slice(0, 4));
  const to = Number(beijingDate(new Date(String(a.closesAt ?? a.noticeStartsAt))).slice(0, 4));
  return from <= year && year <= to;
}

const sorted = <T>(o: Record<string, T>): Record<string, T> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
