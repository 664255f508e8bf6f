/**
 * The auditor's pages (审计): the audit trail — the hash chains of the aggregates in the auditor's
 * jurisdiction, by type, and one chain's entries (actor, time, action, state hash, previous hash,
 * entry hash) with its verification — and the verification of everything in scope (every chain and
 * every pool's ledger sums), naming the first broken entry. Read-only, like the audit API
 * (functions/audit/app.ts), with the same scope rule: a chain belongs to the jurisdiction of its
 * root item; a chain whose root item is gone is shown to every auditor, as evidence.
 */
import type { Context } from 'hono';
import type { ChainVerification, VerifyReport } from '../../../shared/audit/model';
import { AuditRepository } from '../../../shared/audit/repository';
import { verifyAggregate, verifyAll } from '../../../shared/audit/verify';
import { formatBeijing } from '../../../shared/domain/time';
import { NotFoundError } from '../../../shared/errors';
import { authorizeObject, inScope, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { Badge, Layout, type PageCtx, pageCtx, render } from '../layout';
import type { PageRoute } from '../routes';
import { userNames } from './contracts-view';

/** Chains shown per page of the list. */
const PER_PAGE = 50;
/** Root items read at once while filling a page. */
const BATCH = 25;

const chainPath = (aggregate: string) => `/auditor/audit/chain?aggregate=${encodeURIComponent(aggregate)}`;

/** The jurisdiction an aggregate belongs to: its root item's path (jurisdictions carry `path`). */
const jurisdictionOf = (root: Record<string, unknown>) => {
  const path = root.jurisdictionPath ?? root.path;
  return typeof path === 'string' ? path : undefined;
};

/** Aggregate types by their key prefix, with their names. */
const TYPES: Record<string, [string, string]> = {
  CONTRACT: ['合同', 'Contracts'],
  REPORT: ['里程碑报告', 'Reports'],
  DISB: ['拨付', 'Disbursements'],
  POOL: ['资金池', 'Pools'],
  CALL: ['项目', 'Calls'],
  AWARD: ['中标（立项）', 'Awards'],
  CHALLENGE: ['质疑', 'Challenges'],
  SUB: ['投标（申报）', 'Submissions'],
  SHEET: ['评分表', 'Score sheets'],
  PANEL: ['评审委员会', 'Panels'],
  ORG: ['机构', 'Organizations'],
  USER: ['账号', 'Users'],
  EXPERT: ['专家', 'Experts'],
  JUR: ['辖区', 'Jurisdictions'],
  STATION: ['社工站', 'Stations'],
};

const typeOf = (aggregate: string) => aggregate.split('#')[0] ?? '';
const typeText = (p: PageCtx, t: string) => (TYPES[t] ? p.l(TYPES[t][0], TYPES[t][1]) : t);

/** A readable name of the aggregate from its root item, when it has one. */
function labelOf(root: Record<string, unknown> | undefined): string {
  if (!root) return '';
  if (typeof root.stationName === 'string' && typeof root.month === 'string')
    return `${root.orgName ?? ''} · ${root.stationName} ${root.month}`;
  for (const k of ['callTitle', 'title', 'name', 'orgName', 'username'])
    if (typeof root[k] === 'string') {
      const extra = k === 'callTitle' && typeof root.orgName === 'string' ? ` · ${root.orgName}` : '';
      return `${root[k]}${extra}`;
    }
  return '';
}

const short = (h: unknown) => (typeof h === 'string' ? `${h.slice(0, 12)}…` : String(h));

function VerificationLine({ p, v }: { p: PageCtx; v: ChainVerification }) {
  return v.ok ? (
    <p class="notice" role="status" id="verification">
      {p.l(
        `链条完整：${v.entries} 条记录逐条复算哈希一致，与当前数据相符。`,
        `Intact: ${v.entries} entries re-hashed and linked, and the head matches the stored item.`,
      )}
    </p>
  ) : (
    <div class="alert" role="alert" id="verification">
      <h2>{p.l('链条已被破坏', 'The chain is broken')}</h2>
      <p>
        {p.l(
          `第一处破坏：第 ${v.firstBroken?.seq} 条（${v.firstBroken?.reason}）。`,
          `First broken entry: #${v.firstBroken?.seq} (${v.firstBroken?.reason}).`,
        )}{' '}
        <span class="small">{v.firstBroken?.detail}</span>
      </p>
    </div>
  );
}

export function auditPages(page: PageRoute, deps: Deps): void {
  const repo = new AuditRepository(deps.doc, deps.config.tableName);

  const covers = (c: Context<ApiEnv>) => {
    const me = principalOf(c);
    const scope = c.get('scope');
    return (root: Record<string, unknown>) => inScope(me, scope, { jurisdictionPath: jurisdictionOf(root) });
  };

  page('get', '/auditor/audit', async (c) => {
    const p = pageCtx(c);
    const type = c.req.query('type') ?? 'CONTRACT';
    const from = Math.max(0, Number(c.req.query('from')) || 0);
    const visible = covers(c);
    const listed = (await repo.listChains()).filter((x) => !type || typeOf(x.aggregate) === type);
    const rows: { aggregate: string; createdAt: string; root?: Record<string, unknown> }[] = [];
    let i = from;
    while (i < listed.length && rows.length < PER_PAGE) {
      const batch = listed.slice(i, i + BATCH);
      const roots = await Promise.all(batch.map((x) => repo.root(x.aggregate)));
      for (const [k, x] of batch.entries()) {
        i++;
        const root = roots[k];
        if (root && !visible(root)) continue;
        rows.push({ aggregate: x.aggregate, createdAt: x.createdKey.split('#')[0] ?? '', root });
        if (rows.length >= PER_PAGE) break;
      }
    }
    return render(
      c,
      <Layout p={p} title={p.l('审计记录', 'Audit trail')}>
        <p class="muted">
          {p.l(
            '每个业务对象的每次状态变更都在同一事务中写入一条审计记录：操作人、时间、动作、新状态的哈希（RFC 8785 规范化 JSON）和上一条记录的哈希，形成不可悄然篡改的链条。',
            'Every state change of every aggregate writes an entry in the same transaction: actor, time, action, the hash of the new state (RFC 8785 canonical JSON) and the hash of the previous entry — a chain nobody can quietly alter.',
          )}
        </p>
        <p class="actions">
          <a class="button" href="/auditor/audit/verify">
            {p.l('验证全部记录', 'Verify everything')}
          </a>
          <a class="button secondary" href="/finance/ledger">
            {p.l('资金台账', 'Fund ledger')}
          </a>
        </p>
        <nav aria-label={p.l('对象类型', 'Aggregate type')}>
          <p class="small">
            {Object.keys(TYPES).map((t) => (
              <>
                {t === type ? (
                  <strong aria-current="page">{typeText(p, t)}</strong>
                ) : (
                  <a href={`/auditor/audit?type=${t}`}>{typeText(p, t)}</a>
                )}{' '}
              </>
            ))}
          </p>
        </nav>
        {rows.length ? (
          <div class="table-wrap">
            <table id="chains">
              <thead>
                <tr>
                  <th>{p.l('对象', 'Aggregate')}</th>
                  <th>{p.l('名称', 'Name')}</th>
                  <th>{p.l('创建时间', 'Created')}</th>
                  <th class="num">{p.l('记录数', 'Entries')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr>
                    <td>
                      <a href={chainPath(r.aggregate)}>
                        <code>{r.aggregate}</code>
                      </a>
                    </td>
                    <td>
                      {r.root ? (
                        labelOf(r.root) || '—'
                      ) : (
                        <Badge kind="rejected" text={p.l('对象已不存在', 'Root item missing')} />
                      )}
                    </td>
                    <td>{r.createdAt ? formatBeijing(r.createdAt) : '—'}</td>
                    <td class="num">{typeof r.root?.auditSeq === 'number' ? r.root.auditSeq : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p class="card muted">{p.l('没有该类型的记录。', 'No chains of this type.')}</p>
        )}
        {i < listed.length ? (
          <p class="pager">
            <a href={`/auditor/audit?type=${encodeURIComponent(type)}&from=${i}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  page('get', '/auditor/audit/chain', async (c) => {
    const p = pageCtx(c);
    const aggregate = c.req.query('aggregate') ?? '';
    if (!/^[A-Z][A-Z0-9]*#/.test(aggregate) || aggregate.length > 300) throw new NotFoundError('audit chain');
    const cursor = c.req.query('cursor') || undefined;
    const root = await repo.root(aggregate);
    if (root) authorizeObject(c, root, 'audit chain', (r) => ({ jurisdictionPath: jurisdictionOf(r) }));
    const pageOf = await repo.chainPage(aggregate, 100, cursor);
    if (!pageOf.items.length && !cursor && !root?.auditSeq) throw new NotFoundError('audit chain');
    const verification = await verifyAggregate(repo, aggregate, root ?? null);
    const names = await userNames(
      deps,
      pageOf.items.map((e) => String(e.actor)),
    );
    const broken = verification.firstBroken?.seq;
    return render(
      c,
      <Layout
        p={p}
        title={p.l(
          `审计链条：${typeText(p, typeOf(aggregate))}`,
          `Audit chain: ${typeText(p, typeOf(aggregate))}`,
        )}
      >
        <section class="card">
          <dl class="facts">
            <dt>{p.l('对象', 'Aggregate')}</dt>
            <dd>
              <code>{aggregate}</code>
            </dd>
            <dt>{p.l('名称', 'Name')}</dt>
            <dd>{root ? labelOf(root) || '—' : p.l('对象已不存在', 'Root item missing')}</dd>
            <dt>{p.l('链头', 'Head')}</dt>
            <dd>
              {typeof root?.auditSeq === 'number' ? root.auditSeq : '—'} ·{' '}
              <code>{short(root?.auditHead)}</code>
            </dd>
          </dl>
        </section>
        <VerificationLine p={p} v={verification} />
        <div class="table-wrap">
          <table id="entries">
            <thead>
              <tr>
                <th class="num">{p.l('序号', 'Seq')}</th>
                <th>{p.l('时间', 'When')}</th>
                <th>{p.l('操作人', 'Actor')}</th>
                <th>{p.l('动作', 'Action')}</th>
                <th>{p.l('状态哈希', 'State hash')}</th>
                <th>{p.l('前一条哈希', 'Previous hash')}</th>
                <th>{p.l('本条哈希', 'Entry hash')}</th>
              </tr>
            </thead>
            <tbody>
              {pageOf.items.map((e) => (
                <tr class={broken !== undefined && e.seq === broken ? 'invalid' : undefined}>
                  <td class="num">
                    {String(e.seq)}
                    {broken !== undefined && e.seq === broken ? (
                      <>
                        {' '}
                        <Badge kind="rejected" text={p.l('首处破坏', 'first broken')} />
                      </>
                    ) : null}
                  </td>
                  <td>{typeof e.at === 'string' ? formatBeijing(e.at) : String(e.at)}</td>
                  <td class="small">{names.get(String(e.actor)) ?? String(e.actor)}</td>
                  <td>
                    <code>{String(e.action)}</code>
                  </td>
                  <td>
                    <code title={String(e.stateHash)}>{short(e.stateHash)}</code>
                  </td>
                  <td>
                    <code title={String(e.prevHash)}>{short(e.prevHash)}</code>
                  </td>
                  <td>
                    <code title={String(e.entryHash)}>{short(e.entryHash)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {pageOf.nextCursor ? (
          <p class="pager">
            <a href={`${chainPath(aggregate)}&cursor=${encodeURIComponent(pageOf.nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
        <p class="actions">
          <a href={`/auditor/audit?type=${encodeURIComponent(typeOf(aggregate))}`}>
            {p.l('返回审计记录', 'Back to the trail')}
          </a>
        </p>
      </Layout>,
    );
  });

  page('get', '/auditor/audit/verify', async (c) => {
    const p = pageCtx(c);
    const report: VerifyReport = await verifyAll(repo, { covers: covers(c), now: deps.now });
    const first = report.firstBroken;
    return render(
      c,
      <Layout p={p} title={p.l('验证审计记录与资金台账', 'Verify the audit trail and the ledger')}>
        {report.ok ? (
          <p class="notice" role="status" id="result">
            {p.l(
              `全部完整：${report.chains.checked} 条链条、${report.chains.entries} 条审计记录逐条复算一致；${report.ledgers.checked} 个资金台账合计与资金池数字一致。`,
              `All intact: ${report.chains.checked} chains and ${report.chains.entries} entries re-hashed and linked; ${report.ledgers.checked} ledgers add up to their pools' figures.`,
            )}
          </p>
        ) : (
          <div class="alert" role="alert" id="result">
            <h2>{p.l('发现破坏', 'Tampering found')}</h2>
            {first ? (
              <p>
                {p.l('第一处破坏：', 'First broken entry: ')}
                <a href={chainPath(first.aggregate)}>
                  <code>{first.aggregate}</code>
                </a>{' '}
                {p.l(`第 ${first.seq} 条（${first.reason}）`, `#${first.seq} (${first.reason})`)} —{' '}
                <span class="small">{first.detail}</span>
              </p>
            ) : null}
            <p>
              {p.l(
                `${report.chains.broken} 条链条、${report.ledgers.broken} 个台账未通过验证。`,
                `${report.chains.broken} chains and ${report.ledgers.broken} ledgers failed.`,
              )}
            </p>
          </div>
        )}
        <dl class="facts card">
          <dt>{p.l('验证时间', 'Checked at')}</dt>
          <dd>{formatBeijing(report.checkedAt)}</dd>
          <dt>{p.l('链条', 'Chains')}</dt>
          <dd>{report.chains.checked}</dd>
          <dt>{p.l('审计记录', 'Entries')}</dt>
          <dd>{report.chains.entries}</dd>
          <dt>{p.l('资金台账', 'Ledgers')}</dt>
          <dd>{report.ledgers.checked}</dd>
        </dl>
        {report.brokenChains.length ? (
          <>
            <h2>{p.l('未通过验证的链条', 'Broken chains')}</h2>
            <div class="table-wrap">
              <table id="broken-chains">
                <thead>
                  <tr>
                    <th>{p.l('对象', 'Aggregate')}</th>
                    <th class="num">{p.l('首处破坏', 'First broken')}</th>
                    <th>{p.l('原因', 'Reason')}</th>
                    <th>{p.l('说明', 'Detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.brokenChains.map((b) => (
                    <tr>
                      <td>
                        <a href={chainPath(b.aggregate)}>
                          <code>{b.aggregate}</code>
                        </a>
                      </td>
                      <td class="num">{b.seq}</td>
                      <td>{b.reason}</td>
                      <td class="small">{b.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
        {report.brokenLedgers.length ? (
          <>
            <h2>{p.l('合计不符的台账', 'Ledgers that do not add up')}</h2>
            <ul>
              {report.brokenLedgers.map((l) => (
                <li>
                  <code>{l.id}</code> · {l.detail ?? ''}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        <p class="actions">
          <a href="/auditor/audit">{p.l('返回审计记录', 'Back to the trail')}</a>
        </p>
      </Layout>,
    );
  });
}
