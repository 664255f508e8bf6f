/**
 * Public award notices (中标/立项结果公示): confirmed awards with the winner, the amount, the
 * published scores, the notice period and the challenge deadline in Beijing time. An applicant of
 * an organization that took part may file a challenge (质疑) here while the window is open; the
 * AwardService admits only those.
 */

import type { Context } from 'hono';
import { fileChallenge } from '../../../shared/awards/challenge';
import {
  type Award,
  ChallengeInputSchema,
  type PublicNotice,
  publicNotice,
} from '../../../shared/awards/model';
import { AwardRepository } from '../../../shared/awards/repository';
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import { NotFoundError, ProblemError } from '../../../shared/errors';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { domainErrors, emptyForm, type FormState, pathResolver, readForm, zodErrors } from '../forms';
import { AWARD_STATUS, CALL_KIND, pick } from '../i18n';
import {
  Badge,
  Csrf,
  ErrorSummary,
  Layout,
  Notice,
  type PageCtx,
  pageCtx,
  render,
  TextArea,
} from '../layout';
import type { Reference } from '../reference';
import type { PageRoute } from '../routes';

const score = (n: number) => n.toFixed(2);

function StatusBadge({ p, n }: { p: PageCtx; n: PublicNotice }) {
  return (
    <Badge
      kind={n.status === 'cancelled' ? 'closed' : 'approved'}
      text={pick(p.lang, AWARD_STATUS[n.status])}
    />
  );
}

