/** Officer page: registered organizations of the jurisdiction, approval queue with approve / reject. */
import type { Context } from 'hono';
import { formatBeijing } from '../../../shared/domain/time';
import { StaleVersionError } from '../../../shared/errors';
import { authorizeObject, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import type { Organization } from '../../../shared/organizations/model';
import { OrganizationRepository } from '../../../shared/organizations/repository';
import { domainErrors, emptyForm, type FormState, readForm } from '../forms';
import { FIELD, jurisdictionName, ORG_STATUS, pick } from '../i18n';
import { Badge, Csrf, ErrorSummary, FieldErrors, hasError, Layout, Notice, pageCtx, render } from '../layout';
import type { Reference } from '../reference';
import type { PageRoute } from '../routes';

export function organizationPages(page: PageRoute, deps: Deps, ref: Reference): void {
  const orgs = new OrganizationRepository(deps.doc, deps.config.tableName);

  const listPage = async (c: Context<ApiEnv>, f: FormState, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const officer = principalOf(c);
    const all = c.req.query('status') === 'all';
    const cursor = c.req.query('cursor');
    const list = await orgs.list(officer.jurisdictionPath, !all, 50, cursor || undefined);
    const names = await ref.names(list.items.map((o) => o.jurisdictionId));
    const facts = (o: Organization) => (
      <dl class="facts">
        <dt>{pick(p.lang, FIELD['organization.creditCode']!)}</dt>
        <dd>{o.creditCode}</dd>
        <dt>{pick(p.lang, FIELD['organization.jurisdictionId']!)}</dt>
        <dd>{jurisdictionName(p.lang, names.get(o.jurisdictionId))}</dd>
        <dt>{pick(p.lang, FIELD['organization.contactName']!)}</dt>
        <dd>
          {o.contactName}　{o.contactPhone}
          {o.contactEmail ? `　${o.contactEmail}` : ''}
        </dd>
        <dt>{p.l('注册时间', 'Registered')}</dt>
        <dd>{formatBeijing(o.createdAt)}</dd>
      </dl>
    );
    return render(
      c,
      <Layout p={p} title={p.l('机构审核', 'Organizations')}>
        <Notice p={p} done={c.req.query('done')} />
        <nav class="actions" aria-label={p.l('筛选', 'Filter')}>
          <a
            href="/officer/organizations"
            aria-current={all ? undefined : 'page'}
            class={all ? 'button secondary' : 'button'}
          >
            {p.l('待审核', 'Pending')}
          </a>
          <a
            href="/officer/organizations?status=all"
            aria-current={all ? 'page' : undefined}
            class={all ? 'button' : 'button secondary'}
          >
            {p.l('全部机构', 'All organizations')}
          </a>
        </nav>
        <ErrorSummary p={p} f={{ values: f.values, errors: f.errors.filter((e) => !e.name) }} />
        {!list.items.length ? (
          <p class="card muted">
            {all
              ? p.l('您的辖区还没有注册的机构。', 'No organizations are registered in your jurisdiction yet.')
              : p.l('没有待审核的机构。', 'No registrations are waiting for approval.')}
          </p>
        ) : all ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{p.l('机构名称', 'Organization')}</th>
                  <th>{pick(p.lang, FIELD['organization.creditCode']!)}</th>
                  <th>{p.l('辖区', 'Jurisdiction')}</th>
                  <th>{p.l('状态', 'Status')}</th>
                  <th>{p.l('审核时间与理由', 'Decided, and why')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((o) => (
                  <tr>
                    <td>{o.name}</td>
                    <td>{o.creditCode}</td>
                    <td>{jurisdictionName(p.lang, names.get(o.jurisdictionId))}</td>
                    <td>
                      <Badge kind={o.status} text={pick(p.lang, ORG_STATUS[o.status])} />
                    </td>
                    <td>
                      {o.decidedAt ? formatBeijing(o.decidedAt) : ''}
                      {o.decisionReason ? ` ${o.decisionReason}` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          list.items.map((o) => {
            const reasonField = `reason.${o.id}`;
            return (
              <section class="card" aria-labelledby={`org-${o.id}`}>
                <h2 id={`org-${o.id}`}>{o.name}</h2>
                {facts(o)}
                <div class="actions">
                  <form method="post" action={`/officer/organizations/${encodeURIComponent(o.id)}/approve`}>
                    <Csrf p={p} />
                    <input type="hidden" name="version" value={String(o.version)} />
                    <button type="submit">{p.l('通过', 'Approve')}</button>
                  </form>
                </div>
                <form
                  method="post"
                  action={`/officer/organizations/${encodeURIComponent(o.id)}/reject`}
                  class={`decide${hasError(f, reasonField) ? ' invalid' : ''}`}
                >
                  <Csrf p={p} />
                  <input type="hidden" name="version" value={String(o.version)} />
                  <label for={`f-${reasonField}`}>{pick(p.lang, FIELD.reason!)}</label>
                  <div>
                    <textarea id={`f-${reasonField}`} name="reason" rows={2} maxlength={500}>
                      {f.values[reasonField] ?? ''}
                    </textarea>
                    <FieldErrors p={p} f={f} name={reasonField} />
                  </div>
                  <span />
                  <div>
                    <button type="submit" class="danger">
                      {p.l('不予通过', 'Reject')}
                    </button>
                  </div>
                </form>
              </section>
            );
          })
        )}
        {list.nextCursor ? (
          <p class="pager">
            <a
              href={`/officer/organizations?${all ? 'status=all&' : ''}cursor=${encodeURIComponent(list.nextCursor)}`}
            >
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
      status,
    );
  };

  page('get', '/officer/organizations', (c) => listPage(c, emptyForm()));

  for (const decision of ['approve', 'reject'] as const) {
    page('post', `/officer/organizations/:id/${decision}`, async (c) => {
      const id = c.req.param('id') ?? '';
      const org = authorizeObject(c, await orgs.get(id), 'organization');
      const values = await readForm(c);
      const reason = (values.reason ?? '').trim();
      const reasonField = `reason.${org.id}`;
      if (decision === 'reject' && !reason) {
        return listPage(
          c,
          {
            values: { [reasonField]: values.reason ?? '' },
            errors: [
              {
                name: reasonField,
                zh: '请填写不予通过的理由',
                en: 'Say why the registration is rejected.',
              },
            ],
          },
          422,
        );
      }
      if (reason.length > 500) {
        return listPage(
          c,
          {
            values: { [reasonField]: values.reason ?? '' },
            errors: [
              { name: reasonField, zh: '理由不能超过 500 字', en: 'Keep the reason within 500 characters.' },
            ],
          },
          422,
        );
      }
      const version = Number(values.version);
      try {
        if (!Number.isInteger(version) || version < 1) throw new StaleVersionError();
        await orgs.decide(
          org.id,
          version,
          decision === 'approve' ? 'approved' : 'rejected',
          principalOf(c).userId,
          deps.now().toISOString(),
          decision === 'reject' ? reason : undefined,
        );
      } catch (e) {
        const errors = domainErrors(e, () => '').map((x) => ({
          ...x,
          zh: `${org.name}：${x.zh}`,
          en: `${org.name}: ${x.en}`,
        }));
        return listPage(c, { values: { [reasonField]: values.reason ?? '' }, errors }, 409);
      }
      return c.redirect(
        `/officer/organizations?done=${decision === 'approve' ? 'approved' : 'rejected'}`,
        303,
      );
    });
  }
}
