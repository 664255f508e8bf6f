import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { audited, headOf } from '../audit/record';
import { stateAfter } from '../audit/write';
import { hashPassword } from '../auth/passwords';
import type { Principal } from '../auth/principal';
import { transactWrite } from '../awards/transact';
import { keys } from '../db/keys';
import { ConflictError, NotFoundError, StaleVersionError } from '../errors';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import { int, named, text } from '../schema';
import { Password, type User, Username } from './model';
import { UserRepository } from './repository';

/** Platform administrators belong to no jurisdiction: their path matches no object's. */
export const PLATFORM_JURISDICTION = { id: 'platform', path: 'platform/' } as const;

/** Administrators create officers for any jurisdiction, and further administrators. */
export const NewAccountSchema = named(
  z.strictObject({
    username: Username,
    password: Password,
    name: text(1, 50),
    role: z.enum(['officer', 'admin']),
    /** Required for an officer; ignored for an administrator. */
    jurisdictionId: z.optional(text(1, 20)),
  }),
  'NewAccount',
);
export type NewAccount = z.infer<typeof NewAccountSchema>;

export async function createAccount(deps: Deps, admin: Principal, input: NewAccount): Promise<User> {
  let jurisdiction: { id: string; path: string } = PLATFORM_JURISDICTION;
  if (input.role === 'officer') {
    const jur = input.jurisdictionId
      ? await new JurisdictionRepository(deps.doc, deps.config.tableName).get(input.jurisdictionId)
      : undefined;
    if (!jur) throw new NotFoundError('jurisdiction');
    jurisdiction = jur;
  }
  const user: User = {
    id: randomUUID(),
    username: input.username.toLowerCase(),
    name: input.name,
    role: input.role,
    jurisdictionId: jurisdiction.id,
    jurisdictionPath: jurisdiction.path,
    status: 'active',
    createdAt: deps.now().toISOString(),
    createdBy: admin.userId,
    version: 1,
  };
  await new UserRepository(deps.doc, deps.config.tableName).create({
    ...user,
    passwordHash: await hashPassword(input.password),
  });
  return user;
}

export const AccountStatusBodySchema = named(
  z.strictObject({ version: int(1, 1_000_000) }),
  'AccountStatusBody',
);

/**
 * Disables or re-enables any account (an administrator cannot disable itself). A disabled
 * account cannot sign in and its refresh tokens stop working at once; an access token already
 * issued lives out its 15 minutes.
 */
export async function setAccountStatus(
  deps: Deps,
  admin: Principal,
  userId: string,
  status: 'active' | 'disabled',
  version: number,
): Promise<User> {
  const table = deps.config.tableName;
  const out = await deps.doc.send(
    new GetCommand({ TableName: table, Key: keys.user(userId), ConsistentRead: true }),
  );
  const raw = out.Item;
  if (!raw) throw new NotFoundError('user');
  if (userId === admin.userId && status === 'disabled')
    throw new ConflictError('An administrator cannot disable its own account.', '管理员不能停用自己的账号');
  if (raw.version !== version) throw new StaleVersionError(version);
  if (raw.status === status)
    throw new ConflictError(
      `The account is already ${status}.`,
      status === 'disabled' ? '该账号已停用' : '该账号已启用',
    );
  const changes = { status, version: version + 1 };
  try {
    await transactWrite(
      deps.doc,
      audited(
        {
          Update: {
            TableName: table,
            Key: keys.user(userId),
            UpdateExpression: 'SET #status = :s, version = :next',
            ConditionExpression: 'version = :v',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':s': status, ':v': version, ':next': version + 1 },
          },
        },
        headOf(raw),
        {
          actor: admin.userId,
          at: deps.now().toISOString(),
          action: status === 'disabled' ? 'user.disabled' : 'user.enabled',
          state: stateAfter(raw, changes),
        },
      ),
    );
  } catch (e) {
    if ((e as { name?: string }).name === 'TransactionCanceledException')
      throw new StaleVersionError(version);
    throw e;
  }
  const user = (await new UserRepository(deps.doc, table).byId(userId))!;
  return user;
}
