import * as z from 'zod/mini';
import { ROLES } from '../../shared/auth/principal';
import { AuthService } from '../../shared/auth/service';
import { type Api, createApi, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { route } from '../../shared/http/route';
import { ListQuery, pageOf } from '../../shared/http/schemas';
import { OrganizationSchema, RegistrationSchema } from '../../shared/organizations/model';
import { registerOrganization } from '../../shared/organizations/service';
import { named } from '../../shared/schema';
import { UserSchema } from '../../shared/users/model';
import { UserRepository } from '../../shared/users/repository';
import { createStaffUser, NewStaffSchema } from '../../shared/users/service';

const SignIn = named(
  z.strictObject({
    username: z.string().check(z.minLength(1), z.maxLength(40)),
    password: z.string().check(z.minLength(1), z.maxLength(200)),
  }),
  'SignIn',
);
const RefreshBody = named(
  z.strictObject({ refreshToken: z.string().check(z.minLength(16), z.maxLength(200)) }),
  'RefreshRequest',
);
const PrincipalSchema = named(
  z.object({
    userId: z.string(),
    role: z.enum(ROLES),
    name: z.string(),
    orgId: z.optional(z.string()),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
  }),
  'Principal',
);
const SessionSchema = named(
  z.object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.int(),
    refreshToken: z.string(),
    principal: PrincipalSchema,
  }),
  'Session',
);
const Jwks = named(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'Jwks');
const UserPage = pageOf(UserSchema, 'UserPage');

/** Source address for per-source sign-in throttling (API Gateway sets X-Forwarded-For). */
const sourceOf = (h: (n: string) => string | undefined) =>
  h('x-forwarded-for')?.split(',')[0]?.trim() || 'local';

export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'auth');
  const auth = new AuthService(deps);
  const users = new UserRepository(deps.doc, deps.config.tableName);
  const tags = ['Identity'];

  route(
    app,
    {
      method: 'post',
      path: '/auth/sign-in',
      tags,
      summary: 'Sign in with username and password',
      body: SignIn,
      ok: { status: 200, schema: SessionSchema },
      problems: [400, 401, 415, 422, 429],
    },
    async (c, { body }) =>
      c.json(
        await auth.signIn(
          body.username,
          body.password,
          sourceOf((n) => c.req.header(n)),
        ),
        200,
      ),
  );

  route(
    app,
    {
      method: 'post',
      path: '/auth/refresh',
      tags,
      summary: 'Exchange a refresh token for new tokens (the old one stops working)',
      body: RefreshBody,
      ok: { status: 200, schema: SessionSchema },
      problems: [400, 401, 415, 422],
    },
    async (c, { body }) => c.json(await auth.refresh(body.refreshToken), 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/auth/sign-out',
      tags,
      summary: 'Revoke a refresh token and every token rotated from it',
      body: RefreshBody,
      ok: { status: 204, description: 'Signed out' },
      problems: [400, 415, 422],
    },
    async (c, { body }) => {
      await auth.signOut(body.refreshToken);
      return c.body(null, 204);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/auth/me',
      tags,
      summary: 'The signed-in user',
      ok: { status: 200, schema: PrincipalSchema },
      problems: [401],
    },
    (c) => c.json(principalOf(c), 200),
  );

  route(
    app,
    {
      method: 'get',
      path: '/.well-known/jwks.json',
      tags,
      summary: 'Public keys that verify access tokens',
      ok: { status: 200, schema: Jwks },
      problems: [],
    },
    async (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      return c.json((await deps.keyRing()).jwks, 200);
    },
  );

  route(
    app,
    {
      method: 'post',
      path: '/auth/register',
      tags,
      summary: 'Register a social-work organization and its first applicant account (an officer approves it)',
      body: RegistrationSchema,
      idempotent: true,
      ok: { status: 201, schema: OrganizationSchema, description: 'Registered, pending approval' },
      problems: [400, 409, 415, 422],
    },
    async (c, { body }) => {
      const res = await idempotent(c, body, async () => ({
        status: 201,
        body: await registerOrganization(deps, body),
      }));
      return c.json(res.body, 201);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/users',
      tags,
      summary: 'Users in your jurisdiction',
      query: ListQuery,
      ok: { status: 200, schema: UserPage },
      problems: [400, 401, 403, 422],
    },
    async (c, { query }) =>
      c.json(await users.listUnder(principalOf(c).jurisdictionPath, query.limit, query.cursor), 200),
  );

  route(
    app,
    {
      method: 'post',
      path: '/users',
      tags,
      summary: 'Create a reviewer, finance, auditor or officer account in your jurisdiction',
      body: NewStaffSchema,
      idempotent: true,
      ok: { status: 201, schema: UserSchema },
      problems: [400, 401, 403, 404, 409, 415, 422],
    },
    async (c, { body }) => {
      const res = await idempotent(c, body, async () => ({
        status: 201,
        body: await createStaffUser(deps, principalOf(c), body),
      }));
      return c.json(res.body, 201);
    },
  );

  return app;
}
