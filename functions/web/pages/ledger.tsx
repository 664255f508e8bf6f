/**
 * The fund ledger (资金台账) for finance, officers and auditors of a jurisdiction: per pool and
 * fiscal year the budget, committed, disbursed and available money (a chart and its table), per
 * contract what is paid and what remains (a chart and its table), the latest payments, a pool's
 * ledger entries and a contract's entries and payments. Read-only; the figures are the pools'
 * counters, which the ledger entries attest (`npm run audit:verify` re-adds them).
 */
import type { Contract } from '../../../shared/contracts/model';
import { committedFor } from '../../../shared/contracts/model';
import { ContractRepository } from '../../../shared/contracts/repository';
import { formatYuan } from '../../../shared/domain/money';
import { beijingToday, formatBeijing } from '../../../shared/domain/time';
import type { PoolLedger } from '../../../shared/finance/model';
import { FinanceService } from '../../../shared/finance/service';
import { principalOf } from '../../../shared/http/app';
import type { Deps } from '../../../shared/http/deps';
import type { LedgerEntry } from '../../../shared/ledger/entries';
import { BarChart, yuanAxis } from '../charts';
import { LEDGER_KIND, pick } from '../i18n';
import { Badge, Layout, type PageCtx, pageCtx, render } from '../layout';
import type { PageRoute } from '../routes';
import { TranchesTable, userNames } from './contracts-view';
import { DisbursementsTable } from './finance';

const poolPath = (id: string) => `/finance/ledger/pools/${encodeURIComponent(id)}`;
const contractLedgerPath = (id: string) => `/finance/ledger/contracts/${encodeURIComponent(id)}`;

/** Contracts read for the per-contract chart (a county's year has a few dozen). */
const CONTRACT_PAGES = 5;

