/** Read-only views of a call, shared by the public page and the officer's detail page. */
import { type Amendment, type Call, callBudgetFen, centi } from '../../../shared/calls/model';
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import type { Jurisdiction, Station } from '../../../shared/jurisdictions/model';
import {
  CALL_KIND,
  CALL_STATUS,
  CATEGORY,
  FIELD,
  fieldLabel,
  jurisdictionName,
  MILESTONE,
  pick,
  SCORING_METHOD,
} from '../i18n';
import { Badge, type PageCtx } from '../layout';

export const statusBadge = (p: PageCtx, status: Call['status']) => (
  <Badge kind={status} text={pick(p.lang, CALL_STATUS[status])} />
);

export function CallFacts(props: {
  p: PageCtx;
  call: Call;
  status: Call['status'];
  jurisdiction?: Jurisdiction;
  extra?: { term: string; value: string }[];
}) {
  const { p, call } = props;
  const t = (k: keyof typeof FIELD) => pick(p.lang, FIELD[k]!);
  return (
    <dl class="facts">
      <dt>{p.l('状态', 'Status')}</dt>
      <dd>{statusBadge(p, props.status)}</dd>
      <dt>{t('kind')}</dt>
      <dd>{pick(p.lang, CALL_KIND[call.kind])}</dd>
      <dt>{p.l('辖区', 'Jurisdiction')}</dt>
      <dd>{jurisdictionName(p.lang, props.jurisdiction)}</dd>
      <dt>{t('category')}</dt>
      <dd>
        {pick(p.lang, CATEGORY[call.category])}
        {call.priceFixed ? p.l('（政府定价）', ' (price fixed by the government)') : ''}
      </dd>
      <dt>{call.kind === 'purchase' ? p.l('最高限价合计', 'Total of lot ceilings') : t('venture.total')}</dt>
      <dd>{formatYuan(callBudgetFen(call))}</dd>
      {call.kind === 'venture' && call.venture ? (
        <>
          <dt>{t('venture.maxRequest')}</dt>
          <dd>{formatYuan(call.venture.maxRequestFen)}</dd>
          <dt>{t('venture.minScore')}</dt>
          <dd>{call.venture.minScore}</dd>
        </>
      ) : null}
      <dt>{t('periods.enquiryStartsAt')}</dt>
      <dd>{formatBeijing(call.periods.enquiryStartsAt)}</dd>
      <dt>{t('periods.enquiryEndsAt')}</dt>
      <dd>{formatBeijing(call.periods.enquiryEndsAt)}</dd>
      <dt>{t('periods.submissionOpensAt')}</dt>
      <dd>{formatBeijing(call.periods.submissionOpensAt)}</dd>
      <dt>{t('periods.deadline')}</dt>
      <dd>
        <strong>{formatBeijing(call.periods.deadline)}</strong>
      </dd>
      {call.publishedAt ? (
        <>
          <dt>{p.l('发布时间', 'Published')}</dt>
          <dd>{formatBeijing(call.publishedAt)}</dd>
        </>
      ) : null}
      {(props.extra ?? []).map((x) => (
        <>
          <dt>{x.term}</dt>
          <dd>{x.value}</dd>
        </>
      ))}
    </dl>
  );
}

export function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/\n{2,}|\n/)
        .filter((s) => s.trim())
        .map((s) => (
          <p>{s}</p>
        ))}
    </>
  );
}

