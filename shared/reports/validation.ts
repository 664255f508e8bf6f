/**
 * Milestone reports (里程碑报告): the service outputs an organization reports at a milestone, and
 * the checks that catch figures which cannot be right before an officer approves them.
 *
 * The seed's own 2023 report for Xun County (DOMAIN.md, "Service outputs") says 5,665 visits but
 * breaks them down as 低保 4,139 + 特困 373 + 困境儿童 801 + 残疾人 441 + 其他 711 = 6,465: a
 * breakdown that disagrees with its total is refused, naming both numbers.
 */
import * as z from 'zod/mini';
import { formatYuan } from '../domain/money';
import type { FieldError } from '../errors';
import { type Bilingual, issue } from '../i18n/validation';
import { int, named, text } from '../schema';
import { RECIPIENT_CATEGORIES, type RecipientCategory } from '../submissions/constants';

/** More than this many of anything (visits, people, sessions, hours) is not a plausible report. */
export const MAX_COUNT = 10_000_000;
/** Resources linked (链接资源金额) above ¥10,000,000 are not plausible for a station's report. */
export const MAX_RESOURCES_FEN = 10_000_000 * 100;
/** A session (training, supervision) cannot average more than a day. */
export const MAX_HOURS_PER_SESSION = 24;
export const MAX_NARRATIVE = 20_000;

export const SERVICE_OUTPUTS = ['visits', 'cases', 'groups', 'activities', 'peopleServed'] as const;
export type ServiceOutput = (typeof SERVICE_OUTPUTS)[number];
export const SESSION_KINDS = ['training', 'supervision'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

const Count = int(0, MAX_COUNT);

const BreakdownSchema = z.strictObject({
  minimumLiving: Count,
  extremePoverty: Count,
  childrenInDifficulty: Count,
  disabled: Count,
  other: Count,
});

/** A total and, optionally, its breakdown by recipient category (all five; `other` takes the rest). */
const CountedSchema = z.strictObject({ total: Count, byCategory: z.optional(BreakdownSchema) });
const SessionsSchema = z.strictObject({ sessions: Count, hours: Count });

const ReportBase = z.strictObject({
  /** 探访建档服务对象 */
  visits: CountedSchema,
  /** 个案工作 */
  cases: CountedSchema,
  /** 小组工作 */
  groups: CountedSchema,
  /** 社区活动 */
  activities: CountedSchema,
  /** 服务困难群众 (people, not visits) */
  peopleServed: CountedSchema,
  /** 链接资源金额, integer fen */
  resourcesLinkedFen: int(0, MAX_RESOURCES_FEN),
  /** 培训: sessions and their total hours (whole hours) */
  training: SessionsSchema,
  /** 督导: sessions and their total hours (whole hours) */
  supervision: SessionsSchema,
  narrative: text(1, MAX_NARRATIVE),
});
export type MilestoneReportInput = z.infer<typeof ReportBase>;
export type CategoryBreakdown = Record<RecipientCategory, number>;

/**
 * The report input. Field types and bounds are checked first; the cross-field rules of
 * `reportProblems` run only on input that passed them, so one mistake gives one message.
 */
export const MilestoneReportInputSchema = named(
  ReportBase.check(
    z.superRefine((r, ctx) => checkReport(r, (path, t) => issue(ctx, path, t)), {
      when: (payload) => payload.issues.length === 0,
    }),
  ),
  'MilestoneReportInput',
);

// ---- Labels -------------------------------------------------------------------------------------

const OUTPUT_LABEL: Record<ServiceOutput, { en: string; En: string; zh: string; unit: string }> = {
  visits: { en: 'visits', En: 'Visits', zh: '探访', unit: '次' },
  cases: { en: 'case works', En: 'Case works', zh: '个案工作', unit: '个' },
  groups: { en: 'group works', En: 'Group works', zh: '小组工作', unit: '个' },
  activities: { en: 'community activities', En: 'Community activities', zh: '社区活动', unit: '场' },
  peopleServed: { en: 'people served', En: 'People served', zh: '服务人数', unit: '人' },
};

const CATEGORY_LABEL: Record<RecipientCategory, { en: string; zh: string }> = {
  minimumLiving: { en: 'minimum living allowance', zh: '低保' },
  extremePoverty: { en: 'extreme poverty', zh: '特困' },
  childrenInDifficulty: { en: 'children in difficulty', zh: '困境儿童' },
  disabled: { en: 'disabled', zh: '残疾人' },
  other: { en: 'other', zh: '其他' },
};

const SESSION_LABEL: Record<SessionKind, { en: string; En: string; zh: string }> = {
  training: { en: 'training', En: 'Training', zh: '培训' },
  supervision: { en: 'supervision', En: 'Supervision', zh: '督导' },
};

/** 6465 → "6,465" (English messages); Chinese messages write plain digits. */
const n = (v: number) => v.toLocaleString('en-US', { maximumFractionDigits: 20 });

// ---- Rules --------------------------------------------------------------------------------------

type Report = (path: PropertyKey[], text: Bilingual) => void;

/** A whole number from 0 to `max`; reports what is wrong and returns whether the value is usable. */
function checkCount(
  value: unknown,
  path: PropertyKey[],
  label: Bilingual,
  max: number,
  report: Report,
  money = false,
): value is number {
  const show = (v: number) => (money ? formatYuan(v) : n(v));
  const showZh = (v: number) => (money ? `${v / 100} 元` : String(v));
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    report(path, {
      en: `${label.en} must be a number; got ${String(value)}.`,
      zh: `${label.zh}须为数字，当前为 ${String(value)}`,
    });
    return false;
  }
  if (!Number.isInteger(value)) {
    report(path, {
      en: `${label.en} must be a whole number${money ? ' of fen' : ''}; got ${value}.`,
      zh: `${label.zh}须为整数${money ? '（单位：分）' : ''}，当前为 ${value}`,
    });
    return false;
  }
  if (value < 0) {
    report(path, {
      en: `${label.en} cannot be negative; got ${show(value)}.`,
      zh: `${label.zh}不能为负数，当前为 ${showZh(value)}`,
    });
    return false;
  }
  if (value > max) {
    report(path, {
      en: `${label.en} is ${show(value)}, more than the plausible maximum of ${show(max)}: check the figure.`,
      zh: `${label.zh}为 ${showZh(value)}，超过上限 ${showZh(max)}，请核实`,
    });
    return false;
  }
  return true;
}

