/** Administrator page: accounts of any jurisdiction; new officers and administrators; disable / enable. */
import type { Context } from 'hono';
import { formatBeijing } from '../../../shared/domain/time';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { JurisdictionRepository } from '../../../shared/jurisdictions/repository';
import {
  createAccount,
  NewAccountSchema,
  PLATFORM_JURISDICTION,
  setAccountStatus,
} from '../../../shared/users/admin';
import { UserRepository } from '../../../shared/users/repository';
import { domainErrors, emptyForm, type FormState, pathResolver, readForm, zodErrors } from '../forms';
import { pick, ROLE } from '../i18n';
import { Badge, Csrf, ErrorSummary, Input, Layout, Notice, pageCtx, render, Select } from '../layout';
import type { PageRoute } from '../routes';

const FIELDS = ['username', 'password', 'name', 'role', 'jurisdictionId'];
const resolve = pathResolver(Object.fromEntries(FIELDS.map((k) => [k, k])));

export function accountPages(page: PageRoute, deps: Deps): void {
  const users = new UserRepository(deps.doc, deps.config.tableName);
  const jurisdictions = new JurisdictionRepository(deps.doc, deps.config.tableName);

  const listPage = async (c: Context<ApiEnv>, f: FormState, status: 200 | 404 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const where = (c.req.query('jurisdiction') ?? PLATFORM_JURISDICTION.id).trim();
    const jur = where === PLATFORM_JURISDICTION.id ? PLATFORM_JURISDICTION : await jurisdictions.get(where);
    const list = jur
      ? await users.listUnder(jur.path, 50, c.req.query('cursor') || undefined)
      : { items: [] };
    const here = `/system/users?jurisdiction=${encodeURIComponent(where)}`;
    return render(
      c,
      <Layout p={p} title={p.l('账号管理', 'Accounts')}>
        <Notice p={p} done={c.req.query('done')} />
        <form method="get" action="/system/users" class="inline">
          <label for="f-jurisdiction">
            {p.l('辖区代码（platform = 系统管理员）', 'Division code (platform = administrators)')}
          </label>{' '}
          <input id="f-jurisdiction" name="jurisdiction" value={where} />{' '}
          <button type="submit" class="secondary">
            {p.l('查看', 'Show')}
          </button>
        </form>
        {!jur ? <p class="notice warn">{p.l('没有这个辖区。', 'No such jurisdiction.')}</p> : null}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{p.l('姓名', 'Name')}</th>
                <th>{p.l('用户名', 'Username')}</th>
                <th>{p.l('角色', 'Role')}</th>
                <th>{p.l('辖区', 'Jurisdiction')}</th>
                <th>{p.l('创建时间', 'Created')}</th>
                <th>{p.l('状态', 'Status')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((u) => (
                <tr>
                  <td>{u.name}</td>
                  <td>{u.username}</td>
                  <td>{pick(p.lang, ROLE[u.role])}</td>
                  <td>{u.jurisdictionId}</td>
                  <td>{formatBeijing(u.createdAt)}</td>
                  <td>
                    <Badge
                      kind={u.status === 'active' ? 'approved' : 'rejected'}
                      text={u.status === 'active' ? p.l('启用', 'Active') : p.l('已停用', 'Disabled')}
                    />{' '}
                    <form
                      method="post"
                      action={`/system/users/${encodeURIComponent(u.id)}/${u.status === 'active' ? 'disable' : 'enable'}`}
                      class="inline"
                    >
                      <Csrf p={p} />
                      <input type="hidden" name="version" value={String(u.version)} />
                      <input type="hidden" name="back" value={here} />
                      <button type="submit" class="secondary">
                        {u.status === 'active' ? p.l('停用', 'Disable') : p.l('启用', 'Enable')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {'nextCursor' in list && list.nextCursor ? (
          <p class="pager">
            <a href={`${here}&cursor=${encodeURIComponent(list.nextCursor)}`}>{p.l('下一页', 'Next page')}</a>
          </p>
        ) : null}
        <h2 id="new">{p.l('新建账号', 'New account')}</h2>
        <form method="post" action="/system/users" class="stack" novalidate>
          <Csrf p={p} />
          <ErrorSummary p={p} f={f} />
          <fieldset>
            <legend>
              {p.l('民政局项目官员或系统管理员', 'Programme officer or platform administrator')}
            </legend>
            <div class="grid">
              <Input p={p} f={f} name="name" required maxlength={50} />
              <Select
                p={p}
                f={f}
                name="role"
                options={(['officer', 'admin'] as const).map((r) => ({
                  value: r,
                  text: pick(p.lang, ROLE[r]),
                }))}
              />
              <Input
                p={p}
                f={f}
                name="jurisdictionId"
                hint={p.l('项目官员所属辖区的区划代码', "The officer's division code")}
              />
              <Input p={p} f={f} name="username" required autocomplete="off" />
              <Input p={p} f={f} name="password" type="password" required autocomplete="new-password" />
            </div>
          </fieldset>
          <div class="actions">
            <button type="submit">{p.l('创建账号', 'Create the account')}</button>
          </div>
        </form>
      </Layout>,
      status,
    );
  };

  page('get', '/system/users', (c) => listPage(c, emptyForm({ role: 'officer' })));

  page('post', '/system/users', async (c) => {
    const values = await readForm(c);
    const { password: _pw, ...kept } = values;
    const parsed = NewAccountSchema.safeParse({
      username: (values.username ?? '').trim(),
      password: values.password ?? '',
      name: values.name ?? '',
      role: values.role ?? '',
      ...(values.jurisdictionId?.trim() ? { jurisdictionId: values.jurisdictionId.trim() } : {}),
    });
    if (!parsed.success) return listPage(c, { values: kept, errors: zodErrors(parsed.error, resolve) }, 422);
    try {
      await createAccount(deps, principalOf(c), parsed.data);
    } catch (e) {
      if ((e as { status?: number }).status === 404)
        return listPage(
          c,
          {
            values: kept,
            errors: [{ name: 'jurisdictionId', zh: '没有这个辖区', en: 'No such jurisdiction.' }],
          },
          422,
        );
      return listPage(c, { values: kept, errors: domainErrors(e, resolve) }, 409);
    }
    return c.redirect('/system/users?done=user-created', 303);
  });

  for (const [verb, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    page('post', `/system/users/:id/${verb}`, async (c) => {
      const v = await readForm(c);
      try {
        await setAccountStatus(deps, principalOf(c), c.req.param('id') ?? '', status, Number(v.version));
      } catch (e) {
        return listPage(c, { values: {}, errors: domainErrors(e, resolve) }, 409);
      }
      const back = v.back?.startsWith('/system/users?') ? v.back : '/system/users?';
      return c.redirect(`${back}&done=account-${verb}d`, 303);
    });
  }
}
