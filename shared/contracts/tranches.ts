/**
 * Contracts: the payment schedule (首付款 / 中期款 / 尾款) and the contract period.
 *
 * Pure functions, no I/O. Money is integer fen (DOMAIN.md, "Money"): a tranche is never a float,
 * and the tranches of a contract always add up to the contract amount exactly.
 */
import type { MILESTONES } from '../calls/model';
import { type FieldError, RuleViolationError } from '../errors';

export type Milestone = (typeof MILESTONES)[number];

/** One line of a call's payment template (e.g. signing 40 / midterm 30 / final 30). */
export interface TrancheTemplate {
  milestone: Milestone;
  percent: number;
}

export interface Tranche extends TrancheTemplate {
  amountFen: number;
}

/**
 * Splits a contract amount into its tranches, in integer fen.
 *
 * Each tranche is floor(amount × percent / 100) — computed in BigInt, so amounts up to
 * Number.MAX_SAFE_INTEGER stay exact — except the last, which takes the remainder. The tranches
 * therefore sum to the contract amount exactly, and only the last can differ from its exact share
 * (by less than 1 fen per earlier tranche). ¥100,000.01 at 40/30/30 → 4,000,000 + 3,000,000 +
 * 3,000,001 fen.
 *
 * Throws a RuleViolationError (422) for an amount that is not a non-negative safe integer, or a
 * template that is empty, has a percent that is not a whole number from 1 to 100, repeats a
 * milestone, or does not total 100%.
 */
export function splitTranches(amountFen: number, template: readonly TrancheTemplate[]): Tranche[] {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) {
    throw new RuleViolationError(
      'invalid-amount',
      `A contract amount must be a whole, non-negative number of fen; got ${amountFen}.`,
      `合同金额须为非负整数（单位：分），当前为 ${amountFen}`,
    );
  }
  const problem = templateProblem(template);
  if (problem) throw new RuleViolationError('invalid-payment-template', problem.en, problem.zh);

  const amount = BigInt(amountFen);
  let allocated = 0n;
  return template.map((t, i) => {
    const share = i === template.length - 1 ? amount - allocated : (amount * BigInt(t.percent)) / 100n;
    allocated += share;
    return { milestone: t.milestone, percent: t.percent, amountFen: Number(share) };
  });
}

function templateProblem(template: readonly TrancheTemplate[]): { en: string; zh: string } | undefined {
  if (template.length === 0)
    return { en: 'A payment template needs at least one tranche.', zh: '拨付方案至少需要一期' };
  for (const t of template) {
    if (!Number.isInteger(t.percent) || t.percent < 1 || t.percent > 100) {
      return {
        en: `Each tranche must be a whole percentage from 1 to 100; the ${t.milestone} tranche is ${t.percent}%.`,
        zh: `每期拨付比例须为 1 至 100 的整数，“${t.milestone}”期为 ${t.percent}%`,
      };
    }
  }
  const milestones = template.map((t) => t.milestone);
  const dup = milestones.find((m, i) => milestones.indexOf(m) !== i);
  if (dup) {
    return {
      en: `Each milestone may carry one tranche only; "${dup}" carries more.`,
      zh: `每个里程碑只能对应一期拨付，“${dup}”出现多次`,
    };
  }
  const total = template.reduce((s, t) => s + t.percent, 0);
  if (total !== 100) {
    return {
      en: `Payment tranches total ${total}%; they must total 100%.`,
      zh: `各期拨付比例合计 ${total}%，应为 100%`,
    };
  }
  return undefined;
}

// ---- Contract period ----------------------------------------------------------------------------

/** 102号令 第二十四条: a contract normally lasts up to one year… */
export const DEFAULT_MAX_CONTRACT_YEARS = 1;
/** …and up to three for services that are stable, recurring and steadily funded, with a reason. */
export const EXTENDED_MAX_CONTRACT_YEARS = 3;

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` that names a real calendar day → its UTC midnight in ms; otherwise undefined. */
function parseDay(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = Date.UTC(y, mo - 1, d);
  const back = new Date(t);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d
    ? t
    : undefined;
}

/**
 * The last day (inclusive) of a period of `years` starting on `start`: 2024-01-01 + 1 year →
 * 2024-12-31; 2024-02-29 + 1 year → 2025-02-28.
 */
function lastDay(start: number, years: number): number {
  const s = new Date(start);
  return Date.UTC(s.getUTCFullYear() + years, s.getUTCMonth(), s.getUTCDate()) - DAY_MS;
}

const isoDay = (t: number) => new Date(t).toISOString().slice(0, 10);

/**
 * Checks a contract's period against 《政府购买服务管理办法》(财政部令第102号) 第二十四条: a
 * government purchase-of-services contract normally runs for at most one year; for services whose
 * content is stable and recurring and whose funding is secure it may run up to three years — here,
 * only when a reason is given.
 *
 * `start` and `end` are calendar days `YYYY-MM-DD`, both inclusive (2024-01-01 to 2024-12-31 is
 * one year). Problems are reported on the fields `startDate`, `endDate` and `reason`.
 */
export function contractPeriodProblems(start: string, end: string, reason?: string): FieldError[] {
  const problems: FieldError[] = [];
  const s = parseDay(start);
  const e = parseDay(end);
  if (s === undefined) {
    problems.push({
      field: 'startDate',
      message: `The start date must be a calendar date written YYYY-MM-DD; got "${start}".`,
      messageZh: `开始日期须为 YYYY-MM-DD 格式的有效日期，当前为“${start}”`,
    });
  }
  if (e === undefined) {
    problems.push({
      field: 'endDate',
      message: `The end date must be a calendar date written YYYY-MM-DD; got "${end}".`,
      messageZh: `结束日期须为 YYYY-MM-DD 格式的有效日期，当前为“${end}”`,
    });
  }
  if (s === undefined || e === undefined) return problems;

  if (e < s) {
    problems.push({
      field: 'endDate',
      message: `The contract ends (${end}) before it starts (${start}).`,
      messageZh: `合同结束日期（${end}）早于开始日期（${start}）`,
    });
    return problems;
  }
  const hasReason = typeof reason === 'string' && reason.trim().length > 0;
  const maxEnd = lastDay(s, EXTENDED_MAX_CONTRACT_YEARS);
  if (e > maxEnd) {
    problems.push({
      field: 'endDate',
      message: `A contract may last at most three years (Order No. 102, art. 24): from ${start} it must end by ${isoDay(maxEnd)}, not ${end}.`,
      messageZh: `政府购买服务合同履行期限最长不超过 3 年（财政部令第102号第二十四条）：自 ${start} 起最晚至 ${isoDay(maxEnd)}，当前为 ${end}`,
    });
  } else if (e > lastDay(s, DEFAULT_MAX_CONTRACT_YEARS) && !hasReason) {
    problems.push({
      field: 'reason',
      message: `A contract longer than one year (${start} to ${end}) needs a reason: only stable, recurring, steadily funded services may run up to three years (Order No. 102, art. 24).`,
      messageZh: `合同履行期限超过 1 年（${start} 至 ${end}）须说明理由：仅购买内容相对固定、连续性强、经费来源稳定的服务可签订不超过 3 年的合同（财政部令第102号第二十四条）`,
    });
  }
  return problems;
}
