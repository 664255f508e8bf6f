import { z } from '@hono/zod-openapi';
import { ROLES } from '../auth/principal';

export const UserSchema = z
  .object({
    id: z.string(),
    username: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    orgId: z.string().optional(),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
    createdBy: z.string().optional(),
    version: z.number().int(),
  })
  .openapi('User');
export type User = z.infer<typeof UserSchema>;

export const StoredUserSchema = UserSchema.extend({ passwordHash: z.string() });
export type StoredUser = z.infer<typeof StoredUserSchema>;

/** Sign-in names: letters, digits, dot, dash, underscore; case-insensitive. */
export const Username = z
  .string()
  .regex(/^[A-Za-z0-9._-]{3,40}$/, 'Use 3–40 letters, digits, dots, dashes or underscores.')
  .openapi({ example: 'xun-officer' });

/** At least 10 characters; long passphrases are welcome (scrypt takes any length up to 200). */
export const Password = z.string().min(10).max(200);
