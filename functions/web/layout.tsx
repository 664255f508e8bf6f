import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Principal } from '../../shared/auth/principal';
import type { ApiEnv } from '../../shared/http/deps';
import type { FormState, PageError } from './forms';
import { APP_NAME, fieldLabel, type Lang, pick, ROLE } from './i18n';
import { PAGE_SCRIPTS } from './scripts';
import { CSRF_FIELD, refererPath, webSession } from './session';

/** What every page component needs: language, the signed-in user, the CSRF token, where we are. */
export interface PageCtx {
  lang: Lang;
  /** Chinese first, English second: every visible string passes through here or a bilingual table. */
  l: (zh: string, en: string) => string;
  viewer?: Principal;
  csrf: string;
  /** Path and query of this request (the language switch and sign-in come back here). */
  here: string;
}

export function pageCtx(c: Context<ApiEnv>): PageCtx {
  const s = webSession(c);
  const url = new URL(c.req.url);
  // A form's answer is shown at its POST address: "here" is then the page the form was on.
  const here = c.req.method === 'GET' ? url.pathname + url.search : (refererPath(c) ?? url.pathname);
  return {
    lang: s.lang,
    l: (zh, en) => (s.lang === 'zh' ? zh : en),
    viewer: s.principal,
    csrf: s.csrf,
    here,
  };
}

export const errorText = (p: PageCtx, e: Pick<PageError, 'zh' | 'en'>) => p.l(e.zh, e.en);

