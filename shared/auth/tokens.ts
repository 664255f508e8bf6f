import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { UnauthenticatedError } from '../errors';
import { type KeyRing, TOKEN_ALGORITHM } from './keys';
import { type Principal, ROLES, type Role } from './principal';

/** JOSE header `typ` of access tokens (RFC 9068), and the token-use claim checked besides it. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
const TOKEN_USE = 'access';
/** At most 60 s of clock skew is forgiven (ARCHITECTURE.md, Identity). */
export const CLOCK_TOLERANCE_SECONDS = 30;

export interface TokenSettings {
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
}

interface AccessClaims {
  sub: string;
  role: Role;
  name: string;
  org?: string;
  jur: string;
  jpath: string;
  token_use: typeof TOKEN_USE;
}

export function signAccessToken(p: Principal, keys: KeyRing, s: TokenSettings, now = Date.now()): string {
  const { kid, key } = keys.signingKey();
  const claims: AccessClaims = {
    sub: p.userId,
    role: p.role,
    name: p.name,
    ...(p.orgId ? { org: p.orgId } : {}),
    jur: p.jurisdictionId,
    jpath: p.jurisdictionPath,
    token_use: TOKEN_USE,
  };
  return jwt.sign({ ...claims, iat: Math.floor(now / 1000) }, key, {
    algorithm: TOKEN_ALGORITHM,
    keyid: kid,
    header: { alg: TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid },
    issuer: s.issuer,
    audience: s.audience,
    expiresIn: s.accessTokenTtlSeconds,
    jwtid: randomUUID(),
  });
}

/** The `kid` of a token's header, without verifying anything (to pick the key). */
export function keyIdOf(token: string): string | undefined {
  const decoded = jwt.decode(token, { complete: true });
  return typeof decoded?.header.kid === 'string' ? decoded.header.kid : undefined;
}

/**
 * The one verification function: the Lambda authorizer, every function's middleware and the
 * pages all call it. Pinned algorithm, issuer, audience, token type; `exp` required
 * (jsonwebtoken only checks it when present); bounded clock tolerance.
 */
export function verifyAccessToken(
  token: string,
  keys: KeyRing,
  s: Omit<TokenSettings, 'accessTokenTtlSeconds'>,
  nowMs = Date.now(),
): Principal {
  const refuse = (why: string): never => {
    throw new UnauthenticatedError(`Invalid access token: ${why}.`, '访问令牌无效');
  };
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded || typeof decoded.payload === 'string') return refuse('not a JWT');
  const { header } = decoded;
  if (header.alg !== TOKEN_ALGORITHM) return refuse('unexpected algorithm');
  if (header.typ !== ACCESS_TOKEN_TYPE) return refuse('not an access token');
  const key = header.kid ? keys.publicKey(header.kid) : undefined;
  if (!key) return refuse('unknown key id');
  let payload: jwt.JwtPayload;
  try {
    const verified = jwt.verify(token, key, {
      algorithms: [TOKEN_ALGORITHM],
      issuer: s.issuer,
      audience: s.audience,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      clockTimestamp: Math.floor(nowMs / 1000),
      complete: true,
    });
    payload = verified.payload as jwt.JwtPayload;
  } catch (e) {
    return refuse(
      e instanceof jwt.TokenExpiredError
        ? 'expired'
        : e instanceof jwt.NotBeforeError
          ? 'not yet valid'
          : 'signature or claims rejected',
    );
  }
  if (typeof payload.exp !== 'number') return refuse('no expiry');
  if (payload.token_use !== TOKEN_USE) return refuse('not an access token');
  const role = payload.role as Role;
  if (!ROLES.includes(role) || typeof payload.sub !== 'string' || typeof payload.jpath !== 'string') {
    return refuse('missing claims');
  }
  return {
    userId: payload.sub,
    role,
    name: String(payload.name ?? ''),
    orgId: typeof payload.org === 'string' ? payload.org : undefined,
    jurisdictionId: String(payload.jur),
    jurisdictionPath: payload.jpath,
  };
}
