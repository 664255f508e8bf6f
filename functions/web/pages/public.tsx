/** Pages anyone may open: start page, sign-in and sign-out, registration, language, open calls. */
import type { Context } from 'hono';
import { AuthService } from '../../../shared/auth/service';
import { type Call, callBudgetFen, effectiveStatus } from '../../../shared/calls/model';
import { CallRepository } from '../../../shared/calls/repository';
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import { NotFoundError, TooManyRequestsError, UnauthenticatedError } from '../../../shared/errors';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import type { Station } from '../../../shared/jurisdictions/model';
import { JurisdictionRepository } from '../../../shared/jurisdictions/repository';
import { RegistrationSchema } from '../../../shared/organizations/model';
import { OrganizationRepository } from '../../../shared/organizations/repository';
import { registerOrganization } from '../../../shared/organizations/service';
import {
  domainErrors,
  emptyForm,
  type FormState,
  type PageError,
  pathResolver,
  readForm,
  zodErrors,
} from '../forms';
import { CALL_KIND, isLang, jurisdictionName, pick } from '../i18n';
import { Csrf, ErrorSummary, Input, Layout, Notice, pageCtx, render, Select } from '../layout';
import { jurisdictionOptions, type Reference } from '../reference';
import type { PageRoute } from '../routes';
import {
  clearSessionCookies,
  refererPath,
  refreshTokenOf,
  rotateCsrf,
  safeNext,
  setLangCookie,
  setSessionCookies,
  webSession,
} from '../session';
import {
  AmendmentsList,
  CallFacts,
  LotsTable,
  Paragraphs,
  RubricTable,
  statusBadge,
  TermsList,
} from './call-view';

/** Source address for per-source sign-in throttling (API Gateway sets X-Forwarded-For). */
const sourceOf = (c: Context<ApiEnv>) => c.req.header('x-forwarded-for')?.split(',')[0]?.trim() || 'local';