const CSS = `
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d8dde3;--bg:#f4f6f8;--brand:#0b4f8a;--brand-dark:#083a66;--accent:#b42318;--ok:#067647;--warn:#b54708;--card:#fff}
*{box-sizing:border-box}
html{font-size:16px}
body{margin:0;background:var(--bg);color:var(--ink);font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans SC",sans-serif;line-height:1.6}
a{color:var(--brand)}
a:hover{color:var(--brand-dark)}
.skip{position:absolute;left:-9999px}
.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.25rem .5rem;z-index:2}
header.top{background:var(--brand);color:#fff}
header.top .bar{max-width:72rem;margin:0 auto;padding:.6rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem}
header.top a{color:#fff;text-decoration:none}
.brand{font-weight:700;font-size:1.1rem;letter-spacing:.02em}
header nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0}
header nav a{padding:.2rem 0;border-bottom:2px solid transparent}
header nav a[aria-current=page],header nav a:hover{border-bottom-color:#fff}
.who{margin-left:auto;display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;font-size:.92rem}
.who form{margin:0}
.who button{background:transparent;border:1px solid rgba(255,255,255,.7);color:#fff;padding:.15rem .7rem;border-radius:4px;font:inherit;cursor:pointer}
.who button:hover{background:rgba(255,255,255,.15)}
main{max-width:72rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem}
h3{font-size:1.05rem;margin:1.2rem 0 .4rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:1rem 1.25rem;margin:0 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:1rem;margin-bottom:1rem}
.cards .card{margin:0}
.card h2,.card h3{margin-top:0}
.muted{color:var(--muted)}
.small{font-size:.88rem}
table{border-collapse:collapse;width:100%;background:var(--card)}
/* the working calendar's month grids (/system/calendar) */
.cal-grid{display:flex;flex-wrap:wrap;gap:.75rem}table.cal-month{width:auto;font-size:.8rem;border-collapse:collapse}
.cal-month td,.cal-month th{padding:.1rem .3rem;text-align:right}.cal-month caption{font-weight:600}
.cal-month td.off,.legend.off{background:#fde2e1;color:#8a1c14}.cal-month td.work,.legend.work{background:#dbeafe;color:#1e3a8a}
.cal-month td.weekend{color:#888}.legend{padding:0 .4rem}
th,td{border:1px solid var(--line);padding:.45rem .6rem;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.table-wrap{overflow-x:auto;margin-bottom:1rem}
.badge{display:inline-block;padding:0 .5rem;border-radius:999px;font-size:.82rem;border:1px solid currentColor;white-space:nowrap}
.badge.draft,.badge.pending{color:var(--warn)}
.badge.published,.badge.approved{color:var(--ok)}
.badge.closed,.badge.rejected{color:var(--muted)}
form.stack{display:block}
fieldset{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem 1rem;margin:0 0 1rem;background:var(--card)}
legend{font-weight:600;padding:0 .4rem}
.field{margin:.55rem 0}
.field label,.field .label{display:block;font-weight:600;margin-bottom:.2rem}
.field.check label{display:inline;font-weight:400}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:0 1rem}
input[type=text],input[type=password],input[type=email],input[type=tel],input[type=number],input[type=datetime-local],select,textarea{width:100%;font:inherit;padding:.4rem .5rem;border:1px solid #9aa5b1;border-radius:4px;background:#fff;color:inherit}
td input[type=text],td select,td textarea{min-width:5rem}
textarea{min-height:5rem;resize:vertical}
td textarea{min-height:2.6rem}
input:focus,select:focus,textarea:focus,button:focus,a:focus{outline:3px solid #f5b700;outline-offset:1px}
fieldset.bad{border-color:var(--accent)}
.invalid input,.invalid select,.invalid textarea,input.invalid,select.invalid,textarea.invalid{border-color:var(--accent);background:#fff7f6}
.err{color:var(--accent);font-size:.9rem;margin:.15rem 0 0}
.hint{color:var(--muted);font-size:.88rem;margin:.15rem 0 0}
button,.button{display:inline-block;font:inherit;padding:.45rem 1.1rem;border-radius:4px;border:1px solid var(--brand);background:var(--brand);color:#fff;cursor:pointer;text-decoration:none}
button:hover,.button:hover{background:var(--brand-dark);color:#fff}
button.secondary,.button.secondary{background:#fff;color:var(--brand)}
button.danger{background:var(--accent);border-color:var(--accent)}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;margin:1rem 0}
.inline{display:inline}
.alert{border-left:4px solid var(--accent);background:#fff4f2;padding:.75rem 1rem;margin:0 0 1rem;border-radius:0 6px 6px 0}
.alert h2{font-size:1.05rem;margin:0 0 .3rem;color:var(--accent)}
.alert ul{margin:.25rem 0 0;padding-left:1.2rem}
.notice{border-left:4px solid var(--ok);background:#effaf3;padding:.6rem 1rem;margin:0 0 1rem;border-radius:0 6px 6px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem;margin:0}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0}
.total{font-weight:600}
footer{max-width:72rem;margin:0 auto;padding:1rem;color:var(--muted);font-size:.85rem;border-top:1px solid var(--line)}
.decide{display:grid;grid-template-columns:auto 1fr;gap:.5rem 1rem;align-items:start}
.decide textarea{min-height:2.4rem}
.pager{margin:1rem 0}
th.narrow{width:6.5rem}
th.mid{width:11rem}
th.wide{width:38%}
figure.chart{margin:0 0 1.5rem}
figure.chart figcaption{margin:0 0 .4rem}
.chart-pair{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;align-items:start}
.chart-svg svg{display:block;width:100%;height:auto;border:1px solid var(--line);border-radius:6px;background:#fff}
.chart-stack .chart-svg{max-width:48rem;margin-bottom:.5rem}
caption{text-align:left;padding:.2rem 0}
figure.chart th[scope=row]{white-space:nowrap}
@media (max-width:56rem){.chart-pair{grid-template-columns:1fr}}
@media (max-width:40rem){.who{margin-left:0}dl.facts{grid-template-columns:1fr}}
`;

