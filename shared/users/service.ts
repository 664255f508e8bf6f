import { randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import { hashPassword } from '../auth/passwords';
import type { Principal } from '../auth/principal';
import { NotFoundError } from '../errors';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import { named, text } from '../schema';
import { Password, type User, Username } from './model';
import { UserRepository } from './repository';

/** Roles an officer may create; applicants come in through registration only. */
export const STAFF_ROLES = ['reviewer', 'finance', 'auditor', 'officer'] as const;

export const NewStaffSchema = named(
  z.strictObject({
    username: Username,
    password: Password,
    name: text(1, 50),
    role: z.enum(STAFF_ROLES),
    jurisdictionId: text(1, 20),
  }),
  'NewUser',
);
export type NewStaff = z.infer<typeof NewStaffSchema>;

/** An officer creates a staff account in their own jurisdiction subtree. */
export async function createStaffUser(deps: Deps, officer: Principal, input: NewStaff): Promise<User> {
  const jur = await new JurisdictionRepository(deps.doc, deps.config.tableName).get(input.jurisdictionId);
  if (!jur?.path.startsWith(officer.jurisdictionPath)) throw new NotFoundError('jurisdiction');
  const { password, ...rest } = input;
  const user: User = {
    ...rest,
    id: randomUUID(),
    username: input.username.toLowerCase(),
    jurisdictionPath: jur.path,
    status: 'active',
    createdAt: deps.now().toISOString(),
    createdBy: officer.userId,
    version: 1,
  };
  await new UserRepository(deps.doc, deps.config.tableName).create({
    ...user,
    passwordHash: await hashPassword(password),
  });
  return user;
}
