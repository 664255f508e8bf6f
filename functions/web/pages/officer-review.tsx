/**
 * The officer's review page of a call, after its deadline: screening (资格审查), the panel draw
 * (随机抽取, seed on record), every score sheet with its outlier flag and, for a submitted one, a
 * form to reopen it (the reason on record), the ranking, the award proposal and its confirmation
 * by a second officer, and the challenges (质疑) with answer forms.
 * Before the deadline the page says only that the submissions are sealed: not how many there are.
 *
 * Every action calls the service the JSON API calls (SubmissionService.screen, ReviewService.draw
 * / reopen, AwardService.propose / confirm / answer), so the rules (two officers, sealing, money)
 * hold the same whichever door is used.
 */

import type { Context } from 'hono';
import {
  AnswerInputSchema,
  type Award,
  awardView,
  type Challenge,
  challengeOverdue,
} from '../../../shared/awards/model';
import { reviewsRanking } from '../../../shared/awards/reviews-ranking';
import { AwardService } from '../../../shared/awards/service';
import { decideWindows } from '../../../shared/awards/windows-decision';
import { type Call, effectiveStatus } from '../../../shared/calls/model';
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import { NotFoundError, ProblemError, RuleViolationError } from '../../../shared/errors';
import { authorizeObject, inScope, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { DrawInputSchema, ReopenInputSchema } from '../../../shared/reviews/input';
import type { Panel, RankingRow, Sheet } from '../../../shared/reviews/model';
import { ReviewService } from '../../../shared/reviews/service';
import type { AwardSelection } from '../../../shared/scoring/model';
import {
  ExplanationDecisionSchema,
  ScreeningInputSchema,
  type Submission,
} from '../../../shared/submissions/model';
import { SubmissionService, unsealed } from '../../../shared/submissions/service';
import { UserRepository } from '../../../shared/users/repository';
import { domainErrors, type FormValues, type PageError, pathResolver, readForm, zodErrors } from '../forms';
import { AWARD_STATUS, pick } from '../i18n';
import { Badge, Csrf, ErrorSummary, Layout, Notice, type PageCtx, pageCtx, render } from '../layout';
import type { Reference } from '../reference';
import type { PageRoute } from '../routes';
import { CallFacts } from './call-view';
import { AttachmentList, submissionBadge } from './submission-view';

const reviewPath = (callId: string) => `/officer/calls/${encodeURIComponent(callId)}/review`;

/** The officer's download route of one attachment: a 302 to a presigned GET, after the deadline. */
const attachmentPath = (submissionId: string) => (attachmentId: string) =>
  `/officer/submissions/${encodeURIComponent(submissionId)}/attachments/${encodeURIComponent(attachmentId)}`;

/** An error shown in one section of the page (`screen-<id>`, `panel`, `awards`, `award-<id>`, ...). */
interface SectionErrors {
  section: string;
  errors: PageError[];
  values?: FormValues;
}

const Errors = ({ p, at, s }: { p: PageCtx; at: string; s?: SectionErrors }) =>
  s?.section === at ? <ErrorSummary p={p} f={{ values: s.values ?? {}, errors: s.errors }} /> : null;

const priceOf = (s: Pick<Submission, 'content'>) =>
  s.content.kind === 'bid' ? s.content.priceFen : s.content.requestedFen;

const LOT_REASON: Record<string, [string, string]> = {
  tie: ['并列第一，须由采购人按招标文件记录决定', 'tied first: the purchaser must record a decision'],
  'explanation-pending': [
    '第一名为异常低价，须先审查其书面说明',
    'the first is abnormally low: decide its written explanation first',
  ],
  'insufficient-funds': ['资金池可用余额不足', 'not enough available in the pool'],
  'no-eligible-bid': ['没有有效投标', 'no eligible bid'],
  'below-minimum': ['低于最低立项分数', 'below the minimum score'],
  'awaiting-decision': ['待前序决定', 'waiting for an earlier decision'],
};

/** Why a proposal found nothing new to propose, lot by lot, in words. */
function selectionErrors(selection: AwardSelection, names: Map<string, string>): PageError[] {
  const out: PageError[] = [];
  if (selection.kind === 'purchase') {
    for (const l of selection.lots) {
      if (l.status === 'awarded') continue;
      const [zh, en] = LOT_REASON[l.reason] ?? [l.reason, l.reason];
      const who = l.status === 'pending' ? l.submissionIds.map((id) => names.get(id) ?? id) : [];
      out.push({
        name: '',
        zh: `标包 ${l.lot ?? '—'}：${zh}${who.length ? `（${who.join('、')}）` : ''}`,
        en: `Lot ${l.lot ?? '—'}: ${en}${who.length ? ` (${who.join(', ')})` : ''}`,
      });
    }
  } else {
    for (const d of selection.decisions) {
      if (d.status === 'funded') continue;
      const [zh, en] = LOT_REASON[d.reason] ?? [d.reason, d.reason];
      const who = names.get(d.submissionId) ?? d.submissionId;
      out.push({ name: '', zh: `${who}：${zh}`, en: `${who}: ${en}` });
    }
  }
  return out;
}

export function officerReviewPages(page: PageRoute, deps: Deps, ref: Reference): void {
  const subs = new SubmissionService(deps);
  const reviews = new ReviewService(deps);
  const awardService = new AwardService(deps, { ranking: reviewsRanking(deps) });
  const awards = awardService.awards;
  const users = new UserRepository(deps.doc, deps.config.tableName);

  const loadCall = async (c: Context<ApiEnv>) =>
    authorizeObject(c, await subs.calls.get(c.req.param('id') ?? ''), 'call');

  /** A submitted submission of the officer's jurisdiction whose call is unsealed; else 404. */
  const unsealedSubmission = async (c: Context<ApiEnv>) => {
    const s = await subs.repo.get(c.req.param('id') ?? '');
    if (s?.status !== 'submitted' || !inScope(principalOf(c), c.get('scope'), s))
      throw new NotFoundError('submission');
    const call = await subs.calls.get(s.callId);
    if (!call || !unsealed(call, deps.now())) throw new NotFoundError('submission');
    return { s, call };
  };

  const namesOf = async (ids: (string | undefined)[]) => {
    const unique = [...new Set(ids.filter((x): x is string => !!x))];
    const found = await Promise.all(unique.map((id) => users.byId(id)));
    return new Map(found.flatMap((u) => (u ? [[u.id, u.name] as [string, string]] : [])));
  };

  const reviewPage = async (c: Context<ApiEnv>, call: Call, s?: SectionErrors, status = 200) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const now = deps.now();
    const st = effectiveStatus(call, now);
    const jur = await ref.get(call.jurisdictionId);
    const code = (status === 200 ? 200 : status === 403 ? 403 : status === 409 ? 409 : 422) as
      | 200
      | 403
      | 409
      | 422;
    if (st !== 'closed') {
      // Sealed: the same page whether or not anything was submitted.
      return render(
        c,
        <Layout p={p} title={p.l(`评审：${call.title}`, `Review: ${call.title}`)}>
          <section class="card">
            <CallFacts p={p} call={call} status={st} jurisdiction={jur} />
          </section>
          <Errors p={p} at="sealed" s={s} />
          <p class="card">
            {p.l(
              `投标（申报）材料密封至递交截止时间 ${formatBeijing(call.periods.deadline)}（北京时间）。截止后方可查看材料、进行资格审查和抽取评审委员会。`,
              `Submissions are sealed until the deadline, ${formatBeijing(call.periods.deadline)} (Beijing time). Reading them, screening and the panel draw come after it.`,
            )}
          </p>
          <p class="actions">
            <a href={`/officer/calls/${encodeURIComponent(call.id)}`}>
              {p.l('返回项目', 'Back to the call')}
            </a>
          </p>
        </Layout>,
        code,
      );
    }

    const [submitted, panel, sheets, ranking, callAwards] = await Promise.all([
      subs.repo.listSubmittedForCall(call.id),
      reviews.repo.panel(call.id),
      reviews.sheetsPage(call.id, 500),
      reviews.rankingPage(call.id, 500),
      awards.ofCall(call.id),
    ]);
    const list = submitted.filter((x) => x.status === 'submitted');
    const orgOf = new Map(list.map((x) => [x.id, x.orgName]));
    const challenges = new Map<string, Challenge[]>(
      await Promise.all(
        callAwards.map(async (a) => [a.id, await awards.challengesOf(a.id)] as [string, Challenge[]]),
      ),
    );
    const names = await namesOf([
      ...list.map((x) => x.eligibility?.by),
      ...callAwards.flatMap((a) => [a.proposedBy, a.confirmedBy]),
      ...sheets.items.flatMap((x) => x.reopenings.map((r) => r.by)),
      panel?.drawnBy,
    ]);
    // Once an award stands, the screening it was ranked on is no longer changed from this page.
    const awarded = callAwards.some((a) => a.status !== 'cancelled');
    const eligibleCount = list.filter((x) => x.eligibility?.eligible).length;
    const unscreened = list.filter((x) => !x.eligibility).length;

    return render(
      c,
      <Layout p={p} title={p.l(`评审：${call.title}`, `Review: ${call.title}`)}>
        <Notice p={p} done={c.req.query('done')} />
        <section class="card">
          <CallFacts p={p} call={call} status={st} jurisdiction={jur} />
          <p class="actions">
            <a href={`/officer/calls/${encodeURIComponent(call.id)}`}>{p.l('项目详情', 'The call')}</a>
          </p>
        </section>

        <h2 id="screening">{p.l('一、资格审查', '1. Eligibility screening')}</h2>
        <p class="muted">
          {p.l(
            `共 ${list.length} 份，符合资格 ${eligibleCount} 份，待审查 ${unscreened} 份。只有符合资格的材料参加评分，并参与确定评标基准价。`,
            `${list.length} submitted, ${eligibleCount} eligible, ${unscreened} not yet screened. Only eligible ones are scored and set the benchmark price.`,
          )}
        </p>
        {list.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{p.l('机构', 'Organization')}</th>
                  <th>{p.l('标包', 'Lot')}</th>
                  <th class="num">{p.l('报价 / 申请金额', 'Price / request')}</th>
                  <th>{p.l('递交回执', 'Receipt')}</th>
                  <th class="wide">{p.l('资格审查', 'Screening')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((x) => {
                  const last = x.receipts[x.receipts.length - 1];
                  return (
                    <tr id={`s-${x.id}`}>
                      <td>
                        {x.orgName} {submissionBadge(p, x.status)}
                        {x.attachments.length ? (
                          <details class="small">
                            <summary>
                              {p.l(
                                `附件（${x.attachments.length}）`,
                                `Attachments (${x.attachments.length})`,
                              )}
                            </summary>
                            <AttachmentList p={p} attachments={x.attachments} href={attachmentPath(x.id)} />
                          </details>
                        ) : null}
                      </td>
                      <td>{x.lot ?? '—'}</td>
                      <td class="num">{formatYuan(priceOf(x))}</td>
                      <td class="small">
                        {last ? (
                          <>
                            {p.l(`第 ${last.version} 版`, `v${last.version}`)} ·{' '}
                            {formatBeijing(last.receivedAt)}
                            <br />
                            <code>{last.sha256.slice(0, 16)}…</code>
                          </>
                        ) : null}
                      </td>
                      <td>
                        {x.eligibility ? (
                          <p>
                            <Badge
                              kind={x.eligibility.eligible ? 'approved' : 'rejected'}
                              text={
                                x.eligibility.eligible
                                  ? p.l('符合资格', 'Eligible')
                                  : p.l('不符合资格', 'Not eligible')
                              }
                            />{' '}
                            <span class="small muted">
                              {names.get(x.eligibility.by) ?? ''} · {formatBeijing(x.eligibility.at)}
                            </span>
                            {x.eligibility.reasons.length ? <br /> : null}
                            {x.eligibility.reasons.join(p.l('；', '; '))}
                          </p>
                        ) : null}
                        <Errors p={p} at={`screen-${x.id}`} s={s} />
                        {awarded ? null : (
                          <form
                            method="post"
                            action={`/officer/submissions/${encodeURIComponent(x.id)}/screening`}
                            class="decide"
                            aria-label={p.l(`${x.orgName} 资格审查`, `Screening of ${x.orgName}`)}
                          >
                            <Csrf p={p} />
                            <input type="hidden" name="version" value={String(x.version)} />
                            <span class="label">{p.l('结论', 'Decision')}</span>
                            <span>
                              <label>
                                <input
                                  type="radio"
                                  name="decision"
                                  value="eligible"
                                  checked={x.eligibility?.eligible !== false}
                                />{' '}
                                {p.l('符合资格', 'Eligible')}
                              </label>{' '}
                              <label>
                                <input
                                  type="radio"
                                  name="decision"
                                  value="ineligible"
                                  checked={x.eligibility?.eligible === false}
                                />{' '}
                                {p.l('不符合资格', 'Not eligible')}
                              </label>
                            </span>
                            <label for={`f-reasons-${x.id}`}>
                              {p.l('理由（每行一条）', 'Reasons (one a line)')}
                            </label>
                            <textarea id={`f-reasons-${x.id}`} name="reasons" rows={2}>
                              {s?.section === `screen-${x.id}` ? (s.values?.reasons ?? '') : ''}
                            </textarea>
                            <span />
                            <span>
                              <button type="submit" class="secondary">
                                {x.eligibility ? p.l('更改结论', 'Change') : p.l('保存结论', 'Record')}
                              </button>
                            </span>
                          </form>
                        )}
                        {x.explanation ? (
                          <div class="card small">
                            <strong>{p.l('异常低价书面说明', 'Low-price explanation')}</strong>
                            <p>{x.explanation.text}</p>
                            {x.explanation.decision ? (
                              <p class="muted">
                                {x.explanation.decision === 'accepted'
                                  ? p.l('已采纳', 'Accepted')
                                  : p.l('未采纳', 'Rejected')}
                              </p>
                            ) : (
                              <form
                                method="post"
                                action={`/officer/submissions/${encodeURIComponent(x.id)}/explanation`}
                                class="actions"
                              >
                                <Csrf p={p} />
                                <input type="hidden" name="version" value={String(x.version)} />
                                <button type="submit" name="decision" value="accepted">
                                  {p.l('采纳说明', 'Accept')}
                                </button>
                                <button type="submit" name="decision" value="rejected" class="secondary">
                                  {p.l('不予采纳', 'Reject')}
                                </button>
                              </form>
                            )}
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="card muted">
            {p.l('截止时没有收到任何材料。', 'Nothing was submitted by the deadline.')}
          </p>
        )}

        <h2 id="panel">{p.l('二、评审委员会', '2. Review panel')}</h2>
        <PanelView p={p} panel={panel} call={call} names={names} orgOf={orgOf} s={s} />

        <h2 id="sheets">{p.l('三、评分表', '3. Score sheets')}</h2>
        {sheets.items.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{p.l('机构', 'Organization')}</th>
                  <th>{p.l('评委', 'Member')}</th>
                  <th>{p.l('状态', 'Status')}</th>
                  <th class="num">{p.l('技术评分', 'Technical total')}</th>
                  <th>{p.l('提示', 'Flag')}</th>
                  <th class="wide">{p.l('退回修改', 'Reopen')}</th>
                </tr>
              </thead>
              <tbody>
                {sheets.items.map((x) => (
                  <tr id={`sheet-${x.submissionId}-${x.reviewerId}`}>
                    <td>{orgOf.get(x.submissionId) ?? x.submissionId}</td>
                    <td>{x.reviewerName}</td>
                    <td>
                      <Badge
                        kind={x.status === 'submitted' ? 'approved' : 'pending'}
                        text={x.status === 'submitted' ? p.l('已提交', 'Submitted') : p.l('草稿', 'Draft')}
                      />
                    </td>
                    <td class="num">{(x.totalCenti / 100).toFixed(2)}</td>
                    <td>
                      {x.outlier ? (
                        <Badge
                          kind="rejected outlier"
                          text={p.l(
                            `偏离均值超过 ${call.scoring.outlierPoints} 分`,
                            `more than ${call.scoring.outlierPoints} points from the mean`,
                          )}
                        />
                      ) : null}
                    </td>
                    <td>
                      <SheetReopen p={p} call={call} sheet={x} names={names} s={s} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="card muted">{p.l('尚无评分表。', 'No score sheets yet.')}</p>
        )}

        <h2 id="ranking">{p.l('四、评审排名', '4. Ranking')}</h2>
        <RankingTable p={p} rows={ranking.items} call={call} />

        <h2 id="awards">{p.l('五、中标（立项）建议与确认', '5. Award proposal and confirmation')}</h2>
        <Errors p={p} at="awards" s={s} />
        {callAwards.length ? (
          callAwards.map((a) => (
            <AwardCard
              p={p}
              award={a}
              now={now}
              me={me.userId}
              names={names}
              challenges={challenges.get(a.id) ?? []}
              s={s}
            />
          ))
        ) : (
          <p class="muted">{p.l('尚未提出中标（立项）建议。', 'No award has been proposed yet.')}</p>
        )}
        <form method="post" action={`/officer/calls/${encodeURIComponent(call.id)}/awards`} class="actions">
          <Csrf p={p} />
          <button type="submit">
            {p.l('按排名提出中标（立项）建议', 'Propose the awards from the ranking')}
          </button>
          <span class="hint">
            {p.l(
              '建议须由另一名工作人员确认；确认时承诺资金并开始结果公示。',
              'Another officer must confirm; confirmation commits the money and starts the public notice.',
            )}
          </span>
        </form>
      </Layout>,
      code,
    );
  };

  page('get', '/officer/calls/:id/review', async (c) => reviewPage(c, await loadCall(c)));

  // The same visibility as GET /submissions/:id/attachments/:attachmentId for an officer: submitted,
  // of the officer's jurisdiction, the call unsealed; an unknown attachment is the 404 page too.
  page('get', '/officer/submissions/:id/attachments/:attachmentId', async (c) => {
    const { s } = await unsealedSubmission(c);
    const { url } = await subs.attachmentUrl(s, c.req.param('attachmentId') ?? '');
    return c.redirect(url, 302);
  });

  page('post', '/officer/submissions/:id/screening', async (c) => {
    const { s, call } = await unsealedSubmission(c);
    const values = await readForm(c);
    const reasons = (values.reasons ?? '')
      .split('\n')
      .map((x) => x.trim())
      .filter(Boolean);
    const section = `screen-${s.id}`;
    const parsed = ScreeningInputSchema.safeParse({
      version: Number(values.version),
      eligible: values.decision !== 'ineligible',
      reasons,
    });
    const resolve = () => '';
    if (!parsed.success)
      return reviewPage(c, call, { section, errors: zodErrors(parsed.error, resolve), values }, 422);
    try {
      await subs.screen(principalOf(c), s, parsed.data);
      // Eligibility sets the benchmark price: the stored ranking rows follow at once (as the API does).
      await reviews.refreshRanking(s.callId);
    } catch (e) {
      return reviewPage(c, call, { section, errors: domainErrors(e, resolve), values }, 422);
    }
    return c.redirect(`${reviewPath(call.id)}?done=screened#s-${s.id}`, 303);
  });

  page('post', '/officer/submissions/:id/explanation', async (c) => {
    const { s, call } = await unsealedSubmission(c);
    const values = await readForm(c);
    const section = `screen-${s.id}`;
    const parsed = ExplanationDecisionSchema.safeParse({
      version: Number(values.version),
      decision: values.decision,
    });
    if (!parsed.success)
      return reviewPage(c, call, { section, errors: zodErrors(parsed.error, () => '') }, 422);
    try {
      await subs.decideExplanation(principalOf(c), s, parsed.data);
    } catch (e) {
      return reviewPage(c, call, { section, errors: domainErrors(e, () => '') }, 422);
    }
    return c.redirect(`${reviewPath(call.id)}?done=decided#s-${s.id}`, 303);
  });

  page('post', '/officer/calls/:id/panel', async (c) => {
    const call = await loadCall(c);
    const values = await readForm(c);
    const seed = (values.seed ?? '').trim().toLowerCase();
    const parsed = DrawInputSchema.safeParse({
      ...(seed ? { seed } : {}),
      reserves: values.reserves ? Number(values.reserves) : 2,
    });
    const resolve = pathResolver({ seed: 'seed', reserves: 'reserves' });
    const section = effectiveStatus(call, deps.now()) === 'closed' ? 'panel' : 'sealed';
    if (!parsed.success)
      return reviewPage(c, call, { section, errors: zodErrors(parsed.error, resolve), values }, 422);
    try {
      await reviews.draw(call, principalOf(c), parsed.data);
    } catch (e) {
      return reviewPage(c, call, { section, errors: domainErrors(e, resolve), values }, 422);
    }
    return c.redirect(`${reviewPath(call.id)}?done=drawn#panel`, 303);
  });

  // An officer sends a member's submitted sheet back to draft, with the reason on record (the
  // member then corrects and submits it again; until then the aggregate keeps the earlier total).
  page('post', '/officer/calls/:id/sheets/:submissionId/:reviewerId/reopen', async (c) => {
    const call = await loadCall(c);
    const submissionId = c.req.param('submissionId') ?? '';
    const reviewerId = c.req.param('reviewerId') ?? '';
    const sheet = await reviews.repo.sheet(submissionId, reviewerId);
    if (sheet?.callId !== call.id) throw new NotFoundError('sheet');
    const values = await readForm(c);
    const section = `sheet-${submissionId}-${reviewerId}`;
    const resolve = () => '';
    const parsed = ReopenInputSchema.safeParse({
      version: Number(values.version),
      reason: (values.reason ?? '').trim(),
    });
    if (!parsed.success)
      return reviewPage(c, call, { section, errors: zodErrors(parsed.error, resolve), values }, 422);
    try {
      await reviews.reopen(submissionId, reviewerId, principalOf(c), parsed.data);
    } catch (e) {
      const status = e instanceof ProblemError && e.status === 409 ? 409 : 422;
      return reviewPage(c, call, { section, errors: domainErrors(e, resolve), values }, status);
    }
    return c.redirect(`${reviewPath(call.id)}?done=reopened#${section}`, 303);
  });

  page('post', '/officer/calls/:id/awards', async (c) => {
    const call = await loadCall(c);
    const section = effectiveStatus(call, deps.now()) === 'closed' ? 'awards' : 'sealed';
    try {
      await awardService.propose(call, principalOf(c));
    } catch (e) {
      if (e instanceof RuleViolationError && e.slug === 'nothing-to-propose' && e.extra.selection) {
        const list = await subs.repo.listSubmittedForCall(call.id);
        const names = new Map(list.map((x) => [x.id, x.orgName]));
        const errors = [
          ...domainErrors(e, () => '').map((x) => ({
            ...x,
            zh: '当前排名没有可新增的中标（立项）建议：',
            en: 'The ranking gives no new winner:',
          })),
          ...selectionErrors(e.extra.selection as AwardSelection, names),
        ];
        return reviewPage(c, call, { section, errors }, 422);
      }
      return reviewPage(c, call, { section, errors: domainErrors(e, () => '') }, 422);
    }
    return c.redirect(`${reviewPath(call.id)}?done=proposed#awards`, 303);
  });

  page('post', '/officer/awards/:id/confirm', async (c) => {
    const award = authorizeObject(c, await awards.get(c.req.param('id') ?? ''), 'award');
    const call = await subs.callOf(award);
    const values = await readForm(c);
    const section = `award-${award.id}`;
    try {
      await awardService.confirm(award, Number(values.version), principalOf(c));
    } catch (e) {
      // The two-officer rule answers 403 with its own words: show them beside the award.
      if (e instanceof ProblemError && e.slug === 'proposer-cannot-confirm')
        return reviewPage(
          c,
          call,
          { section, errors: [{ name: '', en: e.message, zh: e.detailZh ?? e.message }] },
          403,
        );
      return reviewPage(c, call, { section, errors: domainErrors(e, () => '') }, 422);
    }
    return c.redirect(`${reviewPath(call.id)}?done=confirmed#award-${award.id}`, 303);
  });

  // A calendar correction's review (the officer's start page lists them): apply or keep the ends.
  page('post', '/officer/awards/:id/windows', async (c) => {
    const award = authorizeObject(c, await awards.get(c.req.param('id') ?? ''), 'award');
    const values = await readForm(c);
    const decision = values.decision === 'apply' ? 'apply' : 'keep';
    try {
      await decideWindows(
        deps,
        awards,
        awardService.calendar,
        award,
        { decision, version: award.version },
        principalOf(c),
      );
    } catch (e) {
      const call = await subs.callOf(award);
      return reviewPage(c, call, { section: `award-${award.id}`, errors: domainErrors(e, () => '') }, 409);
    }
    return c.redirect(`/home?done=windows-${decision}`, 303);
  });

  page('post', '/officer/challenges/:id/answer', async (c) => {
    const ch = authorizeObject(c, await awards.getChallenge(c.req.param('id') ?? ''), 'challenge');
    const call = await subs.callOf(ch);
    const values = await readForm(c);
    const section = `challenge-${ch.id}`;
    const parsed = AnswerInputSchema.safeParse({
      version: Number(values.version),
      outcome: values.outcome,
      answer: (values.answer ?? '').trim(),
    });
    if (!parsed.success)
      return reviewPage(c, call, { section, errors: zodErrors(parsed.error, () => ''), values }, 422);
    try {
      await awardService.answer(ch, parsed.data, principalOf(c));
    } catch (e) {
      return reviewPage(c, call, { section, errors: domainErrors(e, () => ''), values }, 422);
    }
    return c.redirect(`${reviewPath(call.id)}?done=answered#challenge-${ch.id}`, 303);
  });
}

function PanelView(props: {
  p: PageCtx;
  panel: Panel | undefined;
  call: Call;
  names: Map<string, string>;
  orgOf: Map<string, string>;
  s?: SectionErrors;
}) {
  const { p, panel, call, names, orgOf, s } = props;
  if (!panel) {
    return (
      <form method="post" action={`/officer/calls/${encodeURIComponent(call.id)}/panel`} class="stack card">
        <Csrf p={p} />
        <Errors p={p} at="panel" s={s} />
        <p>
          {p.l(
            `从本辖区及上级专家库中随机抽取 ${call.scoring.committee.size} 名委员（其中专家不少于 ${call.scoring.committee.experts} 名），与投标机构有关联的专家自动回避。抽取种子将被记录，可据此复核抽取结果；不得重复抽取。`,
            `Draws ${call.scoring.committee.size} members (at least ${call.scoring.committee.experts} experts) at random from the expert pools of this jurisdiction and those above it; experts affiliated with a bidder are excluded. The seed is recorded so the draw can be checked; it is never repeated.`,
          )}
        </p>
        <div class="grid">
          <div class="field">
            <label for="f-seed">{p.l('抽取种子（选填）', 'Seed (optional)')}</label>
            <input
              id="f-seed"
              name="seed"
              type="text"
              value={s?.section === 'panel' ? (s.values?.seed ?? '') : ''}
              autocomplete="off"
            />
            <p class="hint">
              {p.l(
                '32–64 位十六进制数；留空则由系统随机生成。',
                '32–64 hexadecimal digits; leave blank for a random one.',
              )}
            </p>
          </div>
          <div class="field">
            <label for="f-reserves">{p.l('备选专家人数', 'Reserve experts')}</label>
            <input
              id="f-reserves"
              name="reserves"
              type="number"
              min="0"
              max="5"
              value={s?.section === 'panel' ? (s.values?.reserves ?? '2') : '2'}
            />
          </div>
        </div>
        <button type="submit">{p.l('随机抽取评审委员会', 'Draw the panel')}</button>
      </form>
    );
  }
  const seat = (x: Panel['members'][number]) =>
    `${x.name}${x.isExpert ? '' : p.l('（采购人代表）', ' (buyer representative)')}`;
  return (
    <section class="card">
      <dl class="facts">
        <dt>{p.l('抽取种子', 'Seed')}</dt>
        <dd>
          <code>{panel.seed}</code>
        </dd>
        <dt>{p.l('抽取时间', 'Drawn')}</dt>
        <dd>
          {formatBeijing(panel.drawnAt)} · {names.get(panel.drawnBy) ?? ''}
        </dd>
        <dt>{p.l('评审委员', 'Members')}</dt>
        <dd>{panel.members.map(seat).join(p.l('、', ', '))}</dd>
        <dt>{p.l('备选专家', 'Reserves')}</dt>
        <dd>{panel.reserves.map(seat).join(p.l('、', ', ')) || '—'}</dd>
        <dt>{p.l('关联回避（未参加抽取）', 'Excluded (affiliated with a bidder)')}</dt>
        <dd>{panel.excluded.map((x) => x.name).join(p.l('、', ', ')) || '—'}</dd>
        <dt>{p.l('候选人数', 'Candidates')}</dt>
        <dd>{panel.candidates.length}</dd>
      </dl>
      {panel.recusals.length ? (
        <>
          <h3>{p.l('评审中声明的回避', 'Conflicts declared during the review')}</h3>
          <ul>
            {panel.recusals.map((r) => {
              const who =
                [...panel.members, ...panel.reserves].find((m) => m.userId === r.userId)?.name ?? '';
              const by = r.replacedBy
                ? panel.reserves.find((m) => m.userId === r.replacedBy)?.name
                : undefined;
              return (
                <li>
                  {p.l(
                    `${who} 回避 ${orgOf.get(r.submissionId) ?? ''}：${r.reason}${by ? `（由 ${by} 替补）` : ''}`,
                    `${who} recused from ${orgOf.get(r.submissionId) ?? ''}: ${r.reason}${by ? ` (replaced by ${by})` : ''}`,
                  )}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
    </section>
  );
}

/** Beside a sheet: its reopenings on record, and for a submitted one the form to reopen it. */
function SheetReopen(props: {
  p: PageCtx;
  call: Call;
  sheet: Sheet;
  names: Map<string, string>;
  s?: SectionErrors;
}) {
  const { p, call, sheet, names, s } = props;
  const section = `sheet-${sheet.submissionId}-${sheet.reviewerId}`;
  const id = `f-reason-${sheet.submissionId}-${sheet.reviewerId}`;
  return (
    <>
      {sheet.reopenings.map((r) => (
        <p class="small muted">
          {p.l('已退回：', 'Reopened: ')}
          {r.reason} · {names.get(r.by) ?? ''} · {formatBeijing(r.at)}
        </p>
      ))}
      <Errors p={p} at={section} s={s} />
      {sheet.status === 'submitted' ? (
        <form
          method="post"
          action={`/officer/calls/${encodeURIComponent(call.id)}/sheets/${encodeURIComponent(sheet.submissionId)}/${encodeURIComponent(sheet.reviewerId)}/reopen`}
          class="decide"
          aria-label={p.l(`退回 ${sheet.reviewerName} 的评分表`, `Reopen the sheet of ${sheet.reviewerName}`)}
        >
          <Csrf p={p} />
          <input type="hidden" name="version" value={String(sheet.version)} />
          <label for={id}>{p.l('退回理由（必填）', 'Reason (required)')}</label>
          <input
            id={id}
            name="reason"
            type="text"
            required
            minlength={4}
            maxlength={1000}
            value={s?.section === section ? (s.values?.reason ?? '') : ''}
          />
          <span />
          <span>
            <button type="submit" class="secondary">
              {p.l('退回修改', 'Reopen')}
            </button>
          </span>
        </form>
      ) : null}
    </>
  );
}

function RankingTable({ p, rows, call }: { p: PageCtx; rows: RankingRow[]; call: Call }) {
  if (!rows.length)
    return (
      <p class="card muted">
        {p.l(
          '尚无排名：符合资格的材料至少有一份已提交的评分表后显示。',
          'No ranking yet: it appears once eligible submissions have submitted score sheets.',
        )}
      </p>
    );
  return (
    <div class="table-wrap">
      <table id="ranking-table">
        <thead>
          <tr>
            {call.kind === 'purchase' ? <th>{p.l('标包', 'Lot')}</th> : null}
            <th class="narrow">{p.l('名次', 'Rank')}</th>
            <th>{p.l('机构', 'Organization')}</th>
            <th class="num">{p.l('报价 / 申请金额', 'Price / request')}</th>
            <th class="num">{p.l('价格分', 'Price score')}</th>
            <th class="num">{p.l('技术分', 'Technical score')}</th>
            <th class="num">{p.l('总分', 'Total')}</th>
            <th class="num">{p.l('评分表', 'Sheets')}</th>
            <th>{p.l('提示', 'Flags')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              {call.kind === 'purchase' ? <td>{r.lot ?? '—'}</td> : null}
              <td class="num">
                {r.rank}
                {r.tied ? p.l('（并列）', ' (tied)') : ''}
              </td>
              <td>{r.orgName}</td>
              <td class="num">{formatYuan(r.priceFen ?? r.requestedFen ?? 0)}</td>
              <td class="num">{r.priceScore}</td>
              <td class="num">{r.technicalScore}</td>
              <td class="num total">{r.total}</td>
              <td class="num">{r.reviewers}</td>
              <td>
                {r.flags.abnormallyLow ? (
                  <Badge
                    kind="rejected"
                    text={p.l('异常低价，须书面说明', 'Abnormally low: explanation needed')}
                  />
                ) : null}
                {r.flags.outlierReviewers.length ? (
                  <Badge
                    kind="pending"
                    text={p.l(
                      `${r.flags.outlierReviewers.length} 名评委评分偏离`,
                      `${r.flags.outlierReviewers.length} outlying member(s)`,
                    )}
                  />
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        {p.l(
          '总分 = 价格分 + 技术分（各项四舍五入至两位小数后相加）；总分相同按报价由低到高，再按技术分由高到低。',
          'Total = price score + technical score (each rounded to two decimals, then added); equal totals rank by price, low to high, then by technical score.',
        )}
      </p>
    </div>
  );
}

function AwardCard(props: {
  p: PageCtx;
  award: Award;
  now: Date;
  me: string;
  names: Map<string, string>;
  challenges: Challenge[];
  s?: SectionErrors;
}) {
  const { p, award, now, me, names, challenges, s } = props;
  const v = awardView(award, now);
  return (
    <section class="card" id={`award-${award.id}`}>
      <h3>
        {award.orgName}
        {award.lot ? p.l(`（标包 ${award.lot}）`, ` (lot ${award.lot})`) : ''}{' '}
        <Badge
          kind={
            v.effectiveStatus === 'proposed'
              ? 'pending'
              : v.effectiveStatus === 'cancelled'
                ? 'closed'
                : 'approved'
          }
          text={pick(p.lang, AWARD_STATUS[v.effectiveStatus])}
        />
      </h3>
      <dl class="facts">
        <dt>{p.l('金额', 'Amount')}</dt>
        <dd>
          <strong>{formatYuan(award.amountFen)}</strong>
        </dd>
        <dt>{p.l('名次与总分', 'Rank and total')}</dt>
        <dd>
          {award.rank} · {(award.totalCenti / 100).toFixed(2)}
        </dd>
        <dt>{p.l('提出建议', 'Proposed by')}</dt>
        <dd>
          {names.get(award.proposedBy) ?? award.proposedBy} · {formatBeijing(award.proposedAt)}
        </dd>
        {award.confirmedBy && award.confirmedAt ? (
          <>
            <dt>{p.l('确认', 'Confirmed by')}</dt>
            <dd>
              {names.get(award.confirmedBy) ?? award.confirmedBy} · {formatBeijing(award.confirmedAt)}
            </dd>
          </>
        ) : null}
        {award.noticeStartsAt && award.noticeEndsAt && award.challengeDeadline ? (
          <>
            <dt>{p.l('公示期', 'Public notice')}</dt>
            <dd>
              {formatBeijing(award.noticeStartsAt)} — {formatBeijing(award.noticeEndsAt)}{' '}
              <a href={`/notices/${encodeURIComponent(award.id)}`}>{p.l('查看公示', 'View the notice')}</a>
            </dd>
            <dt>{p.l('质疑截止', 'Challenges until')}</dt>
            <dd>{formatBeijing(award.challengeDeadline)}</dd>
          </>
        ) : null}
      </dl>
      <Errors p={p} at={`award-${award.id}`} s={s} />
      {v.effectiveStatus === 'final' ? (
        <p class="actions">
          <a class="button" href={`/officer/awards/${encodeURIComponent(award.id)}/contract`}>
            {p.l('签订合同 / 查看合同', 'Sign or open the contract')}
          </a>
        </p>
      ) : null}
      {award.status === 'proposed' ? (
        <form
          method="post"
          action={`/officer/awards/${encodeURIComponent(award.id)}/confirm`}
          class="actions"
        >
          <Csrf p={p} />
          <input type="hidden" name="version" value={String(award.version)} />
          <button type="submit">{p.l('确认并公示', 'Confirm and publish')}</button>
          <span class="hint">
            {award.proposedBy === me
              ? p.l(
                  '您提出了此建议，须由另一名工作人员确认。',
                  'You proposed this award: another officer must confirm it.',
                )
              : p.l(
                  '确认后承诺资金并开始结果公示。',
                  'Confirming commits the money and starts the public notice.',
                )}
          </span>
        </form>
      ) : null}
      {challenges.length ? (
        <>
          <h4>{p.l('质疑', 'Challenges')}</h4>
          {challenges.map((ch) => (
            <div class="card" id={`challenge-${ch.id}`}>
              <p>
                <strong>{ch.orgName}</strong> · {formatBeijing(ch.submittedAt)}
              </p>
              {ch.answerDueAt && ch.status === 'open' ? (
                <p class="challenge-due">
                  {p.l('书面答复期限', 'Written answer due by')} {formatBeijing(ch.answerDueAt)}
                  {p.l(
                    '（财政部令第94号第十三条：收到质疑函后 7 个工作日内）',
                    ' (MOF Order 94, art. 13: 7 working days from receipt)',
                  )}{' '}
                  {challengeOverdue(ch, now) ? <Badge kind="overdue" text={p.l('逾期', 'Overdue')} /> : null}
                </p>
              ) : null}
              <p>{ch.text}</p>
              {ch.status === 'answered' ? (
                <p class="muted">
                  {ch.outcome === 'upheld'
                    ? p.l('质疑成立：', 'Upheld: ')
                    : p.l('质疑不成立：', 'Dismissed: ')}
                  {ch.answer} · {ch.answeredAt ? formatBeijing(ch.answeredAt) : ''}
                </p>
              ) : (
                <form
                  method="post"
                  action={`/officer/challenges/${encodeURIComponent(ch.id)}/answer`}
                  class="stack"
                >
                  <Csrf p={p} />
                  <Errors p={p} at={`challenge-${ch.id}`} s={s} />
                  <input type="hidden" name="version" value={String(ch.version)} />
                  <div class="field">
                    <span class="label">{p.l('答复结论', 'Outcome')}</span>
                    <label>
                      <input type="radio" name="outcome" value="dismissed" checked />{' '}
                      {p.l('质疑不成立', 'Dismissed')}
                    </label>{' '}
                    <label>
                      <input type="radio" name="outcome" value="upheld" />{' '}
                      {p.l(
                        '质疑成立（撤销中标并释放资金）',
                        'Upheld (cancels the award and releases the money)',
                      )}
                    </label>
                  </div>
                  <div class="field">
                    <label for={`f-answer-${ch.id}`}>{p.l('答复内容', 'Answer')}</label>
                    <textarea id={`f-answer-${ch.id}`} name="answer" rows={3}>
                      {s?.section === `challenge-${ch.id}` ? (s.values?.answer ?? '') : ''}
                    </textarea>
                  </div>
                  <button type="submit">{p.l('答复质疑', 'Answer')}</button>
                </form>
              )}
            </div>
          ))}
        </>
      ) : null}
    </section>
  );
}
