import * as z from 'zod/mini';
import { POOL_SOURCE_KINDS } from '../pools/model';
import { described, int, named, text } from '../schema';

/**
 * Rule packs (规则包): the legal rules the call checks apply, as versioned data, each rule citing
 * the article it encodes. The national pack (`national`) holds the national law; a jurisdiction's
 * local pack (id = the jurisdiction id, e.g. `640100`) adds or tightens rules on top of it. A call
 * records the versions it was published under and is judged by them for its whole life.
 *
 * A pack's content is validated here; whether a local pack is lawful on top of the national one
 * (it may tighten, never loosen) is `localPackProblems` in evaluate.ts.
 */

/** 采购方式 of a purchase call; a venture round (公益创投) is a grant and has none. */
export const PROCUREMENT_METHODS = [
  'open-tender', // 公开招标
  'competitive-consultation', // 竞争性磋商
  'competitive-negotiation', // 竞争性谈判
  'inquiry', // 询价
] as const;
export type ProcurementMethod = (typeof PROCUREMENT_METHODS)[number];
export const PROCUREMENT_METHOD_NAMES: Record<ProcurementMethod, { zh: string; en: string }> = {
  'open-tender': { zh: '公开招标', en: 'open tender' },
  'competitive-consultation': { zh: '竞争性磋商', en: 'competitive consultation' },
  'competitive-negotiation': { zh: '竞争性谈判', en: 'competitive negotiation' },
  inquiry: { zh: '询价', en: 'request for quotations' },
};

/** What a period rule applies to: a procurement method, or `venture` (公益创投 rounds, local rules only). */
export const PERIOD_SUBJECTS = [...PROCUREMENT_METHODS, 'venture'] as const;
export type PeriodSubject = (typeof PERIOD_SUBJECTS)[number];

export const CitationSchema = named(
  z.strictObject({
    /** The instrument, e.g. 《中华人民共和国政府采购法》. */
    source: described(text(1, 200), 'Law, regulation or policy document', '中华人民共和国政府采购法'),
    /** Its number where it has one (财政部令第87号, 财库〔2014〕214号). */
    number: z.optional(text(1, 60)),
    article: described(text(1, 60), 'Article', '第三十五条'),
    /** The article's words this rule encodes (an excerpt). */
    excerpt: text(1, 1000),
  }),
  'RuleCitation',
);
export type Citation = z.infer<typeof CitationSchema>;

const base = { id: z.string().check(z.regex(/^[a-z0-9-]{1,40}$/)), citation: CitationSchema };

/** Minimum time from publication to the submission deadline. */
export const MinPeriodRuleSchema = z.strictObject({
  ...base,
  kind: z.literal('min-period'),
  subject: z.enum(PERIOD_SUBJECTS),
  days: int(1, 365),
  /** `calendar`: calendar days (日); `working`: working days on the official calendar (工作日). */
  unit: z.enum(['calendar', 'working']),
});
/** Minimum price points of a comprehensive-scoring tender, per category (87号令 第55条). */
export const PriceShareRuleSchema = z.strictObject({
  ...base,
  kind: z.literal('min-price-share'),
  category: z.enum(['services', 'goods']),
  percent: int(0, 100),
});
/** The evaluation committee's size (87号令 第47条). */
export const CommitteeRuleSchema = z.strictObject({
  ...base,
  kind: z.literal('committee'),
  minSize: int(1, 25),
  /** From this budget (fen), or for a complex project, at least `largeMinSize`. */
  largeFen: z.int().check(z.minimum(1)),
  largeMinSize: int(1, 25),
  /** Experts at least this share of members, as a fraction numerator/denominator (2/3). */
  expertsNumerator: int(0, 100),
  expertsDenominator: int(1, 100),
});
/** The buyer's written answer to a challenge (质疑答复) is due within this many working days of receipt. */
export const ChallengeAnswerRuleSchema = z.strictObject({
  ...base,
  kind: z.literal('challenge-answer'),
  workingDays: int(1, 60),
});
/** A share of a pool source set aside for purchasing services, in basis points (1% = 100). */
export const SetAsideRuleSchema = z.strictObject({
  ...base,
  kind: z.literal('set-aside'),
  source: z.enum(POOL_SOURCE_KINDS),
  basisPoints: int(1, 10_000),
});

