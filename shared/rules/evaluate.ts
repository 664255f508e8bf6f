/**
 * Pure evaluation of rule packs: no I/O. The service loads the pack versions (and, for working
 * days, the calendar through CalendarSource.run) and calls these.
 *
 * Layering: a local pack sits on top of the national one and may only tighten it —
 *  - period minimums: every rule for the subject applies, national and local alike (a local
 *    "5 working days" and the national "3 working days" must both be met);
 *  - price share and committee size: the larger minimum;
 *  - the challenge answer: the shorter time;
 *  - set-asides are local policy: the local rule for a source replaces the national one.
 * `localPackProblems` refuses, when a local pack is proposed, a rule that would loosen the
 * national one (it would be ignored anyway; refusing it keeps the pack honest).
 */
import { type CivilDate, formatDate, parseDate } from '../calendar/arrangement';
import { beijingDate, type WorkingCalendar } from '../calendar/working-calendar';
import type { Bilingual } from '../i18n/validation';
import {
  type Citation,
  type MinPeriodRule,
  NATIONAL,
  type PeriodSubject,
  PROCUREMENT_METHOD_NAMES,
  type Rule,
  type SetAsideRule,
} from './model';
import { NATIONAL_PACK } from './national';

/** A rule with the pack (and its version) it came from. */
export interface AppliedRule<R extends Rule = Rule> {
  rule: R;
  pack: string;
  packVersion: number;
}

export interface PackLayer {
  id: string;
  version: number;
  rules: Rule[];
}

type Of<K extends Rule['kind']> = Extract<Rule, { kind: K }>;

/** The rules in force for a call or pool: the national layer and, if any, the local one on top. */
export class RuleSet {
  constructor(
    readonly national: PackLayer,
    readonly local?: PackLayer,
  ) {}

  private all<K extends Rule['kind']>(kind: K): AppliedRule<Of<K>>[] {
    const out: AppliedRule<Of<K>>[] = [];
    for (const layer of [this.national, this.local]) {
      if (!layer) continue;
      for (const rule of layer.rules)
        if (rule.kind === kind) out.push({ rule: rule as Of<K>, pack: layer.id, packVersion: layer.version });
    }
    return out;
  }

  /** Every minimum-period rule for a subject (all must be met). */
  periods(subject: PeriodSubject): AppliedRule<MinPeriodRule>[] {
    return this.all('min-period').filter((a) => a.rule.subject === subject);
  }

  /** The largest price-share minimum for a category, or undefined when no pack sets one. */
  priceShare(category: 'services' | 'goods'): AppliedRule<Of<'min-price-share'>> | undefined {
    return maxBy(
      this.all('min-price-share').filter((a) => a.rule.category === category),
      (a) => a.rule.percent,
    );
  }

  /** The committee rule: per field, the strictest. */
  committee():
    | {
        minSize: number;
        largeFen: number;
        largeMinSize: number;
        experts: [number, number];
        citations: Citation[];
      }
    | undefined {
    const list = this.all('committee');
    if (!list.length) return undefined;
    return {
      minSize: Math.max(...list.map((a) => a.rule.minSize)),
      largeFen: Math.min(...list.map((a) => a.rule.largeFen)),
      largeMinSize: Math.max(...list.map((a) => a.rule.largeMinSize)),
      // The larger share n/d (compared as cross products, exactly).
      experts: list
        .map((a) => [a.rule.expertsNumerator, a.rule.expertsDenominator] as [number, number])
        .reduce((m, x) => (x[0] * m[1] > m[0] * x[1] ? x : m)),
      citations: list.map((a) => a.rule.citation),
    };
  }

  /** The shortest answer time for a challenge. */
  challengeAnswer(): AppliedRule<Of<'challenge-answer'>> | undefined {
    return maxBy(this.all('challenge-answer'), (a) => -a.rule.workingDays);
  }

  /** The set-aside rule of a pool source: the local one if the local pack has one. */
  setAside(source: string): AppliedRule<SetAsideRule> | undefined {
    const list = this.all('set-aside').filter((a) => a.rule.source === source);
    return list.find((a) => a.pack !== NATIONAL) ?? list[0];
  }

