/**
 * Reviewer pages: assignments with their worklists, and one submission to read, declare a
 * conflict on (回避), and score on the sheet (one input per indicator, live total by a small
 * inline script allowed by its hash). Access is the ReviewService's: a submission the reviewer
 * is not seated for — another member's, a recused one, before the deadline, not screened
 * eligible — is the same 404 page as a missing one.
 */
import type { Context } from 'hono';
import { DocumentStore } from '../../../shared/db/documents';
import { formatBeijing } from '../../../shared/domain/time';
import { NotFoundError, StaleVersionError } from '../../../shared/errors';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { ConflictInputSchema, type Sheet } from '../../../shared/reviews/model';
import { ReviewService, type ReviewView } from '../../../shared/reviews/service';
import { attachmentUrl } from '../../../shared/submissions/attachments';
import {
  domainErrors,
  emptyForm,
  FormReader,
  type FormState,
  type FormValues,
  type PageError,
  pathResolver,
  readForm,
  zodErrors,
} from '../forms';
import { pick, SHEET_STATUS } from '../i18n';
import {
  Badge,
  Csrf,
  ErrorSummary,
  FieldErrors,
  hasError,
  Layout,
  Notice,
  type PageCtx,
  pageCtx,
  render,
  TextArea,
} from '../layout';
import type { Reference } from '../reference';
import type { PageRoute } from '../routes';
import { SHEET_TOTAL_JS } from '../scripts';
import { AttachmentList, ContentView } from './submission-view';

const here = (id: string) => `/reviewer/submissions/${encodeURIComponent(id)}`;

const centiText = (centi: number) => (centi / 100).toFixed(2);

function sheetValues(sheet: Sheet | undefined): FormValues {
  if (!sheet) return {};
  const v: FormValues = { comment: sheet.comment, version: String(sheet.version) };
  for (const [id, n] of Object.entries(sheet.scores)) v[`score.${id}`] = String(n);
  for (const [id, t] of Object.entries(sheet.comments)) v[`cmt.${id}`] = t;
  return v;
}

