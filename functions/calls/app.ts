import * as z from 'zod/mini';
import { CallInputSchema, CallPatchSchema } from '../../shared/calls/input';
import { AmendmentSchema, type Call, CallSchema, effectiveStatus } from '../../shared/calls/model';
import { CallService } from '../../shared/calls/service';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { type Api, authorizeObject, createApi, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { route } from '../../shared/http/route';
import { IdParams, ListQuery, pageOf } from '../../shared/http/schemas';
import { JurisdictionSchema, StationSchema } from '../../shared/jurisdictions/model';
import { JurisdictionRepository } from '../../shared/jurisdictions/repository';
import { DecisionSchema, type Organization, OrganizationSchema } from '../../shared/organizations/model';
import { OrganizationRepository } from '../../shared/organizations/repository';
import { PoolInputSchema, PoolPatchSchema, PoolViewSchema, poolView } from '../../shared/pools/model';
import { PoolRepository } from '../../shared/pools/repository';
import { createPool } from '../../shared/pools/service';
import { named } from '../../shared/schema';

/** What the public sees of a call: no internal ids of people, no drafts. */
const PublicCallSchema = named(z.omit(CallSchema, { createdBy: true, version: true }), 'PublicCall');
const publicView = (c: Call, now: Date) => {
  const { createdBy: _c, version: _v, ...rest } = c;
  return { ...rest, status: effectiveStatus(c, now) };
};
/** An organization is its own organization scope. */
const orgScope = (o: Organization) => ({ orgId: o.id, jurisdictionPath: o.jurisdictionPath });
const VersionBody = named(z.strictObject({ version: z.int().check(z.minimum(1)) }), 'VersionOnly');
const OrgListQuery = z.extend(ListQuery, { status: z._default(z.enum(['pending', 'all']), 'all') });
const JurisdictionWithChildren = named(
  z.extend(JurisdictionSchema, { children: z.array(JurisdictionSchema) }),
  'JurisdictionWithChildren',
);
const StationPage = pageOf(StationSchema, 'StationPage');
const OrganizationPage = pageOf(OrganizationSchema, 'OrganizationPage');
const PoolPage = pageOf(PoolViewSchema, 'PoolPage');
const CallPage = pageOf(CallSchema, 'CallPage');
const AmendmentPage = pageOf(AmendmentSchema, 'AmendmentPage');
const PublicCallPage = pageOf(PublicCallSchema, 'PublicCallPage');

export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'calls');
  const table = deps.config.tableName;
  const jurisdictions = new JurisdictionRepository(deps.doc, table);
  const orgs = new OrganizationRepository(deps.doc, table);
  const pools = new PoolRepository(deps.doc, table);
  const service = new CallService(deps);
  const calls = service.calls;

  // Reference data: jurisdictions and stations are public (the registration form needs them).
  route(
    app,
    {
      method: 'get',
      path: '/jurisdictions/:id',
      tags: ['Reference'],
      summary: 'A jurisdiction and its children',
      params: IdParams,
      ok: { status: 200, schema: JurisdictionWithChildren },
      problems: [404],
    },
    async (c, { params }) => {
      const [j, children] = await Promise.all([
        jurisdictions.get(params.id),
        jurisdictions.children(params.id),
      ]);
      if (!j) throw new NotFoundError('jurisdiction');
      return c.json({ ...j, children }, 200);
    },
  );
  route(
    app,
    {
      method: 'get',
      path: '/jurisdictions/:id/stations',
      tags: ['Reference'],
      summary: "Social-work stations in a jurisdiction's subtree",
      params: IdParams,
      query: ListQuery,
      ok: { status: 200, schema: StationPage },
      problems: [400, 404, 422],
    },
    async (c, { params, query }) => {
      const j = await jurisdictions.get(params.id);
      if (!j) throw new NotFoundError('jurisdiction');
      return c.json(await jurisdictions.stationsPage(j, query.limit, query.cursor), 200);
    },
  );

  // Organizations: registered through /auth/register, approved here.
  route(
    app,
    {
      method: 'get',
      path: '/organizations',
      tags: ['Organizations'],
      summary: 'Organizations in your jurisdiction (status=pending for the approval queue)',
      query: OrgListQuery,
      ok: { status: 200, schema: OrganizationPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) =>
      c.json(
        await orgs.list(
          principalOf(c).jurisdictionPath,
          query.status === 'pending',
          query.limit,
          query.cursor,
        ),
        200,
      ),
  );
  route(
    app,
    {
      method: 'get',
      path: '/organizations/:id',
      tags: ['Organizations'],
      summary: 'One organization',
      params: IdParams,
      ok: { status: 200, schema: OrganizationSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) =>
      c.json(authorizeObject(c, await orgs.get(params.id), 'organization', orgScope), 200),
  );
  for (const decision of ['approve', 'reject'] as const) {
    route(
      app,
      {
        method: 'post',
        path: `/organizations/:id/${decision}`,
        tags: ['Organizations'],
        summary:
          decision === 'approve'
            ? 'Approve a registered organization'
            : 'Reject a registration, with a reason',
        params: IdParams,
        body: DecisionSchema,
        ok: { status: 200, schema: OrganizationSchema },
        problems: [400, 401, 403, 404, 409, 415, 422],
      },
      async (c, { params, body }) => {
        authorizeObject(c, await orgs.get(params.id), 'organization', orgScope);
        if (decision === 'reject' && !body.reason) {
          throw new ValidationError([
            {
              field: 'body.reason',
              message: 'Say why the registration is rejected.',
              messageZh: '请填写不予通过的理由',
            },
          ]);
        }
        const status = decision === 'approve' ? 'approved' : 'rejected';
        const at = deps.now().toISOString();
        return c.json(
          await orgs.decide(params.id, body.version, status, principalOf(c).userId, at, body.reason),
          200,
        );
      },
    );
  }

  // Fund pools (资金池): budget, committed, disbursed, available.
  route(
    app,
    {
      method: 'get',
      path: '/pools',
      tags: ['Pools'],
      summary: 'Fund pools in your jurisdiction',
      query: ListQuery,
      ok: { status: 200, schema: PoolPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) => {
      const page = await pools.list(principalOf(c).jurisdictionPath, query.limit, query.cursor);
      return c.json({ ...page, items: page.items.map(poolView) }, 200);
    },
  );
  route(
    app,
    {
      method: 'post',
      path: '/pools',
      tags: ['Pools'],
      summary: 'Create a fund pool',
      body: PoolInputSchema,
      idempotent: true,
      ok: { status: 201, schema: PoolViewSchema },
      problems: [400, 401, 403, 415, 422],
    },
    async (c, { body }) => {
      const officer = principalOf(c);
      const res = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: poolView(await createPool(deps, officer, body)),
      }));
      return c.json(res.body, 201);
    },
  );
  route(
    app,
    {
      method: 'get',
      path: '/pools/:id',
      tags: ['Pools'],
      summary: 'One fund pool with its available balance',
      params: IdParams,
      ok: { status: 200, schema: PoolViewSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => c.json(poolView(authorizeObject(c, await pools.get(params.id), 'pool')), 200),
  );
  route(
    app,
    {
      method: 'patch',
      path: '/pools/:id',
      tags: ['Pools'],
      summary: 'Rename or re-budget a pool (never below what is committed)',
      params: IdParams,
      body: PoolPatchSchema,
      ok: { status: 200, schema: PoolViewSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const { version, ...patch } = body;
      authorizeObject(c, await pools.get(params.id), 'pool');
      const by = { actor: principalOf(c).userId, at: deps.now().toISOString() };
      return c.json(poolView(await pools.update(params.id, version, patch, by)), 200);
    },
  );

  // Calls for proposals (招标 / 公益创投): draft → published → closed at the deadline.
  route(
    app,
    {
      method: 'get',
      path: '/calls',
      tags: ['Calls'],
      summary: 'Calls in your jurisdiction, newest first',
      query: ListQuery,
      ok: { status: 200, schema: CallPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) => {
      const page = await calls.listUnder(principalOf(c).jurisdictionPath, query.limit, query.cursor);
      const now = deps.now();
      return c.json(
        { ...page, items: page.items.map((x) => ({ ...x, status: effectiveStatus(x, now) })) },
        200,
      );
    },
  );
  route(
    app,
    {
      method: 'post',
      path: '/calls',
      tags: ['Calls'],
      summary: 'Draft a call with its lots, rubric, scoring options and payment template',
      body: CallInputSchema,
      idempotent: true,
      ok: { status: 201, schema: CallSchema },
      problems: [400, 401, 403, 415, 422],
    },
    async (c, { body }) => {
      const res = await idempotent(c, body, async () => ({
        status: 201 as const,
        body: await service.create(body, principalOf(c)),
      }));
      return c.json(res.body, 201);
    },
  );
  route(
    app,
    {
      method: 'get',
      path: '/calls/:id',
      tags: ['Calls'],
      summary: 'One call',
      params: IdParams,
      ok: { status: 200, schema: CallSchema },
      problems: [401, 403, 404],
    },
    async (c, { params }) => {
      const call = authorizeObject(c, await calls.get(params.id), 'call');
      return c.json({ ...call, status: effectiveStatus(call, deps.now()) }, 200);
    },
  );
  route(
    app,
    {
      method: 'patch',
      path: '/calls/:id',
      tags: ['Calls'],
      summary: 'Edit a draft, or amend a published call with a reason',
      params: IdParams,
      body: CallPatchSchema,
      ok: { status: 200, schema: CallSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const existing = authorizeObject(c, await calls.get(params.id), 'call');
      return c.json(await service.update(existing, body, principalOf(c)), 200);
    },
  );
  route(
    app,
    {
      method: 'post',
      path: '/calls/:id/publish',
      tags: ['Calls'],
      summary: 'Publish a draft (its pool must cover it)',
      params: IdParams,
      body: VersionBody,
      ok: { status: 200, schema: CallSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { params, body }) => {
      const existing = authorizeObject(c, await calls.get(params.id), 'call');
      return c.json(await service.publish(existing, body.version, principalOf(c)), 200);
    },
  );
  route(
    app,
    {
      method: 'get',
      path: '/calls/:id/amendments',
      tags: ['Calls'],
      summary: 'Amendments made after publishing, oldest first',
      params: IdParams,
      query: ListQuery,
      ok: { status: 200, schema: AmendmentPage },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { params, query }) => {
      authorizeObject(c, await calls.get(params.id), 'call');
      return c.json(await calls.amendments(params.id, query.limit, query.cursor), 200);
    },
  );

  // The public sees published calls only.
  route(
    app,
    {
      method: 'get',
      path: '/public/calls',
      tags: ['Public'],
      summary: 'Calls open for submissions, soonest deadline first',
      query: ListQuery,
      ok: { status: 200, schema: PublicCallPage },
      problems: [400, 422],
    },
    async (c, { query }) => {
      const now = deps.now();
      const page = await calls.listOpen(now.toISOString(), query.limit, query.cursor);
      return c.json({ ...page, items: page.items.map((x) => publicView(x, now)) }, 200);
    },
  );
  route(
    app,
    {
      method: 'get',
      path: '/public/calls/:id',
      tags: ['Public'],
      summary: 'A published or closed call',
      params: IdParams,
      ok: { status: 200, schema: PublicCallSchema },
      problems: [404],
    },
    async (c, { params }) => {
      const call = await calls.get(params.id);
      if (!call || call.status === 'draft') throw new NotFoundError('call');
      return c.json(publicView(call, deps.now()), 200);
    },
  );

  return app;
}
