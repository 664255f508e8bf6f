/**
 * Charts drawn on the server as inline SVG: no chart library, no CDN, no script. Each chart is a
 * <figure> whose SVG is an image with a title and a short description for screen readers, and
 * beside it a plain table of the same numbers (the accessible form of the chart, and what a reader
 * copies). Colours are SVG presentation attributes, so the pages' CSP (styles by hash only) holds.
 *
 * Values are integers (fen, counts); the caller gives the formatting of the axis and of the table.
 */
import type { Child } from 'hono/jsx';

export interface Series {
  name: string;
  values: number[];
  /** Fill colour; the palette's next one when absent. */
  color?: string;
}

export interface ChartProps {
  /** Unique on the page: the figure's and the SVG title's id. */
  id: string;
  title: string;
  /** One sentence that says what the chart shows (read out with the image). */
  summary: string;
  /** Category labels: one bar (or group / stack) per label. */
  labels: string[];
  series: Series[];
  /** Stack the series on one bar per label instead of grouping them side by side. */
  stacked?: boolean;
  /** Table cells and bar labels. */
  format: (v: number) => string;
  /** Axis ticks (default: `format`). */
  axisFormat?: (v: number) => string;
  /** Heading of the table's first column (what the labels are). */
  labelHead: string;
  /** A last table column with the row total of the series (stacked charts). */
  totalHead?: string;
  /** Rows of the table beyond the chart's (e.g. a total row). */
  tableFoot?: Child;
}

/** Colour-blind-safe palette (Okabe–Ito, darkened for contrast on white). */
export const PALETTE = ['#0b4f8a', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#6b6b6b'];

const colorOf = (s: Series, i: number) => s.color ?? PALETTE[i % PALETTE.length]!;

/** A round upper bound and step for an axis from 0 to `max` with about `ticks` intervals. */
export function niceScale(max: number, ticks = 5): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const s = Math.max(step, 1);
  return { top: Math.ceil(max / s) * s, step: s };
}

const FONT = 'system-ui, -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif';

/** Cut a label to fit (SVG text does not wrap); the table holds it in full. */
const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

function Legend({ series, x, y }: { series: Series[]; x: number; y: number }) {
  let at = x;
  return (
    <g font-size="12" font-family={FONT}>
      {series.map((s, i) => {
        const start = at;
        at += 24 + [...s.name].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 12 : 7), 0) + 14;
        return (
          <g>
            <rect x={start} y={y - 10} width="12" height="12" fill={colorOf(s, i)} />
            <text x={start + 16} y={y}>
              {s.name}
            </text>
          </g>
        );
      })}
    </g>
  );
}

