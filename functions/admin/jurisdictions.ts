import * as z from 'zod/mini';
import { type Api, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { route } from '../../shared/http/route';
import { IdParams } from '../../shared/http/schemas';
import { JurisdictionSchema, StationSchema } from '../../shared/jurisdictions/model';
import {
  JurisdictionPatchSchema,
  JurisdictionService,
  NewJurisdictionSchema,
  NewStationSchema,
  presentJurisdiction,
  presentStation,
  StationPatchSchema,
} from '../../shared/jurisdictions/service';
import { named } from '../../shared/schema';

const JurisdictionList = named(z.object({ items: z.array(JurisdictionSchema) }), 'JurisdictionList');
const JurisdictionDetail = named(
  z.extend(JurisdictionSchema, { children: z.array(JurisdictionSchema), stations: z.array(StationSchema) }),
  'JurisdictionDetail',
);
const DeleteQuery = z.strictObject({ version: z.coerce.number().check(z.int(), z.minimum(1)) });

/**
 * The jurisdiction tree and its stations (issue 8, item 7).
 *
 * - `/admin/jurisdictions…` (administrators): the tree at any level — 省 → 市 → 县 → 乡 → 村 —
 *   created with validated division codes and renamed (codes, levels and parents are fixed).
 * - `/stations…` (officers of a county or above in their subtree, and administrators): create,
 *   edit (name, address, staff count, 一站一特色, open / closed) and delete a station. These are not
 *   under /admin because officers are not administrators; the admin function serves them because
 *   they share the tree's service (routing: `/stations` → admin). The public reads stay where
 *   they were: `GET /jurisdictions/:id[/stations]` in the calls function.
 */
export function jurisdictionRoutes(app: Api, deps: Deps): void {
  const service = new JurisdictionService(deps);
  const tags = ['Administration'];

  route(
    app,
    {
      method: 'get',
      path: '/admin/jurisdictions',
      tags,
      summary: 'The top-level divisions (provinces)',
      ok: { status: 200, schema: JurisdictionList },
      problems: [401, 403],
    },
    async (c) => c.json({ items: (await service.repo.topLevel()).map(presentJurisdiction) }, 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/admin/jurisdictions',
      tags,
      summary: "Add a division at any level; its code is checked against its level and its parent's code",
      body: NewJurisdictionSchema,
      ok: { status: 201, schema: JurisdictionSchema },
      problems: [400, 401, 403, 409, 415, 422, 503],
    },
    async (c, { body }) => c.json(await service.createJurisdiction(principalOf(c), body), 201),
  );

  route(
    app,
    {
      method: 'get',
      path: '/admin/jurisdictions/:id',
      tags,
      summary: 'A division with its children and the stations of its subtree',
      params: IdParams,
      ok: { status: 200, schema: JurisdictionDetail },
      problems: [401, 403, 404, 422],
    },
    async (c, { params }) => c.json(await service.getJurisdiction(params.id), 200),
  );

  route(
    app,
    {
      method: 'patch',
      path: '/admin/jurisdictions/:id',
      tags,
      summary: 'Rename a division (optimistic version)',
      params: IdParams,
      body: JurisdictionPatchSchema,
      ok: { status: 200, schema: JurisdictionSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) =>
      c.json(await service.updateJurisdiction(principalOf(c), params.id, body), 200),
  );

  const stationTags = ['Reference'];
  route(
    app,
    {
      method: 'post',
      path: '/stations',
      tags: stationTags,
      summary: 'Open a social-work station in a township of your subtree (officers of a county or above)',
      body: NewStationSchema,
      ok: { status: 201, schema: StationSchema },
      problems: [400, 401, 403, 415, 422, 503],
    },
    async (c, { body }) => c.json(presentStation(await service.createStation(principalOf(c), body)), 201),
  );

  route(
    app,
    {
      method: 'get',
      path: '/stations/:id',
      tags: stationTags,
      summary: 'A station with its version, for editing',
      params: IdParams,
      ok: { status: 200, schema: StationSchema },
      problems: [401, 403, 404, 422],
    },
    async (c, { params }) => c.json(await service.getStation(principalOf(c), params.id), 200),
  );

  route(
    app,
    {
      method: 'patch',
      path: '/stations/:id',
      tags: stationTags,
      summary: 'Edit a station: name, address, staff count, signature programme, open / closed',
      params: IdParams,
      body: StationPatchSchema,
      ok: { status: 200, schema: StationSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) =>
      c.json(presentStation(await service.updateStation(principalOf(c), params.id, body)), 200),
  );

  route(
    app,
    {
      method: 'delete',
      path: '/stations/:id',
      tags: stationTags,
      summary: 'Delete a station that serves no open contract (409 names the contracts; close it instead)',
      params: IdParams,
      query: DeleteQuery,
      ok: { status: 204, description: 'Deleted' },
      problems: [401, 403, 404, 409, 422, 503],
    },
    async (c, { params, query }) => {
      await service.deleteStation(principalOf(c), params.id, query.version);
      return c.body(null, 204);
    },
  );
}
