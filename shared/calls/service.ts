import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { CalendarSource } from '../calendar/source';
import { NotFoundError, RuleViolationError, ValidationError } from '../errors';
import type { Deps } from '../http/deps';
import type { Bilingual } from '../i18n/validation';
import { JurisdictionRepository } from '../jurisdictions/repository';
import { PoolRepository } from '../pools/repository';
import { periodProblems, type RuleSet } from '../rules/evaluate';
import { RulePackService } from '../rules/service';
import {
  type Amendment,
  type Call,
  type CallInput,
  type CallPatch,
  callBudgetFen,
  checkCallRules,
  effectiveStatus,
} from './model';
import { CallRepository } from './repository';

const within = (p: Principal, path: string) => path.startsWith(p.jurisdictionPath);

/** Instants are stored in UTC so that the deadline index sorts and compares as text. */
function normalizePeriods<T extends Pick<CallInput, 'periods'>>(c: T): T {
  const u = (s: string) => new Date(s).toISOString();
  const p = c.periods;
  return {
    ...c,
    periods: {
      enquiryStartsAt: u(p.enquiryStartsAt),
      enquiryEndsAt: u(p.enquiryEndsAt),
      submissionOpensAt: u(p.submissionOpensAt),
      deadline: u(p.deadline),
    },
  };
}

export class CallService {
  readonly calls: CallRepository;
  private readonly pools: PoolRepository;
  private readonly jurisdictions: JurisdictionRepository;

  constructor(private readonly deps: Deps) {
    this.calls = new CallRepository(deps.doc, deps.config.tableName);
    this.pools = new PoolRepository(deps.doc, deps.config.tableName);
    this.jurisdictions = new JurisdictionRepository(deps.doc, deps.config.tableName);
  }

  /**
   * The minimum period from publication to the deadline (rule packs: 政府采购法 第35条, 财库〔2014〕214号
   * 第10条, 财政部令第74号 第29、45条; venture rounds: local packs only). Working-day minimums read
   * the published calendar.
   */
  private async periodErrors(call: Call, rules: RuleSet, publishedAt: Date) {
    const subject = call.kind === 'venture' ? 'venture' : (call.procurementMethod ?? 'open-tender');
    const { value } = await new CalendarSource(this.deps.doc, this.deps.config.tableName).run((cal) =>
      periodProblems(rules, subject, publishedAt, new Date(call.periods.deadline), cal),
    );
    return value.map((p) => ({ field: 'body.periods.deadline', message: p.text.en, messageZh: p.text.zh }));
  }

  /** A call's pool and jurisdiction must both lie in the officer's subtree; the pool must cover the call's place. */
  async create(input: CallInput, officer: Principal): Promise<Call> {
    const [jur, pool] = await Promise.all([
      this.jurisdictions.get(input.jurisdictionId),
      this.pools.get(input.poolId),
    ]);
    const errors: { field: string; en: string; zh: string }[] = [];
    if (!jur || !within(officer, jur.path))
      errors.push({
        field: 'body.jurisdictionId',
        en: 'Unknown jurisdiction, or outside yours.',
        zh: '辖区不存在或不在您的管辖范围内',
      });
    if (!pool || !within(officer, pool.jurisdictionPath))
      errors.push({
        field: 'body.poolId',
        en: 'Unknown fund pool, or outside your jurisdiction.',
        zh: '资金池不存在或不在您的管辖范围内',
      });
    else if (jur && !jur.path.startsWith(pool.jurisdictionPath))
      errors.push({
        field: 'body.poolId',
        en: 'The pool does not cover this jurisdiction.',
        zh: '该资金池不覆盖此辖区',
      });
    if (errors.length)
      throw new ValidationError(errors.map((e) => ({ field: e.field, message: e.en, messageZh: e.zh })));
    const now = this.deps.now().toISOString();
    const call: Call = {
      ...normalizePeriods(input),
      id: randomUUID(),
      jurisdictionPath: jur!.path,
      status: 'draft',
      amendments: 0,
      createdAt: now,
      createdBy: officer.userId,
      version: 1,
    };
    await this.calls.create(call);
    return call;
  }