function DataTable(props: ChartProps) {
  const { series, labels, format } = props;
  return (
    <div class="table-wrap">
      <table>
        <caption class="small muted">{props.title}</caption>
        <thead>
          <tr>
            <th scope="col">{props.labelHead}</th>
            {series.map((s) => (
              <th scope="col" class="num">
                {s.name}
              </th>
            ))}
            {props.totalHead ? (
              <th scope="col" class="num">
                {props.totalHead}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, i) => (
            <tr>
              <th scope="row">{label}</th>
              {series.map((s) => (
                <td class="num">{format(s.values[i] ?? 0)}</td>
              ))}
              {props.totalHead ? (
                <td class="num total">{format(series.reduce((t, s) => t + (s.values[i] ?? 0), 0))}</td>
              ) : null}
            </tr>
          ))}
          {props.tableFoot}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The chart and its table: side by side when the table is narrow (one or two columns of values),
 * the table below the chart when it has more columns than fit beside it.
 */
function Figure(props: ChartProps & { svg: Child }) {
  const columns = props.series.length + (props.totalHead ? 1 : 0);
  return (
    <figure class="chart" id={props.id} aria-labelledby={`${props.id}-cap`}>
      <figcaption id={`${props.id}-cap`}>
        <strong>{props.title}</strong>
      </figcaption>
      <div class={columns <= 2 && props.labels.length <= 12 ? 'chart-pair' : 'chart-stack'}>
        <div class="chart-svg">{props.svg}</div>
        <DataTable {...props} />
      </div>
    </figure>
  );
}

/** Vertical columns: one per label (months, …), the series grouped side by side or stacked. */
export function ColumnChart(props: ChartProps) {
  const { labels, series, stacked } = props;
  const axis = props.axisFormat ?? props.format;
  const W = 640;
  const H = 300;
  const left = 64;
  const right = 12;
  const top = 30;
  const bottom = 44;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const totals = labels.map((_, i) =>
    stacked
      ? series.reduce((t, s) => t + Math.max(0, s.values[i] ?? 0), 0)
      : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const { top: max, step } = niceScale(Math.max(0, ...totals));
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const band = plotW / Math.max(1, labels.length);
  const barW = stacked ? band * 0.6 : (band * 0.75) / Math.max(1, series.length);
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(v);
  const labelEvery = labels.length > 16 ? Math.ceil(labels.length / 12) : 1;
  const svg = (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${props.id}-t ${props.id}-d`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>{props.summary}</desc>
      <rect x="0" y="0" width={W} height={H} fill="#ffffff" />
      <g font-size="11" font-family={FONT} fill="#5f6b7a">
        {ticks.map((v) => (
          <g>
            <line x1={left} x2={W - right} y1={y(v)} y2={y(v)} stroke="#d8dde3" stroke-width="1" />
            <text x={left - 6} y={y(v) + 4} text-anchor="end">
              {axis(v)}
            </text>
          </g>
        ))}
        {labels.map((l, i) =>
          i % labelEvery === 0 ? (
            <text x={left + band * i + band / 2} y={H - bottom + 16} text-anchor="middle">
              {clip(l, 10)}
            </text>
          ) : null,
        )}
      </g>
      <g>
        {labels.map((l, i) => {
          if (stacked) {
            let base = 0;
            const x = left + band * i + (band - barW) / 2;
            return (
              <g>
                {series.map((s, k) => {
                  const v = Math.max(0, s.values[i] ?? 0);
                  const y0 = y(base);
                  base += v;
                  const y1 = y(base);
                  return v > 0 ? (
                    <rect x={x} y={y1} width={barW} height={Math.max(0, y0 - y1)} fill={colorOf(s, k)}>
                      <title>{`${l} · ${s.name}: ${props.format(v)}`}</title>
                    </rect>
                  ) : null;
                })}
              </g>
            );
          }
          const start = left + band * i + (band - barW * series.length) / 2;
          return (
            <g>
              {series.map((s, k) => {
                const v = Math.max(0, s.values[i] ?? 0);
                return (
                  <rect
                    x={start + barW * k}
                    y={y(v)}
                    width={Math.max(1, barW - 1)}
                    height={Math.max(0, top + plotH - y(v))}
                    fill={colorOf(s, k)}
                  >
                    <title>{`${l} · ${s.name}: ${props.format(v)}`}</title>
                  </rect>
                );
              })}
            </g>
          );
        })}
      </g>
      <line x1={left} x2={W - right} y1={top + plotH} y2={top + plotH} stroke="#1f2933" stroke-width="1" />
      {series.length > 1 ? <Legend series={series} x={left} y={16} /> : null}
    </svg>
  );
  return <Figure {...props} svg={svg} />;
}

/** Horizontal bars: one row per label (pools, stations, categories), series grouped or stacked. */
export function BarChart(props: ChartProps) {
  const { labels, series, stacked } = props;
  const axis = props.axisFormat ?? props.format;
  const W = 640;
  const left = 150;
  const right = 96;
  const top = series.length > 1 ? 30 : 10;
  const bottom = 26;
  const rowH = stacked ? 26 : Math.max(26, 14 * series.length + 10);
  const plotW = W - left - right;
  const plotH = rowH * Math.max(1, labels.length);
  const H = top + plotH + bottom;
  const totals = labels.map((_, i) =>
    stacked
      ? series.reduce((t, s) => t + Math.max(0, s.values[i] ?? 0), 0)
      : Math.max(0, ...series.map((s) => s.values[i] ?? 0)),
  );
  const { top: max, step } = niceScale(Math.max(0, ...totals), 4);
  const x = (v: number) => left + (v / max) * plotW;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(v);
  const barH = stacked ? rowH * 0.64 : (rowH - 10) / Math.max(1, series.length);
  const svg = (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-labelledby={`${props.id}-t ${props.id}-d`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${props.id}-t`}>{props.title}</title>
      <desc id={`${props.id}-d`}>{props.summary}</desc>
      <rect x="0" y="0" width={W} height={H} fill="#ffffff" />
      <g font-size="11" font-family={FONT} fill="#5f6b7a">
        {ticks.map((v) => (
          <g>
            <line x1={x(v)} x2={x(v)} y1={top} y2={top + plotH} stroke="#d8dde3" stroke-width="1" />
            <text x={x(v)} y={top + plotH + 16} text-anchor="middle">
              {axis(v)}
            </text>
          </g>
        ))}
      </g>
      <g font-size="12" font-family={FONT} fill="#1f2933">
        {labels.map((l, i) => (
          <text x={left - 8} y={top + rowH * i + rowH / 2 + 4} text-anchor="end">
            {clip(l, 11)}
          </text>
        ))}
      </g>
      <g font-size="11" font-family={FONT} fill="#1f2933">
        {labels.map((l, i) => {
          const rowTop = top + rowH * i;
          if (stacked) {
            let base = 0;
            const yy = rowTop + (rowH - barH) / 2;
            return (
              <g>
                {series.map((s, k) => {
                  const v = Math.max(0, s.values[i] ?? 0);
                  const x0 = x(base);
                  base += v;
                  return v > 0 ? (
                    <rect x={x0} y={yy} width={Math.max(0, x(base) - x0)} height={barH} fill={colorOf(s, k)}>
                      <title>{`${l} · ${s.name}: ${props.format(v)}`}</title>
                    </rect>
                  ) : null;
                })}
                <text x={x(base) + 4} y={yy + barH / 2 + 4}>
                  {props.format(totals[i] ?? 0)}
                </text>
              </g>
            );
          }
          return (
            <g>
              {series.map((s, k) => {
                const v = Math.max(0, s.values[i] ?? 0);
                const yy = rowTop + 5 + barH * k;
                return (
                  <g>
                    <rect
                      x={left}
                      y={yy}
                      width={Math.max(0, x(v) - left)}
                      height={barH - 2}
                      fill={colorOf(s, k)}
                    >
                      <title>{`${l} · ${s.name}: ${props.format(v)}`}</title>
                    </rect>
                    {series.length <= 4 ? (
                      <text x={x(v) + 4} y={yy + barH / 2 + 3}>
                        {props.format(v)}
                      </text>
                    ) : null}
                  </g>
                );
              })}
            </g>
          );
        })}
      </g>
      <line x1={left} x2={left} y1={top} y2={top + plotH} stroke="#1f2933" stroke-width="1" />
      {series.length > 1 ? <Legend series={series} x={left} y={18} /> : null}
    </svg>
  );
  return <Figure {...props} svg={svg} />;
}

/** Axis ticks of money: ¥ in 万元 (ten thousands) above ¥10,000, whole yuan below. */
export function yuanAxis(lang: 'zh' | 'en') {
  return (fen: number) => {
    const yuan = fen / 100;
    if (yuan >= 10_000)
      return lang === 'zh'
        ? `${trim(yuan / 10_000)}万`
        : yuan >= 1_000_000
          ? `¥${trim(yuan / 1_000_000)}M`
          : `¥${trim(yuan / 1000)}k`;
    return `¥${trim(yuan)}`;
  };
}

const trim = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, ''));

/** Thousands separators for counts. */
export const count = (n: number) => n.toLocaleString('en-US');
