/**
 * Officer pages: the social-work stations of the officer's subtree (county level or above) —
 * set up, edit (name, address, staff count, 一站一特色, open / closed), delete. The same service
 * as the JSON API checks the officer's level and scope on every write.
 */
import type { Context } from 'hono';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { STATION_LEVELS } from '../../../shared/jurisdictions/codes';
import type { Station } from '../../../shared/jurisdictions/model';
import {
  JurisdictionService,
  NewStationSchema,
  StationPatchSchema,
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
import { jurisdictionName } from '../i18n';
import { Badge, Csrf, ErrorSummary, Input, Layout, Notice, pageCtx, render, Select } from '../layout';
import { jurisdictionOptions, type Reference } from '../reference';
import type { PageRoute } from '../routes';

const resolve = pathResolver({
  jurisdictionId: 'jurisdictionId',
  name: 'stationName',
  address: 'address',
  staffCount: 'staffCount',
  feature: 'feature',
  status: 'stationStatus',
  version: '',
});

const trimmed = (v: string | undefined) => (v ?? '').trim();
/** An empty number field stays absent (or, when editing, clears the value). */
const count = (v: string | undefined) => (trimmed(v) === '' ? undefined : Number(trimmed(v)));

export function stationPages(page: PageRoute, deps: Deps, ref: Reference): void {
  const service = new JurisdictionService(deps);

  const StationFields = ({ p, f }: { p: ReturnType<typeof pageCtx>; f: FormState }) => (
    <>
      <Input p={p} f={f} name="stationName" required maxlength={60} />
      <Input p={p} f={f} name="address" maxlength={200} />
      <Input p={p} f={f} name="staffCount" type="number" inputmode="numeric" />
      <Input
        p={p}
        f={f}
        name="feature"
        maxlength={200}
        hint={p.l('例如：五室联动、爱心小屋、护童微座谈', 'e.g. five rooms working together, the caring hut')}
      />
    </>
  );

  const listPage = async (c: Context<ApiEnv>, f: FormState, status: 200 | 403 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const officer = principalOf(c);
    const subtree = await ref.subtree(officer.jurisdictionId);
    const here = subtree[0];
    const stations = here ? await service.repo.stationsUnder(here) : [];
    const names = new Map(subtree.map((j) => [j.id, j]));
    const places = subtree.filter((j) => STATION_LEVELS.includes(j.level));
    return render(
      c,
      <Layout p={p} title={p.l('社工站管理', 'Social-work stations')}>
        <Notice p={p} done={c.req.query('done')} />
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{p.l('社工站', 'Station')}</th>
                <th>{p.l('所在辖区', 'Jurisdiction')}</th>
                <th>{p.l('社工人数', 'Social workers')}</th>
                <th>{p.l('一站一特色', 'Signature programme')}</th>
                <th>{p.l('状态', 'Status')}</th>
              </tr>
            </thead>
            <tbody>
              {stations.map((s) => (
                <tr>
                  <td>
                    <a href={`/officer/stations/${encodeURIComponent(s.id)}`}>{s.name}</a>
                  </td>
                  <td>{jurisdictionName(p.lang, names.get(s.jurisdictionId))}</td>
                  <td>{s.staffCount ?? '—'}</td>
                  <td>{s.feature ?? '—'}</td>
                  <td>
                    <StatusBadge p={p} s={s} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h2 id="new">{p.l('设立社工站', 'Set up a station')}</h2>
        <form method="post" action="/officer/stations" class="stack" novalidate>
          <Csrf p={p} />
          <ErrorSummary p={p} f={f} />
          <div class="grid">
            <Select p={p} f={f} name="jurisdictionId" options={jurisdictionOptions(p.lang, places)} />
            <StationFields p={p} f={f} />
          </div>
          <div class="actions">
            <button type="submit">{p.l('设立', 'Set up')}</button>
          </div>
        </form>
      </Layout>,
      status,
    );
  };

  const editPage = async (c: Context<ApiEnv>, id: string, f?: FormState, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const s = await service.getStation(principalOf(c), id);
    const form =
      f ??
      emptyForm({
        stationName: s.name,
        address: s.address ?? '',
        staffCount: s.staffCount === undefined ? '' : String(s.staffCount),
        feature: s.feature ?? '',
        stationStatus: s.status ?? 'open',
      });
    return render(
      c,
      <Layout p={p} title={s.name}>
        <Notice p={p} done={c.req.query('done')} />
        <p>
          <StatusBadge p={p} s={s} /> · <a href="/officer/stations">{p.l('全部社工站', 'All stations')}</a>
        </p>
        <form method="post" action={`/officer/stations/${encodeURIComponent(s.id)}`} class="stack" novalidate>
          <Csrf p={p} />
          <ErrorSummary p={p} f={form} />
          <input type="hidden" name="version" value={String(s.version ?? 1)} />
          <div class="grid">
            <StationFields p={p} f={form} />
            <Select
              p={p}
              f={form}
              name="stationStatus"
              options={[
                { value: 'open', text: p.l('运行中', 'Open') },
                { value: 'closed', text: p.l('已关闭（保留记录）', 'Closed (its record is kept)') },
              ]}
            />
          </div>
          <div class="actions">
            <button type="submit">{p.l('保存', 'Save')}</button>
          </div>
        </form>
        <form method="post" action={`/officer/stations/${encodeURIComponent(s.id)}/delete`} class="inline">
          <Csrf p={p} />
          <input type="hidden" name="version" value={String(s.version ?? 1)} />
          <button type="submit" class="secondary">
            {p.l('删除（仅限没有履行中合同的社工站）', 'Delete (only a station with no open contract)')}
          </button>
        </form>
      </Layout>,
      status,
    );
  };

  page('get', '/officer/stations', (c) => listPage(c, emptyForm()));

  page('post', '/officer/stations', async (c) => {
    const values = await readForm(c);
    const parsed = NewStationSchema.safeParse({
      jurisdictionId: trimmed(values.jurisdictionId),
      name: values.stationName ?? '',
      ...(trimmed(values.address) ? { address: values.address } : {}),
      ...(count(values.staffCount) !== undefined ? { staffCount: count(values.staffCount) } : {}),
      ...(trimmed(values.feature) ? { feature: values.feature } : {}),
    });
    if (!parsed.success) return listPage(c, { values, errors: zodErrors(parsed.error, resolve) }, 422);
    let station: Station;
    try {
      station = await service.createStation(principalOf(c), parsed.data);
    } catch (e) {
      return listPage(c, { values, errors: domainErrors(e, resolve) }, 422);
    }
    return c.redirect(`/officer/stations/${encodeURIComponent(station.id)}?done=station-created`, 303);
  });

  page('get', '/officer/stations/:id', (c) => editPage(c, c.req.param('id') ?? ''));

  page('post', '/officer/stations/:id', async (c) => {
    const id = c.req.param('id') ?? '';
    const values: FormValues = await readForm(c);
    const parsed = StationPatchSchema.safeParse({
      version: Number(values.version),
      name: values.stationName ?? '',
      address: trimmed(values.address) ? values.address : null,
      staffCount: count(values.staffCount) ?? null,
      feature: trimmed(values.feature) ? values.feature : null,
      status: values.stationStatus ?? '',
    });
    if (!parsed.success) return editPage(c, id, { values, errors: zodErrors(parsed.error, resolve) }, 422);
    try {
      await service.updateStation(principalOf(c), id, parsed.data);
    } catch (e) {
      return editPage(c, id, { values, errors: domainErrors(e, resolve) }, 409);
    }
    return c.redirect(`/officer/stations/${encodeURIComponent(id)}?done=station-saved`, 303);
  });

  page('post', '/officer/stations/:id/delete', async (c) => {
    const id = c.req.param('id') ?? '';
    const values = await readForm(c);
    try {
      await service.deleteStation(principalOf(c), id, Number(values.version));
    } catch (e) {
      return editPage(c, id, { values: {}, errors: domainErrors(e, resolve) }, 409);
    }
    return c.redirect('/officer/stations?done=station-deleted', 303);
  });
}

function StatusBadge({ p, s }: { p: ReturnType<typeof pageCtx>; s: Station }) {
  const open = (s.status ?? 'open') === 'open';
  return (
    <Badge
      kind={open ? 'approved' : 'rejected'}
      text={open ? p.l('运行中', 'Open') : p.l('已关闭', 'Closed')}
    />
  );
}