/** The scoring sheet: the rubric with one number input per indicator, comments, save and submit. */
function SheetForm({ p, f, view }: { p: PageCtx; f: FormState; view: ReviewView }) {
  const locked = view.sheet?.status === 'submitted';
  const typed = view.rubric.groups
    .flatMap((g) => g.indicators)
    .reduce((t, i) => {
      const v = (f.values[`score.${i.id}`] ?? '').trim();
      return /^\d{1,3}(\.\d{1,2})?$/.test(v) && Number(v) <= i.maxPoints
        ? t + Math.round(Number(v) * 100)
        : t;
    }, 0);
  const maxCenti = view.rubric.groups
    .flatMap((g) => g.indicators)
    .reduce((t, i) => t + Math.round(i.maxPoints * 100), 0);
  return (
    <form method="post" action={`${here(view.submission.id)}/sheet`} id="sheet" class="stack" novalidate>
      <Csrf p={p} />
      <input type="hidden" name="version" value={f.values.version ?? ''} />
      <ErrorSummary p={p} f={f} />
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{p.l('一级指标', 'Group')}</th>
              <th>{p.l('二级指标与评分标准', 'Indicator and what earns the points')}</th>
              <th class="num">{p.l('分值', 'Max')}</th>
              <th class="mid">{p.l('得分', 'Points')}</th>
              <th>{p.l('评语（选填）', 'Comment (optional)')}</th>
            </tr>
          </thead>
          <tbody>
            {view.rubric.groups.map((g) =>
              g.indicators.map((i, k) => {
                const name = `score.${i.id}`;
                const bad = hasError(f, name);
                return (
                  <tr>
                    {k === 0 ? <th rowspan={g.indicators.length}>{g.name}</th> : null}
                    <td>
                      <strong>
                        {i.id} {i.name}
                      </strong>
                      <p class="hint">{i.criteria}</p>
                    </td>
                    <td class="num">{i.maxPoints}</td>
                    <td>
                      <input
                        id={`f-${name}`}
                        name={name}
                        type="text"
                        inputmode="decimal"
                        data-points={String(i.maxPoints)}
                        value={f.values[name] ?? ''}
                        disabled={locked}
                        class={bad ? 'invalid' : undefined}
                        aria-label={p.l(
                          `${i.name} 得分（0–${i.maxPoints}）`,
                          `${i.name} points (0–${i.maxPoints})`,
                        )}
                        aria-invalid={bad ? 'true' : undefined}
                      />
                      <FieldErrors p={p} f={f} name={name} />
                    </td>
                    <td>
                      <textarea
                        id={`f-cmt.${i.id}`}
                        name={`cmt.${i.id}`}
                        rows={2}
                        disabled={locked}
                        aria-label={p.l(`${i.name} 评语`, `${i.name} comment`)}
                      >
                        {f.values[`cmt.${i.id}`] ?? ''}
                      </textarea>
                    </td>
                  </tr>
                );
              }),
            )}
          </tbody>
          <tfoot>
            <tr>
              <th colspan={2}>{p.l('技术评分合计', 'Total of your scores')}</th>
              <td class="num">{centiText(maxCenti)}</td>
              <td class="num total">
                <output id="sheet-total" aria-live="polite">
                  {centiText(typed)}
                </output>
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
      {view.rubric.pricePoints > 0 ? (
        <p class="hint">
          {p.l(
            `价格分（${view.rubric.pricePoints} 分）由系统按评标基准价计算，评委不打分。`,
            `Price points (${view.rubric.pricePoints}) are computed from the benchmark price; members do not score them.`,
          )}
        </p>
      ) : null}
      {locked ? null : (
        <>
          <TextArea p={p} f={f} name="comment" rows={3} />
          <div class="actions">
            <button type="submit" name="action" value="save" class="secondary">
              {p.l('保存草稿', 'Save draft')}
            </button>
            <button type="submit" name="action" value="submit">
              {p.l('提交评分表', 'Submit the sheet')}
            </button>
            <span class="hint">
              {p.l(
                '提交后评分表锁定，如需修改须由项目官员退回。',
                'Once submitted the sheet is locked; only an officer can reopen it.',
              )}
            </span>
          </div>
        </>
      )}
      <script dangerouslySetInnerHTML={{ __html: SHEET_TOTAL_JS }} />
    </form>
  );
}

