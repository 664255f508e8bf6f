import type { Context } from 'hono';
import { formatYuan } from '../../../shared/domain/money';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import type { Jurisdiction } from '../../../shared/jurisdictions/model';
import { POOL_SOURCE_KINDS, type Pool, PoolInputSchema } from '../../../shared/pools/model';
import { PoolRepository } from '../../../shared/pools/repository';
import { createPool } from '../../../shared/pools/service';
import {
  domainErrors,
  emptyForm,
  FormReader,
  type FormState,
  pathResolver,
  readForm,
  zodErrors,
} from '../forms';
import { FIELD, jurisdictionName, POOL_SOURCE, pick } from '../i18n';
import {
  Csrf,
  ErrorSummary,
  FieldErrors,
  hasError,
  Input,
  Layout,
  Notice,
  type PageCtx,
  pageCtx,
  render,
  Select,
} from '../layout';
import { jurisdictionOptions, type Reference } from '../reference';
import type { PageRoute } from '../routes';

export function PoolsTable({
  p,
  pools,
  names,
}: {
  p: PageCtx;
  pools: Pool[];
  names: Map<string, Jurisdiction>;
}) {
  if (!pools.length)
    return (
      <p class="card muted">
        {p.l('您的辖区还没有资金池。', 'There are no fund pools in your jurisdiction yet.')}
      </p>
    );
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{p.l('资金池', 'Pool')}</th>
            <th>{p.l('年度', 'Year')}</th>
            <th>{p.l('辖区', 'Jurisdiction')}</th>
            <th>{p.l('资金来源', 'Sources')}</th>
            <th class="num">{p.l('预算', 'Budget')}</th>
            <th class="num">{p.l('已承诺', 'Committed')}</th>
            <th class="num">{p.l('已拨付', 'Disbursed')}</th>
            <th class="num">{p.l('可用余额', 'Available')}</th>
          </tr>
        </thead>
        <tbody>
          {pools.map((x) => (
            <tr>
              <td>{x.name}</td>
              <td>{x.fiscalYear}</td>
              <td>{jurisdictionName(p.lang, names.get(x.jurisdictionId))}</td>
              <td>
                {x.sources
                  .map(
                    (s) =>
                      `${pick(p.lang, POOL_SOURCE[s.kind] ?? ['', s.kind])}${s.note ? p.l(`（${s.note}）`, ` (${s.note})`) : ''}`,
                  )
                  .join(p.l('；', '; '))}
              </td>
              <td class="num">{formatYuan(x.budgetFen)}</td>
              <td class="num">{formatYuan(x.committedFen)}</td>
              <td class="num">{formatYuan(x.disbursedFen)}</td>
              <td class="num">
                <strong>{formatYuan(x.budgetFen - x.committedFen)}</strong>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function poolPages(page: PageRoute, deps: Deps, ref: Reference): void {
  const pools = new PoolRepository(deps.doc, deps.config.tableName);

  const listPage = async (c: Context<ApiEnv>, f: FormState, status: 200 | 422 = 200) => {
    const p = pageCtx(c);
    const officer = principalOf(c);
    const cursor = c.req.query('cursor');
    const [list, subtree] = await Promise.all([
      pools.list(officer.jurisdictionPath, 50, cursor || undefined),
      ref.subtree(officer.jurisdictionId),
    ]);
    const names = new Map(subtree.map((j) => [j.id, j]));
    return render(
      c,
      <Layout p={p} title={p.l('资金池', 'Fund pools')}>
        <Notice p={p} done={c.req.query('done')} />
        <p class="muted">
          {p.l(
            '可用余额 = 预算 − 已承诺。任何立项和拨付都不得超过可用余额。',
            'Available = budget − committed. No award or payment may ever exceed what is available.',
          )}
        </p>
        <PoolsTable p={p} pools={list.items} names={names} />
        {list.nextCursor ? (
          <p class="pager">
            <a href={`/officer/pools?cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
        <h2 id="new">{p.l('新建资金池', 'New fund pool')}</h2>
        <form method="post" action="/officer/pools" class="stack" novalidate>
          <Csrf p={p} />
          <ErrorSummary p={p} f={f} />
          <fieldset>
            <legend>{p.l('资金池信息', 'The pool')}</legend>
            <Input p={p} f={f} name="pool.name" required maxlength={100} />
            <div class="grid">
              <Input p={p} f={f} name="fiscalYear" inputmode="numeric" required />
              <Input
                p={p}
                f={f}
                name="budget"
                inputmode="decimal"
                required
                hint={p.l(
                  '以元为单位，精确到分，如 1,200,000.00',
                  'In yuan, exact to the fen, e.g. 1,200,000.00',
                )}
              />
              <Select p={p} f={f} name="jurisdictionId" options={jurisdictionOptions(p.lang, subtree)} />
            </div>
          </fieldset>
          <fieldset id="f-sources" class={hasError(f, 'sources') ? 'invalid' : undefined}>
            <legend>{pick(p.lang, FIELD.sources!)}</legend>
            <FieldErrors p={p} f={f} name="sources" />
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{p.l('来源', 'Source')}</th>
                    <th>{p.l('说明（选填）', 'Note (optional)')}</th>
                  </tr>
                </thead>
                <tbody>
                  {POOL_SOURCE_KINDS.map((k) => (
                    <tr>
                      <td>
                        <input
                          type="checkbox"
                          id={`f-src.${k}`}
                          name={`src.${k}`}
                          checked={f.values[`src.${k}`] === 'on'}
                        />{' '}
                        <label for={`f-src.${k}`}>{pick(p.lang, POOL_SOURCE[k]!)}</label>
                      </td>
                      <td>
                        <input
                          type="text"
                          name={`srcnote.${k}`}
                          value={f.values[`srcnote.${k}`] ?? ''}
                          maxlength={200}
                          aria-label={`${pick(p.lang, POOL_SOURCE[k]!)} · ${p.l('说明', 'note')}`}
                        />
                        <FieldErrors p={p} f={f} name={`src.${k}`} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </fieldset>
          <div class="actions">
            <button type="submit">{p.l('创建资金池', 'Create the pool')}</button>
          </div>
        </form>
      </Layout>,
      status,
    );
  };

  page('get', '/officer/pools', (c) => {
    const officer = principalOf(c);
    const now = deps.now();
    return listPage(
      c,
      emptyForm({ fiscalYear: String(now.getUTCFullYear()), jurisdictionId: officer.jurisdictionId }),
    );
  });

  page('post', '/officer/pools', async (c) => {
    const officer = principalOf(c);
    const values = await readForm(c);
    const r = new FormReader(values);
    const fiscalYear = r.int('fiscalYear');
    const budgetFen = r.yuan('budget');
    const sources = POOL_SOURCE_KINDS.filter((k) => r.checked(`src.${k}`)).map((kind) => {
      const note = r.optional(`srcnote.${kind}`);
      return note ? { kind, note } : { kind };
    });
    const map: Record<string, string> = {
      name: 'pool.name',
      fiscalYear: 'fiscalYear',
      budgetFen: 'budget',
      jurisdictionId: 'jurisdictionId',
      sources: 'sources',
    };
    sources.forEach((s, i) => {
      map[`sources.${i}`] = `src.${s.kind}`;
    });
    const resolve = pathResolver(map);
    if (!sources.length)
      r.errors.push({ name: 'sources', zh: '请至少选择一个资金来源', en: 'Choose at least one source.' });
    if (r.errors.length) return listPage(c, { values, errors: r.errors }, 422);
    const parsed = PoolInputSchema.safeParse({
      name: r.text('pool.name'),
      sources,
      fiscalYear,
      jurisdictionId: r.text('jurisdictionId'),
      budgetFen,
    });
    if (!parsed.success) return listPage(c, { values, errors: zodErrors(parsed.error, resolve) }, 422);
    try {
      await createPool(deps, officer, parsed.data);
    } catch (e) {
      return listPage(c, { values, errors: domainErrors(e, resolve) }, 422);
    }
    return c.redirect('/officer/pools?done=created', 303);
  });
}