function EntriesTable({
  p,
  entries,
  names,
}: {
  p: PageCtx;
  entries: LedgerEntry[];
  names: Map<string, string>;
}) {
  if (!entries.length) return <p class="muted">{p.l('暂无台账记录。', 'No ledger entries.')}</p>;
  return (
    <div class="table-wrap">
      <table id="entries">
        <thead>
          <tr>
            <th>{p.l('时间', 'When')}</th>
            <th>{p.l('类型', 'Kind')}</th>
            <th class="num">{p.l('金额', 'Amount')}</th>
            <th>{p.l('事由', 'Cause')}</th>
            <th>{p.l('合同', 'Contract')}</th>
            <th>{p.l('经办人', 'By')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr>
              <td>{formatBeijing(e.at)}</td>
              <td>
                <Badge
                  kind={e.kind === 'disburse' ? 'approved' : e.kind === 'commit' ? 'pending' : 'closed'}
                  text={pick(p.lang, LEDGER_KIND[e.kind])}
                />
              </td>
              <td class="num">
                {e.kind === 'release' ? '−' : ''}
                {formatYuan(e.amountFen)}
              </td>
              <td>
                <code>{e.cause}</code>
              </td>
              <td>{e.contractId ? <a href={contractLedgerPath(e.contractId)}>{e.contractId}</a> : '—'}</td>
              <td class="small">{names.get(e.actor) ?? e.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Totals({
  p,
  t,
}: {
  p: PageCtx;
  t: Pick<PoolLedger, 'budgetFen' | 'committedFen' | 'disbursedFen' | 'availableFen'>;
}) {
  return (
    <div class="cards" id="totals">
      <section class="card">
        <h3>{p.l('预算', 'Budget')}</h3>
        <p class="total" id="total-budget">
          {formatYuan(t.budgetFen)}
        </p>
      </section>
      <section class="card">
        <h3>{p.l('已承诺', 'Committed')}</h3>
        <p class="total" id="total-committed">
          {formatYuan(t.committedFen)}
        </p>
      </section>
      <section class="card">
        <h3>{p.l('已拨付', 'Disbursed')}</h3>
        <p class="total" id="total-disbursed">
          {formatYuan(t.disbursedFen)}
        </p>
      </section>
      <section class="card">
        <h3>{p.l('可用余额', 'Available')}</h3>
        <p class="total" id="total-available">
          {formatYuan(t.availableFen)}
        </p>
      </section>
    </div>
  );
}

export function ledgerPages(page: PageRoute, deps: Deps): void {
  const finance = new FinanceService(deps);
  const contracts = new ContractRepository(deps.doc, deps.config.tableName);

  page('get', '/finance/ledger', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const all = await finance.ledgerOverview(me);
    const years = [...new Set(all.pools.map((x) => x.fiscalYear))].sort((a, b) => b - a);
    const current = Number(beijingToday(deps.now()).slice(0, 4));
    const asked = Number(c.req.query('fiscalYear'));
    const fy = years.includes(asked) ? asked : years.includes(current) ? current : (years[0] ?? current);
    const pools = all.pools.filter((x) => x.fiscalYear === fy);
    const poolIds = new Set(pools.map((x) => x.poolId));
    const sum = (f: (x: PoolLedger) => number) => pools.reduce((s, x) => s + f(x), 0);
    const totals = {
      budgetFen: sum((x) => x.budgetFen),
      committedFen: sum((x) => x.committedFen),
      disbursedFen: sum((x) => x.disbursedFen),
      availableFen: sum((x) => x.availableFen),
    };
    const ofYear: Contract[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < CONTRACT_PAGES; i++) {
      const page = await contracts.pageInJurisdiction(me.jurisdictionPath, 100, cursor);
      ofYear.push(...page.items.filter((x) => poolIds.has(x.poolId)));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    const paid = (await finance.list(me, { status: 'paid', limit: 50 })).items.filter((d) =>
      poolIds.has(d.poolId),
    );
    const money = (v: number) => formatYuan(v);
    const axis = yuanAxis(p.lang);
    return render(
      c,
      <Layout p={p} title={p.l(`资金台账（${fy} 年度）`, `Fund ledger (fiscal year ${fy})`)}>
        <nav aria-label={p.l('预算年度', 'Fiscal year')}>
          <p class="actions">
            {years.map((y) => (
              <a
                class={y === fy ? 'button' : 'button secondary'}
                href={`/finance/ledger?fiscalYear=${y}`}
                aria-current={y === fy ? 'page' : undefined}
              >
                {p.l(`${y} 年度`, `${y}`)}
              </a>
            ))}
          </p>
        </nav>
        <p class="muted">
          {p.l(
            '可用余额 = 预算 − 已承诺；已拨付不超过已承诺。每一笔承诺、释放和拨付都记入台账，合计与资金池数字一致。',
            'Available = budget − committed; disbursed never exceeds committed. Every commitment, release and payment is a ledger entry, and the entries add up to these figures.',
          )}
        </p>
        <Totals p={p} t={totals} />
        {pools.length ? (
          <>
            <BarChart
              id="chart-pools"
              title={p.l(
                '各资金池预算、承诺、拨付与可用余额',
                'Budget, committed, disbursed and available per pool',
              )}
              summary={p.l(
                `${fy} 年度 ${pools.length} 个资金池：预算合计 ${money(totals.budgetFen)}，已承诺 ${money(totals.committedFen)}，已拨付 ${money(totals.disbursedFen)}，可用 ${money(totals.availableFen)}。`,
                `${pools.length} pools in ${fy}: budget ${money(totals.budgetFen)}, committed ${money(totals.committedFen)}, disbursed ${money(totals.disbursedFen)}, available ${money(totals.availableFen)}.`,
              )}
              labels={pools.map((x) => x.name)}
              labelHead={p.l('资金池', 'Pool')}
              series={[
                { name: p.l('预算', 'Budget'), values: pools.map((x) => x.budgetFen), color: '#6b6b6b' },
                {
                  name: p.l('已承诺', 'Committed'),
                  values: pools.map((x) => x.committedFen),
                  color: '#e69f00',
                },
                {
                  name: p.l('已拨付', 'Disbursed'),
                  values: pools.map((x) => x.disbursedFen),
                  color: '#0b4f8a',
                },
                {
                  name: p.l('可用余额', 'Available'),
                  values: pools.map((x) => x.availableFen),
                  color: '#009e73',
                },
              ]}
              format={money}
              axisFormat={axis}
            />
            <h2>{p.l('资金池', 'Pools')}</h2>
            <div class="table-wrap">
              <table id="pools">
                <thead>
                  <tr>
                    <th>{p.l('资金池', 'Pool')}</th>
                    <th class="num">{p.l('预算', 'Budget')}</th>
                    <th class="num">{p.l('已承诺', 'Committed')}</th>
                    <th class="num">{p.l('已拨付', 'Disbursed')}</th>
                    <th class="num">{p.l('可用余额', 'Available')}</th>
                    <th class="num">{p.l('已承诺未拨付', 'Committed, unpaid')}</th>
                  </tr>
                </thead>
                <tbody>
                  {pools.map((x) => (
                    <tr id={`pool-${x.poolId}`}>
                      <td>
                        <a href={poolPath(x.poolId)}>{x.name}</a>
                      </td>
                      <td class="num">{money(x.budgetFen)}</td>
                      <td class="num">{money(x.committedFen)}</td>
                      <td class="num disbursed">{money(x.disbursedFen)}</td>
                      <td class="num total">{money(x.availableFen)}</td>
                      <td class="num">{money(x.outstandingFen)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p class="card muted">{p.l('本年度没有资金池。', 'No pools in this year.')}</p>
        )}
        <h2 id="contracts-h">{p.l('各合同已付与待付', 'Paid and remaining per contract')}</h2>
        {ofYear.length ? (
          <BarChart
            id="chart-contracts"
            stacked
            title={p.l('各合同已支付与待支付金额', 'Paid and remaining per contract')}
            summary={p.l(
              `${ofYear.length} 份合同，已支付合计 ${money(ofYear.reduce((s, x) => s + x.paidFen, 0))}。`,
              `${ofYear.length} contracts, ${money(ofYear.reduce((s, x) => s + x.paidFen, 0))} paid in all.`,
            )}
            labels={ofYear.map((x) => `${x.orgName}${x.lot ? ` ${x.lot}` : ''}`)}
            labelHead={p.l('合同（服务机构）', 'Contract (provider)')}
            series={[
              { name: p.l('已支付', 'Paid'), values: ofYear.map((x) => x.paidFen), color: '#0b4f8a' },
              {
                name: p.l('待支付', 'Remaining'),
                values: ofYear.map((x) => committedFor(x) - x.paidFen),
                color: '#e69f00',
              },
            ]}
            totalHead={p.l('合同应付', 'Payable')}
            format={money}
            axisFormat={axis}
          />
        ) : (
          <p class="muted">{p.l('本年度资金池尚无合同。', 'No contracts on these pools yet.')}</p>
        )}
        {ofYear.length ? (
          <ul class="small">
            {ofYear.map((x) => (
              <li>
                <a href={contractLedgerPath(x.id)}>
                  {x.orgName} · {x.callTitle}
                </a>
              </li>
            ))}
          </ul>
        ) : null}
        <h2 id="payments">{p.l('最近支付', 'Latest payments')}</h2>
        <DisbursementsTable p={p} items={paid} />
      </Layout>,
    );
  });

  page('get', '/finance/ledger/pools/:id', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const cursor = c.req.query('cursor') || undefined;
    const { pool, items, nextCursor } = await finance.poolLedger(me, c.req.param('id') ?? '', {
      limit: 50,
      cursor,
      backwards: true,
    });
    const names = await userNames(
      deps,
      items.map((e) => e.actor),
    );
    return render(
      c,
      <Layout p={p} title={p.l(`资金池台账：${pool.name}`, `Pool ledger: ${pool.name}`)}>
        <Totals p={p} t={pool} />
        <p class="muted">
          {p.l(`${pool.fiscalYear} 年度；最新记录在前。`, `Fiscal year ${pool.fiscalYear}; newest first.`)}
        </p>
        <EntriesTable p={p} entries={items} names={names} />
        {nextCursor ? (
          <p class="pager">
            <a href={`${poolPath(pool.poolId)}?cursor=${encodeURIComponent(nextCursor)}`}>
              {p.l('下一页', 'Next page')}
            </a>
          </p>
        ) : null}
        <p class="actions">
          <a href={`/finance/ledger?fiscalYear=${pool.fiscalYear}`}>
            {p.l('返回资金台账', 'Back to the ledger')}
          </a>
        </p>
      </Layout>,
    );
  });

  page('get', '/finance/ledger/contracts/:id', async (c) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const l = await finance.contractLedger(me, c.req.param('id') ?? '');
    const read = await contracts.get(l.contractId);
    const names = await userNames(
      deps,
      l.entries.map((e) => e.actor),
    );
    return render(
      c,
      <Layout p={p} title={p.l(`合同台账：${l.orgName}`, `Contract ledger: ${l.orgName}`)}>
        <div class="cards">
          <section class="card">
            <h3>{p.l('合同金额', 'Amount')}</h3>
            <p class="total">{formatYuan(l.amountFen)}</p>
          </section>
          <section class="card">
            <h3>{p.l('已支付', 'Paid')}</h3>
            <p class="total" id="paid">
              {formatYuan(l.paidFen)}
            </p>
          </section>
          <section class="card">
            <h3>{p.l('待支付', 'Remaining')}</h3>
            <p class="total" id="remaining">
              {formatYuan(l.remainingFen)}
            </p>
          </section>
          {l.withheldFen ? (
            <section class="card">
              <h3>{p.l('评价扣减', 'Withheld')}</h3>
              <p class="total">{formatYuan(l.withheldFen)}</p>
            </section>
          ) : null}
        </div>
        {read ? <TranchesTable p={p} c={read.contract} disbursements={l.disbursements} /> : null}
        <h2>{p.l('台账记录', 'Ledger entries')}</h2>
        <EntriesTable p={p} entries={l.entries} names={names} />
        <h2>{p.l('拨付', 'Payments')}</h2>
        <DisbursementsTable p={p} items={l.disbursements} />
        <p class="actions">
          {me.role === 'officer' ? (
            <a href={`/officer/contracts/${encodeURIComponent(l.contractId)}`}>
              {p.l('合同详情', 'The contract')}
            </a>
          ) : null}
          <a href={poolPath(l.poolId)}>{p.l('资金池台账', 'Pool ledger')}</a>
          <a href="/finance/ledger">{p.l('返回资金台账', 'Back to the ledger')}</a>
        </p>
      </Layout>,
    );
  });
}
