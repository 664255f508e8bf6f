/**
 * Rule packs (规则包): officers read the packs in force with the articles each rule cites
 * (/officer/rule-packs); platform administrators propose a pack's next version and a second
 * administrator confirms it (/system/rule-packs). The rules are edited as JSON in a textarea (the
 * forms work without script); the service validates them as the API does.
 */
import type { Context } from 'hono';
import { formatBeijing } from '../../../shared/domain/time';
import { NotFoundError } from '../../../shared/errors';
import { principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { cite } from '../../../shared/rules/evaluate';
import {
  PackIdSchema,
  PackProposalInputSchema,
  type PackRecord,
  type PackVersion,
  PROCUREMENT_METHOD_NAMES,
  type Rule,
} from '../../../shared/rules/model';
import { RulePackService } from '../../../shared/rules/service';
import { domainErrors, emptyForm, type FormState, pathResolver, readForm, zodErrors } from '../forms';
import { Badge, Csrf, ErrorSummary, Input, Layout, type PageCtx, pageCtx, render, TextArea } from '../layout';
import type { PageRoute } from '../routes';

const resolve = pathResolver({ title: 'title', rules: 'rules', reason: 'reason', version: '' });

const fen = (n: number) => `¥${(n / 100).toLocaleString('en-US')}`;

/** What a rule says, in words. */
function ruleText(p: PageCtx, r: Rule): string {
  switch (r.kind) {
    case 'min-period': {
      const subject =
        r.subject === 'venture'
          ? { zh: '公益创投', en: 'venture round' }
          : PROCUREMENT_METHOD_NAMES[r.subject];
      const unit = r.unit === 'calendar' ? p.l('日', 'days') : p.l('个工作日', 'working days');
      return p.l(
        `${subject.zh}：发布至提交截止不少于 ${r.days} ${unit}`,
        `${subject.en}: at least ${r.days} ${unit} from publication to the deadline`,
      );
    }
    case 'min-price-share':
      return p.l(
        `${r.category === 'goods' ? '货物' : '服务'}项目价格分不低于 ${r.percent}%`,
        `${r.category} tenders: price points at least ${r.percent}%`,
      );
    case 'committee':
      return p.l(
        `评审委员会不少于 ${r.minSize} 人（预算 ${fen(r.largeFen)} 以上或技术复杂：${r.largeMinSize} 人），专家不少于 ${r.expertsNumerator}/${r.expertsDenominator}`,
        `Committee of at least ${r.minSize} (${r.largeMinSize} from ${fen(r.largeFen)} or complex), experts at least ${r.expertsNumerator}/${r.expertsDenominator}`,
      );
    case 'challenge-answer':
      return p.l(
        `收到质疑函后 ${r.workingDays} 个工作日内书面答复`,
        `Written answer to a challenge within ${r.workingDays} working days of receipt`,
      );
    case 'set-aside':
      return p.l(
        `资金来源“${r.source}”按 ${r.basisPoints / 100}% 提取`,
        `Source "${r.source}": ${r.basisPoints / 100}% set aside`,
      );
  }
}

function RuleTable({ p, rules }: { p: PageCtx; rules: Rule[] }) {
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th>{p.l('规则', 'Rule')}</th>
            <th>{p.l('依据', 'Article')}</th>
            <th>{p.l('条文', 'Text')}</th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr id={`rule-${r.id}`}>
              <td>{ruleText(p, r)}</td>
              <td>{cite(r.citation)}</td>
              <td>{r.citation.excerpt}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const packName = (p: PageCtx, r: Pick<PackRecord, 'packId' | 'title'>) =>
  r.title ??
  (r.packId === 'national'
    ? p.l('国家规则包', 'National pack')
    : p.l(`地方规则包 ${r.packId}`, `Local pack ${r.packId}`));

function PackList({ p, items, base }: { p: PageCtx; items: PackRecord[]; base: string }) {
  return (
    <ul>
      {items.map((r) => (
        <li>
          <a href={`${base}/${encodeURIComponent(r.packId)}`}>{packName(p, r)}</a> ·{' '}
          {r.packVersion
            ? p.l(`第 ${r.packVersion} 版生效`, `version ${r.packVersion} in force`)
            : p.l('尚未生效', 'not in force')}
          {r.proposal ? (
            <>
              {' '}
              <Badge kind="pending" text={p.l('有待确认的新版本', 'a version awaits confirmation')} />
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function Versions({ p, versions }: { p: PageCtx; versions: PackVersion[] }) {
  return (
    <>
      {versions.map((v, i) => (
        <section id={`v${v.packVersion}`}>
          <h2>
            {p.l(`第 ${v.packVersion} 版`, `Version ${v.packVersion}`)}
            {i === 0 ? ` · ${p.l('现行', 'in force')}` : ''}
          </h2>
          <p class="muted">
            {v.title} · {p.l('确认于', 'confirmed')} {formatBeijing(v.confirmedAt)}
            {v.reason ? ` · ${v.reason}` : ''}
          </p>
          <RuleTable p={p} rules={v.rules} />
        </section>
      ))}
    </>
  );
}

function packIdOf(c: Context<ApiEnv>): string {
  const parsed = PackIdSchema.safeParse(c.req.param('id') ?? '');
  if (!parsed.success) throw new NotFoundError('rule pack');
  return parsed.data;
}

/** Officers: the packs and their articles (web-officer). */
export function officerRulePackPages(page: PageRoute, deps: Deps): void {
  const packs = new RulePackService(deps);
  page('get', '/officer/rule-packs', async (c) => {
    const p = pageCtx(c);
    const list = await packs.repo.list(100);
    return render(
      c,
      <Layout p={p} title={p.l('规则包', 'Rule packs')}>
        <p>
          {p.l(
            '项目发布时记录所适用的规则包版本，此后始终按该版本审查。地方规则包只能在国家规定基础上从严。',
            'A call records the pack versions it is published under and is judged by them for its whole life. A local pack may only tighten the national rules.',
          )}
        </p>
        <PackList p={p} items={list.items} base="/officer/rule-packs" />
      </Layout>,
    );
  });
  page('get', '/officer/rule-packs/:id', async (c) => {
    const p = pageCtx(c);
    const { record, versions } = await packs.get(packIdOf(c));
    return render(
      c,
      <Layout p={p} title={packName(p, record)}>
        <p>
          <a href="/officer/rule-packs">{p.l('全部规则包', 'All rule packs')}</a>
        </p>
        {versions.length ? (
          <Versions p={p} versions={versions} />
        ) : (
          <p>{p.l('尚无生效版本。', 'No version in force yet.')}</p>
        )}
      </Layout>,
    );
  });
}

/** Administrators: propose and confirm (web-admin). */
export function adminRulePackPages(page: PageRoute, deps: Deps): void {
  const packs = new RulePackService(deps);

  page('get', '/system/rule-packs', async (c) => {
    const p = pageCtx(c);
    const list = await packs.repo.list(100);
    return render(
      c,
      <Layout p={p} title={p.l('规则包管理', 'Rule packs')}>
        <PackList p={p} items={list.items} base="/system/rule-packs" />
        <h2>{p.l('新建地方规则包', 'A new local pack')}</h2>
        <p class="hint">
          {p.l(
            '打开 /system/rule-packs/辖区代码（如 640100）即可起草该辖区的地方规则包。',
            'Open /system/rule-packs/<jurisdiction id> (e.g. 640100) to draft that jurisdiction’s local pack.',
          )}
        </p>
      </Layout>,
    );
  });

  const packPage = async (c: Context<ApiEnv>, id: string, f?: FormState, status: 200 | 409 | 422 = 200) => {
    const p = pageCtx(c);
    const me = principalOf(c);
    const read = await packs.repo.getAsRead(id);
    const versions = read ? await packs.repo.versions(id) : [];
    const r = read?.record;
    const current = versions[0];
    const form =
      f ??
      emptyForm({
        title: r?.proposal?.content.title ?? current?.title ?? '',
        rules: JSON.stringify(r?.proposal?.content.rules ?? current?.rules ?? [], null, 2),
      });
    const done = c.req.query('done');
    return render(
      c,
      <Layout p={p} title={r ? packName(p, r) : p.l(`规则包 ${id}`, `Rule pack ${id}`)}>
        {done === 'proposed' ? (
          <p class="notice" role="status">
            {p.l('已提交，等待另一名管理员确认。', 'Submitted; a second administrator must confirm it.')}
          </p>
        ) : done === 'confirmed' ? (
          <p class="notice" role="status">
            {p.l(
              '已确认，新发布的项目按此版本审查。',
              'Confirmed; calls published from now on are judged by it.',
            )}
          </p>
        ) : null}
        <ErrorSummary p={p} f={form} />
        {r?.proposal ? (
          <section id="proposal">
            <h2>{p.l('待确认的新版本', 'Proposed version')}</h2>
            <p class="muted">
              {p.l('提交人', 'Submitted by')} {r.proposal.submittedByName} ·{' '}
              {formatBeijing(r.proposal.submittedAt)}
              {r.proposal.reason ? ` · ${r.proposal.reason}` : ''}
            </p>
            <RuleTable p={p} rules={r.proposal.content.rules} />
            {r.proposal.submittedBy === me.userId ? (
              <p class="hint">
                {p.l('须由另一名系统管理员确认。', 'A second administrator must confirm it.')}
              </p>
            ) : (
              <form
                method="post"
                action={`/system/rule-packs/${encodeURIComponent(id)}/confirm`}
                class="stack"
              >
                <Csrf p={p} />
                <input type="hidden" name="version" value={String(r.version)} />
                <button type="submit">{p.l('确认生效', 'Confirm')}</button>
              </form>
            )}
          </section>
        ) : null}
        <h2 id="edit">{p.l('提交新版本', 'Propose a version')}</h2>
        <form
          method="post"
          action={`/system/rule-packs/${encodeURIComponent(id)}/proposal`}
          class="stack"
          novalidate
        >
          <Csrf p={p} />
          <input type="hidden" name="version" value={r ? String(r.version) : ''} />
          <Input p={p} f={form} name="title" label={p.l('标题', 'Title')} required maxlength={200} />
          <TextArea
            p={p}
            f={form}
            name="rules"
            label={p.l('规则（JSON）', 'Rules (JSON)')}
            rows={20}
            hint={p.l('每条规则须注明依据条文（citation）。', 'Each rule cites its article (citation).')}
          />
          {r?.packVersion ? (
            <Input p={p} f={form} name="reason" label={p.l('修订理由', 'Reason')} maxlength={500} />
          ) : null}
          <div class="actions">
            <button type="submit">
              {p.l('提交，等待另一名管理员确认', 'Submit for a second administrator to confirm')}
            </button>
          </div>
        </form>
        {versions.length ? <Versions p={p} versions={versions} /> : null}
      </Layout>,
      status,
    );
  };

  page('get', '/system/rule-packs/:id', (c) => packPage(c, packIdOf(c)));

  page('post', '/system/rule-packs/:id/proposal', async (c) => {
    const id = packIdOf(c);
    const v = await readForm(c);
    let rules: unknown;
    try {
      rules = JSON.parse(v.rules ?? '[]');
    } catch {
      return packPage(
        c,
        id,
        {
          values: v,
          errors: [{ name: 'rules', zh: '规则不是有效的 JSON', en: 'The rules are not valid JSON.' }],
        },
        422,
      );
    }
    const parsed = PackProposalInputSchema.safeParse({
      ...(v.version ? { version: Number(v.version) } : {}),
      title: v.title ?? '',
      rules,
      ...(v.reason?.trim() ? { reason: v.reason.trim() } : {}),
    });
    if (!parsed.success) return packPage(c, id, { values: v, errors: zodErrors(parsed.error, resolve) }, 422);
    try {
      await packs.propose(principalOf(c), id, parsed.data);
    } catch (e) {
      const errors = domainErrors(e, resolve);
      return packPage(c, id, { values: v, errors }, errors.some((x) => x.name) ? 422 : 409);
    }
    return c.redirect(`/system/rule-packs/${encodeURIComponent(id)}?done=proposed`, 303);
  });

  page('post', '/system/rule-packs/:id/confirm', async (c) => {
    const id = packIdOf(c);
    const v = await readForm(c);
    try {
      await packs.confirm(principalOf(c), id, Number(v.version));
    } catch (e) {
      return packPage(c, id, { values: {}, errors: domainErrors(e, resolve) }, 409);
    }
    return c.redirect(`/system/rule-packs/${encodeURIComponent(id)}?done=confirmed`, 303);
  });
}