  /** Drafts are edited freely; a published call is amended, with a reason, and the amendment is kept. */
  async update(existing: Call, patch: CallPatch, officer: Principal): Promise<Call> {
    const status = effectiveStatus(existing, this.deps.now());
    if (status === 'closed') {
      throw new RuleViolationError(
        'call-closed',
        'The call has closed; it can no longer be changed.',
        '项目已截止，不能再修改',
      );
    }
    const { version, amendmentReason, ...fields } = patch;
    const next: Call = normalizePeriods({ ...existing, ...fields, version: existing.version + 1 });
    const problems: { field: string; message: string; messageZh: string }[] = [];
    // A published call is judged by the rule packs it was published under, whatever came since.
    const rules =
      status === 'published'
        ? existing.rulePacks
          ? await new RulePackService(this.deps).at(existing.rulePacks)
          : await new RulePackService(this.deps).inForce(existing.jurisdictionPath)
        : undefined;
    checkCallRules(
      next,
      (path, text: Bilingual) =>
        problems.push({ field: ['body', ...path].join('.'), message: text.en, messageZh: text.zh }),
      rules,
    );
    // An amendment that moves the deadline (or changes the method) must still meet the minimum
    // period from the original publication, by the recorded packs.
    const periodMoved =
      next.periods.deadline !== existing.periods.deadline ||
      next.procurementMethod !== existing.procurementMethod;
    if (status === 'published' && rules && existing.publishedAt && periodMoved)
      problems.push(...(await this.periodErrors(next, rules, new Date(existing.publishedAt))));
    if (status === 'published') {
      if (!amendmentReason)
        problems.push({
          field: 'body.amendmentReason',
          message: 'A published call can only be changed with a reason (an amendment).',
          messageZh: '已发布项目的修改须说明理由（更正公告）',
        });
      if (new Date(next.periods.deadline).getTime() <= this.deps.now().getTime())
        problems.push({
          field: 'body.periods.deadline',
          message: 'The deadline must stay in the future.',
          messageZh: '截止时间须晚于当前时间',
        });
    } else if (amendmentReason) {
      problems.push({
        field: 'body.amendmentReason',
        message: 'Drafts are edited without an amendment.',
        messageZh: '草稿修改无需更正理由',
      });
    }
    if (problems.length) throw new ValidationError(problems);
    let amendment: Amendment | undefined;
    if (status === 'published') {
      const changes = Object.keys(fields)
        .filter((k) => JSON.stringify(existing[k as keyof Call]) !== JSON.stringify(next[k as keyof Call]))
        .map((field) => ({ field, before: existing[field as keyof Call], after: next[field as keyof Call] }));
      next.amendments = existing.amendments + 1;
      amendment = {
        callId: existing.id,
        seq: next.amendments,
        at: this.deps.now().toISOString(),
        by: officer.userId,
        reason: amendmentReason!,
        changes,
      };
    }
    await this.calls.save(
      next,
      version,
      {
        actor: officer.userId,
        at: this.deps.now().toISOString(),
        action: status === 'published' ? 'call.amended' : 'call.edited',
      },
      amendment,
    );
    return next;
  }

  /**
   * Publishing needs a future deadline and a pool that can cover the call (102号令: budget first).
   * `officer` is who publishes (the audit entry's actor); scripts that publish the call they just
   * created (demo seed, tests) may leave it out: the call's creator is recorded.
   */
  async publish(existing: Call, version: number, officer?: Pick<Principal, 'userId'>): Promise<Call> {
    if (existing.status !== 'draft') {
      throw new RuleViolationError('call-not-draft', 'Only a draft can be published.', '只有草稿可以发布');
    }
    const now = this.deps.now();
    if (new Date(existing.periods.deadline).getTime() <= now.getTime()) {
      throw new ValidationError([
        { field: 'periods.deadline', message: 'The deadline has already passed.', messageZh: '截止时间已过' },
      ]);
    }
    const pool = await this.pools.get(existing.poolId);
    if (!pool) throw new NotFoundError('pool');
    const need = callBudgetFen(existing);
    const available = pool.budgetFen - pool.committedFen;
    if (need > available) {
      throw new RuleViolationError(
        'insufficient-budget',
        `The call needs ${need} fen but the pool has only ${available} fen available.`,
        `项目需要 ${need} 分，资金池可用余额仅 ${available} 分`,
        { neededFen: need, availableFen: available },
      );
    }
    // The rules in force where the call is (national + local pack): recorded on the call, which
    // they judge for its whole life.
    const rules = await new RulePackService(this.deps).inForce(existing.jurisdictionPath);
    const problems: { field: string; message: string; messageZh: string }[] = [];
    checkCallRules(
      existing,
      (path, text: Bilingual) =>
        problems.push({ field: ['body', ...path].join('.'), message: text.en, messageZh: text.zh }),
      rules,
    );
    problems.push(...(await this.periodErrors(existing, rules, now)));
    if (problems.length) throw new ValidationError(problems);
    const next: Call = {
      ...existing,
      status: 'published',
      publishedAt: now.toISOString(),
      rulePacks: rules.versions(),
      version: existing.version + 1,
    };
    await this.calls.save(next, version, {
      actor: officer?.userId ?? existing.createdBy,
      at: next.publishedAt!,
      action: 'call.published',
    });
    return next;
  }

  /** Closes every call whose deadline has passed (the jobs function; idempotent, safe to run late). */
  async closeDue(): Promise<string[]> {
    const now = this.deps.now().toISOString();
    const closed: string[] = [];
    for (;;) {
      const due = await this.calls.listDue(now, 50);
      if (!due.length) return closed;
      const before = closed.length;
      for (const c of due) if (await this.calls.close(c, now)) closed.push(c.id);
      if (due.length < 50 || closed.length === before) return closed;
    }
  }
}
