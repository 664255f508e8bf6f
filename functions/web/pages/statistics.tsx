/**
 * The service statistics dashboard (服务统计) of a jurisdiction and year, for officers, finance and
 * auditors of that jurisdiction: totals, the months rolled up (visits by recipient category,
 * case / group / community work), the stations, the categories, and the station × month table of
 * one measure. Everything is read from the pre-aggregated counters the report approvals write
 * (two Queries for a county), never from the reports; charts are inline SVG with their tables.
 */

import { formatYuan } from '../../../shared/domain/money';
import { beijingToday } from '../../../shared/domain/time';
import { authorizeObject, principalOf } from '../../../shared/http/app';
import type { Deps } from '../../../shared/http/deps';
import type { ShapedCounters } from '../../../shared/statistics/model';
import { StatisticsService } from '../../../shared/statistics/service';
import { RECIPIENT_CATEGORIES } from '../../../shared/submissions/constants';
import { BarChart, ColumnChart, count, yuanAxis } from '../charts';
import { jurisdictionName, LEVEL, pick, RECIPIENT, SERVICE_OUTPUT, UNCLASSIFIED } from '../i18n';
import { Layout, type PageCtx, pageCtx, render } from '../layout';
import type { Reference } from '../reference';
import type { PageRoute } from '../routes';

const MEASURES = [
  'visits',
  'cases',
  'groups',
  'activities',
  'peopleServed',
  'resourcesLinkedFen',
  'reports',
] as const;
type Measure = (typeof MEASURES)[number];

const measureText = (p: PageCtx, m: Measure) =>
  m === 'resourcesLinkedFen'
    ? p.l('链接资源金额', 'Resources linked')
    : m === 'reports'
      ? p.l('已审核报告（份）', 'Approved reports')
      : pick(p.lang, SERVICE_OUTPUT[m]);

const measureOf = (c: ShapedCounters, m: Measure): number =>
  m === 'resourcesLinkedFen' ? c.resourcesLinkedFen : m === 'reports' ? c.reports : c[m].total;

const CATS = [...RECIPIENT_CATEGORIES, 'unclassified'] as const;
const catText = (p: PageCtx, k: (typeof CATS)[number]) =>
  pick(p.lang, k === 'unclassified' ? UNCLASSIFIED : RECIPIENT[k]);

