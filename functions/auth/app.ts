import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { hashPassword } from '../../shared/auth/passwords';
import { ROLES } from '../../shared/auth/principal';
import { AuthService } from '../../shared/auth/service';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { type Api, createApi, principalOf, secured } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotent } from '../../shared/http/idempotency';
import { body, IdempotencyHeader, json, ListQuery, pageOf, pick } from '../../shared/http/schemas';
import { JurisdictionRepository } from '../../shared/jurisdictions/repository';
import { OrganizationSchema, RegistrationSchema } from '../../shared/organizations/model';
import { OrganizationRepository } from '../../shared/organizations/repository';
import { Password, Username, UserSchema } from '../../shared/users/model';
import { UserRepository } from '../../shared/users/repository';

const SignIn = z
  .strictObject({ username: z.string().min(1).max(40), password: z.string().min(1).max(200) })
  .openapi('SignIn');
const RefreshBody = z.strictObject({ refreshToken: z.string().min(16).max(200) }).openapi('RefreshRequest');
const PrincipalSchema = z
  .object({
    userId: z.string(),
    role: z.enum(ROLES),
    name: z.string(),
    orgId: z.string().optional(),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
  })
  .openapi('Principal');
const SessionSchema = z
  .object({
    accessToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    principal: PrincipalSchema,
  })
  .openapi('Session');
/** Officers create staff accounts; applicants come in through registration only. */
const NewUser = z
  .strictObject({
    username: Username,
    password: Password,
    name: z.string().trim().min(1).max(50),
    role: z.enum(['reviewer', 'finance', 'auditor', 'officer']),
    jurisdictionId: z.string().min(1).max(20),
  })
  .openapi('NewUser');

/** Source address for per-source sign-in throttling (API Gateway sets X-Forwarded-For). */
const sourceOf = (h: (n: string) => string | undefined) =>
  h('x-forwarded-for')?.split(',')[0]?.trim() || 'local';

export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'auth');
  const auth = new AuthService(deps);
  const users = new UserRepository(deps.doc, deps.config.tableName);
  const orgs = new OrganizationRepository(deps.doc, deps.config.tableName);
  const jurisdictions = new JurisdictionRepository(deps.doc, deps.config.tableName);

  app.openapi(
    secured(
      createRoute({
        method: 'post',
        path: '/auth/sign-in',
        tags: ['Identity'],
        summary: 'Sign in with username and password',
        request: { body: body(SignIn) },
        responses: { 200: json(SessionSchema), ...pick(400, 401, 415, 422, 429) },
      }),
    ),
    async (c) => {
      const { username, password } = c.req.valid('json');
      return c.json(
        await auth.signIn(
          username,
          password,
          sourceOf((n) => c.req.header(n)),
        ),
        200,
      );
    },
  );

  app.openapi(
    secured(
      createRoute({
        method: 'post',
        path: '/auth/refresh',
        tags: ['Identity'],
        summary: 'Exchange a refresh token for new tokens (the old one stops working)',
        request: { body: body(RefreshBody) },
        responses: { 200: json(SessionSchema), ...pick(400, 401, 415, 422) },
      }),
    ),
    async (c) => c.json(await auth.refresh(c.req.valid('json').refreshToken), 200),
  );

  app.openapi(
    secured(
      createRoute({
        method: 'post',
        path: '/auth/sign-out',
        tags: ['Identity'],
        summary: 'Revoke a refresh token and every token rotated from it',
        request: { body: body(RefreshBody) },
        responses: { 204: { description: 'Signed out' }, ...pick(400, 415, 422) },
      }),
    ),
    async (c) => {
      await auth.signOut(c.req.valid('json').refreshToken);
      return c.body(null, 204);
    },
  );

  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/auth/me',
        tags: ['Identity'],
        summary: 'The signed-in user',
        responses: { 200: json(PrincipalSchema), ...pick(401) },
      }),
    ),
    (c) => c.json(principalOf(c), 200),
  );

  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/.well-known/jwks.json',
        tags: ['Identity'],
        summary: 'Public keys that verify access tokens',
        responses: {
          200: json(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }).openapi('Jwks')),
        },
      }),
    ),
    async (c) => {
      c.header('Cache-Control', 'public, max-age=300');
      return c.json((await deps.keyRing()).jwks, 200);
    },
  );

  app.openapi(
    secured(
      createRoute({
        method: 'post',
        path: '/auth/register',
        tags: ['Identity'],
        summary:
          'Register a social-work organization and its first applicant account (an officer approves it)',
        request: { headers: IdempotencyHeader, body: body(RegistrationSchema) },
        responses: {
          201: json(OrganizationSchema, 'Registered, pending approval'),
          ...pick(400, 409, 415, 422),
        },
      }),
    ),
    async (c) => {
      const input = c.req.valid('json');
      const res = await idempotent(c, input, async () => {
        const jur = await jurisdictions.get(input.organization.jurisdictionId);
        if (!jur || jur.level === 'village') {
          throw new ValidationError([
            {
              field: 'body.organization.jurisdictionId',
              message: 'Choose a city, county or township.',
              messageZh: '请选择市、县（区）或乡镇（街道）',
            },
          ]);
        }
        const now = deps.now().toISOString();
        const orgId = randomUUID();
        const org = {
          id: orgId,
          ...input.organization,
          jurisdictionPath: jur.path,
          status: 'pending' as const,
          createdAt: now,
          version: 1,
        };
        await orgs.register(org, {
          id: randomUUID(),
          username: input.username.toLowerCase(),
          name: input.displayName,
          role: 'applicant',
          orgId,
          jurisdictionId: jur.id,
          jurisdictionPath: jur.path,
          status: 'active',
          createdAt: now,
          version: 1,
          passwordHash: await hashPassword(input.password),
        });
        return { status: 201 as const, body: org };
      });
      return c.json(res.body, 201);
    },
  );

  app.openapi(
    secured(
      createRoute({
        method: 'get',
        path: '/users',
        tags: ['Identity'],
        summary: 'Users in your jurisdiction',
        request: { query: ListQuery },
        responses: { 200: json(pageOf(UserSchema, 'UserPage')), ...pick(400, 401, 403) },
      }),
    ),
    async (c) => {
      const { limit, cursor } = c.req.valid('query');
      return c.json(await users.listUnder(principalOf(c).jurisdictionPath, limit, cursor), 200);
    },
  );

  app.openapi(
    secured(
      createRoute({
        method: 'post',
        path: '/users',
        tags: ['Identity'],
        summary: 'Create a reviewer, finance, auditor or officer account in your jurisdiction',
        request: { headers: IdempotencyHeader, body: body(NewUser) },
        responses: { 201: json(UserSchema), ...pick(400, 401, 403, 409, 415, 422) },
      }),
    ),
    async (c) => {
      const input = c.req.valid('json');
      const officer = principalOf(c);
      const res = await idempotent(c, input, async () => {
        const jur = await jurisdictions.get(input.jurisdictionId);
        if (!jur?.path.startsWith(officer.jurisdictionPath)) throw new NotFoundError('jurisdiction');
        const { password, ...rest } = input;
        const user = {
          ...rest,
          id: randomUUID(),
          username: input.username.toLowerCase(),
          jurisdictionPath: jur.path,
          status: 'active' as const,
          createdAt: deps.now().toISOString(),
          createdBy: officer.userId,
          version: 1,
        };
        await users.create({ ...user, passwordHash: await hashPassword(password) });
        return { status: 201 as const, body: user };
      });
      return c.json(res.body, 201);
    },
  );

  return app;
}
