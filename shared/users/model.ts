import * as z from 'zod/mini';
import { ROLES } from '../auth/principal';
import { described, named } from '../schema';

export const UserSchema = named(
  z.object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    orgId: z.optional(z.string()),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
    createdBy: z.optional(z.string()),
    version: z.int(),
  }),
  'User',
);
export type User = z.infer<typeof UserSchema>;

export const StoredUserSchema = z.extend(UserSchema, { passwordHash: z.string() });
export type StoredUser = z.infer<typeof StoredUserSchema>;

/** Sign-in names: letters, digits, dot, dash, underscore; case-insensitive. */
export const Username = described(
  z
    .string()
    .check(z.regex(/^[A-Za-z0-9._-]{3,40}$/, 'Use 3–40 letters, digits, dots, dashes or underscores.')),
  'Sign-in name',
  'xun-officer',
);

/** At least 10 characters; long passphrases are welcome (scrypt takes any length up to 200). */
export const Password = z.string().check(z.minLength(10), z.maxLength(200));
