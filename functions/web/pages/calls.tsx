/** Officer pages for calls: list, create, detail with the rubric editor, publish, amendments. */
import type { Context } from 'hono';
import { type Amendment, type Call, callBudgetFen, effectiveStatus } from '../../../shared/calls/model';
import { CallService } from '../../../shared/calls/service';
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import { ProblemError, RuleViolationError, StaleVersionError } from '../../../shared/errors';
import { authorizeObject, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { JurisdictionRepository } from '../../../shared/jurisdictions/repository';
import { PoolRepository } from '../../../shared/pools/repository';
import { domainErrors, emptyForm, type FormState, type PageError, readForm } from '../forms';
import { CALL_KIND, jurisdictionName, pick } from '../i18n';
import { Csrf, ErrorSummary, Layout, Notice, pageCtx, render } from '../layout';
import type { Reference } from '../reference';
import type { PageRoute } from '../routes';
import {
  CallForm,
  type CallFormData,
  callToValues,
  defaultCallValues,
  parseCreate,
  parsePatch,
} from './call-form';
import { AmendmentsList, CallFacts, LotsTable, RubricTable, statusBadge, TermsList } from './call-view';

export function callPages(page: PageRoute, deps: Deps, ref: Reference): void {
  const table = deps.config.tableName;
  const service = new CallService(deps);
  const calls = service.calls;
  const pools = new PoolRepository(deps.doc, table);
  const jurisdictions = new JurisdictionRepository(deps.doc, table);

  /** Pools, jurisdictions and stations of the officer's subtree, for the form's selects. */
  const formData = async (c: Context<ApiEnv>): Promise<CallFormData> => {
    const officer = principalOf(c);
    const [poolPage, subtree] = await Promise.all([
      pools.list(officer.jurisdictionPath, 100),
      ref.subtree(officer.jurisdictionId),
    ]);
    const root = subtree[0];
    const stations = root ? await jurisdictions.stationsUnder(root) : [];
    return { pools: poolPage.items, jurisdictions: subtree, stations };
  };

  page('get', '/officer/calls', async (c) => {
    const p = pageCtx(c);
    const officer = principalOf(c);
    const cursor = c.req.query('cursor');
    const list = await calls.listUnder(officer.jurisdictionPath, 25, cursor || undefined);
    const names = await ref.names(list.items.map((x) => x.jurisdictionId));
    const now = deps.now();
    return render(
      c,
      <Layout p={p} title={p.l('项目管理', 'Calls')}>
        <Notice p={p} done={c.req.query('done')} />
        <p class="actions">
          <a class="button" href="/officer/calls/new">
            {p.l('新建项目', 'New call')}
          </a>
        </p>
        {list.items.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{p.l('项目名称', 'Title')}</th>
                  <th>{p.l('类型', 'Kind')}</th>
                  <th>{p.l('辖区', 'Jurisdiction')}</th>
                  <th class="num">{p.l('预算', 'Budget')}</th>
                  <th>{p.l('递交截止', 'Deadline')}</th>
                  <th>{p.l('状态', 'Status')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((x) => (
                  <tr>
                    <td>
                      <a href={`/officer/calls/${encodeURIComponent(x.id)}`}>{x.title}</a>
                    </td>
                    <td>{pick(p.lang, CALL_KIND[x.kind])}</td>
                    <td>{jurisdictionName(p.lang, names.get(x.jurisdictionId))}</td>
                    <td class="num">{formatYuan(callBudgetFen(x))}</td>
                    <td>{formatBeijing(x.periods.deadline)}</td>
                    <td>{statusBadge(p, effectiveStatus(x, now))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="card muted">
            {p.l('您的辖区还没有项目。', 'There are no calls in your jurisdiction yet.')}
          </p>
        )}
        {list.nextCursor ? (
          <p class="pager">
            <a href={`/officer/calls?cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  const newPage = async (c: Context<ApiEnv>, f: FormState, status: 200 | 422 = 200) => {
    const p = pageCtx(c);
    const data = await formData(c);
    return render(
      c,
      <Layout p={p} title={p.l('新建项目', 'New call')}>
        {data.pools.length ? null : (
          <p class="alert">
            {p.l(
              '请先创建资金池：项目须有预算来源。',
              'Create a fund pool first: a call needs a budget to draw on.',
            )}{' '}
            <a href="/officer/pools">{p.l('前往资金池', 'Go to fund pools')}</a>
          </p>
        )}
        <CallForm p={p} f={f} mode="create" action="/officer/calls" data={data} />
      </Layout>,
      status,
    );
  };

  page('get', '/officer/calls/new', (c) =>
    newPage(c, emptyForm(defaultCallValues(deps.now(), principalOf(c).jurisdictionId))),
  );

  page('post', '/officer/calls', async (c) => {
    const values = await readForm(c);
    const { input, errors, resolve } = parseCreate(values);
    if (!input) return newPage(c, { values, errors }, 422);
    try {
      const call = await service.create(input, principalOf(c));
      return c.redirect(`/officer/calls/${encodeURIComponent(call.id)}?done=created`, 303);
    } catch (e) {
      return newPage(c, { values, errors: domainErrors(e, resolve) }, 422);
    }
  });

  const load = async (c: Context<ApiEnv>) =>
    authorizeObject(c, await calls.get(c.req.param('id') ?? ''), 'call');

  const detailPage = async (
    c: Context<ApiEnv>,
    call: Call,
    f: FormState,
    publishErrors: PageError[] = [],
    status: 200 | 409 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const st = effectiveStatus(call, deps.now());
    const [data, amendments] = await Promise.all([
      formData(c),
      call.status === 'draft'
        ? Promise.resolve([] as Amendment[])
        : calls.amendments(call.id, 100).then((x) => x.items),
    ]);
    const pool = data.pools.find((x) => x.id === call.poolId);
    const jur = data.jurisdictions.find((j) => j.id === call.jurisdictionId);
    const extra = pool
      ? [
          {
            term: p.l('资金池', 'Fund pool'),
            value: p.l(
              `${pool.name}（可用 ${formatYuan(pool.budgetFen - pool.committedFen)}）`,
              `${pool.name} (${formatYuan(pool.budgetFen - pool.committedFen)} available)`,
            ),
          },
        ]
      : [];
    return render(
      c,
      <Layout p={p} title={call.title}>
        <Notice p={p} done={c.req.query('done')} />
        <section class="card">
          <CallFacts p={p} call={call} status={st} jurisdiction={jur} extra={extra} />
          <ErrorSummary p={p} f={{ values: {}, errors: publishErrors }} />
          {st === 'draft' ? (
            <form
              method="post"
              action={`/officer/calls/${encodeURIComponent(call.id)}/publish`}
              class="actions"
            >
              <Csrf p={p} />
              <input type="hidden" name="version" value={String(call.version)} />
              <button type="submit">{p.l('发布项目', 'Publish the call')}</button>
              <span class="hint">
                {p.l(
                  '发布后项目将出现在公开项目页；资金池须有足够的可用余额。此后的修改均作为更正公告公开。',
                  'Once published the call appears on the open-calls page; the pool must have enough available. Later changes become public amendments.',
                )}
              </span>
            </form>
          ) : (
            <p class="actions">
              <a href={`/open-calls/${encodeURIComponent(call.id)}`}>
                {p.l('查看公开页面', 'View the public page')}
              </a>
              <a class="button" href={`/officer/calls/${encodeURIComponent(call.id)}/review`}>
                {p.l('评审与中标', 'Review and awards')}
              </a>
            </p>
          )}
        </section>
        <AmendmentsList p={p} amendments={amendments} />
        {st === 'closed' ? (
          <>
            <p class="card muted">
              {p.l('项目已截止，不能再修改。', 'The call has closed; it can no longer be changed.')}
            </p>
            <h2>{p.l('标包', 'Lots')}</h2>
            <LotsTable p={p} call={call} stations={data.stations} />
            <h2>{p.l('评分细则', 'Scoring rubric')}</h2>
            <RubricTable p={p} call={call} />
            <TermsList p={p} call={call} />
          </>
        ) : (
          <>
            <h2>
              {st === 'published'
                ? p.l('修改（更正公告）', 'Amend the call')
                : p.l('编辑草稿', 'Edit the draft')}
            </h2>
            <CallForm
              p={p}
              f={f}
              mode="edit"
              action={`/officer/calls/${encodeURIComponent(call.id)}`}
              data={data}
              call={call}
              published={st === 'published'}
            />
          </>
        )}
      </Layout>,
      status,
    );
  };

  page('get', '/officer/calls/:id', async (c) => {
    const call = await load(c);
    return detailPage(c, call, emptyForm(callToValues(call)));
  });

  page('post', '/officer/calls/:id', async (c) => {
    const call = await load(c);
    const values = await readForm(c);
    const { patch, errors, resolve } = parsePatch(values, call);
    if (!patch) return detailPage(c, call, { values, errors }, [], 422);
    try {
      await service.update(call, patch, principalOf(c));
      return c.redirect(`/officer/calls/${encodeURIComponent(call.id)}?done=saved`, 303);
    } catch (e) {
      const errs = domainErrors(e, resolve);
      return detailPage(c, call, { values, errors: errs }, [], statusOf(e));
    }
  });

  page('post', '/officer/calls/:id/publish', async (c) => {
    const call = await load(c);
    const version = Number((await readForm(c)).version);
    try {
      if (!Number.isInteger(version) || version < 1) throw new StaleVersionError();
      await service.publish(call, version, principalOf(c));
      return c.redirect(`/officer/calls/${encodeURIComponent(call.id)}?done=published`, 303);
    } catch (e) {
      return detailPage(c, call, emptyForm(callToValues(call)), publishErrors(e), statusOf(e));
    }
  });
}

const statusOf = (e: unknown): 409 | 422 => (e instanceof ProblemError && e.status === 409 ? 409 : 422);

/** Publishing errors, with a budget shortfall in yuan rather than raw fen. */
function publishErrors(e: unknown): PageError[] {
  if (e instanceof RuleViolationError && e.slug === 'insufficient-budget') {
    const need = formatYuan(Number(e.extra.neededFen ?? 0));
    const available = formatYuan(Number(e.extra.availableFen ?? 0));
    return [
      {
        name: '',
        zh: `项目预算 ${need} 超过资金池可用余额 ${available}，不能发布`,
        en: `The call needs ${need} but its pool has only ${available} available; it cannot be published.`,
      },
    ];
  }
  return domainErrors(e, () => '');
}