export function noticePages(page: PageRoute, deps: Deps, _ref: Reference): void {
  // Challenges need no ranking: only the filing is loaded, not the award service.
  const awards = new AwardRepository(deps.doc, deps.config.tableName);

  page('get', '/notices', async (c) => {
    const p = pageCtx(c);
    const now = deps.now();
    const cursor = c.req.query('cursor');
    const list = await awards.publicPage(25, cursor || undefined);
    const notices = list.items.flatMap((a) => publicNotice(a, now) ?? []);
    return render(
      c,
      <Layout p={p} title={p.l('中标（立项）结果公示', 'Award notices')}>
        <p class="muted">
          {p.l(
            '公示期内，参加本项目的机构可对结果提出质疑（公示之日起 7 个工作日内）。',
            'During the notice, organizations that took part in a call may challenge its result (within 7 working days of the notice).',
          )}
        </p>
        {notices.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{p.l('项目', 'Call')}</th>
                  <th>{p.l('中标（立项）机构', 'Winner')}</th>
                  <th class="num">{p.l('金额', 'Amount')}</th>
                  <th class="num">{p.l('总分', 'Total score')}</th>
                  <th>{p.l('公示期', 'Notice period')}</th>
                  <th>{p.l('状态', 'Status')}</th>
                </tr>
              </thead>
              <tbody>
                {notices.map((n) => (
                  <tr>
                    <td>
                      <a href={`/notices/${encodeURIComponent(n.id)}`}>{n.callTitle}</a>
                      {n.lot ? p.l(`（标包 ${n.lot}）`, ` (lot ${n.lot})`) : ''}
                    </td>
                    <td>{n.orgName}</td>
                    <td class="num">{formatYuan(n.amountFen)}</td>
                    <td class="num">{score(n.scores.total)}</td>
                    <td class="small">
                      {formatBeijing(n.noticeStartsAt)} — {formatBeijing(n.noticeEndsAt)}
                    </td>
                    <td>
                      <StatusBadge p={p} n={n} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="card muted">{p.l('暂无结果公示。', 'No award notices yet.')}</p>
        )}
        {list.nextCursor ? (
          <p class="pager">
            <a href={`/notices?cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  const noticeOf = async (c: Context<ApiEnv>): Promise<{ award: Award; n: PublicNotice }> => {
    const award = await awards.get(c.req.param('id') ?? '');
    const n = award && publicNotice(award, deps.now());
    if (!award || !n) throw new NotFoundError('notice');
    return { award, n };
  };

  const noticePage = async (
    c: Context<ApiEnv>,
    n: PublicNotice,
    f: FormState,
    status: 200 | 403 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const applicant = p.viewer?.role === 'applicant';
    // The public sees when each challenge came and how it was answered, not who filed it or its text.
    const challenges = await awards.challengesOf(n.id);
    return render(
      c,
      <Layout p={p} title={p.l('中标（立项）结果公示', 'Award notice')}>
        <Notice p={p} done={c.req.query('done')} />
        <section class="card">
          <h2>{n.callTitle}</h2>
          <dl class="facts">
            <dt>{p.l('项目类型', 'Kind')}</dt>
            <dd>{pick(p.lang, CALL_KIND[n.callKind])}</dd>
            {n.lot ? (
              <>
                <dt>{p.l('标包', 'Lot')}</dt>
                <dd>{n.lot}</dd>
              </>
            ) : null}
            <dt>
              {n.callKind === 'purchase' ? p.l('中标机构', 'Winner') : p.l('立项机构', 'Funded organization')}
            </dt>
            <dd>
              <strong>{n.orgName}</strong>
            </dd>
            <dt>
              {n.callKind === 'purchase' ? p.l('中标金额', 'Award amount') : p.l('资助金额', 'Funding')}
            </dt>
            <dd>
              <strong>{formatYuan(n.amountFen)}</strong>
            </dd>
            <dt>{p.l('名次', 'Rank')}</dt>
            <dd>{n.rank}</dd>
            <dt>{p.l('评审得分', 'Scores')}</dt>
            <dd>
              {p.l(
                `总分 ${score(n.scores.total)}（价格分 ${score(n.scores.price)}，技术分 ${score(n.scores.technical)}）`,
                `Total ${score(n.scores.total)} (price ${score(n.scores.price)}, technical ${score(n.scores.technical)})`,
              )}
            </dd>
            <dt>{p.l('公示期', 'Notice period')}</dt>
            <dd>
              {p.l(
                `${formatBeijing(n.noticeStartsAt)} 至 ${formatBeijing(n.noticeEndsAt)}（${n.noticeWorkingDays} 个工作日，北京时间）`,
                `${formatBeijing(n.noticeStartsAt)} to ${formatBeijing(n.noticeEndsAt)} (${n.noticeWorkingDays} working days, Beijing time)`,
              )}
            </dd>
            <dt>{p.l('质疑截止', 'Challenges until')}</dt>
            <dd>
              {p.l(
                `${formatBeijing(n.challengeDeadline)}（北京时间）`,
                `${formatBeijing(n.challengeDeadline)} (Beijing time)`,
              )}
            </dd>
            <dt>{p.l('状态', 'Status')}</dt>
            <dd>
              <StatusBadge p={p} n={n} />
              {n.finalizedAt ? ` ${formatBeijing(n.finalizedAt)}` : ''}
            </dd>
          </dl>
        </section>
        {challenges.length ? (
          <section class="card">
            <h2>{p.l('质疑及答复', 'Challenges and answers')}</h2>
            <ul>
              {challenges.map((ch) => (
                <li>
                  {p.l(
                    `${formatBeijing(ch.submittedAt)} 收到质疑`,
                    `Challenge received ${formatBeijing(ch.submittedAt)}`,
                  )}
                  {' — '}
                  {ch.status === 'open'
                    ? p.l('处理中', 'being answered')
                    : ch.outcome === 'upheld'
                      ? p.l('质疑成立', 'upheld')
                      : p.l('质疑不成立', 'dismissed')}
                  {ch.answer ? `：${ch.answer}` : ''}
                  {ch.answeredAt
                    ? p.l(
                        `（${formatBeijing(ch.answeredAt)} 答复）`,
                        ` (answered ${formatBeijing(ch.answeredAt)})`,
                      )
                    : ''}
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {n.challengeOpen && applicant ? (
          <form
            method="post"
            action={`/notices/${encodeURIComponent(n.id)}/challenges`}
            class="stack card"
            novalidate
          >
            <h2>{p.l('提出质疑', 'Challenge this result')}</h2>
            <Csrf p={p} />
            <ErrorSummary p={p} f={f} />
            <p class="hint">
              {p.l(
                '仅参加本项目的机构可以提出质疑，请写明事实、理由和依据（不少于 10 个字）。',
                'Only organizations that took part in the call may challenge; state the facts, grounds and rules (at least 10 characters).',
              )}
            </p>
            <TextArea p={p} f={f} name="text" rows={5} required />
            <button type="submit">{p.l('提交质疑', 'File the challenge')}</button>
          </form>
        ) : null}
        <p class="actions">
          <a href="/notices">{p.l('返回结果公示', 'Back to the award notices')}</a>
        </p>
      </Layout>,
      status,
    );
  };

  page('get', '/notices/:id', async (c) => {
    const { n } = await noticeOf(c);
    return noticePage(c, n, emptyForm());
  });

  page('post', '/notices/:id/challenges', async (c) => {
    const { award, n } = await noticeOf(c);
    const values = await readForm(c);
    const resolve = pathResolver({ text: 'text' });
    const parsed = ChallengeInputSchema.safeParse({ text: (values.text ?? '').trim() });
    if (!parsed.success) return noticePage(c, n, { values, errors: zodErrors(parsed.error, resolve) }, 422);
    try {
      await fileChallenge(deps, awards, award, principalOf(c), parsed.data.text);
    } catch (e) {
      // Not a participant: the service's own words on the form, rather than a bare 403 page.
      if (e instanceof ProblemError && e.slug === 'not-a-participant')
        return noticePage(
          c,
          n,
          { values, errors: [{ name: '', en: e.message, zh: e.detailZh ?? e.message }] },
          403,
        );
      return noticePage(c, n, { values, errors: domainErrors(e, resolve) }, 422);
    }
    return c.redirect(`/notices/${encodeURIComponent(award.id)}?done=challenged`, 303);
  });
}
