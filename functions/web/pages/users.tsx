/** Officer page: accounts of the jurisdiction, and new reviewer, finance and auditor accounts. */
import type { Context } from 'hono';
import { formatBeijing } from '../../../shared/domain/time';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { UserRepository } from '../../../shared/users/repository';
import { createStaffUser, NewStaffSchema } from '../../../shared/users/service';
import { domainErrors, emptyForm, type FormState, pathResolver, readForm, zodErrors } from '../forms';
import { jurisdictionName, pick, ROLE } from '../i18n';
import { Csrf, ErrorSummary, Input, Layout, Notice, pageCtx, render, Select } from '../layout';
import { jurisdictionOptions, type Reference } from '../reference';
import type { PageRoute } from '../routes';

/** The accounts this page creates; officers of sub-jurisdictions are created through the API. */
export const STAFF_ROLES = ['reviewer', 'finance', 'auditor'] as const;

const FIELDS = ['username', 'password', 'name', 'role', 'jurisdictionId'];
const resolve = pathResolver(Object.fromEntries(FIELDS.map((k) => [k, k])));

export function userPages(page: PageRoute, deps: Deps, ref: Reference): void {
  const users = new UserRepository(deps.doc, deps.config.tableName);

  const listPage = async (c: Context<ApiEnv>, f: FormState, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const officer = principalOf(c);
    const cursor = c.req.query('cursor');
    const [list, subtree] = await Promise.all([
      users.listUnder(officer.jurisdictionPath, 50, cursor || undefined),
      ref.subtree(officer.jurisdictionId),
    ]);
    const names = new Map(subtree.map((j) => [j.id, j]));
    // Applicants belong to their organizations: the organizations page shows them.
    const staff = list.items.filter((u) => u.role !== 'applicant');
    return render(
      c,
      <Layout p={p} title={p.l('账号管理', 'Accounts')}>
        <Notice p={p} done={c.req.query('done')} />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{p.l('姓名', 'Name')}</th>
                <th>{p.l('用户名', 'Username')}</th>
                <th>{p.l('角色', 'Role')}</th>
                <th>{p.l('辖区', 'Jurisdiction')}</th>
                <th>{p.l('创建时间', 'Created')}</th>
              </tr>
            </thead>
            <tbody>
              {staff.map((u) => (
                <tr>
                  <td>{u.name}</td>
                  <td>{u.username}</td>
                  <td>{pick(p.lang, ROLE[u.role])}</td>
                  <td>{jurisdictionName(p.lang, names.get(u.jurisdictionId))}</td>
                  <td>{formatBeijing(u.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {list.nextCursor ? (
          <p class="pager">
            <a href={`/officer/users?cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
        <h2 id="new">{p.l('新建账号', 'New account')}</h2>
        <form method="post" action="/officer/users" class="stack" novalidate>
          <Csrf p={p} />
          <ErrorSummary p={p} f={f} />
          <fieldset>
            <legend>{p.l('评审专家、财务或监督人员', 'Reviewer, finance officer or auditor')}</legend>
            <div class="grid">
              <Input p={p} f={f} name="name" required maxlength={50} />
              <Select
                p={p}
                f={f}
                name="role"
                options={STAFF_ROLES.map((r) => ({ value: r, text: pick(p.lang, ROLE[r]) }))}
              />
              <Select p={p} f={f} name="jurisdictionId" options={jurisdictionOptions(p.lang, subtree)} />
              <Input
                p={p}
                f={f}
                name="username"
                required
                autocomplete="off"
                hint={p.l(
                  '3–40 位字母、数字、点、横线或下划线',
                  '3–40 letters, digits, dots, dashes or underscores',
                )}
              />
              <Input
                p={p}
                f={f}
                name="password"
                type="password"
                required
                autocomplete="new-password"
                hint={p.l('初始密码，至少 10 位', 'Initial password, at least 10 characters')}
              />
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

  page('get', '/officer/users', (c) =>
    listPage(c, emptyForm({ role: 'reviewer', jurisdictionId: principalOf(c).jurisdictionId })),
  );

  page('post', '/officer/users', async (c) => {
    const officer = principalOf(c);
    const values = await readForm(c);
    const { password: _pw, ...kept } = values;
    const parsed = NewStaffSchema.safeParse({
      username: (values.username ?? '').trim(),
      password: values.password ?? '',
      name: values.name ?? '',
      role: values.role ?? '',
      jurisdictionId: values.jurisdictionId ?? '',
    });
    if (!parsed.success) return listPage(c, { values: kept, errors: zodErrors(parsed.error, resolve) }, 422);
    const input = parsed.data;
    const jur = await ref.get(input.jurisdictionId);
    if (!jur?.path.startsWith(officer.jurisdictionPath))
      return listPage(
        c,
        {
          values: kept,
          errors: [
            {
              name: 'jurisdictionId',
              zh: '辖区不存在或不在您的管辖范围内',
              en: 'Unknown jurisdiction, or outside yours.',
            },
          ],
        },
        422,
      );
    try {
      await createStaffUser(deps, officer, input);
    } catch (e) {
      return listPage(c, { values: kept, errors: domainErrors(e, resolve) }, 409);
    }
    return c.redirect('/officer/users?done=user-created', 303);
  });
}
