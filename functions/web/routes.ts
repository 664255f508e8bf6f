import type { Handler } from 'hono';
import type { ApiEnv } from '../../shared/http/deps';

/**
 * Registers a page under its POLICY entry (shared/authz/policy.ts, web section) with the session
 * cookie as the token source: `securedRoute` refuses undeclared routes.
 */
export type PageRoute = (method: 'get' | 'post', path: string, ...handlers: Handler<ApiEnv>[]) => void;
