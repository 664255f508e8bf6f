import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import {
  AmendmentSchema,
  type Call,
  CallInputSchema,
  CallPatchSchema,
  CallSchema,
  effectiveStatus,
} from '../../shared/calls/model';
import { CallService } from '../../shared/calls/service';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { type Api, authorizeObject, createApi, principalOf, secured } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { body, IdempotencyHeader, IdParams, json, ListQuery, pageOf, pick } from '../../shared/http/schemas';
import { JurisdictionSchema, StationSchema } from '../../shared/jurisdictions/model';
import { JurisdictionRepository } from '../../shared/jurisdictions/repository';
import { DecisionSchema, type Organization, OrganizationSchema } from '../../shared/organizations/model';
import { OrganizationRepository } from '../../shared/organizations/repository';
import {
  type Pool,
  PoolInputSchema,
  PoolPatchSchema,
  PoolViewSchema,
  poolView,
} from '../../shared/pools/model';
import { PoolRepository } from '../../shared/pools/repository';

/** What the public sees of a call: no internal ids of people, no drafts. */
const PublicCallSchema = CallSchema.omit({ createdBy: true, version: true }).openapi('PublicCall');
const publicView = (c: Call, now: Date) => {
  const { createdBy: _c, version: _v, ...rest } = c;
  return { ...rest, status: effectiveStatus(c, now) };
};
/** An organization is its own organization scope. */
const orgScope = (o: Organization) => ({ orgId: o.id, jurisdictionPath: o.jurisdictionPath });
const VersionBody = z.strictObject({ version: z.number().int().min(1) }).openapi('VersionOnly');
const OrgListQuery = ListQuery.extend({ status: z.enum(['pending', 'all']).default('all') });

