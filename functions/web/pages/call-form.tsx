/**
 * The call form (create and edit): every part of a call, as plain HTML fields. Lots and rubric
 * indicators are table rows with a few blank rows to add more; blank rows are ignored; a blank
 * group cell means "same group as the row above". No script is needed.
 */
import { CALL_KINDS, MILESTONES } from '../../../shared/calls/constants';
import { CallInputSchema, type CallPatch, CallPatchSchema } from '../../../shared/calls/input';
import { type Call, type CallInput, centi } from '../../../shared/calls/model';
import { formatYuan } from '../../../shared/domain/money';
import { isoToBeijingLocal } from '../../../shared/domain/time';
import type { Jurisdiction, Station } from '../../../shared/jurisdictions/model';
import type { Pool } from '../../../shared/pools/model';
import {
  FormReader,
  type FormState,
  type FormValues,
  type PageError,
  pathResolver,
  type FormReader as Reader,
  rowIndices,
  zodErrors,
} from '../forms';
import { CALL_KIND, CATEGORY, FIELD, jurisdictionName, MILESTONE, pick, SCORING_METHOD } from '../i18n';
import {
  Cell,
  Checkbox,
  Csrf,
  ErrorSummary,
  FieldErrors,
  hasError,
  Input,
  type PageCtx,
  Select,
  TextArea,
} from '../layout';
import { jurisdictionOptions } from '../reference';

const yuanText = (fen: number) => formatYuan(fen).slice(1);
const DAY = 24 * 3600_000;

/** A new call starts from the usual settings: services, 5 members, 40/30/30, 30 days to the deadline. */
export function defaultCallValues(now: Date, officerJurisdictionId: string): FormValues {
  const at = (days: number, hour: number) => {
    const local = isoToBeijingLocal(new Date(now.getTime() + days * DAY).toISOString());
    return `${local.slice(0, 10)}T${String(hour).padStart(2, '0')}:00`;
  };
  return {
    kind: 'purchase',
    jurisdictionId: officerJurisdictionId,
    category: 'services',
    'periods.enquiryStartsAt': at(1, 9),
    'periods.enquiryEndsAt': at(20, 17),
    'periods.submissionOpensAt': at(1, 9),
    'periods.deadline': at(30, 17),
    'rubric.pricePoints': '10',
    'scoring.method': 'mean',
    'scoring.abnormalLowPercent': '20',
    'scoring.outlierPoints': '15',
    'scoring.committee.size': '5',
    'scoring.committee.experts': '4',
    'pay.signing': '40',
    'pay.midterm': '30',
    'pay.final': '30',
    noticeWorkingDays: '5',
    'venture.minScore': '60',
  };
}

export function callToValues(c: Call): FormValues {
  const v: FormValues = {
    kind: c.kind,
    poolId: c.poolId,
    jurisdictionId: c.jurisdictionId,
    title: c.title,
    description: c.description,
    category: c.category,
    priceFixed: c.priceFixed ? 'on' : '',
    'periods.enquiryStartsAt': isoToBeijingLocal(c.periods.enquiryStartsAt),
    'periods.enquiryEndsAt': isoToBeijingLocal(c.periods.enquiryEndsAt),
    'periods.submissionOpensAt': isoToBeijingLocal(c.periods.submissionOpensAt),
    'periods.deadline': isoToBeijingLocal(c.periods.deadline),
    'rubric.pricePoints': String(c.rubric.pricePoints),
    'scoring.method': c.scoring.method,
    'scoring.abnormalLowPercent': String(c.scoring.abnormalLowPercent),
    'scoring.outlierPoints': String(c.scoring.outlierPoints),
    'scoring.committee.size': String(c.scoring.committee.size),
    'scoring.committee.experts': String(c.scoring.committee.experts),
    'scoring.complex': c.scoring.complex ? 'on' : '',
    noticeWorkingDays: String(c.noticeWorkingDays),
    version: String(c.version),
  };
  c.lots.forEach((l, i) => {
    v[`lot.${i}.code`] = l.code;
    v[`lot.${i}.name`] = l.name;
    v[`lot.${i}.ceiling`] = yuanText(l.ceilingFen);
    v[`lot.${i}.station`] = l.stationId ?? '';
  });
  if (c.venture) {
    v['venture.total'] = yuanText(c.venture.totalFundingFen);
    v['venture.maxRequest'] = yuanText(c.venture.maxRequestFen);
    v['venture.minScore'] = String(c.venture.minScore);
  }
  let n = 0;
  for (const g of c.rubric.groups) {
    for (const i of g.indicators) {
      v[`ind.${n}.group`] = g.name;
      v[`ind.${n}.id`] = i.id;
      v[`ind.${n}.name`] = i.name;
      v[`ind.${n}.points`] = String(i.maxPoints);
      v[`ind.${n}.criteria`] = i.criteria;
      n++;
    }
  }
  for (const t of c.paymentTemplate) v[`pay.${t.milestone}`] = String(t.percent);
  return v;
}