/**
 * Every rule a milestone report must satisfy. Works on unchecked input too (direct calls): each
 * number is checked for type, sign, integrality and plausibility before the cross-field rules.
 */
export function checkReport(r: MilestoneReportInput, report: Report): void {
  for (const output of SERVICE_OUTPUTS) {
    const label = OUTPUT_LABEL[output];
    const counted = r[output];
    const totalOk = checkCount(
      counted?.total,
      [output, 'total'],
      { en: `${label.En} (total)`, zh: `${label.zh}总数` },
      MAX_COUNT,
      report,
    );
    const by = counted?.byCategory;
    if (by === undefined) continue;
    let partsOk = true;
    for (const c of RECIPIENT_CATEGORIES) {
      const ok = checkCount(
        by[c],
        [output, 'byCategory', c],
        { en: `${label.En} for ${CATEGORY_LABEL[c].en}`, zh: `${label.zh}（${CATEGORY_LABEL[c].zh}）` },
        MAX_COUNT,
        report,
      );
      partsOk &&= ok;
    }
    if (!totalOk || !partsOk) continue;
    const sum = RECIPIENT_CATEGORIES.reduce((s, c) => s + by[c], 0);
    if (sum !== counted.total) {
      const parts = RECIPIENT_CATEGORIES.map((c) => ({ c, v: by[c] }));
      report([output, 'byCategory'], {
        en: `${label.En} by category add up to ${n(sum)} but the total says ${n(counted.total)} (${parts
          .map(({ c, v }) => `${CATEGORY_LABEL[c].en} ${n(v)}`)
          .join(' + ')}).`,
        zh: `${label.zh}按类别合计 ${sum} ${label.unit}，与总数 ${counted.total} ${label.unit}不一致（${parts
          .map(({ c, v }) => `${CATEGORY_LABEL[c].zh} ${v}`)
          .join(' + ')}）`,
      });
    }
  }

  checkCount(
    r.resourcesLinkedFen,
    ['resourcesLinkedFen'],
    { en: 'Resources linked', zh: '链接资源金额' },
    MAX_RESOURCES_FEN,
    report,
    true,
  );

  for (const kind of SESSION_KINDS) {
    const label = SESSION_LABEL[kind];
    const s = r[kind];
    const sessionsOk = checkCount(
      s?.sessions,
      [kind, 'sessions'],
      { en: `${label.En} sessions`, zh: `${label.zh}次数` },
      MAX_COUNT,
      report,
    );
    const hoursOk = checkCount(
      s?.hours,
      [kind, 'hours'],
      { en: `${label.En} hours`, zh: `${label.zh}时长` },
      MAX_COUNT,
      report,
    );
    if (!sessionsOk || !hoursOk) continue;
    const { sessions, hours } = s;
    if (sessions === 0 && hours > 0) {
      report([kind, 'hours'], {
        en: `${label.En}: ${n(hours)} hours are reported without any session.`,
        zh: `${label.zh}次数为 0，却记录了 ${hours} 小时`,
      });
    } else if (sessions > 0 && hours === 0) {
      report([kind, 'hours'], {
        en: `${label.En}: ${n(sessions)} sessions are reported with no hours.`,
        zh: `${label.zh} ${sessions} 次，时长却为 0 小时`,
      });
    } else if (hours > sessions * MAX_HOURS_PER_SESSION) {
      const avg = Math.round((hours / sessions) * 100) / 100;
      report([kind, 'hours'], {
        en: `${label.En}: ${n(hours)} hours over ${n(sessions)} sessions is ${avg} hours a session on average; a session cannot average more than ${MAX_HOURS_PER_SESSION} hours.`,
        zh: `${label.zh} ${sessions} 次共 ${hours} 小时，平均每次 ${avg} 小时，超过每次 ${MAX_HOURS_PER_SESSION} 小时的上限`,
      });
    }
  }

  if (typeof r.narrative !== 'string' || r.narrative.trim().length === 0) {
    report(['narrative'], { en: 'Describe the work done in the narrative.', zh: '请填写服务情况说明' });
  } else if (r.narrative.trim().length > MAX_NARRATIVE) {
    report(['narrative'], {
      en: `The narrative is ${n(r.narrative.trim().length)} characters; at most ${n(MAX_NARRATIVE)} are allowed.`,
      zh: `服务情况说明为 ${r.narrative.trim().length} 字，最多 ${MAX_NARRATIVE} 字`,
    });
  }
}

/** The problems of a milestone report as the field list of a 422 answer; empty when it is sound. */
export function reportProblems(r: MilestoneReportInput): FieldError[] {
  const problems: FieldError[] = [];
  checkReport(r, (path, t) =>
    problems.push({ field: path.map(String).join('.'), message: t.en, messageZh: t.zh }),
  );
  return problems;
}