export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'calls');
  const table = deps.config.tableName;
  const jurisdictions = new JurisdictionRepository(deps.doc, table);
  const orgs = new OrganizationRepository(deps.doc, table);
  const pools = new PoolRepository(deps.doc, table);
  const service = new CallService(deps);
  const calls = service.calls;

  // Reference data: jurisdictions and stations are public (the registration form needs them).
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/jurisdictions/{id}',
        tags: ['Reference'],
        summary: 'A jurisdiction and its children',
        request: { params: IdParams },
        responses: {
          200: json(
            JurisdictionSchema.extend({ children: z.array(JurisdictionSchema) }).openapi(
              'JurisdictionWithChildren',
            ),
          ),
          ...pick(404),
        },
      }),
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const [j, children] = await Promise.all([jurisdictions.get(id), jurisdictions.children(id)]);
      if (!j) throw new NotFoundError('jurisdiction');
      return c.json({ ...j, children }, 200);
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/jurisdictions/{id}/stations',
        tags: ['Reference'],
        summary: "Social-work stations in a jurisdiction's subtree",
        request: { params: IdParams },
        responses: {
          200: json(z.object({ items: z.array(StationSchema) }).openapi('StationList')),
          ...pick(404),
        },
      }),
    ),
    async (c) => {
      const j = await jurisdictions.get(c.req.valid('param').id);
      if (!j) throw new NotFoundError('jurisdiction');
      return c.json({ items: await jurisdictions.stationsUnder(j) }, 200);
    },
  );

  // Organizations: registered through /auth/register, approved here.
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/organizations',
        tags: ['Organizations'],
        summary: 'Organizations in your jurisdiction (status=pending for the approval queue)',
        request: { query: OrgListQuery },
        responses: { 200: json(pageOf(OrganizationSchema, 'OrganizationPage')), ...pick(400, 401, 403) },
      }),
    ),
    async (c) => {
      const { limit, cursor, status } = c.req.valid('query');
      return c.json(
        await orgs.list(principalOf(c).jurisdictionPath, status === 'pending', limit, cursor),
        200,
      );
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/organizations/{id}',
        tags: ['Organizations'],
        summary: 'One organization',
        request: { params: IdParams },
        responses: { 200: json(OrganizationSchema), ...pick(401, 403, 404) },
      }),
    ),
    async (c) =>
      c.json(authorizeObject(c, await orgs.get(c.req.valid('param').id), 'organization', orgScope), 200),
  );
  for (const decision of ['approve', 'reject'] as const) {
    app.openapi(
      secured(
        createRoute({
          method: 'post',
          path: `/organizations/{id}/${decision}`,
          tags: ['Organizations'],
          summary:
            decision === 'approve'
              ? 'Approve a registered organization'
              : 'Reject a registration, with a reason',
          request: { params: IdParams, body: body(DecisionSchema) },
          responses: { 200: json(OrganizationSchema), ...pick(400, 401, 403, 404, 409, 415, 422) },
        }),
      ),
      async (c) => {
        const { id } = c.req.valid('param');
        const { version, reason } = c.req.valid('json');
        authorizeObject(c, await orgs.get(id), 'organization', orgScope);
        if (decision === 'reject' && !reason) {
          throw new ValidationError([
            {
              field: 'body.reason',
              message: 'Say why the registration is rejected.',
              messageZh: '请填写不予通过的理由',
            },
          ]);
        }
        const p = principalOf(c);
        return c.json(
          await orgs.decide(
            id,
            version,
            decision === 'approve' ? 'approved' : 'rejected',
            p.userId,
            deps.now().toISOString(),
            reason,
          ),
          200,
        );
      },
    );
  }

  // Fund pools (资金池): budget, committed, disbursed, available.
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/pools',
        tags: ['Pools'],
        summary: 'Fund pools in your jurisdiction',
        request: { query: ListQuery },
        responses: { 200: json(pageOf(PoolViewSchema, 'PoolPage')), ...pick(400, 401, 403) },
      }),
    ),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await pools.list(principalOf(c).jurisdictionPath, limit, cursor);
      return c.json({ ...page, items: page.items.map(poolView) }, 200);
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'post',
        path: '/pools',
        tags: ['Pools'],
        summary: 'Create a fund pool',
        request: { headers: IdempotencyHeader, body: body(PoolInputSchema) },
        responses: { 201: json(PoolViewSchema), ...pick(400, 401, 403, 404, 415, 422) },
      }),
    ),
    async (c) => {
      const input = c.req.valid('json');
      const officer = principalOf(c);
      const res = await idempotent(c, input, async () => {
        const j = await jurisdictions.get(input.jurisdictionId);
        if (!j?.path.startsWith(officer.jurisdictionPath)) {
          throw new ValidationError([
            {
              field: 'body.jurisdictionId',
              message: 'Unknown jurisdiction, or outside yours.',
              messageZh: '辖区不存在或不在您的管辖范围内',
            },
          ]);
        }
        const pool: Pool = {
          ...input,
          id: randomUUID(),
          jurisdictionPath: j.path,
          committedFen: 0,
          disbursedFen: 0,
          createdAt: deps.now().toISOString(),
          createdBy: officer.userId,
          version: 1,
        };
        await pools.create(pool);
        return { status: 201 as const, body: poolView(pool) };
      });
      return c.json(res.body, 201);
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/pools/{id}',
        tags: ['Pools'],
        summary: 'One fund pool with its available balance',
        request: { params: IdParams },
        responses: { 200: json(PoolViewSchema), ...pick(401, 403, 404) },
      }),
    ),
    async (c) => c.json(poolView(authorizeObject(c, await pools.get(c.req.valid('param').id), 'pool')), 200),
  );
  app.openapi(
    secured(
      createRoute({
        method: 'patch',
        path: '/pools/{id}',
        tags: ['Pools'],
        summary: 'Rename or re-budget a pool (never below what is committed)',
        request: { params: IdParams, body: body(PoolPatchSchema) },
        responses: { 200: json(PoolViewSchema), ...pick(400, 401, 403, 404, 409, 415, 422) },
      }),
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const { version, ...patch } = c.req.valid('json');
      authorizeObject(c, await pools.get(id), 'pool');
      return c.json(poolView(await pools.update(id, version, patch)), 200);
    },
  );

  // Calls for proposals (招标 / 公益创投): draft → published → closed at the deadline.
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/calls',
        tags: ['Calls'],
        summary: 'Calls in your jurisdiction, newest first',
        request: { query: ListQuery },
        responses: { 200: json(pageOf(CallSchema, 'CallPage')), ...pick(400, 401, 403) },
      }),
    ),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const page = await calls.listUnder(principalOf(c).jurisdictionPath, limit, cursor);
      const now = deps.now();
      return c.json(
        { ...page, items: page.items.map((x) => ({ ...x, status: effectiveStatus(x, now) })) },
        200,
      );
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'post',
        path: '/calls',
        tags: ['Calls'],
        summary: 'Draft a call with its lots, rubric, scoring options and payment template',
        request: { headers: IdempotencyHeader, body: body(CallInputSchema) },
        responses: { 201: json(CallSchema), ...pick(400, 401, 403, 415, 422) },
      }),
    ),
    async (c) => {
      const input = c.req.valid('json');
      const res = await idempotent(c, input, async () => ({
        status: 201 as const,
        body: await service.create(input, principalOf(c)),
      }));
      return c.json(res.body, 201);
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/calls/{id}',
        tags: ['Calls'],
        summary: 'One call',
        request: { params: IdParams },
        responses: { 200: json(CallSchema), ...pick(401, 403, 404) },
      }),
    ),
    async (c) => {
      const call = authorizeObject(c, await calls.get(c.req.valid('param').id), 'call');
      return c.json({ ...call, status: effectiveStatus(call, deps.now()) }, 200);
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'patch',
        path: '/calls/{id}',
        tags: ['Calls'],
        summary: 'Edit a draft, or amend a published call with a reason',
        request: { params: IdParams, body: body(CallPatchSchema) },
        responses: { 200: json(CallSchema), ...pick(400, 401, 403, 404, 409, 415, 422) },
      }),
    ),
    async (c) => {
      const existing = authorizeObject(c, await calls.get(c.req.valid('param').id), 'call');
      return c.json(await service.update(existing, c.req.valid('json'), principalOf(c)), 200);
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'post',
        path: '/calls/{id}/publish',
        tags: ['Calls'],
        summary: 'Publish a draft (its pool must cover it)',
        request: { params: IdParams, body: body(VersionBody) },
        responses: { 200: json(CallSchema), ...pick(400, 401, 403, 404, 409, 415, 422) },
      }),
    ),
    async (c) => {
      const existing = authorizeObject(c, await calls.get(c.req.valid('param').id), 'call');
      return c.json(await service.publish(existing, c.req.valid('json').version), 200);
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/calls/{id}/amendments',
        tags: ['Calls'],
        summary: 'Amendments made after publishing, oldest first',
        request: { params: IdParams, query: ListQuery },
        responses: { 200: json(pageOf(AmendmentSchema, 'AmendmentPage')), ...pick(400, 401, 403, 404) },
      }),
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      authorizeObject(c, await calls.get(id), 'call');
      const { limit, cursor } = c.req.valid('query');
      return c.json(await calls.amendments(id, limit, cursor), 200);
    },
  );

  // The public sees published calls only.
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/public/calls',
        tags: ['Public'],
        summary: 'Calls open for submissions, soonest deadline first',
        request: { query: ListQuery },
        responses: { 200: json(pageOf(PublicCallSchema, 'PublicCallPage')), ...pick(400) },
      }),
    ),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      const now = deps.now();
      const page = await calls.listOpen(now.toISOString(), limit, cursor);
      return c.json({ ...page, items: page.items.map((x) => publicView(x, now)) }, 200);
    },
  );
  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/public/calls/{id}',
        tags: ['Public'],
        summary: 'A published or closed call',
        request: { params: IdParams },
        responses: { 200: json(PublicCallSchema), ...pick(404) },
      }),
    ),
    async (c) => {
      const call = await calls.get(c.req.valid('param').id);
      if (!call || call.status === 'draft') throw new NotFoundError('call');
      return c.json(publicView(call, deps.now()), 200);
    },
  );

  return app;
}
