import * as z from 'zod/mini';
import {
  AnswerInputSchema,
  type Award,
  AwardViewSchema,
  awardView,
  ChallengeInputSchema,
  ChallengeViewSchema,
  ConfirmInputSchema,
  challengeView,
  ProposalInputSchema,
  PublicNoticeSchema,
  publicNotice,
} from '../../shared/awards/model';
import { reviewsRanking } from '../../shared/awards/reviews-ranking';
import { AwardService, type AwardServiceOptions } from '../../shared/awards/service';
import { decideWindows } from '../../shared/awards/windows-decision';
import { CallRepository } from '../../shared/calls/repository';
import { NotFoundError } from '../../shared/errors';
import { type Api, authorizeObject, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { route } from '../../shared/http/route';
import { IdParams, ListQuery, pageOf } from '../../shared/http/schemas';
import { named } from '../../shared/schema';

const ProposalResult = named(
  z.object({
    proposed: z.array(AwardViewSchema),
    existing: z.array(AwardViewSchema),
    /** `selectAwards` output: awarded, pending (tie, explanation, funds) and unfunded, with reasons. */
    selection: z.unknown(),
  }),
  'AwardProposal',
);
const AwardPage = pageOf(AwardViewSchema, 'AwardPage');
const AwardWithChallenges = named(
  z.extend(AwardViewSchema, { challengeList: z.array(ChallengeViewSchema) }),
  'AwardWithChallenges',
);
const AnswerResult = named(
  z.object({ challenge: ChallengeViewSchema, award: AwardViewSchema }),
  'ChallengeAnswer',
);
const NoticePage = pageOf(PublicNoticeSchema, 'PublicNoticePage');

/**
 * Awards, public notices (公示) and challenges (质疑): the award half of the review context.
 * The ranking comes from the review context's stored ranking unless a source is given (tests).
 */
const WindowDecisionSchema = named(
  z.strictObject({ version: z.int().check(z.minimum(1)), decision: z.enum(['apply', 'keep']) }),
  'WindowDecision',
);

export function awardRoutes(app: Api, deps: Deps, options: AwardServiceOptions = {}): void {
  const service = new AwardService(deps, { ranking: reviewsRanking(deps), ...options });
  const awards = service.awards;
  const calls = new CallRepository(deps.doc, deps.config.tableName);
  const view = (a: Award) => awardView(a, deps.now());

  route(
    app,
    {
      method: 'post',
      path: '/calls/:id/awards/proposal',
      tags: ['Awards'],
      summary: 'Propose the awards of a closed call from its ranking (first of two officers)',
      params: IdParams,
      body: ProposalInputSchema,
      idempotent: true,
      ok: { status: 201, schema: ProposalResult },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const call = authorizeObject(c, await calls.get(params.id), 'call');
      const out = await idempotent(c, body, async () => {
        const r = await service.propose(call, principalOf(c));
        return {
          status: 201 as const,
          body: { selection: r.selection, proposed: r.proposed.map(view), existing: r.existing.map(view) },
        };
      });
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/calls/:id/awards',
      tags: ['Awards'],
      summary: "A call's awards, by lot and rank",
      params: IdParams,
      query: ListQuery,
      ok: { status: 200, schema: AwardPage },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { params, query }) => {
      authorizeObject(c, await calls.get(params.id), 'call');
      const page = await awards.pageOfCall(params.id, query.limit, query.cursor);
      return c.json({ ...page, items: page.items.map(view) }, 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/awards/:id',
      tags: ['Awards'],
      summary: 'One award with its challenges; status as of now',
      params: IdParams,
      ok: { status: 200, schema: AwardWithChallenges },
      problems: [401, 403, 404],
    },
    async (c, { params }) => {
      const award = authorizeObject(c, await awards.get(params.id), 'award');
      return c.json(
        {
          ...view(award),
          challengeList: (await awards.challengesOf(award.id)).map((ch) => challengeView(ch, deps.now())),
        },
        200,
      );
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/awards/:id/confirm',
      tags: ['Awards'],
      summary:
        'Confirm a proposed award (a second officer): commits the money and starts the public notice (公示)',
      params: IdParams,
      body: ConfirmInputSchema,
      ok: { status: 200, schema: AwardViewSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const award = authorizeObject(c, await awards.get(params.id), 'award');
      return c.json(view(await service.confirm(award, body.version, principalOf(c))), 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/awards/:id/windows',
      tags: ['Awards'],
      summary:
        'Decide on windows a calendar correction would move: apply the new notice and challenge ends, or keep the current ones',
      params: IdParams,
      body: WindowDecisionSchema,
      ok: { status: 200, schema: AwardViewSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) => {
      const award = authorizeObject(c, await awards.get(params.id), 'award');
      return c.json(
        view(await decideWindows(deps, awards, service.calendar, award, body, principalOf(c))),
        200,
      );
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/awards/:id/challenges',
      tags: ['Awards'],
      summary: 'Challenge (质疑) an award during its challenge window (organizations that took part)',
      params: IdParams,
      body: ChallengeInputSchema,
      idempotent: true,
      ok: { status: 201, schema: ChallengeViewSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const award = await awards.get(params.id);
      // Only published awards exist for applicants (a proposal is internal).
      if (!award?.noticeStartsAt) throw new NotFoundError('award');
      const out = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: challengeView(await service.challenge(award, principalOf(c), body.text), deps.now()),
      }));
      return c.json(out.body, out.status);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/challenges/:id',
      tags: ['Awards'],
      summary: 'One challenge and its answer',
      params: IdParams,
      ok: { status: 200, schema: ChallengeViewSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) =>
      c.json(
        challengeView(authorizeObject(c, await awards.getChallenge(params.id), 'challenge'), deps.now()),
        200,
      ),
  );

  route(
    app,
    {
      method: 'post',
      path: '/challenges/:id/answer',
      tags: ['Awards'],
      summary: 'Answer a challenge; upheld cancels the award and releases its money',
      params: IdParams,
      body: AnswerInputSchema,
      ok: { status: 200, schema: AnswerResult },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const ch = authorizeObject(c, await awards.getChallenge(params.id), 'challenge');
      const out = await service.answer(ch, body, principalOf(c));
      return c.json({ challenge: challengeView(out.challenge, deps.now()), award: view(out.award) }, 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/public/notices',
      tags: ['Public'],
      summary: 'Award notices (中标/立项结果公示), newest first',
      query: ListQuery,
      ok: { status: 200, schema: NoticePage },
      problems: [400, 422],
    },
    async (c, { query }) => {
      const page = await awards.publicPage(query.limit, query.cursor);
      const now = deps.now();
      return c.json({ ...page, items: page.items.flatMap((a) => publicNotice(a, now) ?? []) }, 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/public/notices/:id',
      tags: ['Public'],
      summary: 'One award notice: winner, amount, scores, notice period and challenge deadline',
      params: IdParams,
      ok: { status: 200, schema: PublicNoticeSchema },
      problems: [404],
    },
    async (c, { params }) => {
      const award = await awards.get(params.id);
      const notice = award && publicNotice(award, deps.now());
      if (!notice) throw new NotFoundError('notice');
      return c.json(notice, 200);
    },
  );
}
