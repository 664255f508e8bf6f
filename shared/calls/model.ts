import * as z from 'zod/mini';
import { Fen, PositiveFen } from '../domain/money';
import { CallEvaluationSchema } from '../evaluation/settings';
import type { Bilingual } from '../i18n/validation';
import { type RuleSet, SHIPPED_RULES } from '../rules/evaluate';
import { CallRulePacksSchema, PROCUREMENT_METHODS } from '../rules/model';
import { described, int, named, text } from '../schema';
import { CALL_KINDS, MILESTONES } from './constants';

export { CALL_KINDS, MILESTONES } from './constants';

/** Points carry at most two decimals; sums are computed in integer hundredths, exactly. */
const Points = z.number().check(
  z.minimum(0),
  z.maximum(100),
  z.refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-9, {
    message: 'Use at most two decimals.',
    params: { zh: '最多保留两位小数' },
  }),
);
const PositivePoints = Points.check(
  z.refine((v) => v > 0, { message: 'Must be above zero.', params: { zh: '须大于零' } }),
);
export const centi = (points: number) => Math.round(points * 100);

const Instant = described(
  z.iso.datetime({ offset: true }),
  'ISO 8601 with offset; Beijing time is +08:00',
  '2026-12-31T17:00:00+08:00',
);

export const IndicatorSchema = named(
  z.strictObject({
    id: z.string().check(z.regex(/^[A-Za-z0-9_-]{1,20}$/)),
    name: text(1, 100),
    maxPoints: PositivePoints,
    /** What earns the points (评分细则): factors must be quantified (87号令 第55条). */
    criteria: text(1, 2000),
  }),
  'Indicator',
);

export const RubricSchema = named(
  z.strictObject({
    /** 价格分; zero when the price is fixed by the government or for venture grants. */
    pricePoints: Points,
    groups: z
      .array(
        z.strictObject({
          name: text(1, 100),
          indicators: z.array(IndicatorSchema).check(z.minLength(1), z.maxLength(50)),
        }),
      )
      .check(z.minLength(1), z.maxLength(10)),
  }),
  'Rubric',
);
export type Rubric = z.infer<typeof RubricSchema>;

export const LotSchema = named(
  z.strictObject({
    code: described(z.string().check(z.regex(/^[A-Za-z0-9-]{1,10}$/)), 'Lot number', '1'),
    name: text(1, 100),
    /** 最高限价 */
    ceilingFen: PositiveFen,
    stationId: z.optional(z.string()),
  }),
  'Lot',
);

export const ScoringSchema = named(
  z.strictObject({
    /** `trimmed-mean` drops one highest and one lowest member score (去掉一个最高分和一个最低分). */
    method: z.enum(['mean', 'trimmed-mean']),
    /** A bid below the mean of the others by more than this percentage is flagged (87号令 第60条). */
    abnormalLowPercent: int(1, 90),
    /** A reviewer whose total departs from the panel median by more than this many points is flagged. */
    outlierPoints: z.number().check(z.minimum(1), z.maximum(100)),
    committee: z.strictObject({
      size: int(1, 25),
      experts: int(0, 25),
    }),
    /** Complex projects need at least seven members, whatever their budget. */
    complex: z.boolean(),
  }),
  'ScoringOptions',
);

export const TrancheSchema = z.strictObject({
  milestone: z.enum(MILESTONES),
  percent: int(1, 100),
});

export const PeriodsSchema = named(
  z.strictObject({
    enquiryStartsAt: Instant,
    enquiryEndsAt: Instant,
    submissionOpensAt: Instant,
    /** 截止时间: a submission counts if the server receives it strictly before this instant. */
    deadline: Instant,
  }),
  'CallPeriods',
);

export const VentureTermsSchema = named(
  z.strictObject({
    /** Total the round may award; must fit in the pool when published. */
    totalFundingFen: Fen,
    maxRequestFen: Fen,
    /** Applications below this total score are not funded. */
    minScore: Points,
  }),
  'VentureTerms',
);

/** The fields a call's input, patch and stored form share (shared/calls/input.ts builds the first two). */
export const CallFields = {
  title: text(4, 200),
  description: text(0, 10_000),
  category: z.enum(['services', 'goods']),
  priceFixed: z.boolean(),
  lots: z.array(LotSchema).check(z.maxLength(20)),
  venture: z.optional(VentureTermsSchema),
  periods: PeriodsSchema,
  rubric: RubricSchema,
  scoring: ScoringSchema,
  paymentTemplate: z.array(TrancheSchema).check(z.minLength(1), z.maxLength(6)),
  /** 公示 length in working days. */
  noticeWorkingDays: int(1, 30),
  /**
   * Performance evaluation (绩效评价) of the contracts: first-level weights and the final tranche's
   * grade policy. Optional: DEFAULT_EVALUATION_WEIGHTS and DEFAULT_PAYOUT_POLICY otherwise.
   */
  evaluation: z.optional(CallEvaluationSchema),
  /**
   * 采购方式 of a purchase call (absent: 公开招标, open tender); it sets the minimum period from
   * publication to the deadline (rule packs, shared/rules/). Venture rounds have none.
   */
  procurementMethod: z.optional(z.enum(PROCUREMENT_METHODS)),
};