/** The stylesheet is inline and allowed by its hash: no CDN, no other styles or scripts run. */
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const CSS_HASH = sha256(CSS);
/** The inline scripts of scripts.ts, allowed the same way (each by its hash; nothing else runs). */
const SCRIPT_HASHES = PAGE_SCRIPTS.map(sha256).join(' ');
const CSP = [
  "default-src 'none'",
  `style-src ${CSS_HASH}`,
  `script-src ${SCRIPT_HASHES}`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Sends a page: doctype, security headers, no caching of personal pages. */
export function render(
  c: Context<ApiEnv>,
  node: Child,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 = 200,
) {
  c.header('Content-Security-Policy', CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'same-origin');
  c.header('Cache-Control', 'no-store');
  return c.html(html`<!DOCTYPE html>${node}`, status);
}

interface NavItem {
  href: string;
  text: string;
}

function navFor(p: PageCtx): NavItem[] {
  const open = { href: '/open-calls', text: p.l('公开项目', 'Open calls') };
  const notices = { href: '/notices', text: p.l('结果公示', 'Award notices') };
  if (!p.viewer)
    return [
      open,
      notices,
      { href: '/register', text: p.l('机构注册', 'Register an organization') },
      { href: '/sign-in', text: p.l('登录', 'Sign in') },
    ];
  const home = { href: '/home', text: p.l('工作台', 'Home') };
  if (p.viewer.role === 'officer')
    return [
      home,
      { href: '/officer/organizations', text: p.l('机构审核', 'Organizations') },
      { href: '/officer/pools', text: p.l('资金池', 'Fund pools') },
      { href: '/officer/calls', text: p.l('项目管理', 'Calls') },
      { href: '/officer/contracts', text: p.l('合同与拨付', 'Contracts') },
      { href: '/officer/users', text: p.l('账号管理', 'Accounts') },
      { href: '/officer/stations', text: p.l('社工站', 'Stations') },
      open,
      notices,
    ];
  if (p.viewer.role === 'applicant')
    return [
      home,
      { href: '/applicant/submissions', text: p.l('我的申报', 'My submissions') },
      { href: '/applicant/contracts', text: p.l('我的合同', 'My contracts') },
      open,
      notices,
    ];
  if (p.viewer.role === 'admin')
    return [
      home,
      { href: '/system/calendar', text: p.l('节假日安排', 'Working calendar') },
      { href: '/system/users', text: p.l('账号管理', 'Accounts') },
      { href: '/system/jurisdictions', text: p.l('行政区划', 'Jurisdictions') },
      // -- admin navigation --
    ];
  if (p.viewer.role === 'reviewer')
    return [home, { href: '/reviewer', text: p.l('评审任务', 'Review assignments') }, open, notices];
  const ledger = { href: '/finance/ledger', text: p.l('资金台账', 'Ledger') };
  const stats = { href: '/finance/statistics', text: p.l('服务统计', 'Statistics') };
  if (p.viewer.role === 'finance')
    return [home, { href: '/finance/disbursements', text: p.l('拨付审批', 'Payments') }, ledger, stats];
  if (p.viewer.role === 'auditor')
    return [home, { href: '/auditor/audit', text: p.l('审计记录', 'Audit trail') }, ledger, stats];
  return [home, open, notices];
}

export function Layout(props: { p: PageCtx; title: string; children?: Child }) {
  const { p } = props;
  const path = p.here.split('?')[0]!;
  const other: Lang = p.lang === 'zh' ? 'en' : 'zh';
  const nav = navFor(p);
  return (
    <html lang={p.lang === 'zh' ? 'zh-CN' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · ${pick(p.lang, APP_NAME)}`}</title>
        <link rel="icon" href="data:," />
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <a class="skip" href="#main">
          {p.l('跳到正文', 'Skip to content')}
        </a>
        <header class="top">
          <div class="bar">
            <a class="brand" href={p.viewer ? '/home' : '/'}>
              {pick(p.lang, APP_NAME)}
            </a>
            <nav aria-label={p.l('主导航', 'Main')}>
              <ul>
                {nav.map((n) => (
                  <li>
                    <a
                      href={n.href}
                      aria-current={path === n.href || path.startsWith(`${n.href}/`) ? 'page' : undefined}
                    >
                      {n.text}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="who">
              <a
                href={`/lang/${other}?next=${encodeURIComponent(p.here)}`}
                lang={other === 'zh' ? 'zh-CN' : 'en'}
              >
                {other === 'zh' ? '中文' : 'English'}
              </a>
              {p.viewer ? (
                <>
                  <span title={pick(p.lang, ROLE[p.viewer.role])}>{p.viewer.name}</span>
                  <form method="post" action="/sign-out">
                    <Csrf p={p} />
                    <button type="submit">{p.l('退出', 'Sign out')}</button>
                  </form>
                </>
              ) : null}
            </div>
          </div>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
        <footer>
          {p.l(
            '金额以元显示，精确到分；时间均为北京时间（UTC+8）。',
            'Amounts are in yuan, exact to the fen; times are Beijing time (UTC+8).',
          )}
        </footer>
      </body>
    </html>
  );
}

export const Csrf = ({ p }: { p: PageCtx }) => <input type="hidden" name={CSRF_FIELD} value={p.csrf} />;

/** All errors of a form at its top, each linking to its field, in the current language. */
export function ErrorSummary({ p, f }: { p: PageCtx; f: FormState }) {
  if (!f.errors.length) return null;
  return (
    <div class="alert" role="alert" id="errors">
      <h2>{p.l('请修改以下问题后重新提交', 'Please correct the following and submit again')}</h2>
      <ul>
        {f.errors.map((e) => (
          <li>
            {e.name ? (
              <>
                <a href={`#f-${e.name}`}>{fieldLabel(p.lang, e.name)}</a>
                {p.l('：', ': ')}
              </>
            ) : null}
            {errorText(p, e)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export const hasError = (f: FormState, name: string) => f.errors.some((e) => e.name === name);

export function FieldErrors({ p, f, name }: { p: PageCtx; f: FormState; name: string }) {
  const mine = f.errors.filter((e) => e.name === name);
  if (!mine.length) return null;
  return (
    <div id={`e-${name}`}>
      {mine.map((e) => (
        <p class="err">{errorText(p, e)}</p>
      ))}
    </div>
  );
}

interface FieldProps {
  p: PageCtx;
  f: FormState;
  name: string;
  label?: string;
  hint?: string;
}

const describedBy = (f: FormState, name: string, hint?: string) =>
  [hasError(f, name) ? `e-${name}` : '', hint ? `h-${name}` : ''].filter(Boolean).join(' ') || undefined;

export function Input(
  props: FieldProps & {
    type?: 'text' | 'password' | 'email' | 'tel' | 'number' | 'datetime-local';
    required?: boolean;
    autocomplete?: string;
    inputmode?: 'decimal' | 'numeric';
    maxlength?: number;
    keep?: boolean;
  },
) {
  const { p, f, name } = props;
  const type = props.type ?? 'text';
  return (
    <div class={`field${hasError(f, name) ? ' invalid' : ''}`}>
      <label for={`f-${name}`}>{props.label ?? fieldLabel(p.lang, name)}</label>
      <input
        id={`f-${name}`}
        name={name}
        type={type}
        value={type === 'password' && !props.keep ? '' : (f.values[name] ?? '')}
        required={props.required}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        aria-invalid={hasError(f, name) ? 'true' : undefined}
        aria-describedby={describedBy(f, name, props.hint)}
      />
      {props.hint ? (
        <p class="hint" id={`h-${name}`}>
          {props.hint}
        </p>
      ) : null}
      <FieldErrors p={p} f={f} name={name} />
    </div>
  );
}

export function TextArea(props: FieldProps & { required?: boolean; rows?: number }) {
  const { p, f, name } = props;
  return (
    <div class={`field${hasError(f, name) ? ' invalid' : ''}`}>
      <label for={`f-${name}`}>{props.label ?? fieldLabel(p.lang, name)}</label>
      <textarea
        id={`f-${name}`}
        name={name}
        rows={props.rows ?? 4}
        required={props.required}
        aria-invalid={hasError(f, name) ? 'true' : undefined}
        aria-describedby={describedBy(f, name, props.hint)}
      >
        {f.values[name] ?? ''}
      </textarea>
      {props.hint ? (
        <p class="hint" id={`h-${name}`}>
          {props.hint}
        </p>
      ) : null}
      <FieldErrors p={p} f={f} name={name} />
    </div>
  );
}

export interface Option {
  value: string;
  text: string;
  group?: string;
}

export function Select(props: FieldProps & { options: Option[]; required?: boolean; blank?: string }) {
  const { p, f, name } = props;
  const current = f.values[name] ?? '';
  const groups = [...new Set(props.options.map((o) => o.group ?? ''))];
  const opt = (o: Option) => (
    <option value={o.value} selected={o.value === current}>
      {o.text}
    </option>
  );
  return (
    <div class={`field${hasError(f, name) ? ' invalid' : ''}`}>
      <label for={`f-${name}`}>{props.label ?? fieldLabel(p.lang, name)}</label>
      <select
        id={`f-${name}`}
        name={name}
        required={props.required}
        aria-invalid={hasError(f, name) ? 'true' : undefined}
        aria-describedby={describedBy(f, name, props.hint)}
      >
        {props.blank !== undefined ? <option value="">{props.blank}</option> : null}
        {groups.map((g) =>
          g ? (
            <optgroup label={g}>{props.options.filter((o) => o.group === g).map(opt)}</optgroup>
          ) : (
            props.options.filter((o) => !o.group).map(opt)
          ),
        )}
      </select>
      {props.hint ? (
        <p class="hint" id={`h-${name}`}>
          {props.hint}
        </p>
      ) : null}
      <FieldErrors p={p} f={f} name={name} />
    </div>
  );
}

export function Checkbox(props: FieldProps) {
  const { p, f, name } = props;
  return (
    <div class={`field check${hasError(f, name) ? ' invalid' : ''}`}>
      <input id={`f-${name}`} name={name} type="checkbox" checked={f.values[name] === 'on'} />{' '}
      <label for={`f-${name}`}>{props.label ?? fieldLabel(p.lang, name)}</label>
      {props.hint ? <p class="hint">{props.hint}</p> : null}
      <FieldErrors p={p} f={f} name={name} />
    </div>
  );
}

/** A bare input for a table cell: its column header is its label (aria-label for screen readers). */
export function Cell(props: {
  p: PageCtx;
  f: FormState;
  name: string;
  multiline?: boolean;
  inputmode?: 'decimal' | 'numeric';
}) {
  const { p, f, name } = props;
  const invalid = hasError(f, name);
  return (
    <>
      {props.multiline ? (
        <textarea
          id={`f-${name}`}
          name={name}
          rows={2}
          class={invalid ? 'invalid' : undefined}
          aria-label={fieldLabel(p.lang, name)}
          aria-invalid={invalid ? 'true' : undefined}
        >
          {f.values[name] ?? ''}
        </textarea>
      ) : (
        <input
          id={`f-${name}`}
          name={name}
          type="text"
          value={f.values[name] ?? ''}
          inputmode={props.inputmode}
          class={invalid ? 'invalid' : undefined}
          aria-label={fieldLabel(p.lang, name)}
          aria-invalid={invalid ? 'true' : undefined}
        />
      )}
      <FieldErrors p={p} f={f} name={name} />
    </>
  );
}

/** One-line confirmations after a redirect (`?done=...`); only known keys, never echoed text. */
const DONE: Record<string, [string, string]> = {
  created: ['已创建。', 'Created.'],
  saved: ['已保存。', 'Saved.'],
  published: ['已发布，公开项目页已可见。', 'Published: it now appears on the open-calls page.'],
  approved: ['已通过该机构的注册。', 'The organization has been approved.'],
  rejected: ['已驳回该机构的注册。', 'The registration has been rejected.'],
  registered: [
    '注册已提交，请等待民政局审核。您现在即可登录查看审核状态。',
    'Registration submitted for approval by the civil-affairs bureau. You can sign in now to see its status.',
  ],
  'signed-out': ['您已安全退出。', 'You have signed out.'],
  submitted: ['已递交，回执见下方。', 'Submitted: the receipt is below.'],
  withdrawn: [
    '已撤回。截止前可修改后重新递交。',
    'Withdrawn. You may edit it and submit again before the deadline.',
  ],
  uploaded: ['附件已上传。', 'The attachment has been uploaded.'],
  screened: ['资格审查结论已保存。', 'The screening decision has been saved.'],
  drawn: ['评审委员会已抽取，抽取种子已记录。', 'The panel has been drawn; the seed is on record.'],
  recused: [
    '已声明回避，您不再评审该投标（申报）。',
    'Conflict declared: you no longer review this submission.',
  ],
  'sheet-saved': ['评分表草稿已保存。', 'Draft scores saved.'],
  'sheet-submitted': ['评分表已提交并锁定。', 'The score sheet is submitted and locked.'],
  reopened: [
    '评分表已退回评委修改，退回理由已记录。',
    'The score sheet is reopened for its member; the reason is on record.',
  ],
  proposed: [
    '已提出中标（立项）建议，须由另一名工作人员确认。',
    'Awards proposed; another officer must confirm them.',
  ],
  confirmed: [
    '已确认，资金已承诺，结果公示已开始。',
    'Confirmed: the money is committed and the public notice has started.',
  ],
  answered: ['质疑答复已保存。', 'The answer to the challenge has been saved.'],
  challenged: ['质疑已提交，民政局将作出答复。', 'Your challenge has been filed; the bureau will answer it.'],
  decided: ['报价说明审查结论已保存。', 'The decision on the price explanation has been saved.'],
  explained: ['报价说明已提交。', 'Your price explanation has been filed.'],
  'windows-apply': [
    '已按更正后的节假日安排重新计算期限。',
    'The windows were recomputed with the corrected calendar.',
  ],
  'windows-keep': ['已保持原期限。', 'The current window ends were kept.'],
  'calendar-proposed': [
    '已提交节假日安排，须由另一名系统管理员确认后生效。',
    'The arrangement was submitted; it takes effect once a second administrator confirms it.',
  ],
  'calendar-confirmed': ['节假日安排已确认并生效。', 'The arrangement is confirmed and in force.'],
  'calendar-rejected': ['已退回该节假日安排。', 'The arrangement was sent back.'],
  'jurisdiction-created': ['辖区已添加。', 'The division was added.'],
  'jurisdiction-saved': ['辖区名称已保存。', "The division's name was saved."],
  'station-created': ['社工站已设立。', 'The station was set up.'],
  'station-saved': ['社工站信息已保存。', 'The station was saved.'],
  'station-deleted': [
    '社工站已删除，其记录保留在审计链中。',
    'The station was deleted; its history stays in the audit trail.',
  ],
  'account-disabled': ['账号已停用。', 'The account was disabled.'],
  'account-enabled': ['账号已启用。', 'The account was enabled.'],
  'user-created': [
    '账号已创建，请将用户名和初始密码告知本人。',
    'The account was created; give the user their username and initial password.',
  ],
};

export function Notice({ p, done }: { p: PageCtx; done: string | undefined }) {
  const text = done ? DONE[done] : undefined;
  if (!text) return null;
  return (
    <p class="notice" role="status">
      {p.l(text[0], text[1])}
    </p>
  );
}

export function ErrorPage(props: { p: PageCtx; title: string; message: string; children?: Child }) {
  const { p } = props;
  return (
    <Layout p={p} title={props.title}>
      <div class="card">
        <p>{props.message}</p>
        {props.children}
        <p class="actions">
          <a class="button secondary" href={p.viewer ? '/home' : '/'}>
            {p.l('返回首页', 'Back to the start page')}
          </a>
        </p>
      </div>
    </Layout>
  );
}

export function Badge({ kind, text }: { kind: string; text: string }) {
  return <span class={`badge ${kind}`}>{text}</span>;
}