/** Domain paths that are form fields of the same name. */
const SAME = [
  'kind',
  'poolId',
  'jurisdictionId',
  'title',
  'description',
  'category',
  'priceFixed',
  'periods.enquiryStartsAt',
  'periods.enquiryEndsAt',
  'periods.submissionOpensAt',
  'periods.deadline',
  'rubric.pricePoints',
  'scoring.method',
  'scoring.abnormalLowPercent',
  'scoring.outlierPoints',
  'scoring.committee.size',
  'scoring.committee.experts',
  'scoring.complex',
  'noticeWorkingDays',
  'amendmentReason',
  'venture.minScore',
  'version',
];

const isBlankRow = (values: FormValues, table: string, i: number, cols: string[]) =>
  cols.every((col) => !(values[`${table}.${i}.${col}`] ?? '').trim());

interface Parsed {
  fields?: Omit<CallInput, 'kind' | 'poolId' | 'jurisdictionId'>;
  map: Record<string, string>;
  errors: PageError[];
}

function parseFields(values: FormValues, kind: Call['kind']): Parsed {
  const r = new FormReader(values);
  const map: Record<string, string> = Object.fromEntries(SAME.map((k) => [k, k]));
  Object.assign(map, {
    lots: 'lots',
    venture: 'venture',
    'venture.totalFundingFen': 'venture.total',
    'venture.maxRequestFen': 'venture.maxRequest',
    periods: 'periods.deadline',
    rubric: 'rubric',
    'rubric.groups': 'rubric',
    scoring: 'scoring.committee.size',
    'scoring.committee': 'scoring.committee.size',
    paymentTemplate: 'pay',
  });

  const lots: CallInput['lots'] = [];
  if (kind === 'purchase') {
    for (const i of rowIndices(values, 'lot')) {
      if (isBlankRow(values, 'lot', i, ['code', 'name', 'ceiling'])) continue;
      const j = lots.length;
      const station = r.optional(`lot.${i}.station`);
      lots.push({
        code: r.text(`lot.${i}.code`) || String(j + 1),
        name: r.text(`lot.${i}.name`),
        ceilingFen: r.yuan(`lot.${i}.ceiling`) ?? 0,
        ...(station ? { stationId: station } : {}),
      });
      map[`lots.${j}`] = `lot.${i}.name`;
      for (const [d, f] of [
        ['code', 'code'],
        ['name', 'name'],
        ['ceilingFen', 'ceiling'],
        ['stationId', 'station'],
      ])
        map[`lots.${j}.${d}`] = `lot.${i}.${f}`;
    }
  }

  const venture =
    kind === 'venture'
      ? {
          totalFundingFen: r.yuan('venture.total') ?? 0,
          maxRequestFen: r.yuan('venture.maxRequest') ?? 0,
          minScore: r.points('venture.minScore') ?? 0,
        }
      : undefined;

  const groups: CallInput['rubric']['groups'] = [];
  const usedIds = new Set(
    rowIndices(values, 'ind')
      .map((i) => r.text(`ind.${i}.id`))
      .filter(Boolean),
  );
  let group = '';
  let auto = 0;
  for (const i of rowIndices(values, 'ind')) {
    if (isBlankRow(values, 'ind', i, ['id', 'name', 'points', 'criteria'])) continue;
    group = r.text(`ind.${i}.group`) || group;
    if (!group) {
      r.errors.push({
        name: `ind.${i}.group`,
        zh: '请填写一级指标名称（同组后续行可留空）',
        en: 'Name the group (later rows of the same group may leave it blank).',
      });
      continue;
    }
    let g = groups.findIndex((x) => x.name === group);
    if (g < 0) {
      g = groups.push({ name: group, indicators: [] }) - 1;
      map[`rubric.groups.${g}`] = `ind.${i}.group`;
    }
    const k = groups[g]!.indicators.length;
    let id = r.text(`ind.${i}.id`);
    if (!id) {
      do id = `I${++auto}`;
      while (usedIds.has(id));
      usedIds.add(id);
    }
    groups[g]!.indicators.push({
      id,
      name: r.text(`ind.${i}.name`),
      maxPoints: r.points(`ind.${i}.points`) ?? 0,
      criteria: r.text(`ind.${i}.criteria`),
    });
    map[`rubric.groups.${g}.indicators.${k}`] = `ind.${i}.name`;
    for (const [d, f] of [
      ['id', 'id'],
      ['name', 'name'],
      ['maxPoints', 'points'],
      ['criteria', 'criteria'],
    ])
      map[`rubric.groups.${g}.indicators.${k}.${d}`] = `ind.${i}.${f}`;
  }
  if (!groups.length)
    r.errors.push({
      name: 'rubric',
      zh: '请至少填写一项评分指标',
      en: 'Fill in at least one indicator.',
    });

  const paymentTemplate: CallInput['paymentTemplate'] = [];
  for (const m of MILESTONES) {
    if (!r.text(`pay.${m}`)) continue;
    const j = paymentTemplate.length;
    paymentTemplate.push({ milestone: m, percent: r.int(`pay.${m}`) ?? 0 });
    map[`paymentTemplate.${j}`] = `pay.${m}`;
  }

  const fields = {
    title: r.text('title'),
    description: r.text('description'),
    category: r.text('category') as CallInput['category'],
    priceFixed: r.checked('priceFixed'),
    lots,
    ...(venture ? { venture } : {}),
    periods: {
      enquiryStartsAt: r.instant('periods.enquiryStartsAt') ?? '',
      enquiryEndsAt: r.instant('periods.enquiryEndsAt') ?? '',
      submissionOpensAt: r.instant('periods.submissionOpensAt') ?? '',
      deadline: r.instant('periods.deadline') ?? '',
    },
    rubric: { pricePoints: r.points('rubric.pricePoints') ?? 0, groups },
    scoring: {
      method: r.text('scoring.method') as CallInput['scoring']['method'],
      abnormalLowPercent: r.int('scoring.abnormalLowPercent') ?? 0,
      outlierPoints: r.points('scoring.outlierPoints') ?? 0,
      committee: {
        size: r.int('scoring.committee.size') ?? 0,
        experts: r.int('scoring.committee.experts') ?? 0,
      },
      complex: r.checked('scoring.complex'),
    },
    paymentTemplate,
    noticeWorkingDays: r.int('noticeWorkingDays') ?? 0,
  };
  return { fields, map, errors: r.errors };
}

