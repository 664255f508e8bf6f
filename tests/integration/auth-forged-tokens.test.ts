import { createHmac, generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_TOKEN_TYPE } from '../../shared/auth/tokens';
import { type TestPlatform, testPlatform } from '../support/platform';

let p: TestPlatform;
let good: string;
let refreshToken: string;
let kid: string;
let key: import('node:crypto').KeyObject;
let publicPem: string;

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

beforeAll(async () => {
  p = await testPlatform();
  const res = await p.api('POST', '/auth/sign-in', {
    body: { username: 'xun-officer', password: 'xun-officer-2026' },
  });
  const session = (await res.json()) as { accessToken: string; refreshToken: string };
  good = session.accessToken;
  refreshToken = session.refreshToken;
  const ring = await p.deps.keyRing();
  ({ kid, key } = ring.signingKey());
  publicPem = ring.publicKey(kid)!.export({ format: 'pem', type: 'spki' }).toString();
});
afterAll(() => p?.stop());

/** The genuine token's claims, re-signed or altered by each forgery. */
function claims(): Record<string, unknown> {
  return jwt.decode(good) as Record<string, unknown>;
}
const sign = (payload: Record<string, unknown>, header: Record<string, unknown> = {}, signer = key) =>
  jwt.sign(payload, signer, {
    algorithm: 'ES256',
    header: { alg: 'ES256', typ: ACCESS_TOKEN_TYPE, kid, ...header },
  });
const nowS = () => Math.floor(Date.now() / 1000);

const corpus: Record<string, () => string> = {
  'alg: none': () => `${b64({ alg: 'none', typ: ACCESS_TOKEN_TYPE, kid })}.${b64(claims())}.`,
  'HS256 signed with the public key as the secret': () => {
    const head = b64({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE, kid });
    const body = b64(claims());
    return `${head}.${body}.${createHmac('sha256', publicPem).update(`${head}.${body}`).digest('base64url')}`;
  },
  'unknown kid': () => sign(claims(), { kid: 'k-unknown' }),
  'signed by another key under our kid': () =>
    sign(claims(), {}, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey),
  expired: () => sign({ ...claims(), iat: nowS() - 3600, exp: nowS() - 120 }),
  'no exp': () => {
    const { exp: _e, ...rest } = claims();
    return sign(rest);
  },
  'future nbf': () => sign({ ...claims(), nbf: nowS() + 600 }),
  'wrong issuer': () => sign({ ...claims(), iss: 'https://evil.example' }),
  'wrong audience': () => sign({ ...claims(), aud: 'another-api' }),
  'tampered payload': () => {
    const [h, , s] = good.split('.');
    return `${h}.${b64({ ...claims(), role: 'auditor', jpath: '410600/' })}.${s}`;
  },
  'refresh token used as an access token': () => refreshToken,
  'access-typed header but token_use of another kind': () => sign({ ...claims(), token_use: 'refresh' }),
  'right claims but an ID-token typ header': () => sign(claims(), { typ: 'JWT' }),
  garbage: () => 'not-a-token',
};

describe('forged access tokens', () => {
  it('accepts the genuine token (the corpus is checked against a working baseline)', async () => {
    const res = await p.api('GET', '/auth/me', { token: good });
    expect(res.status).toBe(200);
  });

  for (const [name, forge] of Object.entries(corpus)) {
    it(`refuses ${name} with 401 problem+json`, async () => {
      const res = await p.api('GET', '/calls', { token: forge() });
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
      const body = (await res.json()) as { status: number; type: string };
      expect(body.status).toBe(401);
      expect(body.type).toMatch(/unauthenticated$/);
    });
  }

  it('accepts a token within the 30 s clock tolerance and refuses one past it', async () => {
    const justExpired = sign({ ...claims(), iat: nowS() - 900, exp: nowS() - 10 });
    expect((await p.api('GET', '/auth/me', { token: justExpired })).status).toBe(200);
    const longExpired = sign({ ...claims(), iat: nowS() - 900, exp: nowS() - 61 });
    expect((await p.api('GET', '/auth/me', { token: longExpired })).status).toBe(401);
  });
});