export const CallInputBase = z.strictObject({
  kind: z.enum(CALL_KINDS),
  poolId: text(1, 64),
  jurisdictionId: text(1, 20),
  ...CallFields,
});
export type CallInput = z.infer<typeof CallInputBase>;

export type { CallPatch } from './input';

export const CallSchema = named(
  z.object({
    id: z.string(),
    kind: z.enum(CALL_KINDS),
    poolId: z.string(),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    ...CallFields,
    status: z.enum(['draft', 'published', 'closed']),
    amendments: z.int(),
    createdAt: z.string(),
    createdBy: z.string(),
    publishedAt: z.optional(z.string()),
    closedAt: z.optional(z.string()),
    /** The rule pack versions the call was published under: it is judged by them for its whole life. */
    rulePacks: z.optional(CallRulePacksSchema),
    version: z.int(),
  }),
  'Call',
);
export type Call = z.infer<typeof CallSchema>;

export const AmendmentSchema = named(
  z.object({
    callId: z.string(),
    seq: z.int(),
    at: z.string(),
    by: z.string(),
    reason: z.string(),
    changes: z.array(z.object({ field: z.string(), before: z.unknown(), after: z.unknown() })),
  }),
  'Amendment',
);
export type Amendment = z.infer<typeof AmendmentSchema>;

/** 1,000万元: from this budget the committee needs at least seven members (87号令 第47条). */
export const LARGE_PROJECT_FEN = 10_000_000 * 100;

type Report = (path: PropertyKey[], text: Bilingual) => void;

/**
 * The rules a call must satisfy, whichever way it was built (create, patch, amendment).
 * Each failing rule names its field and says what is wrong in both languages.
 */
