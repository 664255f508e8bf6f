import * as z from 'zod/mini';
import { type Api, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { route } from '../../shared/http/route';
import { ListQuery, pageOf } from '../../shared/http/schemas';
import {
  PackConfirmInputSchema,
  PackIdSchema,
  PackProposalInputSchema,
  PackRecordSchema,
  PackVersionSchema,
} from '../../shared/rules/model';
import { RulePackService } from '../../shared/rules/service';
import { named } from '../../shared/schema';

const IdParams = z.strictObject({ id: PackIdSchema });

const PackDetailSchema = named(
  z.object({
    record: PackRecordSchema,
    /** Every confirmed version, newest first, each with its rules and the articles they cite. */
    versions: z.array(PackVersionSchema),
  }),
  'RulePackDetail',
);

/**
 * Rule packs (issue 8): officers and auditors read the packs with their articles; one
 * administrator proposes a version, a second confirms it (four-eyes, audited).
 */
export function rulePackRoutes(app: Api, deps: Deps): void {
  const packs = new RulePackService(deps);
  const tags = ['Rule packs'];

  route(
    app,
    {
      method: 'get',
      path: '/rule-packs',
      tags,
      summary: 'The rule packs: national and local, with the version in force and any pending proposal',
      query: ListQuery,
      ok: { status: 200, schema: pageOf(PackRecordSchema, 'RulePackPage') },
      problems: [400, 401, 403],
    },
    async (c, { query }) => c.json(await packs.repo.list(query.limit, query.cursor), 200),
  );

  route(
    app,
    {
      method: 'get',
      path: '/rule-packs/:id',
      tags,
      summary: 'One pack: its state and every confirmed version with its rules and the articles they cite',
      params: IdParams,
      ok: { status: 200, schema: PackDetailSchema },
      problems: [400, 401, 403, 404],
    },
    async (c, { params }) => c.json(await packs.get(params.id), 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/admin/rule-packs/:id/proposal',
      tags,
      summary:
        "Propose a pack's next version (national, or a jurisdiction's local pack, which may only tighten the national rules); a second administrator confirms it",
      params: IdParams,
      body: PackProposalInputSchema,
      ok: { status: 200, schema: PackRecordSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) => c.json(await packs.propose(principalOf(c), params.id, body), 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/admin/rule-packs/:id/confirm',
      tags,
      summary:
        'Confirm the proposed version (not by the administrator who proposed it): calls published from now on are judged by it',
      params: IdParams,
      body: PackConfirmInputSchema,
      ok: { status: 200, schema: PackRecordSchema },
      problems: [400, 401, 403, 404, 409, 415, 422, 503],
    },
    async (c, { params, body }) => c.json(await packs.confirm(principalOf(c), params.id, body.version), 200),
  );
}
