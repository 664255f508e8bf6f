/**
 * Administrator pages: the working-day calendar (节假日安排). A year is shown as its statutory
 * draft, its pending proposal or its confirmed arrangement; the administrator corrects the days to
 * the State Council notice and submits; a second administrator confirms or sends it back. The
 * forms work without script: days are typed one per line (`2027-02-05 春节`).
 */
import type { Context } from 'hono';
import {
  type Arrangement,
  datesOf,
  FESTIVAL_NAMES,
  FESTIVALS,
  type Festival,
  isWorkingDayIn,
  weekday,
} from '../../../shared/calendar/arrangement';
import { statutoryDraftOf } from '../../../shared/calendar/draft';
import type { CalendarYear } from '../../../shared/calendar/model';
import { CalendarService } from '../../../shared/calendar/service';
import { beijingDate } from '../../../shared/calendar/working-calendar';
import { formatBeijing } from '../../../shared/domain/time';
import { NotFoundError } from '../../../shared/errors';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { domainErrors, emptyForm, type FormState, type PageError, pathResolver, readForm } from '../forms';
import {
  Badge,
  Csrf,
  ErrorSummary,
  Input,
  Layout,
  Notice,
  type PageCtx,
  pageCtx,
  render,
  TextArea,
} from '../layout';
import type { PageRoute } from '../routes';

const resolve = pathResolver({
  holidays: 'holidays',
  workdays: 'workdays',
  'notice.title': 'noticeTitle',
  'notice.number': 'noticeNumber',
  'notice.date': 'noticeDate',
  reason: 'correctionReason',
  version: '',
});

const festivalName = (p: PageCtx, f: Festival) => p.l(FESTIVAL_NAMES[f].zh, FESTIVAL_NAMES[f].en);

/** `2027-02-05 春节` per line, in date order. */
const daysText = (days: Record<string, Festival>) =>
  Object.entries(days)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([d, f]) => `${d} ${FESTIVAL_NAMES[f].zh}`)
    .join('\n');

const FESTIVAL_BY_NAME = new Map<string, Festival>(
  FESTIVALS.flatMap((f) => [
    [f.toLowerCase(), f],
    [FESTIVAL_NAMES[f].zh, f],
    [FESTIVAL_NAMES[f].en.toLowerCase(), f],
    [FESTIVAL_NAMES[f].zh.replace(/节$/, ''), f],
  ]),
);

/** Reads the day lines of a textarea; each unreadable line becomes an error on that field. */
export function parseDays(text: string, field: string, errors: PageError[]): Record<string, Festival> {
  const out: Record<string, Festival> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\d{4}-\d{2}-\d{2})\s+(.+)$/.exec(line);
    const festival = m ? FESTIVAL_BY_NAME.get(m[2]!.trim().toLowerCase()) : undefined;
    if (!m || !festival) {
      errors.push({
        name: field,
        zh: `第 ${i + 1} 行“${line}”无法识别：请写“日期 节日”，如“2027-02-05 春节”`,
        en: `Line ${i + 1} “${line}” is not “date festival”, e.g. “2027-02-05 Spring Festival”.`,
      });
      continue;
    }
    out[m[1]!] = festival;
  }
  return out;
}

function statusOf(p: PageCtx, r: CalendarYear | undefined) {
  if (!r) return <Badge kind="draft" text={p.l('未发布', 'Not published')} />;
  return (
    <>
      {r.arrangement ? (
        <Badge
          kind="approved"
          text={p.l(`已确认 第${r.calendarVersion}版`, `Confirmed v${r.calendarVersion}`)}
        />
      ) : (
        <Badge kind="draft" text={p.l('未发布', 'Not published')} />
      )}{' '}
      {r.proposal ? <Badge kind="pending" text={p.l('待确认', 'Awaiting confirmation')} /> : null}
      {r.demo ? <Badge kind="rejected" text={p.l('演示数据', 'Demo data')} /> : null}
    </>
  );
}