  /** What a call records: the versions it is judged by. */
  versions(): { national: number; local?: { id: string; version: number } } {
    return {
      national: this.national.version,
      ...(this.local ? { local: { id: this.local.id, version: this.local.version } } : {}),
    };
  }
}

const addDays = (date: CivilDate, n: number): CivilDate => {
  const d = parseDate(date);
  d.setUTCDate(d.getUTCDate() + n);
  return formatDate(d);
};

const maxBy = <T>(list: T[], f: (t: T) => number): T | undefined =>
  list.reduce<T | undefined>((m, x) => (m === undefined || f(x) > f(m) ? x : m), undefined);

/** The pack as shipped, version 1 (the static checks of a draft use it until a call is published). */
export const SHIPPED_RULES = new RuleSet({ id: NATIONAL, version: 1, rules: NATIONAL_PACK.rules });

export const cite = (c: Citation) => `${c.number ? `${c.number}` : `《${c.source}》`}${c.article}`;

export interface PeriodProblem {
  rule: MinPeriodRule;
  pack: string;
  packVersion: number;
  earliest: CivilDate;
  text: Bilingual;
}

const SUBJECT_NAMES: Record<PeriodSubject, { zh: string; en: string }> = {
  ...PROCUREMENT_METHOD_NAMES,
  venture: { zh: '公益创投', en: 'venture round' },
};

/**
 * The minimum period from publication to the submission deadline. The period is counted in
 * civil days in Beijing: the publication day is not counted (民法典 第二百零一条), and the
 * deadline's day must be at least the N-th (working) day after it. Working-day rules read the
 * calendar (which throws CalendarUnavailableError for a year not published).
 */
export function periodProblems(
  rules: RuleSet,
  subject: PeriodSubject,
  publishedAt: Date,
  deadline: Date,
  calendar: Pick<WorkingCalendar, 'addWorkingDays'>,
): PeriodProblem[] {
  const from = beijingDate(publishedAt);
  const due = beijingDate(deadline);
  const out: PeriodProblem[] = [];
  for (const a of rules.periods(subject)) {
    const r = a.rule;
    const earliest = r.unit === 'calendar' ? addDays(from, r.days) : calendar.addWorkingDays(from, r.days);
    if (due >= earliest) continue;
    const name = SUBJECT_NAMES[subject];
    const unitZh = r.unit === 'calendar' ? '日' : '个工作日';
    const unitEn = r.unit === 'calendar' ? 'days' : 'working days';
    out.push({
      rule: r,
      pack: a.pack,
      packVersion: a.packVersion,
      earliest,
      text: {
        en: `A ${name.en} needs at least ${r.days} ${unitEn} from publication to the submission deadline (${cite(r.citation)}): published on ${from}, its deadline can be ${earliest} at the earliest, not ${due}.`,
        zh: `${name.zh}自发布之日起至提交截止之日止不得少于 ${r.days} ${unitZh}（${cite(r.citation)}）：${from} 发布，截止时间最早为 ${earliest}，当前为 ${due}`,
      },
    });
  }
  return out;
}

/** The budget a set-aside gives: source × rate, rounded DOWN to the fen (never more than the rule sets aside). */
export function setAsideFen(sourceAmountFen: number, basisPoints: number): number {
  if (!Number.isSafeInteger(sourceAmountFen) || sourceAmountFen < 0)
    throw new RangeError(`A source amount is a whole number of fen ≥ 0, not ${sourceAmountFen}`);
  if (!Number.isInteger(basisPoints) || basisPoints < 0 || basisPoints > 10_000)
    throw new RangeError(`A rate is 0–10000 basis points, not ${basisPoints}`);
  return Number((BigInt(sourceAmountFen) * BigInt(basisPoints)) / 10_000n);
}

/** When the written answer to a challenge received at `receivedAt` is due (end of the N-th working day). */
export function answerDueAt(
  rules: RuleSet,
  receivedAt: Date,
  calendar: Pick<WorkingCalendar, 'deadline'>,
): Date {
  const rule = rules.challengeAnswer();
  if (!rule) throw new RangeError('No challenge-answer rule in force');
  return calendar.deadline(receivedAt, rule.rule.workingDays);
}

