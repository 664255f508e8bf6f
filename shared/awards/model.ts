import * as z from 'zod/mini';
import { Fen } from '../domain/money';
import { int, named, text } from '../schema';

/**
 * Awards (中标 / 立项): one per winning submission.
 *
 * Lifecycle: `proposed` (officer A, from the ranking) → `confirmed` (officer B ≠ A: the money is
 * committed in the same transaction, and the public notice 公示 starts) → `final` (the notice
 * period and the challenge window have both passed with no open challenge), or `cancelled` (a
 * challenge 质疑 was upheld: the committed money is released in the same transaction).
 *
 * Why the notice starts at confirmation: the issue says confirmation commits the money and the
 * award is then published; a notice is only published for an award the pool is known to fund, and
 * an upheld challenge during the notice cancels it and releases the money. `final` is what a
 * contract may be signed against.
 */
export const AWARD_STATUSES = ['proposed', 'confirmed', 'final', 'cancelled'] as const;
export type AwardStatus = (typeof AWARD_STATUSES)[number];

/** 质疑期: 7 working days (政府采购质疑和投诉办法, 财政部令第94号 第十条). */
export const CHALLENGE_WORKING_DAYS = 7;

export const AwardSchema = named(
  z.object({
    id: z.string(),
    callId: z.string(),
    callKind: z.enum(['purchase', 'venture']),
    callTitle: z.string(),
    poolId: z.string(),
    /** The call's jurisdiction path (officers' scope). */
    jurisdictionPath: z.string(),
    submissionId: z.string(),
    orgId: z.string(),
    orgName: z.string(),
    lot: z.optional(z.string()),
    /** The bid price (purchase) or the amount requested (venture), fen. */
    amountFen: Fen,
    /** Published scores (centi-points) and rank within the lot, from the ranking at proposal. */
    rank: z.int(),
    totalCenti: z.int(),
    priceScoreCenti: z.int(),
    technicalScoreCenti: z.int(),
    /** The call's 公示 length, fixed when proposed. */
    noticeWorkingDays: z.int(),
    status: z.enum(AWARD_STATUSES),
    proposedBy: z.string(),
    proposedAt: z.string(),
    confirmedBy: z.optional(z.string()),
    confirmedAt: z.optional(z.string()),
    /** The notice period (公示期) and the challenge window, as UTC instants (ends are exclusive). */
    noticeStartsAt: z.optional(z.string()),
    noticeEndsAt: z.optional(z.string()),
    challengeDeadline: z.optional(z.string()),
    /** max(noticeEndsAt, challengeDeadline): from then on, with no open challenge, the award is final. */
    closesAt: z.optional(z.string()),
    /** The calendar version of each year the windows were computed with (`{"2026": 1, "2027": 1}`). */
    calendarVersions: z.optional(z.record(z.string(), z.int())),
    /** Calendar corrections whose new window ends an officer decided not to apply: year → version. */
    windowsKept: z.optional(z.record(z.string(), z.int())),
    openChallenges: z.int(),
    challenges: z.int(),
    /** When the last challenge was answered (finality cannot precede it). */
    lastAnsweredAt: z.optional(z.string()),
    finalizedAt: z.optional(z.string()),
    cancelledAt: z.optional(z.string()),
    cancelledBy: z.optional(z.string()),
    /** The upheld challenge that cancelled the award. */
    cancelledByChallenge: z.optional(z.string()),
    version: z.int(),
  }),
  'Award',
);
export type Award = z.infer<typeof AwardSchema>;

/** The state a reader sees: a confirmed award whose windows have passed with no open challenge is final. */
export function effectiveAwardStatus(a: Award, now: Date): AwardStatus {
  if (
    a.status === 'confirmed' &&
    a.openChallenges === 0 &&
    a.closesAt !== undefined &&
    now.getTime() >= Date.parse(a.closesAt)
  )
    return 'final';
  return a.status;
}

/**
 * When the award became final: the end of its windows, or the answer to its last challenge if
 * that came later. The same value whenever the job runs.
 */
export function finalAt(a: Award): string | undefined {
  if (!a.closesAt) return undefined;
  return a.lastAnsweredAt && a.lastAnsweredAt > a.closesAt ? a.lastAnsweredAt : a.closesAt;
}

export const AwardViewSchema = named(
  z.extend(AwardSchema, {
    /** Status as of now (see `effectiveAwardStatus`): independent of when the jobs function last ran. */
    effectiveStatus: z.enum(AWARD_STATUSES),
    challengeOpen: z.boolean(),
  }),
  'AwardView',
);
export const awardView = (a: Award, now: Date) => ({
  ...a,
  effectiveStatus: effectiveAwardStatus(a, now),
  challengeOpen:
    a.status === 'confirmed' &&
    a.challengeDeadline !== undefined &&
    now.getTime() < Date.parse(a.challengeDeadline),
  ...(effectiveAwardStatus(a, now) === 'final' && !a.finalizedAt ? { finalizedAt: finalAt(a) } : {}),
});

