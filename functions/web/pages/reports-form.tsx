/**
 * The milestone report form (里程碑报告), shared by filing and resubmitting: outputs by form (rows)
 * and by recipient category (columns; all five or none), resources linked typed in yuan and kept in
 * integer fen, training and supervision sessions and hours and the narrative (evidence documents are
 * uploaded on the report's page once it is filed).
 * The domain's messages (a breakdown that does not add up names both numbers) land beside the row
 * or the field that produced them; the typed values are kept.
 */
import type * as z from 'zod/mini';
import { formatYuan } from '../../../shared/domain/money';
import { type ReportFigures, ReportInputSchema, ReportResubmitSchema } from '../../../shared/reports/model';
import { RECIPIENT_CATEGORIES } from '../../../shared/submissions/constants';
import {
  FormReader,
  type FormState,
  type FormValues,
  type PageError,
  pathResolver,
  zodErrors,
} from '../forms';
import { FIELD, pick, RECIPIENT, REPORT_MILESTONE, SERVICE_OUTPUT } from '../i18n';
import { Cell, FieldErrors, hasError, Input, type Option, type PageCtx, Select, TextArea } from '../layout';

export const REPORT_OUTPUTS = ['visits', 'cases', 'groups', 'activities', 'peopleServed'] as const;
const SESSIONS = ['training', 'supervision'] as const;

/** Domain paths (`figures.visits.byCategory.other`, `body.` dropped) → form fields. */
const RESOLVE: Record<string, string> = {
  milestone: 'milestone',
  stationId: 'stationId',
  month: 'month',
  version: '',
  'figures.resourcesLinkedFen': 'resources',
  'figures.narrative': 'narrative',
};
for (const o of REPORT_OUTPUTS) {
  RESOLVE[`figures.${o}`] = `${o}.total`;
  RESOLVE[`figures.${o}.total`] = `${o}.total`;
  RESOLVE[`figures.${o}.byCategory`] = `${o}.by`;
  for (const c of RECIPIENT_CATEGORIES) RESOLVE[`figures.${o}.byCategory.${c}`] = `${o}.by.${c}`;
}
for (const s of SESSIONS) {
  RESOLVE[`figures.${s}`] = `${s}.sessions`;
  RESOLVE[`figures.${s}.sessions`] = `${s}.sessions`;
  RESOLVE[`figures.${s}.hours`] = `${s}.hours`;
}
export const resolveReportPath = pathResolver(RESOLVE);

/** Stored figures as the form's text (resubmitting a returned report). */
export function figuresToValues(f: ReportFigures): FormValues {
  const v: FormValues = {};
  for (const o of REPORT_OUTPUTS) {
    v[`${o}.total`] = String(f[o].total);
    const by = f[o].byCategory;
    if (by) for (const c of RECIPIENT_CATEGORIES) v[`${o}.by.${c}`] = String(by[c]);
  }
  v.resources = (f.resourcesLinkedFen / 100).toFixed(2);
  for (const s of SESSIONS) {
    v[`${s}.sessions`] = String(f[s].sessions);
    v[`${s}.hours`] = String(f[s].hours);
  }
  v.narrative = f.narrative;
  return v;
}

function readFigures(r: FormReader): Record<string, unknown> {
  const figures: Record<string, unknown> = {};
  for (const o of REPORT_OUTPUTS) {
    const total = r.int(`${o}.total`);
    const typed = RECIPIENT_CATEGORIES.filter((c) => r.text(`${o}.by.${c}`) !== '');
    let byCategory: Record<string, number | undefined> | undefined;
    if (typed.length) {
      byCategory = {};
      for (const c of RECIPIENT_CATEGORIES) {
        if (r.text(`${o}.by.${c}`) === '') {
          r.errors.push({
            name: `${o}.by.${c}`,
            zh: '按类别填写时五类都须填写（没有的填 0），或全部留空',
            en: 'Fill in all five categories (0 where none), or leave all five blank.',
          });
          continue;
        }
        byCategory[c] = r.int(`${o}.by.${c}`);
      }
    }
    figures[o] = byCategory ? { total, byCategory } : { total };
  }
  figures.resourcesLinkedFen = r.yuan('resources');
  for (const s of SESSIONS) figures[s] = { sessions: r.int(`${s}.sessions`), hours: r.int(`${s}.hours`) };
  figures.narrative = r.text('narrative');
  return figures;
}

/** A new report from the form: place (milestone, station, month) and figures. */
export function parseNewReport(values: FormValues) {
  const r = new FormReader(values);
  const raw = {
    milestone: r.text('milestone'),
    stationId: r.text('stationId'),
    month: r.text('month'),
    figures: readFigures(r),
  };
  return finish(r, ReportInputSchema.safeParse(raw));
}

/** A resubmission from the form: the figures again, with the version read. */
export function parseResubmission(values: FormValues) {
  const r = new FormReader(values);
  const raw = { version: Number(values.version), figures: readFigures(r) };
  return finish(r, ReportResubmitSchema.safeParse(raw));
}

type Parsed<T> = { success: true; data: T } | { success: false; error: z.core.$ZodError };

function finish<T>(r: FormReader, parsed: Parsed<T>): { input?: T; errors: PageError[] } {
  if (r.errors.length) return { errors: r.errors };
  if (!parsed.success) return { errors: zodErrors(parsed.error, resolveReportPath) };
  return { input: parsed.data, errors: [] };
}

const label = (p: PageCtx, name: string) => pick(p.lang, FIELD[name] ?? [name, name]);