describe('refresh tokens', () => {
  it('rotate on every use; the old one then fails and revokes the whole family', async () => {
    const first = await p.api('POST', '/auth/sign-in', {
      body: { username: 'xun-finance', password: 'xun-finance-2026' },
    });
    const s1 = (await first.json()) as { refreshToken: string };
    const r2 = await p.api('POST', '/auth/refresh', { body: { refreshToken: s1.refreshToken } });
    expect(r2.status).toBe(200);
    const s2 = (await r2.json()) as { refreshToken: string; accessToken: string };
    expect(s2.refreshToken).not.toBe(s1.refreshToken);
    // Reusing the rotated token is theft: refused, and the successor dies with it.
    expect((await p.api('POST', '/auth/refresh', { body: { refreshToken: s1.refreshToken } })).status).toBe(
      401,
    );
    expect((await p.api('POST', '/auth/refresh', { body: { refreshToken: s2.refreshToken } })).status).toBe(
      401,
    );
  });

  it('are refused after sign-out (revoked)', async () => {
    const res = await p.api('POST', '/auth/sign-in', {
      body: { username: 'xun-auditor', password: 'xun-auditor-2026' },
    });
    const s = (await res.json()) as { refreshToken: string };
    expect((await p.api('POST', '/auth/sign-out', { body: { refreshToken: s.refreshToken } })).status).toBe(
      204,
    );
    const again = await p.api('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken } });
    expect(again.status).toBe(401);
    expect(again.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('are refused when unknown', async () => {
    const res = await p.api('POST', '/auth/refresh', { body: { refreshToken: 'x'.repeat(43) } });
    expect(res.status).toBe(401);
  });
});

describe('sign-in', () => {
  it('gives the same answer for a wrong password and an unknown account', async () => {
    const a = await p.api('POST', '/auth/sign-in', {
      body: { username: 'yc-officer', password: 'wrong-password' },
    });
    const b = await p.api('POST', '/auth/sign-in', {
      body: { username: 'nobody-here', password: 'wrong-password' },
    });
    expect(a.status).toBe(401);
    expect(b.status).toBe(401);
    const [ja, jb] = (await Promise.all([a.json(), b.json()])) as { detail: string }[];
    expect(ja!.detail).toBe(jb!.detail);
  });

  it('throttles an account after five failures in the window, even with the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await p.api('POST', '/auth/sign-in', {
        body: { username: 'expert-zhang', password: `wrong-${i}` },
        headers: { 'x-forwarded-for': `10.0.0.${i}` },
      });
      expect(r.status).toBe(401);
    }
    const blocked = await p.api('POST', '/auth/sign-in', {
      body: { username: 'expert-zhang', password: 'expert-zhang-2026' },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // After the window the account works again.
    p.clock.advance(16 * 60_000);
    const later = await p.api('POST', '/auth/sign-in', {
      body: { username: 'expert-zhang', password: 'expert-zhang-2026' },
    });
    expect(later.status).toBe(200);
  });

  it('throttles a source address that tries many accounts', async () => {
    const source = { 'x-forwarded-for': '192.0.2.77' };
    for (let i = 0; i < 30; i++) {
      await p.api('POST', '/auth/sign-in', {
        body: { username: `guess-${i}`, password: 'wrong-password' },
        headers: source,
      });
    }
    const blocked = await p.api('POST', '/auth/sign-in', {
      body: { username: 'yc-officer', password: 'yc-officer-2026' },
      headers: source,
    });
    expect(blocked.status).toBe(429);
    const elsewhere = await p.api('POST', '/auth/sign-in', {
      body: { username: 'yc-officer', password: 'yc-officer-2026' },
      headers: { 'x-forwarded-for': '192.0.2.78' },
    });
    expect(elsewhere.status).toBe(200);
  });

  it('publishes the verification keys as a JWKS with the signing kid', async () => {
    const res = await p.api('GET', '/.well-known/jwks.json');
    const jwks = (await res.json()) as { keys: { kid: string; alg: string; kty: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(kid);
    expect(jwks.keys.every((k) => k.alg === 'ES256' && k.kty === 'EC' && k.d === undefined)).toBe(true);
  });
});