/** Form → a validated CallInput, or the errors to show beside the fields. */
export function parseCreate(values: FormValues): {
  input?: CallInput;
  errors: PageError[];
  resolve: (p: string) => string;
} {
  const kind = CALL_KINDS.find((k) => k === values.kind);
  const { fields, map, errors } = parseFields(values, kind ?? 'purchase');
  const resolve = pathResolver(map);
  if (!kind) errors.push({ name: 'kind', zh: '请选择项目类型', en: 'Choose the kind of call.' });
  if (errors.length || !fields || !kind) return { errors, resolve };
  const parsed = CallInputSchema.safeParse({
    kind,
    poolId: (values.poolId ?? '').trim(),
    jurisdictionId: (values.jurisdictionId ?? '').trim(),
    ...fields,
  });
  if (!parsed.success) return { errors: zodErrors(parsed.error, resolve), resolve };
  return { input: parsed.data, errors: [], resolve };
}

/** Form → a CallPatch of every editable field (the service records what changed). */
export function parsePatch(
  values: FormValues,
  call: Call,
): { patch?: CallPatch; errors: PageError[]; resolve: (p: string) => string } {
  const { fields, map, errors } = parseFields(values, call.kind);
  const resolve = pathResolver(map);
  const r: Reader = new FormReader(values);
  const version = r.int('version');
  const reason = r.optional('amendmentReason');
  errors.push(...r.errors);
  if (errors.length || !fields || version === undefined) return { errors, resolve };
  const parsed = CallPatchSchema.safeParse({
    version,
    ...(reason !== undefined ? { amendmentReason: reason } : {}),
    ...fields,
  });
  if (!parsed.success) return { errors: zodErrors(parsed.error, resolve), resolve };
  return { patch: parsed.data, errors: [], resolve };
}

export interface CallFormData {
  pools: Pool[];
  jurisdictions: Jurisdiction[];
  stations: Station[];
}

