import type { Context } from 'hono';
import * as z from 'zod/mini';
import { NotFoundError } from '../../shared/errors';
import { type Api, authorizeObject, createApi, inScope, principalOf } from '../../shared/http/app';
import type { ApiEnv, Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { route } from '../../shared/http/route';
import { IdParams, ListQuery, pageOf } from '../../shared/http/schemas';
import { refreshRanking } from '../../shared/reviews/aggregates';
import { named } from '../../shared/schema';
import {
  AttachmentRequestSchema,
  AttachmentSchema,
  ExplanationDecisionSchema,
  ExplanationInputSchema,
  ReceiptSchema,
  ScreeningInputSchema,
  type Submission,
  SubmissionCreateSchema,
  SubmissionPatchSchema,
  SubmissionSchema,
  SubmissionVersionSchema,
} from '../../shared/submissions/model';
import { SealedError, SubmissionService, unsealed } from '../../shared/submissions/service';

const SubmissionPage = pageOf(SubmissionSchema, 'SubmissionPage');
const SubmitResult = named(
  z.object({ receipt: ReceiptSchema, submission: SubmissionSchema }),
  'SubmitResult',
);
const ReceiptList = named(z.object({ items: z.array(ReceiptSchema) }), 'ReceiptList');
const AttachmentUpload = named(
  z.object({
    attachmentId: z.string(),
    attachment: AttachmentSchema,
    upload: z.object({
      method: z.literal('PUT'),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      expiresAt: z.string(),
    }),
    submissionVersion: z.int(),
  }),
  'AttachmentUpload',
);
const AttachmentDownload = named(
  z.object({ attachment: AttachmentSchema, url: z.string(), expiresAt: z.string() }),
  'AttachmentDownload',
);
const AttachmentParams = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  attachmentId: z.string().check(z.minLength(1), z.maxLength(64)),
});
const CallSubmissionsQuery = z.extend(ListQuery, {
  lot: z.optional(z.string().check(z.regex(/^[A-Za-z0-9-]{1,10}$/))),
});

const TAGS = ['Submissions'];

/**
 * The submissions function: drafts, sealed submission with receipts, withdrawal and
 * resubmission, attachments through presigned S3 URLs, and, after the deadline, eligibility
 * screening and low-price explanations.
 *
 * Sealing: before the deadline a submission is visible to its own organization only. Everyone
 * else gets the answer a missing id gets (404 `not-found`, "No such submission."), and the
 * call's list answers 409 `sealed-until-deadline` whether or not anything was submitted. After
 * the deadline officers and auditors of the call's jurisdiction see submitted ones; drafts and
 * withdrawn ones stay invisible to them for good.
 */