export function checkCallRules(
  c: Omit<CallInput, 'poolId' | 'jurisdictionId'>,
  report: Report,
  /** The rule packs judging the call: as shipped for a draft, as recorded once published. */
  rules: RuleSet = SHIPPED_RULES,
): void {
  const r = c.rubric;
  const indicatorCenti = r.groups.flatMap((g) => g.indicators).reduce((s, i) => s + centi(i.maxPoints), 0);
  const total = indicatorCenti + centi(r.pricePoints);
  // 评分因素细化量化, total of 100 points.
  if (total !== 10_000) {
    report(['rubric'], {
      en: `Indicator points (${indicatorCenti / 100}) plus price points (${r.pricePoints}) total ${total / 100}; they must total 100.`,
      zh: `各指标分值（${indicatorCenti / 100}）与价格分（${r.pricePoints}）合计 ${total / 100} 分，应为 100 分`,
    });
  }
  const ids = r.groups.flatMap((g) => g.indicators.map((i) => i.id));
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup)
    report(['rubric', 'groups'], { en: `Indicator id "${dup}" is used twice.`, zh: `指标编号“${dup}”重复` });

  if (c.kind === 'venture' || c.priceFixed) {
    // Grants are not priced competitively; a government-fixed price scores no price (87号令 第55条).
    if (r.pricePoints !== 0) {
      report(['rubric', 'pricePoints'], {
        en:
          c.kind === 'venture'
            ? 'Venture calls score no price: set price points to 0.'
            : 'A fixed price scores no price: set price points to 0.',
        zh:
          c.kind === 'venture' ? '公益创投不设价格分，价格分应为 0' : '政府定价项目不设价格分，价格分应为 0',
      });
    }
  } else {
    // 87号令 第55条: price points at least 10% for services, 30% for goods (from the rule packs).
    const share = rules.priceShare(c.category);
    const min = share?.rule.percent ?? 0;
    if (r.pricePoints < min) {
      report(['rubric', 'pricePoints'], {
        en: `A ${c.category} tender needs price points of at least ${min} (of 100); it has ${r.pricePoints}.`,
        zh: `${c.category === 'goods' ? '货物' : '服务'}项目价格分不得低于总分的 ${min}%，当前为 ${r.pricePoints} 分`,
      });
    }
  }

  if (c.kind === 'purchase') {
    if (c.lots.length === 0)
      report(['lots'], { en: 'A tender needs at least one lot.', zh: '采购项目至少需要一个标包' });
    const codes = c.lots.map((l) => l.code);
    const dupLot = codes.find((code, i) => codes.indexOf(code) !== i);
    if (dupLot)
      report(['lots'], { en: `Lot code "${dupLot}" is used twice.`, zh: `标包编号“${dupLot}”重复` });
    if (c.venture)
      report(['venture'], {
        en: 'Only venture calls have venture terms.',
        zh: '只有公益创投项目需要创投条款',
      });
  } else {
    if (c.lots.length) report(['lots'], { en: 'Venture calls have no lots.', zh: '公益创投项目不设标包' });
    if (c.procurementMethod)
      report(['procurementMethod'], {
        en: 'A venture round is a grant: it has no procurement method.',
        zh: '公益创投为资助项目，不设采购方式',
      });
    if (!c.venture)
      report(['venture'], {
        en: 'Venture calls need their funding terms.',
        zh: '公益创投项目须填写资助条款',
      });
    else if (c.venture.maxRequestFen > c.venture.totalFundingFen) {
      report(['venture', 'maxRequestFen'], {
        en: "The largest request cannot exceed the round's total funding.",
        zh: '单个项目申请上限不得超过本轮资助总额',
      });
    }
  }

  // 87号令 第47条: at least 5 members, an odd number, experts at least two thirds; 7 for large or
  // complex (from the rule packs).
  const { size, experts } = c.scoring.committee;
  const committee = rules.committee() ?? {
    minSize: 1,
    largeFen: Number.MAX_SAFE_INTEGER,
    largeMinSize: 1,
    experts: [0, 1] as [number, number],
  };
  const budget =
    c.kind === 'purchase' ? c.lots.reduce((s, l) => s + l.ceilingFen, 0) : (c.venture?.totalFundingFen ?? 0);
  const large = budget >= committee.largeFen || c.scoring.complex;
  const minSize = large ? committee.largeMinSize : committee.minSize;
  if (size < minSize) {
    report(['scoring', 'committee', 'size'], {
      en: `The committee needs at least ${minSize} members${large ? ` for a project of ¥${committee.largeFen / 100_000_000} million or more, or a complex one` : ''}; it has ${size}.`,
      zh: `评审委员会至少需要 ${minSize} 人${large ? `（预算 ${committee.largeFen / 1_000_000} 万元以上或技术复杂项目）` : ''}，当前为 ${size} 人`,
    });
  }
  if (size % 2 === 0) {
    report(['scoring', 'committee', 'size'], {
      en: `The committee must have an odd number of members, not ${size}.`,
      zh: `评审委员会成员须为单数，当前为 ${size} 人`,
    });
  }
  if (experts > size) {
    report(['scoring', 'committee', 'experts'], {
      en: 'There cannot be more experts than members.',
      zh: '专家人数不能超过委员会人数',
    });
  } else if (experts * committee.experts[1] < size * committee.experts[0]) {
    const [n, d] = committee.experts;
    const twoThirds = n * 3 === d * 2;
    report(['scoring', 'committee', 'experts'], {
      en: `At least ${twoThirds ? 'two thirds' : `${n}/${d}`} of the committee must be experts: ${experts} of ${size} is too few.`,
      zh: `专家人数不得少于成员总数的${twoThirds ? '三分之二' : ` ${n}/${d}`}，${size} 人中仅有 ${experts} 名专家`,
    });
  }
  if (c.scoring.method === 'trimmed-mean' && size < 3) {
    report(['scoring', 'method'], {
      en: 'A trimmed mean needs at least three members.',
      zh: '去掉最高分和最低分至少需要三名评委',
    });
  }

  const percent = c.paymentTemplate.reduce((s, t) => s + t.percent, 0);
  if (percent !== 100) {
    report(['paymentTemplate'], {
      en: `Payment tranches total ${percent}%; they must total 100%.`,
      zh: `各期拨付比例合计 ${percent}%，应为 100%`,
    });
  }
  const milestones = c.paymentTemplate.map((t) => t.milestone);
  if (new Set(milestones).size !== milestones.length) {
    report(['paymentTemplate'], {
      en: 'Each milestone may carry one tranche only.',
      zh: '每个里程碑只能对应一期拨付',
    });
  }

  const p = c.periods;
  const t = (s: string) => new Date(s).getTime();
  if (t(p.enquiryStartsAt) > t(p.enquiryEndsAt)) {
    report(['periods', 'enquiryEndsAt'], {
      en: 'The enquiry period ends before it starts.',
      zh: '答疑期结束时间早于开始时间',
    });
  }
  if (t(p.enquiryEndsAt) > t(p.deadline)) {
    report(['periods', 'enquiryEndsAt'], {
      en: 'The enquiry period must end by the deadline.',
      zh: '答疑期须在截止时间前结束',
    });
  }
  if (t(p.submissionOpensAt) >= t(p.deadline)) {
    report(['periods', 'submissionOpensAt'], {
      en: 'Submissions must open before the deadline.',
      zh: '递交开始时间须早于截止时间',
    });
  }
}

/** The budget a call needs from its pool (102号令: the budget must exist before the purchase). */
export function callBudgetFen(c: Pick<Call, 'kind' | 'lots' | 'venture'>): number {
  return c.kind === 'purchase'
    ? c.lots.reduce((s, l) => s + l.ceilingFen, 0)
    : (c.venture?.totalFundingFen ?? 0);
}

/** The stored status lags the clock when the jobs function runs late: this is the truth. */
export function effectiveStatus(c: Pick<Call, 'status' | 'periods'>, now: Date): Call['status'] {
  if (c.status === 'published' && now.getTime() >= new Date(c.periods.deadline).getTime()) return 'closed';
  return c.status;
}