export function publicPages(page: PageRoute, deps: Deps, ref: Reference): void {
  const table = deps.config.tableName;
  const auth = new AuthService(deps);
  const calls = new CallRepository(deps.doc, table);
  const jurisdictions = new JurisdictionRepository(deps.doc, table);
  const orgs = new OrganizationRepository(deps.doc, table);

  page('get', '/', (c) => {
    const p = pageCtx(c);
    if (p.viewer) return c.redirect('/home', 303);
    return render(
      c,
      <Layout p={p} title={p.l('欢迎使用', 'Welcome')}>
        <p>
          {p.l(
            '民政部门在此发布政府购买社会工作服务和公益创投项目；社会工作机构在线注册、查看项目并参与申报；评审、立项、合同与拨付全程留痕。',
            'Civil-affairs bureaus publish purchases of social-work services and public-benefit venture rounds here; social-work organizations register, find calls and take part; review, award, contracts and payments leave a full audit trail.',
          )}
        </p>
        <div class="cards">
          <section class="card">
            <h2>{p.l('公开项目', 'Open calls')}</h2>
            <p>{p.l('查看正在接受递交的项目。', 'See the calls now accepting submissions.')}</p>
            <a class="button" href="/open-calls">
              {p.l('查看项目', 'Browse calls')}
            </a>
          </section>
          <section class="card">
            <h2>{p.l('机构注册', 'Register an organization')}</h2>
            <p>
              {p.l(
                '社会工作机构注册后由所在地民政局审核。',
                'Social-work organizations register here; the local civil-affairs bureau approves them.',
              )}
            </p>
            <a class="button" href="/register">
              {p.l('注册', 'Register')}
            </a>
          </section>
          <section class="card">
            <h2>{p.l('登录', 'Sign in')}</h2>
            <p>
              {p.l(
                '机构、评审专家和民政、财政工作人员登录。',
                'For organizations, reviewers and bureau staff.',
              )}
            </p>
            <a class="button" href="/sign-in">
              {p.l('登录', 'Sign in')}
            </a>
          </section>
        </div>
      </Layout>,
    );
  });

  // Sign-in and sign-out.

  const signInPage = (c: Context<ApiEnv>, f: FormState, status: 200 | 401 | 422 | 429 = 200) => {
    const p = pageCtx(c);
    return render(
      c,
      <Layout p={p} title={p.l('登录', 'Sign in')}>
        <Notice p={p} done={c.req.query('done')} />
        <form method="post" action="/sign-in" class="card stack" novalidate>
          <Csrf p={p} />
          <input type="hidden" name="next" value={f.values.next ?? ''} />
          <ErrorSummary p={p} f={f} />
          <Input p={p} f={f} name="username" autocomplete="username" required />
          <Input p={p} f={f} name="password" type="password" autocomplete="current-password" required />
          <div class="actions">
            <button type="submit">{p.l('登录', 'Sign in')}</button>
            <a href="/register">
              {p.l('还没有账号？注册机构', 'No account yet? Register your organization')}
            </a>
          </div>
        </form>
      </Layout>,
      status,
    );
  };

  page('get', '/sign-in', (c) => {
    const next = safeNext(c.req.query('next'), '');
    if (webSession(c).principal) return c.redirect(next || '/home', 303);
    return signInPage(c, emptyForm({ next }));
  });

  page('post', '/sign-in', async (c) => {
    const values = await readForm(c);
    const username = (values.username ?? '').trim();
    const form = { next: safeNext(values.next, ''), username };
    if (!username || !values.password) {
      return signInPage(
        c,
        {
          values: form,
          errors: [{ name: '', zh: '请输入用户名和密码', en: 'Enter your username and password.' }],
        },
        422,
      );
    }
    try {
      const session = await auth.signIn(username, values.password, sourceOf(c));
      // A session already in this browser ends here: one browser, one refresh-token family.
      const previous = refreshTokenOf(c);
      if (previous) await auth.signOut(previous);
      setSessionCookies(c, session);
      rotateCsrf(c);
      return c.redirect(form.next || '/home', 303);
    } catch (e) {
      if (e instanceof UnauthenticatedError || e instanceof TooManyRequestsError) {
        if (e instanceof TooManyRequestsError) c.header('Retry-After', e.headers['Retry-After']);
        return signInPage(
          c,
          { values: form, errors: [{ name: '', en: e.message, zh: e.detailZh ?? e.message }] },
          e.status as 401 | 429,
        );
      }
      throw e;
    }
  });

  page('post', '/sign-out', async (c) => {
    const refresh = refreshTokenOf(c);
    if (refresh) await auth.signOut(refresh);
    clearSessionCookies(c);
    rotateCsrf(c);
    return c.redirect('/sign-in?done=signed-out', 303);
  });

  page('get', '/lang/:lang', (c) => {
    const lang = c.req.param('lang');
    if (isLang(lang)) setLangCookie(c, lang);
    return c.redirect(safeNext(c.req.query('next') ?? refererPath(c), '/'), 303);
  });

  // Registration of a social-work organization and its first applicant account.

  const registerPage = async (c: Context<ApiEnv>, f: FormState, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const all = (await ref.all()).filter((j) => j.level !== 'village');
    return render(
      c,
      <Layout p={p} title={p.l('社会工作机构注册', 'Register a social-work organization')}>
        <p>
          {p.l(
            '提交后由所在辖区的民政局审核；审核通过前即可登录查看状态。',
            'The civil-affairs bureau of your jurisdiction reviews the registration; you can sign in to follow its status meanwhile.',
          )}
        </p>
        <form method="post" action="/register" class="stack" novalidate>
          <Csrf p={p} />
          <ErrorSummary p={p} f={f} />
          <fieldset>
            <legend>{p.l('机构信息', 'The organization')}</legend>
            <Input p={p} f={f} name="organization.name" required maxlength={100} />
            <Input
              p={p}
              f={f}
              name="organization.creditCode"
              required
              maxlength={18}
              hint={p.l('18 位，见登记证书', '18 characters, as on the registration certificate')}
            />
            <Select
              p={p}
              f={f}
              name="organization.jurisdictionId"
              required
              blank={p.l('请选择', 'Choose')}
              options={jurisdictionOptions(p.lang, all)}
              hint={p.l(
                '机构登记所在的市、县（区）或乡镇（街道）',
                'The city, county or township where the organization is registered',
              )}
            />
            <div class="grid">
              <Input p={p} f={f} name="organization.contactName" required maxlength={50} />
              <Input
                p={p}
                f={f}
                name="organization.contactPhone"
                type="tel"
                required
                autocomplete="tel"
                hint={p.l('如 0392-5501234', 'e.g. 0392-5501234')}
              />
              <Input p={p} f={f} name="organization.contactEmail" type="email" autocomplete="email" />
            </div>
          </fieldset>
          <fieldset>
            <legend>{p.l('管理员账号', 'Your account')}</legend>
            <div class="grid">
              <Input p={p} f={f} name="displayName" required maxlength={50} autocomplete="name" />
              <Input
                p={p}
                f={f}
                name="username"
                required
                autocomplete="username"
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
                hint={p.l('至少 10 位', 'At least 10 characters')}
              />
              <Input p={p} f={f} name="password2" type="password" required autocomplete="new-password" />
            </div>
          </fieldset>
          <div class="actions">
            <button type="submit">{p.l('提交注册', 'Submit the registration')}</button>
          </div>
        </form>
      </Layout>,
      status,
    );
  };

  page('get', '/register', (c) => registerPage(c, emptyForm()));

  const REG_FIELDS = [
    'organization.name',
    'organization.creditCode',
    'organization.jurisdictionId',
    'organization.contactName',
    'organization.contactPhone',
    'organization.contactEmail',
    'username',
    'password',
    'displayName',
  ];
  const regResolve = pathResolver(Object.fromEntries(REG_FIELDS.map((k) => [k, k])));

  page('post', '/register', async (c) => {
    const values = await readForm(c);
    const { password: _p, password2: _p2, ...kept } = values;
    const v = (k: string) => (values[k] ?? '').trim();
    const parsed = RegistrationSchema.safeParse({
      organization: {
        name: v('organization.name'),
        creditCode: v('organization.creditCode'),
        jurisdictionId: v('organization.jurisdictionId'),
        contactName: v('organization.contactName'),
        contactPhone: v('organization.contactPhone'),
        ...(v('organization.contactEmail') ? { contactEmail: v('organization.contactEmail') } : {}),
      },
      username: v('username'),
      password: values.password ?? '',
      displayName: v('displayName'),
    });
    const errors: PageError[] = parsed.success ? [] : zodErrors(parsed.error, regResolve);
    if ((values.password ?? '') !== (values.password2 ?? ''))
      errors.push({ name: 'password2', zh: '两次输入的密码不一致', en: 'The two passwords differ.' });
    const jur = parsed.success ? await jurisdictions.get(parsed.data.organization.jurisdictionId) : undefined;
    if (parsed.success && (!jur || jur.level === 'village'))
      errors.push({
        name: 'organization.jurisdictionId',
        zh: '请选择市、县（区）或乡镇（街道）',
        en: 'Choose a city, county or township.',
      });
    if (errors.length || !parsed.success || !jur) return registerPage(c, { values: kept, errors }, 422);
    try {
      await registerOrganization(deps, parsed.data);
    } catch (e) {
      return registerPage(c, { values: kept, errors: domainErrors(e, regResolve) }, 409);
    }
    return c.redirect('/sign-in?done=registered', 303);
  });

  // Open calls: published calls only, never drafts.

  page('get', '/open-calls', async (c) => {
    const p = pageCtx(c);
    const now = deps.now();
    const cursor = c.req.query('cursor');
    const list = await calls.listOpen(now.toISOString(), 20, cursor || undefined);
    const names = await ref.names(list.items.map((x) => x.jurisdictionId));
    return render(
      c,
      <Layout p={p} title={p.l('公开项目', 'Open calls')}>
        <p class="muted">
          {p.l('以下项目正在发布中，按递交截止时间排列。', 'These calls are open, soonest deadline first.')}
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
                </tr>
              </thead>
              <tbody>
                {list.items.map((x) => (
                  <tr>
                    <td>
                      <a href={`/open-calls/${encodeURIComponent(x.id)}`}>{x.title}</a>
                    </td>
                    <td>{pick(p.lang, CALL_KIND[x.kind])}</td>
                    <td>{jurisdictionName(p.lang, names.get(x.jurisdictionId))}</td>
                    <td class="num">{formatYuan(callBudgetFen(x))}</td>
                    <td>{formatBeijing(x.periods.deadline)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="card muted">{p.l('目前没有正在发布的项目。', 'No calls are open at the moment.')}</p>
        )}
        {list.nextCursor ? (
          <p class="pager">
            <a href={`/open-calls?cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  page('get', '/open-calls/:id', async (c) => {
    const p = pageCtx(c);
    const call: Call | undefined = await calls.get(c.req.param('id') ?? '');
    if (!call || call.status === 'draft') throw new NotFoundError('call');
    const status = effectiveStatus(call, deps.now());
    const stationIds = [...new Set(call.lots.map((l) => l.stationId).filter((s): s is string => !!s))];
    const viewer = p.viewer;
    const [jur, amendments, stations, applicantOrg] = await Promise.all([
      ref.get(call.jurisdictionId),
      calls.amendments(call.id, 100).then((x) => x.items),
      Promise.all(stationIds.map((id) => jurisdictions.getStation(id))).then((xs) =>
        xs.filter((s): s is Station => !!s),
      ),
      // The "bid / apply" entry is offered to applicants of approved organizations only.
      viewer?.role === 'applicant' && viewer.orgId ? orgs.get(viewer.orgId) : Promise.resolve(undefined),
    ]);
    return render(
      c,
      <Layout p={p} title={call.title}>
        <p>
          {statusBadge(p, status)} {pick(p.lang, CALL_KIND[call.kind])}
        </p>
        <section class="card">
          <CallFacts p={p} call={call} status={status} jurisdiction={jur} />
        </section>
        <AmendmentsList p={p} amendments={amendments} />
        {call.description ? (
          <section>
            <h2>{p.l('项目说明', 'About the call')}</h2>
            <Paragraphs text={call.description} />
          </section>
        ) : null}
        {call.lots.length ? (
          <section>
            <h2>{p.l('标包与最高限价', 'Lots and ceiling prices')}</h2>
            <LotsTable p={p} call={call} stations={stations} />
          </section>
        ) : null}
        <section>
          <h2>{p.l('评分细则', 'Scoring rubric')}</h2>
          <RubricTable p={p} call={call} />
        </section>
        <section>
          <h2>{p.l('评审与付款', 'Review and payment')}</h2>
          <TermsList p={p} call={call} />
        </section>
        <p class="actions">
          {status === 'published' && p.viewer?.role === 'applicant' && applicantOrg?.status === 'approved' ? (
            <a class="button" href={`/applicant/submissions/new?call=${encodeURIComponent(call.id)}`}>
              {call.kind === 'purchase' ? p.l('投标', 'Submit a bid') : p.l('申报项目', 'Apply')}
            </a>
          ) : null}
          <a href="/open-calls">{p.l('返回项目列表', 'Back to the open calls')}</a>
        </p>
      </Layout>,
    );
  });
}