/** The form's fields; `place` adds milestone, station and month (a new report). */
export function ReportFields(props: { p: PageCtx; f: FormState; place?: { stations: Option[] } }) {
  const { p, f, place } = props;
  return (
    <>
      {place ? (
        <fieldset>
          <legend>{p.l('报告范围', 'What the report covers')}</legend>
          <div class="grid">
            <Select
              p={p}
              f={f}
              name="milestone"
              options={(['midterm', 'final'] as const).map((m) => ({
                value: m,
                text: pick(p.lang, REPORT_MILESTONE[m]),
              }))}
              hint={p.l(
                '中期报告用于中期评估，末期报告用于末期评估。',
                'Mid-term reports feed the mid-term evaluation; final ones the final evaluation.',
              )}
            />
            <Select p={p} f={f} name="stationId" options={place.stations} />
            <Input
              p={p}
              f={f}
              name="month"
              required
              maxlength={7}
              hint={p.l('格式：年-月，如 2026-10', 'As year-month, e.g. 2026-10')}
            />
          </div>
        </fieldset>
      ) : null}
      <fieldset id="f-outputs">
        <legend>
          {p.l('服务产出（按服务形式和服务对象类别）', 'Service outputs (by form and recipient category)')}
        </legend>
        <p class="hint">
          {p.l(
            '每行填写合计；如按类别填写，五类须全部填写且相加等于合计（没有的填 0），否则全部留空。',
            'Give each total; a breakdown by category is optional, but if given, all five categories must be filled in (0 where none) and add up to the total.',
          )}
        </p>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{p.l('服务形式', 'Form of service')}</th>
                <th class="num">{p.l('合计', 'Total')}</th>
                {RECIPIENT_CATEGORIES.map((c) => (
                  <th class="num">{pick(p.lang, RECIPIENT[c])}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {REPORT_OUTPUTS.map((o) => (
                <>
                  <tr id={`f-${o}.by`} class={hasError(f, `${o}.by`) ? 'invalid' : undefined}>
                    <th scope="row">{pick(p.lang, SERVICE_OUTPUT[o])}</th>
                    <td>
                      <Cell p={p} f={f} name={`${o}.total`} inputmode="numeric" />
                    </td>
                    {RECIPIENT_CATEGORIES.map((c) => (
                      <td>
                        <Cell p={p} f={f} name={`${o}.by.${c}`} inputmode="numeric" />
                      </td>
                    ))}
                  </tr>
                  {hasError(f, `${o}.by`) ? (
                    <tr>
                      <td colspan={2 + RECIPIENT_CATEGORIES.length}>
                        <FieldErrors p={p} f={f} name={`${o}.by`} />
                      </td>
                    </tr>
                  ) : null}
                </>
              ))}
            </tbody>
          </table>
        </div>
      </fieldset>
      <fieldset>
        <legend>{p.l('资源链接、培训与督导', 'Resources, training and supervision')}</legend>
        <div class="grid">
          <Input
            p={p}
            f={f}
            name="resources"
            inputmode="decimal"
            required
            hint={p.l('以元为单位，精确到分，如 5,000.00', 'In yuan, exact to the fen, e.g. 5,000.00')}
          />
          {SESSIONS.flatMap((s) => [
            <Input p={p} f={f} name={`${s}.sessions`} inputmode="numeric" required />,
            <Input
              p={p}
              f={f}
              name={`${s}.hours`}
              inputmode="numeric"
              required
              hint={p.l('整数小时', 'Whole hours')}
            />,
          ])}
        </div>
      </fieldset>
      <fieldset>
        <legend>{p.l('服务情况', 'What was done')}</legend>
        <TextArea p={p} f={f} name="narrative" required rows={6} />
      </fieldset>
    </>
  );
}

/** The figures of a report, read-only. */
export function FiguresView({ p, figures }: { p: PageCtx; figures: ReportFigures }) {
  return (
    <>
      <div class="table-wrap">
        <table id="figures">
          <thead>
            <tr>
              <th>{p.l('服务形式', 'Form of service')}</th>
              <th class="num">{p.l('合计', 'Total')}</th>
              {RECIPIENT_CATEGORIES.map((c) => (
                <th class="num">{pick(p.lang, RECIPIENT[c])}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {REPORT_OUTPUTS.map((o) => {
              const by = figures[o].byCategory;
              return (
                <tr>
                  <th scope="row">{pick(p.lang, SERVICE_OUTPUT[o])}</th>
                  <td class="num total">{figures[o].total}</td>
                  {RECIPIENT_CATEGORIES.map((c) => (
                    <td class="num">{by ? by[c] : '—'}</td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <dl class="facts">
        <dt>{label(p, 'resources')}</dt>
        <dd>{formatYuan(figures.resourcesLinkedFen)}</dd>
        <dt>{p.l('培训', 'Training')}</dt>
        <dd>
          {p.l(
            `${figures.training.sessions} 次，${figures.training.hours} 小时`,
            `${figures.training.sessions} sessions, ${figures.training.hours} hours`,
          )}
        </dd>
        <dt>{p.l('督导', 'Supervision')}</dt>
        <dd>
          {p.l(
            `${figures.supervision.sessions} 次，${figures.supervision.hours} 小时`,
            `${figures.supervision.sessions} sessions, ${figures.supervision.hours} hours`,
          )}
        </dd>
        <dt>{label(p, 'narrative')}</dt>
        <dd>{figures.narrative}</dd>
      </dl>
    </>
  );
}