export function LotsTable({ p, call, stations }: { p: PageCtx; call: Call; stations: Station[] }) {
  if (!call.lots.length) return null;
  const stationName = (id?: string) => stations.find((s) => s.id === id)?.name ?? '';
  return (
    <div class="table-wrap">
      <table>
        <caption class="muted small">{pick(p.lang, FIELD.lots!)}</caption>
        <thead>
          <tr>
            <th>{p.l('编号', 'Code')}</th>
            <th>{p.l('标包名称', 'Lot')}</th>
            <th class="num">{p.l('最高限价', 'Ceiling price')}</th>
            {call.lots.some((l) => l.stationId) ? <th>{p.l('社工站', 'Station')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {call.lots.map((l) => (
            <tr>
              <td>{l.code}</td>
              <td>{l.name}</td>
              <td class="num">{formatYuan(l.ceilingFen)}</td>
              {call.lots.some((x) => x.stationId) ? <td>{stationName(l.stationId)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function RubricTable({ p, call }: { p: PageCtx; call: Pick<Call, 'rubric'> }) {
  const { rubric } = call;
  const indicatorCenti = rubric.groups
    .flatMap((g) => g.indicators)
    .reduce((s, i) => s + centi(i.maxPoints), 0);
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{p.l('一级指标', 'Group')}</th>
            <th>{p.l('编号', 'Id')}</th>
            <th>{p.l('二级指标', 'Indicator')}</th>
            <th class="num">{p.l('分值', 'Points')}</th>
            <th>{p.l('评分标准', 'What earns the points')}</th>
          </tr>
        </thead>
        <tbody>
          {rubric.groups.map((g) =>
            g.indicators.map((i, k) => (
              <tr>
                {k === 0 ? <th rowspan={g.indicators.length}>{g.name}</th> : null}
                <td>{i.id}</td>
                <td>{i.name}</td>
                <td class="num">{i.maxPoints}</td>
                <td>{i.criteria}</td>
              </tr>
            )),
          )}
          {rubric.pricePoints > 0 ? (
            <tr>
              <th colspan={3}>{pick(p.lang, FIELD['rubric.pricePoints']!)}</th>
              <td class="num">{rubric.pricePoints}</td>
              <td>
                {p.l(
                  '满足招标文件要求且价格最低的投标报价为评标基准价，其价格分为满分；其他投标人的价格分 = 评标基准价 ÷ 投标报价 × 价格分值（财政部令第87号）。',
                  'The lowest conforming bid is the benchmark and gets full price points; every other bid scores benchmark ÷ bid price × price points (MOF Order No. 87).',
                )}
              </td>
            </tr>
          ) : null}
        </tbody>
        <tfoot>
          <tr>
            <th colspan={3}>{p.l('合计', 'Total')}</th>
            <td class="num total">{(indicatorCenti + centi(rubric.pricePoints)) / 100}</td>
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export function TermsList({ p, call }: { p: PageCtx; call: Call }) {
  const s = call.scoring;
  return (
    <dl class="facts">
      <dt>{pick(p.lang, FIELD['scoring.committee.size']!)}</dt>
      <dd>
        {p.l(
          `${s.committee.size} 人，其中专家 ${s.committee.experts} 人`,
          `${s.committee.size} members, ${s.committee.experts} of them experts`,
        )}
      </dd>
      <dt>{pick(p.lang, FIELD['scoring.method']!)}</dt>
      <dd>{pick(p.lang, SCORING_METHOD[s.method])}</dd>
      {call.kind === 'purchase' && !call.priceFixed ? (
        <>
          <dt>{pick(p.lang, FIELD['scoring.abnormalLowPercent']!)}</dt>
          <dd>
            {p.l(
              `报价低于其他有效报价平均值 ${s.abnormalLowPercent}% 以上的，须书面说明（财政部令第87号第60条）`,
              `A price more than ${s.abnormalLowPercent}% below the mean of the others must be explained in writing (MOF Order No. 87, art. 60)`,
            )}
          </dd>
        </>
      ) : null}
      <dt>{pick(p.lang, FIELD.pay!)}</dt>
      <dd>
        {call.paymentTemplate
          .map((t) => `${pick(p.lang, MILESTONE[t.milestone])} ${t.percent}%`)
          .join(p.l('；', '; '))}
      </dd>
      <dt>{pick(p.lang, FIELD.noticeWorkingDays!)}</dt>
      <dd>{p.l(`${call.noticeWorkingDays} 个工作日`, `${call.noticeWorkingDays} working days`)}</dd>
    </dl>
  );
}

const FIELD_OF_CHANGE: Record<string, string> = {
  paymentTemplate: 'pay',
  lots: 'lots',
  rubric: 'rubric',
  periods: 'periods',
  scoring: 'scoring',
  venture: 'venture',
};

export function AmendmentsList({ p, amendments }: { p: PageCtx; amendments: Amendment[] }) {
  if (!amendments.length) return null;
  return (
    <section>
      <h2>{p.l('更正公告', 'Amendments')}</h2>
      <ol>
        {amendments.map((a) => (
          <li>
            <p>
              <strong>{formatBeijing(a.at)}</strong>
              {p.l('　更正内容：', ' — changed: ')}
              {a.changes
                .map((ch) => fieldLabel(p.lang, FIELD_OF_CHANGE[ch.field] ?? ch.field))
                .join(p.l('、', ', ')) || p.l('无实质变更', 'no material change')}
            </p>
            <p class="muted">
              {p.l('理由：', 'Reason: ')}
              {a.reason}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}