export const RuleSchema = named(
  z.discriminatedUnion('kind', [
    MinPeriodRuleSchema,
    PriceShareRuleSchema,
    CommitteeRuleSchema,
    ChallengeAnswerRuleSchema,
    SetAsideRuleSchema,
  ]),
  'Rule',
);
export type Rule = z.infer<typeof RuleSchema>;
export type MinPeriodRule = z.infer<typeof MinPeriodRuleSchema>;
export type SetAsideRule = z.infer<typeof SetAsideRuleSchema>;

export const PackContentSchema = named(
  z.strictObject({
    title: text(1, 200),
    rules: z.array(RuleSchema).check(z.maxLength(100)),
  }),
  'RulePackContent',
);
export type PackContent = z.infer<typeof PackContentSchema>;

/** The pack id: `national`, or the jurisdiction id of a local pack. */
export const PackIdSchema = described(
  z.string().check(z.regex(/^(national|[0-9]{6,12})$/, 'Use "national" or a jurisdiction id.')),
  'Rule pack id: "national" or the jurisdiction id of a local pack',
  '640100',
);
export const NATIONAL = 'national';

/** One confirmed version of a pack, kept for ever (calls are judged by the version they recorded). */
export const PackVersionSchema = named(
  z.object({
    packId: z.string(),
    packVersion: z.int(),
    /** Local packs: the jurisdiction's name and path. */
    jurisdictionPath: z.optional(z.string()),
    title: z.string(),
    rules: z.array(RuleSchema),
    submittedBy: z.optional(z.string()),
    confirmedBy: z.string(),
    confirmedAt: z.string(),
    reason: z.optional(z.string()),
  }),
  'RulePackVersion',
);
export type PackVersion = z.infer<typeof PackVersionSchema>;

export const PackProposalSchema = named(
  z.object({
    content: PackContentSchema,
    submittedBy: z.string(),
    submittedByName: z.string(),
    submittedAt: z.string(),
    reason: z.optional(z.string()),
  }),
  'RulePackProposal',
);

/** A pack's root: the version in force and a pending proposal. */
export const PackRecordSchema = named(
  z.object({
    packId: z.string(),
    jurisdictionPath: z.optional(z.string()),
    /** 0 until a version is confirmed. */
    packVersion: z.int(),
    title: z.optional(z.string()),
    confirmedAt: z.optional(z.string()),
    confirmedBy: z.optional(z.string()),
    proposal: z.optional(PackProposalSchema),
    version: z.int(),
  }),
  'RulePack',
);
export type PackRecord = z.infer<typeof PackRecordSchema>;

export const PackProposalInputSchema = named(
  z.strictObject({
    /** The pack's `version` as read; absent for a pack never stored. */
    version: z.optional(int(1, 1_000_000)),
    title: text(1, 200),
    rules: z.array(RuleSchema).check(z.maxLength(100)),
    reason: z.optional(text(1, 500)),
  }),
  'RulePackProposalInput',
);
export type PackProposalInput = z.infer<typeof PackProposalInputSchema>;

export const PackConfirmInputSchema = named(
  z.strictObject({ version: int(1, 1_000_000) }),
  'RulePackConfirmInput',
);

/** What a call records when published: the versions it is judged by. */
export const CallRulePacksSchema = named(
  z.object({
    national: z.int(),
    local: z.optional(z.object({ id: z.string(), version: z.int() })),
  }),
  'CallRulePacks',
);
export type CallRulePacks = z.infer<typeof CallRulePacksSchema>;
