/**
 * Applicant pages: my submissions with their receipts, a new bid or application, editing a draft
 * (budget lines as table rows, no script needed), attachments, submit and withdraw, and the
 * written explanation of a price flagged abnormally low. Every change goes through the
 * SubmissionService, exactly as the JSON API does; a submission of another organization is a 404.
 *
 * Attachments: the page posts the file to the web function, which asks the service for the
 * presigned PUT URL (type and exact size signed, as for API clients) and sends the bytes there
 * itself. That keeps the form working without script; the price is that a file passes through
 * the function, so the page takes files up to 4 MiB (shared/config.ts: a Lambda request is at most 6 MB, base64-encoded). Larger
 * files (up to the 20 MiB the platform accepts) go through the API's presigned URL directly.
 */
import type { Context } from 'hono';
import { type Call, effectiveStatus } from '../../../shared/calls/model';
import { PAGE_UPLOAD_BYTES } from '../../../shared/config';
import { formatYuan } from '../../../shared/domain/money';
import { formatBeijing } from '../../../shared/domain/time';
import { NotFoundError, StaleVersionError } from '../../../shared/errors';
import { authorizeObject, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import type { Station } from '../../../shared/jurisdictions/model';
import { JurisdictionRepository } from '../../../shared/jurisdictions/repository';
import { OrganizationRepository } from '../../../shared/organizations/repository';
import { aggregateOf } from '../../../shared/reviews/aggregates';
import {
  AttachmentRequestSchema,
  ExplanationInputSchema,
  isEditable,
  RECIPIENT_CATEGORIES,
  type Submission,
  type SubmissionContent,
  SubmissionContentSchema,
} from '../../../shared/submissions/model';
import { acceptsSubmissions, SubmissionService, unsealed } from '../../../shared/submissions/service';
import {
  domainErrors,
  emptyForm,
  FormReader,
  type FormState,
  type FormValues,
  type PageError,
  pathResolver,
  readForm,
  rowIndices,
  zodErrors,
} from '../forms';
import { CALL_KIND, FIELD, pick, RECIPIENT } from '../i18n';
import {
  Cell,
  Csrf,
  ErrorSummary,
  FieldErrors,
  hasError,
  Input,
  Layout,
  Notice,
  type Option,
  type PageCtx,
  pageCtx,
  render,
  Select,
  TextArea,
} from '../layout';
import type { Reference } from '../reference';
import type { PageRoute } from '../routes';
import { statusBadge } from './call-view';
import { AttachmentList, ContentView, ReceiptsTable, sizeText, submissionBadge } from './submission-view';

/** Attachments the page relays itself (shared/config.ts: a Lambda request is at most 6 MB, base64-encoded). */
/** Blank budget-line rows offered beyond the ones filled in. */
const BLANK_LINES = 4;

const here = (s: Pick<Submission, 'id'>) => `/applicant/submissions/${encodeURIComponent(s.id)}`;

/** The form's fields from stored content (editing a draft). */
export function contentToValues(content: SubmissionContent): FormValues {
  const fen = (n: number) => (n / 100).toFixed(2);
  if (content.kind === 'bid') {
    const v: FormValues = { lot: content.lot, price: fen(content.priceFen), proposal: content.proposal };
    content.budgetLines.forEach((l, i) => {
      v[`bl.${i}.item`] = l.item;
      v[`bl.${i}.amount`] = fen(l.amountFen);
    });
    return v;
  }
  const t = content.targets;
  const v: FormValues = {
    projectTitle: content.projectTitle,
    requested: fen(content.requestedFen),
    stationId: content.stationId,
    summary: content.summary,
    't.visits': String(t.visits),
    't.cases': String(t.cases),
    't.groups': String(t.groups),
    't.activities': String(t.activities),
  };
  for (const g of content.recipientGroups) v[`group.${g}`] = 'on';
  for (const k of RECIPIENT_CATEGORIES) v[`ps.${k}`] = String(t.peopleServed[k]);
  return v;
}

/**
 * The typed form as submission content, or the errors beside its fields. `resolve` maps the
 * domain's paths (`content.budgetLines.1.amountFen`, with or without `body.`) to the fields.
 */
export function parseContent(
  call: Pick<Call, 'kind'>,
  values: FormValues,
): { content?: SubmissionContent; errors: PageError[]; resolve: (path: string) => string } {
  const r = new FormReader(values);
  const map: Record<string, string> = {};
  let raw: unknown;
  if (call.kind === 'purchase') {
    Object.assign(map, { lot: 'lot', priceFen: 'price', budgetLines: 'budgetLines', proposal: 'proposal' });
    const lines: { item: string; amountFen: number | undefined }[] = [];
    for (const i of rowIndices(values, 'bl')) {
      const item = r.text(`bl.${i}.item`);
      const amount = r.text(`bl.${i}.amount`);
      if (!item && !amount) continue;
      if (!item) r.errors.push({ name: `bl.${i}.item`, zh: '请填写支出项目', en: 'Name the item.' });
      map[`budgetLines.${lines.length}.item`] = `bl.${i}.item`;
      map[`budgetLines.${lines.length}.amountFen`] = `bl.${i}.amount`;
      lines.push({ item, amountFen: r.yuan(`bl.${i}.amount`) });
    }
    if (!lines.length)
      r.errors.push({
        name: 'budgetLines',
        zh: '请至少填写一行预算明细',
        en: 'Fill in at least one budget line.',
      });
    const lot = r.text('lot');
    if (!lot) r.errors.push({ name: 'lot', zh: '请选择标包', en: 'Choose a lot.' });
    raw = {
      kind: 'bid',
      lot,
      priceFen: r.yuan('price'),
      budgetLines: lines,
      proposal: r.text('proposal'),
    };
  } else {
    Object.assign(map, {
      projectTitle: 'projectTitle',
      requestedFen: 'requested',
      stationId: 'stationId',
      recipientGroups: 'recipientGroups',
      summary: 'summary',
      'targets.visits': 't.visits',
      'targets.cases': 't.cases',
      'targets.groups': 't.groups',
      'targets.activities': 't.activities',
      targets: 'targets',
    });
    for (const k of RECIPIENT_CATEGORIES) map[`targets.peopleServed.${k}`] = `ps.${k}`;
    const groups = RECIPIENT_CATEGORIES.filter((g) => r.checked(`group.${g}`));
    const count = (name: string) => (r.text(name) === '' ? 0 : r.int(name));
    raw = {
      kind: 'application',
      projectTitle: r.text('projectTitle'),
      requestedFen: r.yuan('requested'),
      stationId: r.text('stationId'),
      recipientGroups: groups,
      targets: {
        visits: count('t.visits'),
        cases: count('t.cases'),
        groups: count('t.groups'),
        activities: count('t.activities'),
        peopleServed: Object.fromEntries(RECIPIENT_CATEGORIES.map((k) => [k, count(`ps.${k}`)])),
      },
      summary: r.text('summary'),
    };
  }
  const base = pathResolver(map);
  const resolve = (path: string) => base(path.replace(/^(body\.)?(content\.?)?/, ''));
  if (r.errors.length) return { errors: r.errors, resolve };
  const parsed = SubmissionContentSchema.safeParse(raw);
  if (!parsed.success) return { errors: zodErrors(parsed.error, resolve), resolve };
  return { content: parsed.data, errors: [], resolve };
}

/** The bid or application form's fields (inside a form that carries the CSRF token and version). */
function ContentFields({
  p,
  f,
  call,
  stations,
}: {
  p: PageCtx;
  f: FormState;
  call: Call;
  stations: Station[];
}) {
  if (call.kind === 'purchase') {
    const lots: Option[] = call.lots.map((l) => ({
      value: l.code,
      text: p.l(
        `${l.code}：${l.name}（最高限价 ${formatYuan(l.ceilingFen)}）`,
        `${l.code}: ${l.name} (ceiling ${formatYuan(l.ceilingFen)})`,
      ),
    }));
    const filled = rowIndices(f.values, 'bl');
    const next = filled.length ? Math.max(...filled) + 1 : 0;
    const rows = [...filled, ...Array.from({ length: BLANK_LINES }, (_, k) => next + k)];
    return (
      <>
        <fieldset>
          <legend>{p.l('投标报价', 'The bid')}</legend>
          <Select p={p} f={f} name="lot" options={lots} blank={p.l('请选择', 'Choose')} required />
          <Input
            p={p}
            f={f}
            name="price"
            inputmode="decimal"
            required
            hint={p.l(
              '以元为单位，精确到分，如 520,000.00；不得超过所投标包的最高限价',
              'In yuan, exact to the fen, e.g. 520,000.00; at most the ceiling price of the lot',
            )}
          />
        </fieldset>
        <fieldset id="f-budgetLines" class={hasError(f, 'budgetLines') ? 'bad' : undefined}>
          <legend>{pick(p.lang, FIELD.budgetLines!)}</legend>
          <p class="hint">
            {p.l(
              '各行金额合计须等于投标报价。空行不计；需要更多行时先保存，页面会再提供空行。',
              'The lines must add up to the bid price. Blank rows are ignored; save to get more rows.',
            )}
          </p>
          <FieldErrors p={p} f={f} name="budgetLines" />
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th class="narrow">{p.l('行', 'Row')}</th>
                  <th>{p.l('支出项目', 'Item')}</th>
                  <th class="mid">{p.l('金额（元）', 'Amount (yuan)')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((i, k) => (
                  <tr>
                    <td class="num">{k + 1}</td>
                    <td>
                      <Cell p={p} f={f} name={`bl.${i}.item`} />
                    </td>
                    <td>
                      <Cell p={p} f={f} name={`bl.${i}.amount`} inputmode="decimal" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </fieldset>
        <TextArea p={p} f={f} name="proposal" rows={8} required />
      </>
    );
  }
  const stationOptions: Option[] = stations.map((s) => ({ value: s.id, text: s.name }));
  return (
    <>
      <fieldset>
        <legend>{p.l('申报项目', 'The project')}</legend>
        <Input p={p} f={f} name="projectTitle" required maxlength={200} />
        <div class="grid">
          <Input
            p={p}
            f={f}
            name="requested"
            inputmode="decimal"
            required
            hint={
              call.venture
                ? p.l(
                    `不超过 ${formatYuan(call.venture.maxRequestFen)}`,
                    `At most ${formatYuan(call.venture.maxRequestFen)}`,
                  )
                : undefined
            }
          />
          <Select
            p={p}
            f={f}
            name="stationId"
            options={stationOptions}
            blank={p.l('请选择', 'Choose')}
            required
          />
        </div>
      </fieldset>
      <fieldset id="f-recipientGroups" class={hasError(f, 'recipientGroups') ? 'bad' : undefined}>
        <legend>{pick(p.lang, FIELD.recipientGroups!)}</legend>
        <FieldErrors p={p} f={f} name="recipientGroups" />
        {RECIPIENT_CATEGORIES.map((g) => (
          <div class="field check">
            <input
              type="checkbox"
              id={`f-group.${g}`}
              name={`group.${g}`}
              checked={f.values[`group.${g}`] === 'on'}
            />{' '}
            <label for={`f-group.${g}`}>{pick(p.lang, RECIPIENT[g])}</label>
          </div>
        ))}
      </fieldset>
      <fieldset id="f-targets">
        <legend>{pick(p.lang, FIELD.targets!)}</legend>
        <div class="grid">
          {['t.visits', 't.cases', 't.groups', 't.activities'].map((n) => (
            <Input p={p} f={f} name={n} inputmode="numeric" />
          ))}
          {RECIPIENT_CATEGORIES.map((k) => (
            <Input p={p} f={f} name={`ps.${k}`} inputmode="numeric" />
          ))}
        </div>
      </fieldset>
      <TextArea p={p} f={f} name="summary" rows={8} required />
    </>
  );
}

export function submissionPages(page: PageRoute, deps: Deps, _ref: Reference): void {
  const service = new SubmissionService(deps);
  const { repo, calls } = service;
  const table = deps.config.tableName;
  const places = new JurisdictionRepository(deps.doc, table);
  const orgs = new OrganizationRepository(deps.doc, table);

  const stationsOf = async (call: Call): Promise<Station[]> => {
    if (call.kind !== 'venture') return [];
    const j = await places.get(call.jurisdictionId);
    return j ? places.stationsUnder(j) : [];
  };

  /** The caller's own submission, or the 404 page (another organization's looks missing). */
  const own = async (c: Context<ApiEnv>) =>
    authorizeObject(c, await repo.get(c.req.param('id') ?? ''), 'submission');

  /** A published call an applicant may see (drafts are unknown ids). */
  const visibleCall = async (id: string) => {
    const call = await calls.get(id);
    if (!call || call.status === 'draft') throw new NotFoundError('call');
    return call;
  };

  page('get', '/applicant/submissions', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const cursor = c.req.query('cursor');
    const list = me.orgId
      ? await repo.listOfOrg(me.orgId, 25, cursor || undefined)
      : { items: [] as Submission[], nextCursor: undefined };
    const callIds = [...new Set(list.items.map((s) => s.callId))];
    const titles = new Map(
      (await Promise.all(callIds.map((id) => calls.get(id)))).flatMap((x) => (x ? [[x.id, x]] : [])),
    );
    return render(
      c,
      <Layout p={p} title={p.l('我的申报', 'My submissions')}>
        <Notice p={p} done={c.req.query('done')} />
        <p class="muted">
          {p.l(
            '截止前，材料仅本机构可见；每次递交都生成回执（版本、SHA-256 摘要、服务器收到时间）。新的投标或申报请从',
            'Until the deadline only your organization can see a submission; each submission gets a receipt (version, SHA-256, server time). Start a new one from ',
          )}
          <a href="/open-calls">{p.l('公开项目', 'the open calls')}</a>
          {p.l('页面开始。', '.')}
        </p>
        {list.items.length ? (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{p.l('项目', 'Call')}</th>
                  <th>{p.l('内容', 'What')}</th>
                  <th class="num">{p.l('金额', 'Amount')}</th>
                  <th>{p.l('状态', 'Status')}</th>
                  <th>{p.l('最新回执', 'Latest receipt')}</th>
                  <th>{p.l('截止时间', 'Deadline')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((s) => {
                  const call = titles.get(s.callId);
                  const last = s.receipts[s.receipts.length - 1];
                  return (
                    <tr>
                      <td>
                        <a href={here(s)}>{call?.title ?? s.callId}</a>
                      </td>
                      <td>
                        {s.content.kind === 'bid'
                          ? p.l(`标包 ${s.content.lot}`, `Lot ${s.content.lot}`)
                          : s.content.projectTitle}
                      </td>
                      <td class="num">
                        {formatYuan(s.content.kind === 'bid' ? s.content.priceFen : s.content.requestedFen)}
                      </td>
                      <td>{submissionBadge(p, s.status)}</td>
                      <td class="small">
                        {last ? (
                          <>
                            {p.l(`第 ${last.version} 版`, `v${last.version}`)} ·{' '}
                            {formatBeijing(last.receivedAt)}
                            <br />
                            <code>{last.sha256.slice(0, 16)}…</code>
                          </>
                        ) : (
                          '—'
                        )}
                      </td>
                      <td>{call ? formatBeijing(call.periods.deadline) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="card muted">{p.l('还没有投标或申报。', 'No bids or applications yet.')}</p>
        )}
        {list.nextCursor ? (
          <p class="pager">
            <a href={`/applicant/submissions?cursor=${encodeURIComponent(list.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  const newPage = async (c: Context<ApiEnv>, call: Call, f: FormState, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const [stations, org] = await Promise.all([
      stationsOf(call),
      me.orgId ? orgs.get(me.orgId) : Promise.resolve(undefined),
    ]);
    const open = acceptsSubmissions(call, deps.now());
    const what = call.kind === 'purchase' ? p.l('投标', 'bid') : p.l('申报', 'application');
    return render(
      c,
      <Layout p={p} title={p.l(`新建${what}`, `New ${what}`)}>
        <section class="card">
          <p>
            <a href={`/open-calls/${encodeURIComponent(call.id)}`}>{call.title}</a>{' '}
            {statusBadge(p, effectiveStatus(call, deps.now()))}
          </p>
          <p class="muted">
            {pick(p.lang, CALL_KIND[call.kind])} ·{' '}
            {p.l(
              `递交截止：${formatBeijing(call.periods.deadline)}（北京时间）`,
              `Deadline: ${formatBeijing(call.periods.deadline)} (Beijing time)`,
            )}
          </p>
          {org?.status !== 'approved' ? (
            <p class="alert">
              {p.l(
                '贵机构尚未通过审核，审核通过后方可申报。',
                'Your organization has not been approved yet; it can submit once approved.',
              )}
            </p>
          ) : null}
          {!open ? (
            <p class="alert">
              {p.l('本项目当前不接受递交。', 'This call is not accepting submissions now.')}
            </p>
          ) : null}
        </section>
        <form method="post" action="/applicant/submissions" class="stack" novalidate>
          <Csrf p={p} />
          <input type="hidden" name="call" value={call.id} />
          <ErrorSummary p={p} f={f} />
          <ContentFields p={p} f={f} call={call} stations={stations} />
          <div class="actions">
            <button type="submit" name="action" value="save" class="secondary">
              {p.l('保存草稿', 'Save as draft')}
            </button>
            <button type="submit" name="action" value="submit">
              {p.l('保存并递交', 'Save and submit')}
            </button>
            <span class="hint">
              {p.l(
                '附件在保存草稿后上传；截止前可撤回、修改后重新递交。',
                'Attachments are added once the draft is saved; before the deadline you can withdraw, edit and submit again.',
              )}
            </span>
          </div>
        </form>
      </Layout>,
      status,
    );
  };

  page('get', '/applicant/submissions/new', async (c) => {
    const call = await visibleCall(c.req.query('call') ?? '');
    return newPage(c, call, emptyForm());
  });

  page('post', '/applicant/submissions', async (c) => {
    const receivedAt = deps.now();
    const me = principalOf(c);
    const values = await readForm(c);
    const call = await visibleCall(values.call ?? '');
    const { content, errors, resolve } = parseContent(call, values);
    if (!content) return newPage(c, call, { values, errors }, 422);
    let s: Submission;
    try {
      s = await service.create(me, call.id, content);
    } catch (e) {
      return newPage(c, call, { values, errors: domainErrors(e, resolve) }, 422);
    }
    if (values.action !== 'submit') return c.redirect(`${here(s)}?done=created`, 303);
    try {
      await service.submit(me, s, s.version, receivedAt);
    } catch (e) {
      return detailPage(c, s, { values, errors: domainErrors(e, resolve) }, 422);
    }
    return c.redirect(`${here(s)}?done=submitted`, 303);
  });

  const detailPage = async (
    c: Context<ApiEnv>,
    s: Submission,
    f: FormState,
    status: 200 | 409 | 413 | 422 = 200,
    side: { name: 'attachment' | 'withdraw' | 'explanation'; errors: PageError[] } | undefined = undefined,
  ) => {
    const p = pageCtx(c);
    const now = deps.now();
    const call = await service.callOf(s);
    const [stations, agg] = await Promise.all([
      stationsOf(call),
      s.status === 'submitted' && unsealed(call, now)
        ? aggregateOf(deps.doc, table, s.id)
        : Promise.resolve(undefined),
    ]);
    const open = acceptsSubmissions(call, now);
    const editable = isEditable(s) && open;
    const sideErrors = (name: string) =>
      side?.name === name ? <ErrorSummary p={p} f={{ values: {}, errors: side.errors }} /> : null;
    const flaggedLow = agg?.row?.flags.abnormallyLow === true;
    const title =
      s.content.kind === 'bid'
        ? p.l(`投标 · 标包 ${s.content.lot}`, `Bid · lot ${s.content.lot}`)
        : s.content.projectTitle;
    return render(
      c,
      <Layout p={p} title={title}>
        <Notice p={p} done={c.req.query('done')} />
        <section class="card">
          <dl class="facts">
            <dt>{p.l('项目', 'Call')}</dt>
            <dd>
              <a href={`/open-calls/${encodeURIComponent(call.id)}`}>{call.title}</a>{' '}
              {statusBadge(p, effectiveStatus(call, now))}
            </dd>
            <dt>{p.l('递交截止', 'Deadline')}</dt>
            <dd>
              <strong>{formatBeijing(call.periods.deadline)}</strong>
            </dd>
            <dt>{p.l('状态', 'Status')}</dt>
            <dd>{submissionBadge(p, s.status)}</dd>
            <dt>{p.l('当前版本', 'Current version')}</dt>
            <dd>
              {s.version} · {p.l('更新于', 'updated')} {formatBeijing(s.updatedAt)}
            </dd>
            {s.eligibility ? (
              <>
                <dt>{p.l('资格审查', 'Screening')}</dt>
                <dd>
                  {s.eligibility.eligible
                    ? p.l('符合资格', 'Eligible')
                    : p.l(
                        `不符合资格：${s.eligibility.reasons.join('；')}`,
                        `Not eligible: ${s.eligibility.reasons.join('; ')}`,
                      )}
                </dd>
              </>
            ) : null}
          </dl>
        </section>

        <h2 id="receipts">{p.l('递交回执', 'Receipts')}</h2>
        <ReceiptsTable p={p} receipts={s.receipts} />
        {s.status === 'submitted' && open ? (
          <form method="post" action={`${here(s)}/withdraw`} class="actions">
            <Csrf p={p} />
            <input type="hidden" name="version" value={String(s.version)} />
            {sideErrors('withdraw')}
            <button type="submit" class="secondary">
              {p.l('撤回以便修改', 'Withdraw to edit')}
            </button>
            <span class="hint">
              {p.l(
                '撤回后须在截止前重新递交，否则不参加评审。',
                'Once withdrawn it must be submitted again before the deadline, or it takes no part in the review.',
              )}
            </span>
          </form>
        ) : null}

        <h2 id="attachments">{p.l('附件', 'Attachments')}</h2>
        <AttachmentList
          p={p}
          attachments={s.attachments}
          href={(id) => `${here(s)}/attachments/${encodeURIComponent(id)}`}
        />
        {editable ? (
          <form
            method="post"
            action={`${here(s)}/attachments`}
            enctype="multipart/form-data"
            class="stack card"
          >
            <Csrf p={p} />
            {sideErrors('attachment')}
            <div class="field">
              <label for="f-file">{pick(p.lang, FIELD.file!)}</label>
              <input id="f-file" name="file" type="file" required accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx" />
              <p class="hint">
                {p.l(
                  'PDF、JPEG、PNG、DOCX 或 XLSX，本页面每个不超过 4 MiB（更大的文件最大 20 MiB，请通过接口直传）。',
                  'PDF, JPEG, PNG, DOCX or XLSX, up to 4 MiB each on this page (larger files, up to 20 MiB, go through the API’s direct upload).',
                )}
              </p>
            </div>
            <button type="submit" class="secondary">
              {p.l('上传附件', 'Upload')}
            </button>
          </form>
        ) : null}

        {flaggedLow && s.content.kind === 'bid' ? (
          <section id="explanation" class="card">
            <h2>{p.l('异常低价书面说明', 'Written explanation of a low price')}</h2>
            <p>
              {p.l(
                '您的报价明显低于其他有效报价，须书面说明其合理性（财政部令第87号第60条）。',
                'Your price is far below the other valid bids; explain in writing why it is sound (MOF Order No. 87, art. 60).',
              )}
            </p>
            {s.explanation ? (
              <>
                <p>{s.explanation.text}</p>
                <p class="muted">
                  {formatBeijing(s.explanation.at)} ·{' '}
                  {s.explanation.decision === 'accepted'
                    ? p.l('已采纳', 'Accepted')
                    : s.explanation.decision === 'rejected'
                      ? p.l('未采纳', 'Rejected')
                      : p.l('待审查', 'Awaiting decision')}
                </p>
              </>
            ) : (
              <form method="post" action={`${here(s)}/explanation`} class="stack">
                <Csrf p={p} />
                <input type="hidden" name="version" value={String(s.version)} />
                {sideErrors('explanation')}
                <TextArea
                  p={p}
                  f={side?.name === 'explanation' ? f : emptyForm()}
                  name="explanation"
                  required
                />
                <button type="submit">{p.l('提交说明', 'File the explanation')}</button>
              </form>
            )}
          </section>
        ) : null}

        <h2 id="content">{editable ? p.l('编辑内容', 'Edit') : p.l('递交内容', 'Content')}</h2>
        {editable ? (
          <form method="post" action={here(s)} class="stack" novalidate>
            <Csrf p={p} />
            <input type="hidden" name="version" value={String(s.version)} />
            <ErrorSummary p={p} f={f} />
            <ContentFields p={p} f={f} call={call} stations={stations} />
            <div class="actions">
              <button type="submit" name="action" value="save" class="secondary">
                {p.l('保存草稿', 'Save as draft')}
              </button>
              <button type="submit" name="action" value="submit">
                {p.l('保存并递交', 'Save and submit')}
              </button>
            </div>
          </form>
        ) : (
          <section class="card">
            <ErrorSummary p={p} f={f} />
            <ContentView p={p} content={s.content} stations={stations} />
          </section>
        )}
      </Layout>,
      status,
    );
  };

  page('get', '/applicant/submissions/:id', async (c) => {
    const s = await own(c);
    return detailPage(c, s, emptyForm(contentToValues(s.content)));
  });

  page('post', '/applicant/submissions/:id', async (c) => {
    const receivedAt = deps.now();
    const me = principalOf(c);
    const s = await own(c);
    const values = await readForm(c);
    const call = await service.callOf(s);
    const { content, errors, resolve } = parseContent(call, values);
    if (!content) return detailPage(c, s, { values, errors }, 422);
    let saved: Submission;
    try {
      const version = Number(values.version);
      if (!Number.isInteger(version) || version < 1) throw new StaleVersionError();
      saved = await service.update(s, version, content, me.userId);
      if (values.action === 'submit') await service.submit(me, saved, saved.version, receivedAt);
    } catch (e) {
      const errs = domainErrors(e, resolve);
      const current = (await repo.get(s.id)) ?? s;
      return detailPage(c, current, { values, errors: errs }, e instanceof StaleVersionError ? 409 : 422);
    }
    return c.redirect(`${here(s)}?done=${values.action === 'submit' ? 'submitted' : 'saved'}`, 303);
  });

  page('post', '/applicant/submissions/:id/withdraw', async (c) => {
    const receivedAt = deps.now();
    const s = await own(c);
    const values = await readForm(c);
    try {
      await service.withdraw(s, Number(values.version), receivedAt, principalOf(c).userId);
    } catch (e) {
      return detailPage(c, s, emptyForm(contentToValues(s.content)), 422, {
        name: 'withdraw',
        errors: domainErrors(e, () => ''),
      });
    }
    return c.redirect(`${here(s)}?done=withdrawn`, 303);
  });

  page('post', '/applicant/submissions/:id/attachments', async (c) => {
    const s = await own(c);
    const body = await c.req.parseBody();
    const file = body.file;
    const fail = (errors: PageError[], status: 413 | 422 = 422) =>
      detailPage(c, s, emptyForm(contentToValues(s.content)), status, { name: 'attachment', errors });
    if (!(file instanceof File) || !file.name)
      return fail([{ name: '', zh: '请选择要上传的文件', en: 'Choose a file to upload.' }]);
    if (file.size > PAGE_UPLOAD_BYTES)
      return fail(
        [
          {
            name: '',
            zh: `文件 ${sizeText(file.size)}，超过本页面上传上限 4 MiB`,
            en: `The file is ${sizeText(file.size)}, above this page’s 4 MiB limit.`,
          },
        ],
        413,
      );
    const parsed = AttachmentRequestSchema.safeParse({
      name: file.name,
      contentType: file.type || 'application/octet-stream',
      sizeBytes: file.size,
    });
    if (!parsed.success) return fail(zodErrors(parsed.error, () => ''));
    try {
      const added = await service.addAttachment(s, parsed.data, principalOf(c).userId);
      // The same presigned PUT an API client gets: S3 refuses bytes of another type or length.
      const put = await fetch(added.upload.url, {
        method: 'PUT',
        headers: added.upload.headers,
        body: new Uint8Array(await file.arrayBuffer()),
      });
      if (!put.ok) throw new Error(`attachment upload answered ${put.status}`);
    } catch (e) {
      return fail(domainErrors(e, () => ''));
    }
    return c.redirect(`${here(s)}?done=uploaded#attachments`, 303);
  });

  page('get', '/applicant/submissions/:id/attachments/:attachmentId', async (c) => {
    const s = await own(c);
    const { url } = await service.attachmentUrl(s, c.req.param('attachmentId') ?? '');
    return c.redirect(url, 302);
  });

  page('post', '/applicant/submissions/:id/explanation', async (c) => {
    const s = await own(c);
    const values = await readForm(c);
    const parsed = ExplanationInputSchema.safeParse({
      version: Number(values.version),
      text: (values.explanation ?? '').trim(),
    });
    const resolve = pathResolver({ text: 'explanation' });
    const fail = (errors: PageError[]) =>
      detailPage(c, s, { values, errors: [] }, 422, { name: 'explanation', errors });
    if (!parsed.success) return fail(zodErrors(parsed.error, resolve));
    try {
      await service.explain(s, parsed.data, principalOf(c).userId);
    } catch (e) {
      return fail(domainErrors(e, resolve));
    }
    return c.redirect(`${here(s)}?done=explained#explanation`, 303);
  });
}