export function reviewerPages(page: PageRoute, deps: Deps, _ref: Reference): void {
  const service = new ReviewService(deps);
  const documents = new DocumentStore(deps.config);

  page('get', '/reviewer', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const list = await service.repo.assignments(me.userId, 50);
    const work = await Promise.all(
      list.items.map(async (a) => {
        try {
          return await service.worklist(a.callId, me);
        } catch (e) {
          if (e instanceof NotFoundError) return undefined;
          throw e;
        }
      }),
    );
    return render(
      c,
      <Layout p={p} title={p.l('评审任务', 'Review assignments')}>
        <Notice p={p} done={c.req.query('done')} />
        <p class="muted">
          {p.l(
            '请独立评分；与投标（申报）机构有利害关系的，须在评分前声明回避，由备选专家替补。',
            'Score independently; if you have a conflict of interest with a bidder, declare it before scoring and a reserve takes your place.',
          )}
        </p>
        {list.items.length ? (
          list.items.map((a, i) => {
            const items = work[i];
            return (
              <section class="card">
                <h2>{a.callTitle}</h2>
                <p class="muted">
                  {a.seat === 'member' ? p.l('评审委员', 'Panel member') : p.l('备选专家', 'Reserve')} ·{' '}
                  {p.l('抽取时间', 'drawn')} {formatBeijing(a.drawnAt)}
                </p>
                {items?.length ? (
                  <div class="table-wrap">
                    <table>
                      <thead>
                        <tr>
                          <th>{p.l('投标（申报）机构', 'Organization')}</th>
                          <th>{p.l('标包', 'Lot')}</th>
                          <th>{p.l('评分表', 'Sheet')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {items.map((w) => (
                          <tr>
                            <td>
                              <a href={here(w.submissionId)}>{w.orgName}</a>
                            </td>
                            <td>{w.lot ?? '—'}</td>
                            <td>
                              <Badge
                                kind={w.sheet === 'submitted' ? 'approved' : 'pending'}
                                text={pick(p.lang, SHEET_STATUS[w.sheet])}
                              />
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                ) : (
                  <p class="muted">
                    {a.seat === 'reserve'
                      ? p.l(
                          '您是备选专家：有委员回避时，其评审任务将出现在此。',
                          'You are a reserve: when a member recuses, their submissions appear here.',
                        )
                      : p.l('暂无待评审的材料。', 'Nothing to score yet.')}
                  </p>
                )}
              </section>
            );
          })
        ) : (
          <p class="card muted">
            {p.l('您尚未被抽取进入评审委员会。', 'You have not been drawn onto a panel yet.')}
          </p>
        )}
      </Layout>,
    );
  });

  const reviewPage = async (
    c: Context<ApiEnv>,
    view: ReviewView,
    f: FormState,
    conflict: FormState = emptyForm(),
    status: 200 | 409 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const s = view.submission;
    // The view already passed the seating check; the attachments are read from the same item.
    const [call, full] = await Promise.all([service.calls.get(s.callId), service.submissions.get(s.id)]);
    const locked = view.sheet?.status === 'submitted';
    return render(
      c,
      <Layout p={p} title={s.orgName}>
        <Notice p={p} done={c.req.query('done')} />
        <section class="card">
          <dl class="facts">
            <dt>{p.l('项目', 'Call')}</dt>
            <dd>{call?.title ?? s.callId}</dd>
            <dt>{p.l('投标（申报）机构', 'Organization')}</dt>
            <dd>{s.orgName}</dd>
            {s.submittedAt ? (
              <>
                <dt>{p.l('递交时间', 'Submitted')}</dt>
                <dd>{formatBeijing(s.submittedAt)}</dd>
              </>
            ) : null}
            <dt>{p.l('我的评分表', 'My sheet')}</dt>
            <dd>
              <Badge
                kind={locked ? 'approved' : 'pending'}
                text={pick(p.lang, SHEET_STATUS[view.sheet?.status ?? 'none'])}
              />
            </dd>
          </dl>
          <p class="actions">
            <a href="/reviewer">{p.l('返回评审任务', 'Back to my assignments')}</a>
          </p>
        </section>
        <h2>{p.l('投标（申报）内容', 'The submission')}</h2>
        <section class="card">
          <ContentView p={p} content={s.content} />
        </section>
        <h2 id="attachments">{p.l('附件', 'Attachments')}</h2>
        <section class="card">
          <AttachmentList
            p={p}
            attachments={full?.attachments ?? []}
            href={(a) => `${here(s.id)}/attachments/${encodeURIComponent(a)}`}
          />
        </section>
        {locked ? null : (
          <details class="card" open={conflict.errors.length > 0}>
            <summary>{p.l('声明回避', 'Declare a conflict of interest')}</summary>
            <form method="post" action={`${here(s.id)}/conflict`} class="stack" novalidate>
              <Csrf p={p} />
              <ErrorSummary p={p} f={conflict} />
              <p class="hint">
                {p.l(
                  '与该机构存在任职、顾问、亲属等利害关系的，应当回避。声明后您将不再评审本材料，由备选专家替补。',
                  'Declare any employment, advisory, family or other tie with this organization. You will no longer review it and a reserve takes your place.',
                )}
              </p>
              <TextArea
                p={p}
                f={conflict}
                name="reason"
                label={p.l('回避理由', 'Reason')}
                rows={2}
                required
              />
              <button type="submit" class="danger">
                {p.l('声明回避', 'Declare the conflict')}
              </button>
            </form>
          </details>
        )}
        <h2 id="scores">{p.l('评分表', 'Score sheet')}</h2>
        <SheetForm p={p} f={f} view={view} />
        {view.panel ? (
          <section class="card">
            <h3>{p.l('评审委员会汇总（不显示姓名）', 'Panel totals (without names)')}</h3>
            <p>
              {p.l(
                `已提交 ${view.panel.sheetsSubmitted} 份：${view.panel.totals.join('、')}`,
                `${view.panel.sheetsSubmitted} sheets submitted: ${view.panel.totals.join(', ')}`,
              )}
            </p>
          </section>
        ) : null}
      </Layout>,
      status,
    );
  };

  page('get', '/reviewer/submissions/:id', async (c) => {
    const view = await service.view(c.req.param('id') ?? '', principalOf(c));
    return reviewPage(c, view, emptyForm(sheetValues(view.sheet)));
  });

  // Only a reviewer seated for the submission (not recused, after the deadline, screened eligible):
  // the check GET /reviews/:submissionId makes. Anything else, or an unknown attachment, is the 404 page.
  page('get', '/reviewer/submissions/:id/attachments/:attachmentId', async (c) => {
    const { sub } = await service.seatedContext(c.req.param('id') ?? '', principalOf(c));
    const { url } = await attachmentUrl(documents, deps.now(), sub, c.req.param('attachmentId') ?? '');
    return c.redirect(url, 302);
  });

  page('post', '/reviewer/submissions/:id/conflict', async (c) => {
    const me = principalOf(c);
    const id = c.req.param('id') ?? '';
    const values = await readForm(c);
    const resolve = pathResolver({ reason: 'reason' });
    let errors: PageError[] = [];
    const parsed = ConflictInputSchema.safeParse({ reason: (values.reason ?? '').trim() });
    if (!parsed.success) errors = zodErrors(parsed.error, resolve);
    else {
      try {
        await service.declareConflict(id, me, parsed.data.reason);
        return c.redirect('/reviewer?done=recused', 303);
      } catch (e) {
        errors = domainErrors(e, resolve);
      }
    }
    const view = await service.view(id, me);
    return reviewPage(c, view, emptyForm(sheetValues(view.sheet)), { values, errors }, 422);
  });

  page('post', '/reviewer/submissions/:id/sheet', async (c) => {
    const me = principalOf(c);
    const id = c.req.param('id') ?? '';
    const values = await readForm(c);
    const view = await service.view(id, me);
    const r = new FormReader(values);
    const scores: Record<string, number> = {};
    const comments: Record<string, string> = {};
    const map: Record<string, string> = { comment: 'comment' };
    for (const i of view.rubric.groups.flatMap((g) => g.indicators)) {
      map[`scores.${i.id}`] = `score.${i.id}`;
      map[`comments.${i.id}`] = `cmt.${i.id}`;
      if (r.text(`score.${i.id}`) !== '') {
        const n = r.points(`score.${i.id}`);
        if (n !== undefined) scores[i.id] = n;
      }
      const t = r.text(`cmt.${i.id}`);
      if (t) comments[i.id] = t;
    }
    const base = pathResolver(map);
    const resolve = (path: string) => base(path.replace(/^sheet\./, ''));
    const again = (errors: PageError[], status: 409 | 422 = 422) =>
      reviewPage(
        c,
        view,
        { values: { ...values, version: String(view.sheet?.version ?? '') }, errors },
        undefined,
        status,
      );
    if (r.errors.length) return again(r.errors);
    try {
      const version = values.version ? Number(values.version) : undefined;
      const saved = await service.saveDraft(id, me, {
        ...(version ? { version } : {}),
        scores,
        comments,
        comment: r.text('comment'),
      });
      if (values.action === 'submit') await service.submit(id, me, saved.version);
    } catch (e) {
      const fresh = await service.view(id, me);
      return reviewPage(
        c,
        fresh,
        {
          values: { ...values, version: String(fresh.sheet?.version ?? '') },
          errors: domainErrors(e, resolve),
        },
        undefined,
        e instanceof StaleVersionError ? 409 : 422,
      );
    }
    return c.redirect(
      `${here(id)}?done=${values.action === 'submit' ? 'sheet-submitted' : 'sheet-saved'}#scores`,
      303,
    );
  });
}