export interface PackProblem {
  field: string;
  message: string;
  messageZh: string;
}

/** Rules of a proposed pack that conflict with each other or, for a local pack, loosen the national one. */
export function packProblems(rules: Rule[], national?: Rule[]): PackProblem[] {
  const problems: PackProblem[] = [];
  const ids = rules.map((r) => r.id);
  ids.forEach((id, i) => {
    if (ids.indexOf(id) !== i)
      problems.push({
        field: `rules.${i}.id`,
        message: `Rule id "${id}" is used twice.`,
        messageZh: `规则编号“${id}”重复`,
      });
  });
  const keyOf = (r: Rule) =>
    r.kind === 'min-period'
      ? `${r.kind}:${r.subject}:${r.unit}`
      : r.kind === 'min-price-share'
        ? `${r.kind}:${r.category}`
        : r.kind === 'set-aside'
          ? `${r.kind}:${r.source}`
          : r.kind;
  const keys = rules.map(keyOf);
  keys.forEach((k, i) => {
    if (keys.indexOf(k) !== i)
      problems.push({
        field: `rules.${i}`,
        message: `Rule "${rules[i]!.id}" repeats what rule "${rules[keys.indexOf(k)]!.id}" sets.`,
        messageZh: `规则“${rules[i]!.id}”与规则“${rules[keys.indexOf(k)]!.id}”重复规定同一事项`,
      });
  });
  rules.forEach((r, i) => {
    if (r.kind === 'committee') {
      if (r.minSize % 2 === 0 || r.largeMinSize % 2 === 0)
        problems.push({
          field: `rules.${i}`,
          message: 'Committee sizes are odd numbers.',
          messageZh: '评审委员会人数应为单数',
        });
      if (r.largeMinSize < r.minSize)
        problems.push({
          field: `rules.${i}.largeMinSize`,
          message: 'A large project cannot need fewer members than a small one.',
          messageZh: '大型项目的委员会人数不得少于一般项目',
        });
      if (r.expertsNumerator > r.expertsDenominator)
        problems.push({
          field: `rules.${i}.expertsNumerator`,
          message: 'A share is at most 1.',
          messageZh: '比例不得大于 1',
        });
    }
  });
  if (!national) return problems;
  const nat = new RuleSet({ id: NATIONAL, version: 0, rules: national });
  rules.forEach((r, i) => {
    const looser = (en: string, zh: string, c: Citation) =>
      problems.push({
        field: `rules.${i}`,
        message: `A local pack may tighten the national rules, never loosen them: ${en} (${cite(c)}).`,
        messageZh: `地方规则包只能从严、不得放宽国家规定：${zh}（${cite(c)}）`,
      });
    if (r.kind === 'min-period') {
      const same = nat.periods(r.subject).find((a) => a.rule.unit === r.unit);
      if (same && r.days < same.rule.days)
        looser(
          `${r.days} ${r.unit} days is less than ${same.rule.days}`,
          `${r.days} 日少于 ${same.rule.days} 日`,
          same.rule.citation,
        );
    } else if (r.kind === 'min-price-share') {
      const n = nat.priceShare(r.category);
      if (n && r.percent < n.rule.percent)
        looser(
          `${r.percent}% is less than ${n.rule.percent}%`,
          `${r.percent}% 低于 ${n.rule.percent}%`,
          n.rule.citation,
        );
    } else if (r.kind === 'committee') {
      const n = nat.committee();
      if (
        n &&
        (r.minSize < n.minSize ||
          r.largeMinSize < n.largeMinSize ||
          r.largeFen > n.largeFen ||
          r.expertsNumerator * n.experts[1] < n.experts[0] * r.expertsDenominator)
      )
        looser('a smaller committee or fewer experts', '委员会人数或专家比例低于国家规定', n.citations[0]!);
    } else if (r.kind === 'challenge-answer') {
      const n = nat.challengeAnswer();
      if (n && r.workingDays > n.rule.workingDays)
        looser(
          `${r.workingDays} working days is longer than ${n.rule.workingDays}`,
          `${r.workingDays} 个工作日长于 ${n.rule.workingDays} 个工作日`,
          n.rule.citation,
        );
    }
  });
  return problems;
}
