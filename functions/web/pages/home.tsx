/** The signed-in start page: what each role can do, with the figures it may see. */

import { CalendarRepository } from '../../../shared/calendar/repository';
import { CalendarSource } from '../../../shared/calendar/source';
import { beijingDate } from '../../../shared/calendar/working-calendar';
import { type Call, callBudgetFen, effectiveStatus } from '../../../shared/calls/model';
import { CallRepository } from '../../../shared/calls/repository';
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import { principalOf } from '../../../shared/http/app';
import type { Deps } from '../../../shared/http/deps';
import { OrganizationRepository } from '../../../shared/organizations/repository';
import { PoolRepository } from '../../../shared/pools/repository';
import { CALL_KIND, FIELD, jurisdictionName, ORG_STATUS, pick, ROLE } from '../i18n';
import { Badge, Csrf, Layout, Notice, type PageCtx, pageCtx, render } from '../layout';
import type { Reference } from '../reference';
import type { PageRoute } from '../routes';
import { statusBadge } from './call-view';
import { PoolsTable } from './pools';

function CallsTable({ p, calls, now }: { p: PageCtx; calls: Call[]; now: Date }) {
  if (!calls.length) return <p class="muted">{p.l('暂无项目。', 'No calls yet.')}</p>;
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{p.l('项目名称', 'Title')}</th>
            <th>{p.l('类型', 'Kind')}</th>
            <th class="num">{p.l('预算', 'Budget')}</th>
            <th>{p.l('递交截止', 'Deadline')}</th>
            <th>{p.l('状态', 'Status')}</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((x) => (
            <tr>
              <td>
                {x.status === 'draft' ? (
                  x.title
                ) : (
                  <a href={`/open-calls/${encodeURIComponent(x.id)}`}>{x.title}</a>
                )}
              </td>
              <td>{pick(p.lang, CALL_KIND[x.kind])}</td>
              <td class="num">{formatYuan(callBudgetFen(x))}</td>
              <td>{formatBeijing(x.periods.deadline)}</td>
              <td>{statusBadge(p, effectiveStatus(x, now))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function homePages(page: PageRoute, deps: Deps, ref: Reference): void {
  const table = deps.config.tableName;
  const orgs = new OrganizationRepository(deps.doc, table);
  const pools = new PoolRepository(deps.doc, table);
  const calls = new CallRepository(deps.doc, table);
  const calendar = new CalendarSource(deps.doc, table);
  const calendars = new CalendarRepository(deps.doc, table);

  /**
   * From 1 November (Beijing) administrators and officers are warned while next year's holiday
   * arrangement is not confirmed: no window reaching into it can be computed until it is.
   */
  const calendarWarning = async (p: PageCtx, role: string) => {
    const today = beijingDate(deps.now());
    const next = Number(today.slice(0, 4)) + 1;
    if (today.slice(5) < '11-01' || (await calendar.year(next))) return null;
    return (
      <p class="notice warn" role="alert" id="calendar-warning">
        {p.l(
          `${next} 年节假日安排尚未在本平台发布：公示期、质疑期等涉及 ${next} 年的期限暂无法计算，相关中标（立项）无法确认。`,
          `The ${next} holiday arrangement is not yet published on this platform: windows reaching into ${next} cannot be computed, so awards whose notice would reach into it cannot be confirmed.`,
        )}{' '}
        {role === 'admin' ? (
          <a href={`/system/calendar/${next}`}>{p.l(`发布 ${next} 年安排`, `Publish ${next}`)}</a>
        ) : (
          p.l('请联系系统管理员发布。', 'Ask a platform administrator to publish it.')
        )}
      </p>
    );
  };

  page('get', '/home', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const now = deps.now();
    const jur = await ref.get(me.jurisdictionId);
    const title = p.l(`${me.name}，您好`, `Welcome, ${me.name}`);
    const intro = (
      <p class="muted">
        {pick(p.lang, ROLE[me.role])} · {jurisdictionName(p.lang, jur)}
      </p>
    );
    const done = <Notice p={p} done={c.req.query('done')} />;

    if (me.role === 'admin') {
      const years = await calendars.list(100);
      const pending = years.items.filter((y) => y.proposal);
      return render(
        c,
        <Layout p={p} title={title}>
          <p class="muted">{pick(p.lang, ROLE[me.role])}</p>
          {done}
          {await calendarWarning(p, me.role)}
          <div class="cards">
            <section class="card">
              <h2>{p.l('节假日安排', 'Working calendar')}</h2>
              <p>
                {pending.length
                  ? p.l(
                      `待确认：${pending.map((y) => y.year).join('、')} 年`,
                      `Awaiting confirmation: ${pending.map((y) => y.year).join(', ')}`,
                    )
                  : p.l('没有待确认的安排。', 'Nothing awaits confirmation.')}
              </p>
              <a class="button" href="/system/calendar">
                {p.l('管理节假日安排', 'Manage the calendar')}
              </a>
            </section>
            <section class="card">
              <h2>{p.l('账号', 'Accounts')}</h2>
              <p>
                {p.l(
                  '为各级民政局创建项目官员账号，停用或启用任何账号。',
                  'Create officers for any bureau; disable or enable any account.',
                )}
              </p>
              <a class="button" href="/system/users">
                {p.l('管理账号', 'Manage accounts')}
              </a>
            </section>
          </div>
        </Layout>,
      );
    }

    if (me.role === 'applicant') {
      // Own organization only: the id comes from the verified token, never from the request.
      const org = me.orgId ? await orgs.get(me.orgId) : undefined;
      const orgJur = org ? await ref.get(org.jurisdictionId) : undefined;
      return render(
        c,
        <Layout p={p} title={title}>
          {intro}
          {done}
          {org ? (
            <section class="card" aria-labelledby="org">
              <h2 id="org">{org.name}</h2>
              <dl class="facts">
                <dt>{p.l('审核状态', 'Approval status')}</dt>
                <dd>
                  <Badge kind={org.status} text={pick(p.lang, ORG_STATUS[org.status])} />
                </dd>
                <dt>{pick(p.lang, FIELD['organization.creditCode']!)}</dt>
                <dd>{org.creditCode}</dd>
                <dt>{pick(p.lang, FIELD['organization.jurisdictionId']!)}</dt>
                <dd>{jurisdictionName(p.lang, orgJur)}</dd>
                {org.decidedAt ? (
                  <>
                    <dt>{p.l('审核时间', 'Decided')}</dt>
                    <dd>{formatBeijing(org.decidedAt)}</dd>
                  </>
                ) : null}
                {org.status === 'rejected' && org.decisionReason ? (
                  <>
                    <dt>{p.l('理由', 'Reason')}</dt>
                    <dd>{org.decisionReason}</dd>
                  </>
                ) : null}
              </dl>
              <p>
                {org.status === 'approved'
                  ? p.l(
                      '机构已通过审核，可以参与公开项目的投标与申报。',
                      'Your organization is approved and may take part in open calls.',
                    )
                  : org.status === 'pending'
                    ? p.l(
                        '注册正在等待民政局审核，审核通过后即可参与项目。',
                        'Your registration is waiting for the civil-affairs bureau; once approved you can take part in calls.',
                      )
                    : p.l(
                        '注册未通过审核。如有疑问，请联系所在地民政局。',
                        'Your registration was not approved. Contact your civil-affairs bureau with any questions.',
                      )}
              </p>
            </section>
          ) : null}
          <section class="card">
            <h2>{p.l('您可以', 'What you can do')}</h2>
            <ul>
              <li>
                <a href="/open-calls">{p.l('浏览公开项目', 'Browse the open calls')}</a>
                {p.l(
                  '：了解服务内容、标包、评分细则和截止时间。',
                  ': services, lots, scoring rubric and deadlines.',
                )}
              </li>
              <li>
                {p.l(
                  '机构通过审核后递交投标或创投申报：在公开项目页面点击“投标 / 申报”。',
                  'Submit bids or venture applications once approved: use “Bid / apply” on an open call.',
                )}
              </li>
              <li>
                <a href="/applicant/submissions">{p.l('我的申报', 'My submissions')}</a>
                {p.l('：草稿、递交回执、附件和撤回。', ': drafts, receipts, attachments and withdrawal.')}
              </li>
              <li>
                <a href="/applicant/contracts">{p.l('我的合同', 'My contracts')}</a>
                {p.l(
                  '：拨付进度、提交里程碑报告、查看审核意见。',
                  ': payments, milestone reports and the officers’ comments.',
                )}
              </li>
              <li>
                <a href="/notices">{p.l('结果公示', 'Award notices')}</a>
                {p.l(
                  '：中标（立项）结果，公示期内可提出质疑。',
                  ': results, open to challenge during the notice.',
                )}
              </li>
            </ul>
          </section>
        </Layout>,
      );
    }

    if (me.role === 'officer') {
      const [pending, poolPage, callPage, warning, reviews] = await Promise.all([
        orgs.list(me.jurisdictionPath, true, 100),
        pools.list(me.jurisdictionPath, 100),
        calls.listUnder(me.jurisdictionPath, 100),
        calendarWarning(p, me.role),
        calendars.windowReviewsUnder(me.jurisdictionPath, 50),
      ]);
      const st = callPage.items.map((x) => effectiveStatus(x, now));
      const count = (s: Call['status']) => st.filter((x) => x === s).length;
      const more = (n: number, page: { nextCursor?: string }) => (page.nextCursor ? `${n}+` : String(n));
      const available = poolPage.items.reduce((s, x) => s + x.budgetFen - x.committedFen, 0);
      return render(
        c,
        <Layout p={p} title={title}>
          {intro}
          {done}
          {warning}
          {reviews.items.length ? (
            <section class="card" aria-labelledby="window-reviews">
              <h2 id="window-reviews">
                {p.l('节假日安排更正：待决定的期限', 'Calendar corrections: windows to decide')}
              </h2>
              <ul>
                {reviews.items.map((r) => (
                  <li>
                    {r.callTitle}：{p.l('公示期', 'notice')} {formatBeijing(r.current.noticeEndsAt)} →{' '}
                    {formatBeijing(r.proposed.noticeEndsAt)}；{p.l('质疑期', 'challenges')}{' '}
                    {formatBeijing(r.current.challengeDeadline)} →{' '}
                    {formatBeijing(r.proposed.challengeDeadline)}
                    <form
                      method="post"
                      action={`/officer/awards/${encodeURIComponent(r.awardId)}/windows`}
                      class="inline"
                    >
                      <Csrf p={p} />
                      <button type="submit" name="decision" value="apply">
                        {p.l('采用新期限', 'Apply the new ends')}
                      </button>{' '}
                      <button type="submit" name="decision" value="keep" class="secondary">
                        {p.l('保持原期限', 'Keep the current ends')}
                      </button>
                    </form>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <div class="cards">
            <section class="card">
              <h2>{p.l('机构审核', 'Organizations')}</h2>
              <p>
                {p.l(
                  `待审核：${more(pending.items.length, pending)} 家`,
                  `Waiting for approval: ${more(pending.items.length, pending)}`,
                )}
              </p>
              <a class="button" href="/officer/organizations">
                {p.l('审核注册', 'Review registrations')}
              </a>
            </section>
            <section class="card">
              <h2>{p.l('资金池', 'Fund pools')}</h2>
              <p>
                {p.l(
                  `${more(poolPage.items.length, poolPage)} 个，可用余额 ${formatYuan(available)}`,
                  `${more(poolPage.items.length, poolPage)} pools, ${formatYuan(available)} available`,
                )}
              </p>
              <a class="button" href="/officer/pools">
                {p.l('管理资金池', 'Manage pools')}
              </a>
            </section>
            <section class="card">
              <h2>{p.l('项目', 'Calls')}</h2>
              <p>
                {p.l(
                  `草稿 ${count('draft')} 个，已发布 ${count('published')} 个，已截止 ${count('closed')} 个`,
                  `${count('draft')} drafts, ${count('published')} published, ${count('closed')} closed`,
                )}
              </p>
              <a class="button" href="/officer/calls">
                {p.l('管理项目', 'Manage calls')}
              </a>{' '}
              <a class="button secondary" href="/officer/calls/new">
                {p.l('新建项目', 'New call')}
              </a>
            </section>
            <section class="card">
              <h2>{p.l('评审与中标', 'Review and awards')}</h2>
              <p>
                {p.l(
                  '截止后在项目的“评审”页进行资格审查、抽取评审委员会、查看评分与排名、提出和确认中标建议、答复质疑。',
                  'After a deadline, a call’s review page holds screening, the panel draw, scores and ranking, award proposal and confirmation, and challenges.',
                )}
              </p>
              <a class="button" href="/officer/calls">
                {p.l('选择项目', 'Choose a call')}
              </a>{' '}
              <a class="button secondary" href="/notices">
                {p.l('结果公示', 'Award notices')}
              </a>
            </section>
            <section class="card">
              <h2>{p.l('合同、报告与拨付', 'Contracts, reports and payments')}</h2>
              <p>
                {p.l(
                  '为生效的中标（立项）签订合同，审核里程碑报告，进行绩效评价，按里程碑申请拨付。',
                  'Sign the contracts of final awards, review milestone reports, record evaluations and request payments per milestone.',
                )}
              </p>
              <a class="button" href="/officer/contracts">
                {p.l('合同与拨付', 'Contracts')}
              </a>{' '}
              <a class="button secondary" href="/officer/reports">
                {p.l('报告审核', 'Report review')}
              </a>{' '}
              <a class="button secondary" href="/finance/ledger">
                {p.l('资金台账', 'Ledger')}
              </a>{' '}
              <a class="button secondary" href="/finance/statistics">
                {p.l('服务统计', 'Statistics')}
              </a>
            </section>
            <section class="card">
              <h2>{p.l('账号', 'Accounts')}</h2>
              <p>
                {p.l(
                  '为评审专家、财务和监督人员开设账号。',
                  'Open accounts for reviewers, finance officers and auditors.',
                )}
              </p>
              <a class="button" href="/officer/users">
                {p.l('账号管理', 'Manage accounts')}
              </a>
            </section>
          </div>
        </Layout>,
      );
    }

    if (me.role === 'finance' || me.role === 'auditor') {
      const [poolPage, callPage, subtree] = await Promise.all([
        pools.list(me.jurisdictionPath, 100),
        me.role === 'auditor'
          ? calls.listUnder(me.jurisdictionPath, 100)
          : Promise.resolve({ items: [] as Call[] }),
        ref.subtree(me.jurisdictionId),
      ]);
      const names = new Map(subtree.map((j) => [j.id, j]));
      return render(
        c,
        <Layout p={p} title={title}>
          {intro}
          {done}
          <section class="card">
            <h2>{p.l('您可以', 'What you can do')}</h2>
            <p>
              {me.role === 'finance'
                ? p.l(
                    '查看本辖区资金池的预算、承诺和拨付情况；按里程碑审核并记录拨付。',
                    'Watch the budgets, commitments and payments of the pools in your jurisdiction; approve and record payments per milestone.',
                  )
                : p.l(
                    '只读查看本辖区的资金池、项目和审计记录；不能修改任何数据。',
                    'Read the pools, calls and audit trail of your jurisdiction; you cannot change anything.',
                  )}
            </p>
            <p class="actions">
              {me.role === 'finance' ? (
                <a class="button" href="/finance/disbursements">
                  {p.l('拨付审批与支付', 'Payment approvals')}
                </a>
              ) : (
                <>
                  <a class="button" href="/auditor/audit">
                    {p.l('审计记录', 'Audit trail')}
                  </a>
                  <a class="button secondary" href="/auditor/audit/verify">
                    {p.l('验证全部记录', 'Verify everything')}
                  </a>
                </>
              )}
              <a class="button secondary" href="/finance/ledger">
                {p.l('资金台账', 'Fund ledger')}
              </a>
              <a class="button secondary" href="/finance/statistics">
                {p.l('服务统计', 'Service statistics')}
              </a>
            </p>
          </section>
          <h2>{p.l('资金池', 'Fund pools')}</h2>
          <PoolsTable p={p} pools={poolPage.items} names={names} />
          {me.role === 'auditor' ? (
            <>
              <h2>{p.l('项目', 'Calls')}</h2>
              <CallsTable p={p} calls={callPage.items} now={now} />
            </>
          ) : null}
        </Layout>,
      );
    }

    // Reviewers see their own record only.
    return render(
      c,
      <Layout p={p} title={title}>
        {intro}
        {done}
        <section class="card">
          <h2>{p.l('您可以', 'What you can do')}</h2>
          <ul>
            <li>
              {p.l(
                '被抽取进入评审委员会后，在此声明回避情况并对分配给您的投标或申报独立评分。',
                'When you are drawn onto a panel, declare conflicts of interest here and score the submissions assigned to you, independently.',
              )}
            </li>
            <li>
              <a href="/reviewer">{p.l('我的评审任务', 'My review assignments')}</a>
            </li>
            <li>
              <a href="/open-calls">{p.l('浏览公开项目', 'Browse the open calls')}</a>
            </li>
          </ul>
        </section>
      </Layout>,
    );
  });
}
