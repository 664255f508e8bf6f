/** Administrator pages: the jurisdiction tree (省 → 市 → 县 → 乡 → 村) — browse, add, rename. */
import type { Context } from 'hono';
import { NotFoundError } from '../../../shared/errors';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { childLevel, LEVELS, type Level } from '../../../shared/jurisdictions/codes';
import {
  JurisdictionPatchSchema,
  JurisdictionService,
  NewJurisdictionSchema,
} from '../../../shared/jurisdictions/service';
import {
  domainErrors,
  emptyForm,
  type FormState,
  type FormValues,
  pathResolver,
  readForm,
  zodErrors,
} from '../forms';
import { LEVEL, pick } from '../i18n';
import { Badge, Csrf, ErrorSummary, Input, Layout, Notice, pageCtx, render, Select } from '../layout';
import type { PageRoute } from '../routes';

const resolve = pathResolver({
  id: 'divisionCode',
  name: 'divisionName',
  nameEn: 'divisionNameEn',
  level: 'level',
  parentId: 'parentId',
  version: '',
});

const optional = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);

export function jurisdictionPages(page: PageRoute, deps: Deps): void {
  const service = new JurisdictionService(deps);

  const levelOptions = (p: ReturnType<typeof pageCtx>, only?: Level) =>
    (only ? [only] : LEVELS).map((l) => ({ value: l, text: pick(p.lang, LEVEL[l]) }));

  /** The form that adds a division: under `parent` (its level fixed), or any level at the top. */
  const AddForm = (props: {
    p: ReturnType<typeof pageCtx>;
    f: FormState;
    parent?: { id: string; level: Level };
  }) => {
    const { p, f, parent } = props;
    const level = parent ? childLevel(parent.level) : undefined;
    if (parent && !level) return null;
    return (
      <form method="post" action="/system/jurisdictions" class="stack" novalidate>
        <Csrf p={p} />
        <ErrorSummary p={p} f={f} />
        <fieldset>
          <legend>{p.l('添加下级辖区', 'Add a division')}</legend>
          <div class="grid">
            <Input
              p={p}
              f={f}
              name="divisionCode"
              required
              hint={p.l(
                '省、市、县为 6 位，乡镇为 9 位，村为 12 位，且以上级代码开头',
                "6 digits to county, 9 for a township, 12 for a village, beginning with the parent's code",
              )}
            />
            <Input p={p} f={f} name="divisionName" required maxlength={50} />
            <Input p={p} f={f} name="divisionNameEn" maxlength={100} />
            <Select p={p} f={f} name="level" options={levelOptions(p, level)} />
            {parent ? (
              <>
                <input type="hidden" name="parentId" value={parent.id} />
                <input type="hidden" name="fromParent" value="1" />
              </>
            ) : (
              <Input p={p} f={f} name="parentId" />
            )}
          </div>
        </fieldset>
        <div class="actions">
          <button type="submit">{p.l('添加', 'Add')}</button>
        </div>
      </form>
    );
  };

  const topPage = async (c: Context<ApiEnv>, f: FormState, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const top = await service.repo.topLevel();
    return render(
      c,
      <Layout p={p} title={p.l('辖区管理', 'Jurisdictions')}>
        <Notice p={p} done={c.req.query('done')} />
        <ul>
          {top.map((j) => (
            <li>
              <a href={`/system/jurisdictions/${encodeURIComponent(j.id)}`}>
                {p.l(j.name, j.nameEn)}（{pick(p.lang, LEVEL[j.level])} {j.id}）
              </a>
            </li>
          ))}
        </ul>
        <AddForm p={p} f={f} />
      </Layout>,
      status,
    );
  };

  const detailPage = async (
    c: Context<ApiEnv>,
    id: string,
    add: FormState,
    edit?: FormState,
    status: 200 | 404 | 409 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const j = await service.getJurisdiction(id);
    const f = edit ?? emptyForm({ divisionName: j.name, divisionNameEn: j.nameEn });
    return render(
      c,
      <Layout p={p} title={`${p.l(j.name, j.nameEn)}（${pick(p.lang, LEVEL[j.level])}）`}>
        <Notice p={p} done={c.req.query('done')} />
        <p>
          {p.l('区划代码', 'Division code')} {j.id} · {p.l('路径', 'Path')} <code>{j.path}</code>
          {j.parentId ? (
            <>
              {' · '}
              <a href={`/system/jurisdictions/${encodeURIComponent(j.parentId)}`}>{p.l('上级', 'Parent')}</a>
            </>
          ) : (
            <>
              {' · '}
              <a href="/system/jurisdictions">{p.l('全部辖区', 'All divisions')}</a>
            </>
          )}
        </p>
        <form
          method="post"
          action={`/system/jurisdictions/${encodeURIComponent(j.id)}`}
          class="stack"
          novalidate
        >
          <Csrf p={p} />
          <ErrorSummary p={p} f={f} />
          <input type="hidden" name="version" value={String(j.version)} />
          <div class="grid">
            <Input p={p} f={f} name="divisionName" required maxlength={50} />
            <Input p={p} f={f} name="divisionNameEn" maxlength={100} />
          </div>
          <div class="actions">
            <button type="submit">{p.l('保存名称', 'Save the name')}</button>
          </div>
        </form>
        <h2>{p.l('下级辖区', 'Divisions below')}</h2>
        <ul>
          {j.children.map((k) => (
            <li>
              <a href={`/system/jurisdictions/${encodeURIComponent(k.id)}`}>
                {p.l(k.name, k.nameEn)}（{k.id}）
              </a>
            </li>
          ))}
        </ul>
        <AddForm p={p} f={add} parent={j} />
        <h2>{p.l('社工站', 'Social-work stations')}</h2>
        <ul>
          {j.stations.map((s) => (
            <li>
              {s.name}{' '}
              <Badge
                kind={s.status === 'open' ? 'approved' : 'rejected'}
                text={s.status === 'open' ? p.l('运行中', 'Open') : p.l('已关闭', 'Closed')}
              />
            </li>
          ))}
        </ul>
      </Layout>,
      status,
    );
  };

  const input = (v: FormValues) => ({
    id: (v.divisionCode ?? '').trim(),
    name: v.divisionName ?? '',
    ...(optional(v.divisionNameEn) ? { nameEn: optional(v.divisionNameEn) } : {}),
    level: v.level ?? '',
    ...(optional(v.parentId) ? { parentId: optional(v.parentId) } : {}),
  });

  page('get', '/system/jurisdictions', (c) => topPage(c, emptyForm({ level: 'province' })));

  page('post', '/system/jurisdictions', async (c) => {
    const values = await readForm(c);
    const parentId = optional(values.parentId);
    const again = (f: FormState, status: 409 | 422) =>
      parentId && values.fromParent !== undefined
        ? detailPage(c, parentId, f, undefined, status)
        : topPage(c, f, status);
    const parsed = NewJurisdictionSchema.safeParse(input(values));
    if (!parsed.success) return again({ values, errors: zodErrors(parsed.error, resolve) }, 422);
    try {
      const j = await service.createJurisdiction(principalOf(c), parsed.data);
      return c.redirect(`/system/jurisdictions/${encodeURIComponent(j.id)}?done=jurisdiction-created`, 303);
    } catch (e) {
      return again(
        { values, errors: domainErrors(e, resolve) },
        (e as { status?: number }).status === 409 ? 409 : 422,
      );
    }
  });

  page('get', '/system/jurisdictions/:id', (c) => detailPage(c, c.req.param('id') ?? '', emptyForm()));

  page('post', '/system/jurisdictions/:id', async (c) => {
    const id = c.req.param('id') ?? '';
    const values = await readForm(c);
    const parsed = JurisdictionPatchSchema.safeParse({
      version: Number(values.version),
      ...(values.divisionName !== undefined ? { name: values.divisionName } : {}),
      ...(optional(values.divisionNameEn) ? { nameEn: optional(values.divisionNameEn) } : {}),
    });
    if (!parsed.success)
      return detailPage(c, id, emptyForm(), { values, errors: zodErrors(parsed.error, resolve) }, 422);
    try {
      await service.updateJurisdiction(principalOf(c), id, parsed.data);
    } catch (e) {
      if (e instanceof NotFoundError) throw e;
      return detailPage(c, id, emptyForm(), { values, errors: domainErrors(e, resolve) }, 409);
    }
    return c.redirect(`/system/jurisdictions/${encodeURIComponent(id)}?done=jurisdiction-saved`, 303);
  });
}
