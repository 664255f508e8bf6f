import type { KeyRingSource } from '../../shared/auth/key-source';
import { verifyWithKeys } from '../../shared/auth/verify';

export interface AuthorizerEvent {
  headers?: Record<string, string | undefined>;
}

export interface AuthorizerResult {
  isAuthorized: boolean;
  context?: Record<string, string>;
}

/**
 * HTTP API Lambda authorizer (simple responses). It runs the same verification function as
 * every function's middleware, which verifies again: the code path is the same locally.
 */
export function buildAuthorizer(settings: { issuer: string; audience: string }, keyRing: KeyRingSource) {
  return async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
    const header = event.headers?.authorization ?? event.headers?.Authorization;
    const token = header && /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) return { isAuthorized: false };
    try {
      const p = await verifyWithKeys(token, keyRing, settings);
      return {
        isAuthorized: true,
        context: { userId: p.userId, role: p.role, jurisdictionPath: p.jurisdictionPath },
      };
    } catch {
      return { isAuthorized: false };
    }
  };
}