/** Row indices to render: every posted or stored row, then `blanks` empty rows (at least `min`). */
function rowsToShow(
  values: FormValues,
  table: string,
  cols: string[],
  blanks: number,
  min: number,
): number[] {
  const filled = rowIndices(values, table).filter((i) => !isBlankRow(values, table, i, cols));
  const last = filled.length ? Math.max(...filled) : -1;
  const count = Math.max(last + 1 + blanks, min);
  return Array.from({ length: count }, (_, i) => i);
}

/** The rubric total as typed, for the line under the table (the domain checks it on save). */
function typedTotal(values: FormValues): { indicators: number; price: number } | undefined {
  const num = (s: string | undefined) =>
    s && /^\d{1,3}(\.\d{1,2})?$/.test(s.trim()) ? Number(s) : undefined;
  let sum = 0;
  for (const i of rowIndices(values, 'ind')) {
    const v = (values[`ind.${i}.points`] ?? '').trim();
    if (!v) continue;
    const n = num(v);
    if (n === undefined) return undefined;
    sum += centi(n);
  }
  const price = num(values['rubric.pricePoints'] ?? '0') ?? 0;
  return { indicators: sum / 100, price };
}

export function CallForm(props: {
  p: PageCtx;
  f: FormState;
  mode: 'create' | 'edit';
  action: string;
  data: CallFormData;
  /** Edit: the stored call (its kind, pool and jurisdiction are fixed). */
  call?: Call;
  published?: boolean;
}) {
  const { p, f, data, call } = props;
  const kind = call?.kind ?? (f.values.kind === 'venture' ? 'venture' : 'purchase');
  const showLots = props.mode === 'create' || kind === 'purchase';
  const showVenture = props.mode === 'create' || kind === 'venture';
  const lotRows = rowsToShow(f.values, 'lot', ['code', 'name', 'ceiling'], 2, 3);
  const indRows = rowsToShow(f.values, 'ind', ['id', 'name', 'points', 'criteria'], 4, 8);
  const total = typedTotal(f.values);
  const pool = call ? data.pools.find((x) => x.id === call.poolId) : undefined;
  const stationOptions = data.stations.map((s) => ({ value: s.id, text: s.name }));
  const onlyFor = (k: 'purchase' | 'venture') =>
    props.mode === 'create'
      ? p.l(
          `（仅${pick('zh', CALL_KIND[k])}填写）`,
          ` (${pick('en', CALL_KIND[k]).toLowerCase()} calls only)`,
        )
      : '';
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      <Csrf p={p} />
      <ErrorSummary p={p} f={f} />
      {call ? <input type="hidden" name="version" value={f.values.version ?? String(call.version)} /> : null}

      <fieldset>
        <legend>{p.l('基本信息', 'The call')}</legend>
        {props.mode === 'create' ? (
          <>
            <div class={`field${hasError(f, 'kind') ? ' invalid' : ''}`} id="f-kind">
              <span class="label">{pick(p.lang, FIELD.kind!)}</span>
              {CALL_KINDS.map((k) => (
                <label class="inline">
                  <input type="radio" name="kind" value={k} checked={kind === k} />{' '}
                  {pick(p.lang, CALL_KIND[k])}
                  {'　'}
                </label>
              ))}
              <FieldErrors p={p} f={f} name="kind" />
            </div>
            <div class="grid">
              <Select
                p={p}
                f={f}
                name="poolId"
                blank={p.l('请选择资金池', 'Choose a fund pool')}
                options={data.pools.map((x) => ({
                  value: x.id,
                  text: p.l(
                    `${x.name}（${x.fiscalYear}年度，可用 ${formatYuan(x.budgetFen - x.committedFen)}）`,
                    `${x.name} (FY${x.fiscalYear}, ${formatYuan(x.budgetFen - x.committedFen)} available)`,
                  ),
                }))}
              />
              <Select
                p={p}
                f={f}
                name="jurisdictionId"
                options={jurisdictionOptions(p.lang, data.jurisdictions)}
                hint={p.l(
                  '项目实施的辖区，须在资金池覆盖范围内',
                  'Where the service is delivered; the pool must cover it',
                )}
              />
            </div>
          </>
        ) : call ? (
          <dl class="facts">
            <dt>{pick(p.lang, FIELD.kind!)}</dt>
            <dd>{pick(p.lang, CALL_KIND[call.kind])}</dd>
            <dt>{pick(p.lang, FIELD.poolId!)}</dt>
            <dd>{pool?.name ?? '—'}</dd>
            <dt>{p.l('辖区', 'Jurisdiction')}</dt>
            <dd>
              {jurisdictionName(
                p.lang,
                data.jurisdictions.find((j) => j.id === call.jurisdictionId),
              )}
            </dd>
          </dl>
        ) : null}
        <Input p={p} f={f} name="title" required maxlength={200} />
        <TextArea p={p} f={f} name="description" rows={5} />
        <div class="grid">
          <Select
            p={p}
            f={f}
            name="category"
            options={(['services', 'goods'] as const).map((k) => ({
              value: k,
              text: pick(p.lang, CATEGORY[k]),
            }))}
            hint={p.l(
              '服务类项目价格分不低于 10%，货物类不低于 30%',
              'Price points: at least 10% for services, 30% for goods',
            )}
          />
          <Input p={p} f={f} name="noticeWorkingDays" inputmode="numeric" />
        </div>
        <Checkbox p={p} f={f} name="priceFixed" />
      </fieldset>

      {showLots ? (
        <fieldset id="f-lots">
          <legend>
            {pick(p.lang, FIELD.lots!)}
            {onlyFor('purchase')}
          </legend>
          <FieldErrors p={p} f={f} name="lots" />
          <p class="hint">
            {p.l(
              '每个标包各自评审、确定一名中标人。最高限价以元为单位，可填写千分位逗号。空行将被忽略。',
              'Each lot is evaluated and awarded separately. Ceilings are in yuan (thousands separators allowed). Blank rows are ignored.',
            )}
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th class="narrow">{p.l('编号', 'Code')}</th>
                  <th>{p.l('标包名称', 'Lot name')}</th>
                  <th class="mid">{p.l('最高限价（元）', 'Ceiling (yuan)')}</th>
                  <th class="mid">{p.l('社工站（选填）', 'Station (optional)')}</th>
                </tr>
              </thead>
              <tbody>
                {lotRows.map((i) => (
                  <tr>
                    <td>
                      <Cell p={p} f={f} name={`lot.${i}.code`} />
                    </td>
                    <td>
                      <Cell p={p} f={f} name={`lot.${i}.name`} />
                    </td>
                    <td>
                      <Cell p={p} f={f} name={`lot.${i}.ceiling`} inputmode="decimal" />
                    </td>
                    <td>
                      <select
                        id={`f-lot.${i}.station`}
                        name={`lot.${i}.station`}
                        aria-label={p.l(`第 ${i + 1} 行 社工站`, `Row ${i + 1} station`)}
                      >
                        <option value="">—</option>
                        {stationOptions.map((o) => (
                          <option value={o.value} selected={f.values[`lot.${i}.station`] === o.value}>
                            {o.text}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
      ) : null}

      {showVenture ? (
        <fieldset id="f-venture">
          <legend>
            {pick(p.lang, FIELD.venture!)}
            {onlyFor('venture')}
          </legend>
          <FieldErrors p={p} f={f} name="venture" />
          <div class="grid">
            <Input p={p} f={f} name="venture.total" inputmode="decimal" />
            <Input p={p} f={f} name="venture.maxRequest" inputmode="decimal" />
            <Input p={p} f={f} name="venture.minScore" inputmode="decimal" />
          </div>
        </fieldset>
      ) : null}

      <fieldset id="f-periods">
        <legend>{p.l('时间安排（北京时间）', 'Timetable (Beijing time)')}</legend>
        <div class="grid">
          <Input p={p} f={f} name="periods.enquiryStartsAt" type="datetime-local" />
          <Input p={p} f={f} name="periods.enquiryEndsAt" type="datetime-local" />
          <Input p={p} f={f} name="periods.submissionOpensAt" type="datetime-local" />
          <Input
            p={p}
            f={f}
            name="periods.deadline"
            type="datetime-local"
            hint={p.l(
              '在此时刻之前送达的递交有效',
              'Submissions count if received strictly before this moment',
            )}
          />
        </div>
      </fieldset>

      <fieldset id="f-rubric">
        <legend>{pick(p.lang, FIELD.rubric!)}</legend>
        <FieldErrors p={p} f={f} name="rubric" />
        <p class="hint">
          {p.l(
            '评分因素须细化量化：每项指标写明分值和得分标准。各指标分值与价格分合计应为 100 分。一级指标留空表示与上一行相同；编号留空将自动生成；空行将被忽略。',
            'Scoring factors must be broken down and quantified: give each indicator its points and what earns them. Indicator points plus price points must total 100. A blank group means "same as the row above"; a blank id is generated; blank rows are ignored.',
          )}
        </p>
        <div class="grid">
          <Input
            p={p}
            f={f}
            name="rubric.pricePoints"
            inputmode="decimal"
            hint={p.l('公益创投与政府定价项目填 0', 'Use 0 for venture calls and fixed prices')}
          />
        </div>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th class="mid">{p.l('一级指标', 'Group')}</th>
                <th class="narrow">{p.l('编号', 'Id')}</th>
                <th class="mid">{p.l('二级指标名称', 'Indicator')}</th>
                <th class="narrow">{p.l('分值', 'Points')}</th>
                <th class="wide">{p.l('评分标准', 'What earns the points')}</th>
              </tr>
            </thead>
            <tbody>
              {indRows.map((i) => (
                <tr>
                  <td>
                    <Cell p={p} f={f} name={`ind.${i}.group`} />
                  </td>
                  <td>
                    <Cell p={p} f={f} name={`ind.${i}.id`} />
                  </td>
                  <td>
                    <Cell p={p} f={f} name={`ind.${i}.name`} />
                  </td>
                  <td>
                    <Cell p={p} f={f} name={`ind.${i}.points`} inputmode="decimal" />
                  </td>
                  <td>
                    <Cell p={p} f={f} name={`ind.${i}.criteria`} multiline />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {total ? (
          <p class="total" id="rubric-total">
            {p.l(
              `当前合计：指标 ${total.indicators} 分 + 价格分 ${total.price} 分 = ${(centi(total.indicators) + centi(total.price)) / 100} 分（应为 100 分）`,
              `Current total: indicators ${total.indicators} + price ${total.price} = ${(centi(total.indicators) + centi(total.price)) / 100} points (must be 100)`,
            )}
          </p>
        ) : null}
      </fieldset>

      <fieldset id="f-scoring">
        <legend>{pick(p.lang, FIELD.scoring!)}</legend>
        <div class="grid">
          <Input
            p={p}
            f={f}
            name="scoring.committee.size"
            inputmode="numeric"
            hint={p.l(
              '至少 5 人且为单数；1000 万元以上或技术复杂项目至少 7 人',
              'At least 5 and odd; 7 for ¥10 million or more, or complex projects',
            )}
          />
          <Input
            p={p}
            f={f}
            name="scoring.committee.experts"
            inputmode="numeric"
            hint={p.l('不少于成员总数的三分之二', 'At least two thirds of the members')}
          />
          <Select
            p={p}
            f={f}
            name="scoring.method"
            options={(['mean', 'trimmed-mean'] as const).map((k) => ({
              value: k,
              text: pick(p.lang, SCORING_METHOD[k]),
            }))}
          />
          <Input p={p} f={f} name="scoring.abnormalLowPercent" inputmode="numeric" />
          <Input p={p} f={f} name="scoring.outlierPoints" inputmode="decimal" />
        </div>
        <Checkbox p={p} f={f} name="scoring.complex" />
      </fieldset>

      <fieldset id="f-pay">
        <legend>{p.l('拨付计划（各期比例合计 100%）', 'Payment schedule (tranches total 100%)')}</legend>
        <FieldErrors p={p} f={f} name="pay" />
        <div class="grid">
          {MILESTONES.map((m) => (
            <Input
              p={p}
              f={f}
              name={`pay.${m}`}
              label={`${pick(p.lang, MILESTONE[m])}（%）`}
              inputmode="numeric"
            />
          ))}
        </div>
        <p class="hint">{p.l('不拨付的节点留空', 'Leave a milestone blank if it carries no payment')}</p>
      </fieldset>

      {props.published ? (
        <fieldset id="f-amendment">
          <legend>{p.l('更正公告', 'Amendment')}</legend>
          <TextArea
            p={p}
            f={f}
            name="amendmentReason"
            rows={3}
            hint={p.l(
              '项目已发布：任何修改都将作为更正公告公开，请说明理由（至少 4 个字）。',
              'This call is published: every change is made public as an amendment. Say why (at least 4 characters).',
            )}
          />
        </fieldset>
      ) : null}

      <div class="actions">
        <button type="submit">
          {props.mode === 'create'
            ? p.l('保存为草稿', 'Save as draft')
            : props.published
              ? p.l('发布更正', 'Publish the amendment')
              : p.l('保存修改', 'Save changes')}
        </button>
        <a href={call ? `/officer/calls/${call.id}` : '/officer/calls'} class="button secondary">
          {p.l('取消', 'Cancel')}
        </a>
      </div>
    </form>
  );
}
