import * as z from 'zod/mini';
import { NotFoundError } from '../../shared/errors';
import { type Api, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { route } from '../../shared/http/route';
import { IdParams, ListQuery, pageOf } from '../../shared/http/schemas';
import { JurisdictionRepository } from '../../shared/jurisdictions/repository';
import { described } from '../../shared/schema';
import {
  AccountStatusBodySchema,
  createAccount,
  NewAccountSchema,
  PLATFORM_JURISDICTION,
  setAccountStatus,
} from '../../shared/users/admin';
import { UserSchema } from '../../shared/users/model';
import { UserRepository } from '../../shared/users/repository';

const AccountsQuery = z.extend(ListQuery, {
  jurisdictionId: described(
    z.string().check(z.minLength(1), z.maxLength(20)),
    'The jurisdiction whose accounts (and its subtree) to list; `platform` for administrators',
    '410600',
  ),
});

/** Accounts: administrators create officers for any jurisdiction and disable any account. */
export function accountRoutes(app: Api, deps: Deps): void {
  const users = new UserRepository(deps.doc, deps.config.tableName);
  const jurisdictions = new JurisdictionRepository(deps.doc, deps.config.tableName);
  const tags = ['Administration'];

  route(
    app,
    {
      method: 'get',
      path: '/admin/users',
      tags,
      summary: 'Accounts of a jurisdiction subtree (or the platform administrators)',
      query: AccountsQuery,
      ok: { status: 200, schema: pageOf(UserSchema, 'AccountPage') },
      problems: [400, 401, 403, 404, 422],
    },
    async (c, { query }) => {
      const path =
        query.jurisdictionId === PLATFORM_JURISDICTION.id
          ? PLATFORM_JURISDICTION.path
          : (await jurisdictions.get(query.jurisdictionId))?.path;
      if (!path) throw new NotFoundError('jurisdiction');
      return c.json(await users.listUnder(path, query.limit, query.cursor), 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/admin/users',
      tags,
      summary: 'Create an officer for any jurisdiction, or another platform administrator',
      body: NewAccountSchema,
      idempotent: true,
      ok: { status: 201, schema: UserSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { body }) => {
      const res = await idempotent(c, body, async () => ({
        status: 201,
        body: await createAccount(deps, principalOf(c), body),
      }));
      return c.json(res.body, 201);
    },
  );

  for (const [verb, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    route(
      app,
      {
        method: 'post',
        path: `/admin/users/:id/${verb}`,
        tags,
        summary:
          verb === 'disable'
            ? 'Disable an account: it can no longer sign in or refresh'
            : 'Re-enable an account',
        params: IdParams,
        body: AccountStatusBodySchema,
        ok: { status: 200, schema: UserSchema },
        problems: [400, 401, 403, 404, 409, 415, 422, 503],
      },
      async (c, { params, body }) =>
        c.json(await setAccountStatus(deps, principalOf(c), params.id, status, body.version), 200),
    );
  }
}