export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'submissions');
  const service = new SubmissionService(deps);
  const { repo } = service;

  /**
   * A submission the caller may see, or the same 404 as a missing id. Applicants: their own
   * organization's, in any state. Oversight roles: submitted ones of their jurisdiction, once the
   * call's deadline has passed by the server's clock.
   */
  async function visible(c: Context<ApiEnv>, id: string): Promise<Submission> {
    const s = await repo.get(id);
    const p = principalOf(c);
    if (p.role === 'applicant') return authorizeObject(c, s, 'submission');
    if (s?.status !== 'submitted' || !inScope(p, c.get('scope'), s)) throw new NotFoundError('submission');
    const call = await service.calls.get(s.callId);
    if (!call || !unsealed(call, deps.now())) throw new NotFoundError('submission');
    return s;
  }

  route(
    app,
    {
      method: 'get',
      path: '/submissions',
      tags: TAGS,
      summary: "Your organization's submissions, newest first",
      query: ListQuery,
      ok: { status: 200, schema: SubmissionPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) => {
      const orgId = principalOf(c).orgId;
      return c.json(orgId ? await repo.listOfOrg(orgId, query.limit, query.cursor) : { items: [] }, 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/submissions',
      tags: TAGS,
      summary: 'Start a draft bid or application to a published call',
      body: SubmissionCreateSchema,
      idempotent: true,
      ok: { status: 201, schema: SubmissionSchema },
      problems: [400, 401, 403, 409, 415, 422],
    },
    async (c, { body }) => {
      const res = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: await service.create(principalOf(c), body.callId, body.content),
      }));
      return c.json(res.body, 201);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/submissions/:id',
      tags: TAGS,
      summary: 'One submission (sealed until the deadline to all but its organization)',
      params: IdParams,
      ok: { status: 200, schema: SubmissionSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json(await visible(c, params.id), 200),
  );

  route(
    app,
    {
      method: 'patch',
      path: '/submissions/:id',
      tags: TAGS,
      summary: 'Edit a draft or withdrawn submission (replaces its content)',
      params: IdParams,
      body: SubmissionPatchSchema,
      ok: { status: 200, schema: SubmissionSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const s = await visible(c, params.id);
      return c.json(await service.update(s, body.version, body.content, principalOf(c).userId), 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/submissions/:id/submit',
      tags: TAGS,
      summary:
        'Submit before the deadline; answers the receipt (SHA-256 of the canonical content, server time)',
      params: IdParams,
      body: SubmissionVersionSchema,
      ok: { status: 200, schema: SubmitResult },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      // The server's clock when the request arrived decides, not the client's and not the write's.
      const receivedAt = deps.now();
      const s = await visible(c, params.id);
      return c.json(await service.submit(principalOf(c), s, body.version, receivedAt), 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/submissions/:id/withdraw',
      tags: TAGS,
      summary: 'Withdraw a submitted submission before the deadline (it can be edited and submitted again)',
      params: IdParams,
      body: SubmissionVersionSchema,
      ok: { status: 200, schema: SubmissionSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const receivedAt = deps.now();
      const s = await visible(c, params.id);
      return c.json(await service.withdraw(s, body.version, receivedAt, principalOf(c).userId), 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/submissions/:id/receipts',
      tags: TAGS,
      summary: 'Receipts of every submitted version, oldest first',
      params: IdParams,
      ok: { status: 200, schema: ReceiptList },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json({ items: (await visible(c, params.id)).receipts }, 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/submissions/:id/attachments',
      tags: TAGS,
      summary: 'Add an attachment (PDF, JPEG, PNG, DOCX, XLSX; at most 20 MiB): answers a presigned PUT URL',
      params: IdParams,
      body: AttachmentRequestSchema,
      ok: { status: 201, schema: AttachmentUpload },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const s = await visible(c, params.id);
      return c.json(await service.addAttachment(s, body, principalOf(c).userId), 201);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/submissions/:id/attachments/:attachmentId',
      tags: TAGS,
      summary: 'A short-lived download URL for one attachment',
      params: AttachmentParams,
      ok: { status: 200, schema: AttachmentDownload },
      problems: [401, 403, 404],
    },
    async (c, { params }) => {
      const s = await visible(c, params.id);
      return c.json(await service.attachmentUrl(s, params.attachmentId), 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/calls/:id/submissions',
      tags: TAGS,
      summary: "A call's submitted submissions by lot: 409 sealed-until-deadline before the deadline",
      params: IdParams,
      query: CallSubmissionsQuery,
      ok: { status: 200, schema: SubmissionPage },
      problems: [400, 401, 403, 404, 409, 422],
    },
    async (c, { params, query }) => {
      const call = authorizeObject(c, await service.calls.get(params.id), 'call');
      // The same answer whether or not anything was submitted: nothing about the count leaks.
      if (!unsealed(call, deps.now())) throw new SealedError(call);
      return c.json(await repo.listSubmittedPage(call.id, query.limit, query.cursor, query.lot), 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/submissions/:id/screening',
      tags: TAGS,
      summary: '资格审查: mark a submission eligible or not (reasons required when not), after the deadline',
      params: IdParams,
      body: ScreeningInputSchema,
      ok: { status: 200, schema: SubmissionSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const s = await visible(c, params.id);
      const screened = await service.screen(principalOf(c), s, body);
      // Eligibility sets the benchmark price: the stored ranking rows of the call follow at once.
      await refreshRanking(deps, s.callId);
      return c.json(screened, 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/submissions/:id/explanation',
      tags: TAGS,
      summary: 'The written explanation of an abnormally low price (87号令 第60条), after the deadline',
      params: IdParams,
      body: ExplanationInputSchema,
      ok: { status: 200, schema: SubmissionSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const s = await visible(c, params.id);
      return c.json(await service.explain(s, body, principalOf(c).userId), 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/submissions/:id/explanation/decision',
      tags: TAGS,
      summary: "Accept or reject a bidder's low-price explanation",
      params: IdParams,
      body: ExplanationDecisionSchema,
      ok: { status: 200, schema: SubmissionSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const s = await visible(c, params.id);
      return c.json(await service.decideExplanation(principalOf(c), s, body), 200);
    },
  );

  return app;
}
