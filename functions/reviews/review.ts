import * as z from 'zod/mini';
import { NotFoundError } from '../../shared/errors';
import { type Api, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { route } from '../../shared/http/route';
import { IdParams, ListQuery, pageOf } from '../../shared/http/schemas';
import {
  DrawInputSchema,
  ExpertInputSchema,
  ExpertPatchSchema,
  ReopenInputSchema,
} from '../../shared/reviews/input';
import {
  AssignmentSchema,
  ConflictInputSchema,
  ExpertSchema,
  PanelSchema,
  RankingRowSchema,
  SheetInputSchema,
  SheetSchema,
} from '../../shared/reviews/model';
import { ReviewService } from '../../shared/reviews/service';
import { named } from '../../shared/schema';

const Id = z.string().check(z.minLength(1), z.maxLength(64));
const SubmissionParams = z.strictObject({ submissionId: Id });
const SheetParams = z.strictObject({ submissionId: Id, reviewerId: Id });
const CallParams = z.strictObject({ callId: Id });
const VersionBody = named(z.strictObject({ version: z.int().check(z.minimum(1)) }), 'SheetVersion');

const ExpertPage = pageOf(ExpertSchema, 'ExpertPage');
const AssignmentPage = pageOf(AssignmentSchema, 'AssignmentPage');
const RankingPage = pageOf(RankingRowSchema, 'RankingPage');
const SheetWithFlags = named(
  z.extend(SheetSchema, { totalCenti: z.int(), outlier: z.boolean() }),
  'ScoreSheetWithFlags',
);
const SheetPage = pageOf(SheetWithFlags, 'ScoreSheetPage');
const WorkItem = named(
  z.object({
    submissionId: z.string(),
    lot: z.optional(z.string()),
    orgName: z.string(),
    sheet: z.enum(['none', 'draft', 'submitted']),
  }),
  'ReviewWorkItem',
);
const ReviewViewSchema = named(
  z.object({
    submission: z.object({
      id: z.string(),
      callId: z.string(),
      lot: z.optional(z.string()),
      orgName: z.string(),
      content: z.unknown(),
      submittedAt: z.optional(z.string()),
    }),
    rubric: z.unknown(),
    sheet: z.optional(SheetSchema),
    panel: z.optional(z.object({ sheetsSubmitted: z.int(), totals: z.array(z.string()) })),
  }),
  'ReviewView',
);
const ConflictResult = named(
  z.object({
    submissionId: z.string(),
    recused: z.boolean(),
    replacedBy: z.optional(z.object({ userId: z.string(), name: z.string() })),
  }),
  'ConflictResult',
);

/**
 * Expert review (评审): the expert pool, the panel draw, conflicts, score sheets, the ranking.
 * Rules and choices: shared/reviews/service.ts; the draw: shared/reviews/draw.ts.
 */
export function reviewRoutes(app: Api, deps: Deps): void {
  const service = new ReviewService(deps);

  // 专家库: expert profiles of reviewer accounts.
  route(
    app,
    {
      method: 'get',
      path: '/experts',
      tags: ['Reviews'],
      summary: 'The expert pool your jurisdiction draws from (its subtree and the pools above it)',
      query: ListQuery,
      ok: { status: 200, schema: ExpertPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) =>
      c.json(await service.repo.expertsFor(principalOf(c).jurisdictionPath, query.limit, query.cursor), 200),
  );
  route(
    app,
    {
      method: 'post',
      path: '/experts',
      tags: ['Reviews'],
      summary: 'Add a reviewer account to the expert pool, with expertise and affiliations',
      body: ExpertInputSchema,
      idempotent: true,
      ok: { status: 201, schema: ExpertSchema },
      problems: [400, 401, 403, 409, 415, 422],
    },
    async (c, { body }) => {
      const res = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: await service.createExpert(body, principalOf(c)),
      }));
      return c.json(res.body, 201);
    },
  );
  route(
    app,
    {
      method: 'patch',
      path: '/experts/:id',
      tags: ['Reviews'],
      summary: "Change an expert's expertise, affiliations, kind or availability",
      params: IdParams,
      body: ExpertPatchSchema,
      ok: { status: 200, schema: ExpertSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => c.json(await service.patchExpert(params.id, body, principalOf(c)), 200),
  );

  // The panel draw (随机抽取).
  route(
    app,
    {
      method: 'post',
      path: '/calls/:id/panel',
      tags: ['Reviews'],
      summary:
        'Draw the committee and reserves at random (after the deadline), excluding experts affiliated with a bidder; the seed is recorded',
      params: IdParams,
      body: DrawInputSchema,
      ok: { status: 201, schema: PanelSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const officer = principalOf(c);
      const call = await service.callInScope(params.id, officer);
      return c.json(await service.draw(call, officer, body), 201);
    },
  );
  route(
    app,
    {
      method: 'get',
      path: '/calls/:id/panel',
      tags: ['Reviews'],
      summary: "A call's panel: seed, candidates, exclusions, members, reserves, recusals",
      params: IdParams,
      ok: { status: 200, schema: PanelSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => {
      await service.callInScope(params.id, principalOf(c));
      const panel = await service.repo.panel(params.id);
      if (!panel) throw new NotFoundError('panel');
      return c.json(panel, 200);
    },
  );

  // A reviewer's assignments and worklist. Registered before /reviews/:submissionId.
  route(
    app,
    {
      method: 'get',
      path: '/reviews/assignments',
      tags: ['Reviews'],
      summary: 'Panels you were drawn onto (member or reserve), newest first',
      query: ListQuery,
      ok: { status: 200, schema: AssignmentPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) =>
      c.json(await service.repo.assignments(principalOf(c).userId, query.limit, query.cursor), 200),
  );
  route(
    app,
    {
      method: 'get',
      path: '/reviews/assignments/:callId',
      tags: ['Reviews'],
      summary: 'The eligible submissions of a call you are seated for, with your sheet status',
      params: CallParams,
      ok: { status: 200, schema: named(z.object({ items: z.array(WorkItem) }), 'ReviewWorklist') },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json({ items: await service.worklist(params.callId, principalOf(c)) }, 200),
  );

  route(
    app,
    {
      method: 'get',
      path: '/reviews/:submissionId',
      tags: ['Reviews'],
      summary: 'Read a submission you are seated for, with the rubric and your own sheet',
      params: SubmissionParams,
      ok: { status: 200, schema: ReviewViewSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json(await service.view(params.submissionId, principalOf(c)), 200),
  );
  route(
    app,
    {
      method: 'post',
      path: '/reviews/:submissionId/conflict',
      tags: ['Reviews'],
      summary: 'Declare a conflict of interest (回避): you are recused and a reserve takes your place',
      params: SubmissionParams,
      body: ConflictInputSchema,
      ok: { status: 200, schema: ConflictResult },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) =>
      c.json(await service.declareConflict(params.submissionId, principalOf(c), body.reason), 200),
  );
  route(
    app,
    {
      method: 'put',
      path: '/reviews/:submissionId/sheet',
      tags: ['Reviews'],
      summary: 'Save your draft scores (per indicator, within its points, two decimals) and comments',
      params: SubmissionParams,
      body: SheetInputSchema,
      ok: { status: 200, schema: SheetSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) =>
      c.json(await service.saveDraft(params.submissionId, principalOf(c), body), 200),
  );
  route(
    app,
    {
      method: 'post',
      path: '/reviews/:submissionId/sheet/submit',
      tags: ['Reviews'],
      summary: 'Submit and lock your sheet; the score aggregate is updated in the same transaction',
      params: SubmissionParams,
      body: VersionBody,
      ok: { status: 200, schema: SheetSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) =>
      c.json(await service.submit(params.submissionId, principalOf(c), body.version), 200),
  );
  route(
    app,
    {
      method: 'post',
      path: '/reviews/:submissionId/sheets/:reviewerId/reopen',
      tags: ['Reviews'],
      summary: "Reopen a member's submitted sheet, with a reason (recorded on the sheet)",
      params: SheetParams,
      body: ReopenInputSchema,
      ok: { status: 200, schema: SheetSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) =>
      c.json(await service.reopen(params.submissionId, params.reviewerId, principalOf(c), body), 200),
  );

  // Officers' views: every sheet, and the ranking.
  route(
    app,
    {
      method: 'get',
      path: '/calls/:id/sheets',
      tags: ['Reviews'],
      summary: "Every score sheet of a call, by submission, with each member's outlier flag",
      params: IdParams,
      query: ListQuery,
      ok: { status: 200, schema: SheetPage },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { params, query }) => {
      await service.callInScope(params.id, principalOf(c));
      return c.json(await service.sheetsPage(params.id, query.limit, query.cursor), 200);
    },
  );
  route(
    app,
    {
      method: 'get',
      path: '/calls/:id/ranking',
      tags: ['Reviews'],
      summary:
        'The ranking, lot by lot, best first: scores, ranks (ties share a rank), flags. One Query per page over stored aggregates',
      params: IdParams,
      query: ListQuery,
      ok: { status: 200, schema: RankingPage },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { params, query }) => {
      await service.callInScope(params.id, principalOf(c));
      return c.json(await service.rankingPage(params.id, query.limit, query.cursor), 200);
    },
  );
}