/** What the public sees of an award (中标/立项结果公示): no internal ids of people. */
export const PublicNoticeSchema = named(
  z.object({
    id: z.string(),
    callId: z.string(),
    callKind: z.enum(['purchase', 'venture']),
    callTitle: z.string(),
    orgName: z.string(),
    lot: z.optional(z.string()),
    amountFen: Fen,
    rank: z.int(),
    /** Published scores, two decimals. */
    scores: z.object({ total: z.number(), price: z.number(), technical: z.number() }),
    status: z.enum(['confirmed', 'final', 'cancelled']),
    noticeStartsAt: z.string(),
    noticeEndsAt: z.string(),
    noticeWorkingDays: z.int(),
    challengeDeadline: z.string(),
    challengeOpen: z.boolean(),
    finalizedAt: z.optional(z.string()),
    cancelledAt: z.optional(z.string()),
  }),
  'PublicNotice',
);
export type PublicNotice = z.infer<typeof PublicNoticeSchema>;

export function publicNotice(a: Award, now: Date): PublicNotice | undefined {
  const status = effectiveAwardStatus(a, now);
  if (status === 'proposed' || !a.noticeStartsAt || !a.noticeEndsAt || !a.challengeDeadline) return undefined;
  return {
    id: a.id,
    callId: a.callId,
    callKind: a.callKind,
    callTitle: a.callTitle,
    orgName: a.orgName,
    ...(a.lot !== undefined ? { lot: a.lot } : {}),
    amountFen: a.amountFen,
    rank: a.rank,
    scores: {
      total: a.totalCenti / 100,
      price: a.priceScoreCenti / 100,
      technical: a.technicalScoreCenti / 100,
    },
    status,
    noticeStartsAt: a.noticeStartsAt,
    noticeEndsAt: a.noticeEndsAt,
    noticeWorkingDays: a.noticeWorkingDays,
    challengeDeadline: a.challengeDeadline,
    challengeOpen: status === 'confirmed' && now.getTime() < Date.parse(a.challengeDeadline),
    ...(status === 'final' ? { finalizedAt: a.finalizedAt ?? finalAt(a) } : {}),
    ...(a.cancelledAt ? { cancelledAt: a.cancelledAt } : {}),
  };
}

export const CHALLENGE_OUTCOMES = ['upheld', 'dismissed'] as const;

export const ChallengeSchema = named(
  z.object({
    id: z.string(),
    awardId: z.string(),
    callId: z.string(),
    /** The challenging organization (质疑供应商). */
    orgId: z.string(),
    orgName: z.string(),
    jurisdictionPath: z.string(),
    text: z.string(),
    submittedBy: z.string(),
    submittedAt: z.string(),
    status: z.enum(['open', 'answered']),
    outcome: z.optional(z.enum(CHALLENGE_OUTCOMES)),
    answer: z.optional(z.string()),
    answeredBy: z.optional(z.string()),
    answeredAt: z.optional(z.string()),
    /**
     * The written answer is due before this instant: 7 working days after receipt (财政部令第94号
     * 第十三条, from the rule packs the call was published under), with the calendar versions used.
     */
    answerDueAt: z.optional(z.string()),
    calendarVersions: z.optional(z.record(z.string(), z.int())),
    version: z.int(),
  }),
  'Challenge',
);
export type Challenge = z.infer<typeof ChallengeSchema>;

/** A challenge as read: `overdue` when it is unanswered and its answer is due (逾期未答复). */
export const ChallengeViewSchema = named(
  z.extend(ChallengeSchema, { overdue: z.boolean() }),
  'ChallengeView',
);
export const challengeOverdue = (ch: Challenge, now: Date) =>
  ch.status === 'open' && ch.answerDueAt !== undefined && now.getTime() >= Date.parse(ch.answerDueAt);
export const challengeView = (ch: Challenge, now: Date) => ({ ...ch, overdue: challengeOverdue(ch, now) });

export const ProposalInputSchema = named(
  z.strictObject({ note: z.optional(text(0, 1000)) }),
  'AwardProposalInput',
);
export const ConfirmInputSchema = named(
  z.strictObject({ version: z.int().check(z.minimum(1)) }),
  'AwardConfirmInput',
);
export const ChallengeInputSchema = named(z.strictObject({ text: text(10, 10_000) }), 'ChallengeInput');
export const AnswerInputSchema = named(
  z.strictObject({
    version: int(1, 1_000_000),
    outcome: z.enum(CHALLENGE_OUTCOMES),
    answer: text(1, 10_000),
  }),
  'ChallengeAnswerInput',
);