/** The year as twelve small month grids: days off, swapped working days, ordinary days. */
function YearGrid({ p, a }: { p: PageCtx; a: Arrangement }) {
  const dates = datesOf(a.year);
  const months = Array.from({ length: 12 }, (_, m) => dates.filter((d) => Number(d.slice(5, 7)) === m + 1));
  const heads =
    p.lang === 'zh' ? ['一', '二', '三', '四', '五', '六', '日'] : ['M', 'T', 'W', 'T', 'F', 'S', 'S'];
  return (
    <div class="cal-grid">
      {months.map((days, m) => {
        const lead = (weekday(days[0]!) + 6) % 7;
        return (
          <table class="cal-month">
            <caption>
              {p.l(`${m + 1}月`, new Date(Date.UTC(a.year, m, 1)).toLocaleString('en', { month: 'short' }))}
            </caption>
            <thead>
              <tr>
                {heads.map((h) => (
                  <th>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: Math.ceil((lead + days.length) / 7) }, (_, w) => (
                <tr>
                  {Array.from({ length: 7 }, (_, i) => {
                    const d = days[w * 7 + i - lead];
                    if (!d) return <td />;
                    const kind = a.workdays[d]
                      ? 'work'
                      : a.holidays[d]
                        ? 'off'
                        : isWorkingDayIn(a, d)
                          ? ''
                          : 'weekend';
                    const title = a.workdays[d] ?? a.holidays[d];
                    return (
                      <td class={kind} title={title ? festivalName(p, title) : undefined}>
                        {Number(d.slice(8))}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
      <p class="hint">
        <span class="off legend">{p.l('放假', 'Day off')}</span>{' '}
        <span class="work legend">{p.l('调休上班', 'Swapped working day')}</span>
      </p>
    </div>
  );
}

export function calendarPages(page: PageRoute, deps: Deps): void {
  const calendars = new CalendarService(deps);

  page('get', '/system/calendar', async (c) => {
    const p = pageCtx(c);
    const list = await calendars.repo.list(100, c.req.query('cursor') || undefined);
    const years = [...list.items].reverse();
    const next = Number(beijingDate(deps.now()).slice(0, 4)) + 1;
    const nextYear = list.items.find((y) => y.year === next);
    return render(
      c,
      <Layout p={p} title={p.l('节假日安排（工作日历）', 'Working calendar')}>
        <Notice p={p} done={c.req.query('done')} />
        {!nextYear?.arrangement ? (
          <p class="notice warn" role="alert">
            {p.l(
              `${next} 年节假日安排尚未发布：公示期、质疑期等涉及 ${next} 年的期限无法计算。`,
              `The ${next} arrangement is not published: no window reaching into ${next} can be computed.`,
            )}{' '}
            <a href={`/system/calendar/${next}`}>{p.l(`发布 ${next} 年安排`, `Publish ${next}`)}</a>
          </p>
        ) : null}
        <form method="get" action={`/system/calendar/${next}`} class="inline">
          <a class="button" href={`/system/calendar/${next}`}>
            {p.l(`${next} 年`, `${next}`)}
          </a>
        </form>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{p.l('年份', 'Year')}</th>
                <th>{p.l('状态', 'Status')}</th>
                <th>{p.l('依据通知', 'Notice')}</th>
                <th>{p.l('确认时间', 'Confirmed')}</th>
              </tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr>
                  <td>
                    <a href={`/system/calendar/${y.year}`}>{y.year}</a>
                  </td>
                  <td>{statusOf(p, y)}</td>
                  <td>
                    {y.arrangement?.notice.title ?? ''} {y.arrangement?.notice.number ?? ''}
                  </td>
                  <td>{y.confirmedAt ? formatBeijing(y.confirmedAt) : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    );
  });

  const yearOf = (c: Context<ApiEnv>) => {
    const year = Number(c.req.param('year'));
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new NotFoundError('calendar year');
    return year;
  };

  const yearPage = async (
    c: Context<ApiEnv>,
    year: number,
    form?: FormState,
    status: 200 | 409 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const read = await calendars.repo.getAsRead(year);
    const r = read?.record;
    const [versions, affected] = await Promise.all([
      r ? calendarsVersions(year) : Promise.resolve([]),
      r?.proposal && r.arrangement ? calendars.affectedWindows(year, r) : Promise.resolve([]),
    ]);
    const shown = r?.proposal?.arrangement ?? r?.arrangement ?? (await statutoryDraftOf(year));
    const f =
      form ??
      emptyForm({
        noticeTitle: shown.notice.title,
        noticeNumber: shown.notice.number ?? '',
        noticeDate: shown.notice.date ?? '',
        holidays: daysText(shown.holidays),
        workdays: daysText(shown.workdays),
        correctionReason: r?.proposal?.reason ?? '',
      });
    const source = r?.proposal
      ? p.l('待确认的提交', 'the submitted proposal')
      : r?.arrangement
        ? p.l(`已确认的第 ${r.calendarVersion} 版`, `confirmed version ${r.calendarVersion}`)
        : p.l(
            '依法定节假日规则生成的草稿（不含调休，不计算工作日）',
            'a draft from the statutory rules (no swapped days; it counts no working days)',
          );
    return render(
      c,
      <Layout p={p} title={p.l(`${year} 年节假日安排`, `Holiday arrangement ${year}`)}>
        <Notice p={p} done={c.req.query('done')} />
        <p>
          {statusOf(p, r)} · {p.l('下方显示：', 'Shown below: ')}
          {source}
        </p>
        {r?.rejection && !r.proposal ? (
          <p class="notice warn">
            {p.l(
              `上次提交已被 ${r.rejection.byName} 退回：${r.rejection.reason}`,
              `The last proposal was sent back by ${r.rejection.byName}: ${r.rejection.reason}`,
            )}
          </p>
        ) : null}
        {r?.proposal ? (
          <section class="card" aria-labelledby="pending">
            <h2 id="pending">{p.l('待确认', 'Awaiting confirmation')}</h2>
            <p>
              {p.l(
                `${r.proposal.submittedByName} 于 ${formatBeijing(r.proposal.submittedAt)} 提交。`,
                `Submitted by ${r.proposal.submittedByName} on ${formatBeijing(r.proposal.submittedAt)}.`,
              )}
              {r.proposal.reason ? ` ${p.l('理由：', 'Reason: ')}${r.proposal.reason}` : ''}
            </p>
            {affected.length ? (
              <>
                <p>
                  {p.l(
                    '确认后将改变以下未结束的期限（由各项目的工作人员决定是否采用）：',
                    'Confirming it would move these open windows (each officer decides):',
                  )}
                </p>
                <ul>
                  {affected.map((a) => (
                    <li>
                      {a.callTitle}：{p.l('公示期', 'notice')} {formatBeijing(a.current.noticeEndsAt)} →{' '}
                      {formatBeijing(a.proposed.noticeEndsAt)}；{p.l('质疑期', 'challenges')}{' '}
                      {formatBeijing(a.current.challengeDeadline)} →{' '}
                      {formatBeijing(a.proposed.challengeDeadline)}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {r.proposal.submittedBy === me.userId ? (
              <p class="muted">
                {p.l(
                  '您提交的安排须由另一名系统管理员确认。',
                  'Another administrator must confirm what you submitted.',
                )}
              </p>
            ) : (
              <form method="post" action={`/system/calendar/${year}/confirm`} class="inline">
                <Csrf p={p} />
                <input type="hidden" name="version" value={String(r.version)} />
                <button type="submit">{p.l('确认生效', 'Confirm')}</button>
              </form>
            )}
            <form method="post" action={`/system/calendar/${year}/reject`} class="stack">
              <Csrf p={p} />
              <input type="hidden" name="version" value={String(r.version)} />
              <Input
                p={p}
                f={emptyForm()}
                name="rejectReason"
                label={p.l('退回理由', 'Reason for sending it back')}
                required
                maxlength={500}
              />
              <button type="submit" class="secondary">
                {p.l('退回', 'Send back')}
              </button>
            </form>
          </section>
        ) : null}
        <YearGrid p={p} a={shown} />
        <h2 id="edit">
          {r?.arrangement
            ? p.l('提交更正', 'Submit a correction')
            : p.l('依通知修改并提交', 'Correct to the notice and submit')}
        </h2>
        <form method="post" action={`/system/calendar/${year}/proposal`} class="stack" novalidate>
          <Csrf p={p} />
          <input type="hidden" name="version" value={r ? String(r.version) : ''} />
          <ErrorSummary p={p} f={f} />
          <div class="grid">
            <Input p={p} f={f} name="noticeTitle" required maxlength={200} />
            <Input
              p={p}
              f={f}
              name="noticeNumber"
              required
              maxlength={60}
              hint={p.l('如：国办发明电〔2026〕X号', 'e.g. 国办发明电〔2026〕X号')}
            />
            <Input p={p} f={f} name="noticeDate" required hint="YYYY-MM-DD" />
          </div>
          <TextArea
            p={p}
            f={f}
            name="holidays"
            rows={14}
            hint={p.l(
              '含与节日连休的周末和调休放假日',
              'Include the weekends and swapped days joined to each break',
            )}
          />
          <TextArea
            p={p}
            f={f}
            name="workdays"
            rows={5}
            hint={p.l('只能是周六或周日', 'Saturdays or Sundays only')}
          />
          {r?.arrangement ? <TextArea p={p} f={f} name="correctionReason" rows={2} /> : null}
          <div class="actions">
            <button type="submit">
              {p.l('提交，等待另一名管理员确认', 'Submit for a second administrator to confirm')}
            </button>
          </div>
        </form>
        {versions.length ? (
          <>
            <h2>{p.l('历次确认版本', 'Confirmed versions')}</h2>
            <ul>
              {versions.map((v) => (
                <li>
                  {p.l(`第 ${v.calendarVersion} 版`, `Version ${v.calendarVersion}`)} ·{' '}
                  {formatBeijing(v.confirmedAt)} ·{' '}
                  {v.origin === 'imported'
                    ? p.l('系统初始导入', 'imported at set-up')
                    : (v.arrangement.notice.number ?? '')}
                  {v.demo ? ` · ${p.l('演示数据', 'demo data')}` : ''}
                  {v.reason ? ` · ${v.reason}` : ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </Layout>,
      status,
    );
  };
  const calendarsVersions = (year: number) => calendars.repo.versions(year);

  page('get', '/system/calendar/:year', (c) => yearPage(c, yearOf(c)));

  page('post', '/system/calendar/:year/proposal', async (c) => {
    const year = yearOf(c);
    const v = await readForm(c);
    const errors: PageError[] = [];
    const holidays = parseDays(v.holidays ?? '', 'holidays', errors);
    const workdays = parseDays(v.workdays ?? '', 'workdays', errors);
    if (errors.length) return yearPage(c, year, { values: v, errors }, 422);
    const version = v.version ? Number(v.version) : undefined;
    try {
      await calendars.propose(principalOf(c), year, {
        ...(version ? { version } : {}),
        holidays,
        workdays,
        notice: {
          title: (v.noticeTitle ?? '').trim(),
          ...(v.noticeNumber?.trim() ? { number: v.noticeNumber.trim() } : {}),
          ...(v.noticeDate?.trim() ? { date: v.noticeDate.trim() } : {}),
        },
        ...(v.correctionReason?.trim() ? { reason: v.correctionReason.trim() } : {}),
      });
    } catch (e) {
      const errs = domainErrors(e, resolve);
      return yearPage(c, year, { values: v, errors: errs }, errs.some((x) => x.name) ? 422 : 409);
    }
    return c.redirect(`/system/calendar/${year}?done=calendar-proposed`, 303);
  });

  page('post', '/system/calendar/:year/confirm', async (c) => {
    const year = yearOf(c);
    const v = await readForm(c);
    try {
      await calendars.confirm(principalOf(c), year, Number(v.version));
    } catch (e) {
      return yearPage(c, year, { values: {}, errors: domainErrors(e, resolve) }, 409);
    }
    return c.redirect(`/system/calendar/${year}?done=calendar-confirmed`, 303);
  });

  page('post', '/system/calendar/:year/reject', async (c) => {
    const year = yearOf(c);
    const v = await readForm(c);
    const reason = (v.rejectReason ?? '').trim();
    if (!reason)
      return yearPage(
        c,
        year,
        {
          values: {},
          errors: [{ name: '', zh: '请填写退回理由', en: 'Give a reason for sending it back.' }],
        },
        422,
      );
    try {
      await calendars.reject(principalOf(c), year, Number(v.version), reason);
    } catch (e) {
      return yearPage(c, year, { values: {}, errors: domainErrors(e, resolve) }, 409);
    }
    return c.redirect(`/system/calendar/${year}?done=calendar-rejected`, 303);
  });
}