export function statisticsPages(page: PageRoute, deps: Deps, ref: Reference): void {
  const service = new StatisticsService(deps);

  page('get', '/finance/statistics', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const current = Number(beijingToday(deps.now()).slice(0, 4));
    const yearAsked = Number(c.req.query('year'));
    const year = Number.isInteger(yearAsked) && yearAsked >= 2000 && yearAsked <= 2100 ? yearAsked : current;
    const measureAsked = c.req.query('measure') as Measure | undefined;
    const measure: Measure = measureAsked && MEASURES.includes(measureAsked) ? measureAsked : 'visits';
    const j = await service.jurisdiction(c.req.query('jurisdictionId') || me.jurisdictionId);
    authorizeObject(c, j, 'jurisdiction', (x) => ({ jurisdictionPath: x.path }));
    const [stats, subtree] = await Promise.all([service.read(j!, year), ref.subtree(me.jurisdictionId)]);
    const t = stats.total;
    const monthLabels = stats.months.map((m) => p.l(`${Number(m.slice(5))}月`, m.slice(5)));
    const fmtMeasure = (v: number) => (measure === 'resourcesLinkedFen' ? formatYuan(v) : count(v));
    const where = p.lang === 'zh' ? j!.name : j!.nameEn;
    const years = Array.from({ length: 5 }, (_, i) => current - i);
    if (!years.includes(year)) years.push(year);
    const choices = subtree.filter((x) => x.level !== 'village');
    const q = (over: Record<string, string | number>) =>
      `/finance/statistics?${new URLSearchParams(
        Object.entries({ jurisdictionId: j!.id, year, measure, ...over }).map(([k, v]) => [k, String(v)]),
      )}`;

    return render(
      c,
      <Layout p={p} title={p.l(`服务统计：${where} ${year} 年`, `Service statistics: ${where}, ${year}`)}>
        <form method="get" action="/finance/statistics" class="card">
          <div class="grid">
            <div class="field">
              <label for="f-jurisdictionId">{p.l('辖区', 'Jurisdiction')}</label>
              <select id="f-jurisdictionId" name="jurisdictionId">
                {choices.map((x) => (
                  <option value={x.id} selected={x.id === j!.id}>
                    {`${jurisdictionName(p.lang, x)}（${pick(p.lang, LEVEL[x.level])}）`}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-year">{p.l('年份', 'Year')}</label>
              <select id="f-year" name="year">
                {years.map((y) => (
                  <option value={String(y)} selected={y === year}>
                    {String(y)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="f-measure">
                {p.l('社工站 × 月份 表的指标', 'Measure of the station × month table')}
              </label>
              <select id="f-measure" name="measure">
                {MEASURES.map((m) => (
                  <option value={m} selected={m === measure}>
                    {measureText(p, m)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <button type="submit">{p.l('查看', 'Show')}</button>
        </form>
        <p class="muted small">
          {p.l(
            `数据来自已审核的里程碑报告（预聚合，按社工站和月份逐级汇总至上级辖区）；本页读取 ${stats.queries} 次查询。`,
            `From approved milestone reports, pre-aggregated by station and month and rolled up the jurisdiction tree; this page took ${stats.queries} queries.`,
          )}
        </p>

        <div class="cards" id="totals">
          {(['visits', 'cases', 'groups', 'activities', 'peopleServed'] as const).map((o) => (
            <section class="card">
              <h3>{pick(p.lang, SERVICE_OUTPUT[o])}</h3>
              <p class="total" id={`total-${o}`}>
                {count(t[o].total)}
              </p>
            </section>
          ))}
          <section class="card">
            <h3>{p.l('链接资源金额', 'Resources linked')}</h3>
            <p class="total" id="total-resources">
              {formatYuan(t.resourcesLinkedFen)}
            </p>
          </section>
          <section class="card">
            <h3>{p.l('培训 / 督导', 'Training / supervision')}</h3>
            <p>
              {p.l(
                `培训 ${t.training.sessions} 次 ${t.training.hours} 小时；督导 ${t.supervision.sessions} 次 ${t.supervision.hours} 小时`,
                `Training ${t.training.sessions} sessions, ${t.training.hours} h; supervision ${t.supervision.sessions} sessions, ${t.supervision.hours} h`,
              )}
            </p>
          </section>
          <section class="card">
            <h3>{p.l('已审核报告', 'Approved reports')}</h3>
            <p class="total">{count(t.reports)}</p>
          </section>
        </div>

        <h2>{p.l('按月份', 'By month')}</h2>
        <ColumnChart
          id="chart-visits-month"
          stacked
          title={p.l('每月探访人次（按服务对象类别）', 'Visits per month, by recipient category')}
          summary={p.l(`${year} 年共探访 ${t.visits.total} 人次。`, `${t.visits.total} visits in ${year}.`)}
          labels={monthLabels}
          labelHead={p.l('月份', 'Month')}
          series={CATS.map((k) => ({
            name: catText(p, k),
            values: stats.rollup.map((r) => r.visits.byCategory[k]),
          }))}
          totalHead={p.l('合计', 'Total')}
          format={count}
        />
        <ColumnChart
          id="chart-work-month"
          title={p.l('每月个案、小组与社区活动', 'Case work, group work and community activities per month')}
          summary={p.l(
            `${year} 年个案工作 ${t.cases.total} 个，小组工作 ${t.groups.total} 个，社区活动 ${t.activities.total} 场。`,
            `${year}: ${t.cases.total} case works, ${t.groups.total} group works, ${t.activities.total} community activities.`,
          )}
          labels={monthLabels}
          labelHead={p.l('月份', 'Month')}
          series={(['cases', 'groups', 'activities'] as const).map((o) => ({
            name: pick(p.lang, SERVICE_OUTPUT[o]),
            values: stats.rollup.map((r) => r[o].total),
          }))}
          format={count}
        />

        <h2>{p.l('按服务对象类别', 'By recipient category')}</h2>
        <BarChart
          id="chart-categories"
          title={p.l('探访人次与服务人数（按类别）', 'Visits and people served, by category')}
          summary={p.l(
            `探访 ${t.visits.total} 人次，服务 ${t.peopleServed.total} 人。`,
            `${t.visits.total} visits, ${t.peopleServed.total} people served.`,
          )}
          labels={CATS.map((k) => catText(p, k))}
          labelHead={p.l('类别', 'Category')}
          series={[
            { name: pick(p.lang, SERVICE_OUTPUT.visits), values: CATS.map((k) => t.visits.byCategory[k]) },
            {
              name: pick(p.lang, SERVICE_OUTPUT.peopleServed),
              values: CATS.map((k) => t.peopleServed.byCategory[k]),
            },
          ]}
          format={count}
          tableFoot={
            <tr>
              <th scope="row">{p.l('合计', 'Total')}</th>
              <td class="num total">{count(t.visits.total)}</td>
              <td class="num total">{count(t.peopleServed.total)}</td>
            </tr>
          }
        />

        <h2>{p.l('按社工站', 'By station')}</h2>
        {stats.stations.length ? (
          <>
            <BarChart
              id="chart-stations"
              title={p.l(`各社工站${measureText(p, measure)}`, `${measureText(p, measure)} per station`)}
              summary={p.l(
                `${stats.stations.length} 个社工站有已审核报告。`,
                `${stats.stations.length} stations have approved reports.`,
              )}
              labels={stats.stations.map((s) => s.stationName)}
              labelHead={p.l('社工站', 'Station')}
              series={[
                {
                  name: measureText(p, measure),
                  values: stats.stations.map((s) => measureOf(s.total, measure)),
                },
              ]}
              format={fmtMeasure}
              axisFormat={measure === 'resourcesLinkedFen' ? yuanAxis(p.lang) : undefined}
            />
            <h3 id="matrix-h">
              {p.l(
                `社工站 × 月份：${measureText(p, measure)}`,
                `Station × month: ${measureText(p, measure)}`,
              )}
            </h3>
            <p class="small">
              {MEASURES.filter((m) => m !== measure).map((m) => (
                <>
                  <a href={`${q({ measure: m })}#matrix-h`}>{measureText(p, m)}</a>{' '}
                </>
              ))}
            </p>
            <div class="table-wrap">
              <table id="matrix">
                <thead>
                  <tr>
                    <th scope="col">{p.l('社工站', 'Station')}</th>
                    {monthLabels.map((m) => (
                      <th scope="col" class="num">
                        {m}
                      </th>
                    ))}
                    <th scope="col" class="num">
                      {p.l('合计', 'Total')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {stats.stations.map((s) => (
                    <tr>
                      <th scope="row">{s.stationName}</th>
                      {s.months.map((m) => (
                        <td class="num">{fmtMeasure(measureOf(m, measure))}</td>
                      ))}
                      <td class="num total">{fmtMeasure(measureOf(s.total, measure))}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">{p.l(`${where}（汇总）`, `${where} (rolled up)`)}</th>
                    {stats.rollup.map((m) => (
                      <td class="num total">{fmtMeasure(measureOf(m, measure))}</td>
                    ))}
                    <td class="num total">{fmtMeasure(measureOf(t, measure))}</td>
                  </tr>
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p class="card muted">
            {p.l(
              '该辖区本年度尚无已审核的报告。其他年份：',
              'No approved reports in this jurisdiction for the year. Other years: ',
            )}
            {years
              .filter((y) => y !== year)
              .map((y) => (
                <>
                  <a href={q({ year: y })}>{String(y)}</a>{' '}
                </>
              ))}
          </p>
        )}
      </Layout>,
    );
  });
}
