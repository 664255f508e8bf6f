import { describe, expect, it } from 'vitest';
import { buildAuthorizer } from '../../functions/authorizer/app';
import { keySource } from '../../shared/auth/key-source';
import { KeyRing, publicOnly, rotate } from '../../shared/auth/keys';
import { hashPassword, verifyPassword } from '../../shared/auth/passwords';
import type { Principal } from '../../shared/auth/principal';
import { signAccessToken, verifyAccessToken } from '../../shared/auth/tokens';
import { loadConfig } from '../../shared/config';
import { UnauthenticatedError } from '../../shared/errors';

const settings = {
  issuer: 'https://grant-platform.test',
  audience: 'grant-platform-api',
  accessTokenTtlSeconds: 900,
};
const officer: Principal = {
  userId: 'u1',
  role: 'officer',
  name: '官员',
  jurisdictionId: '410621',
  jurisdictionPath: '410600/410621/',
};

describe('passwords', () => {
  it('hash with a per-user salt and verify in constant time', async () => {
    const [a, b] = await Promise.all([
      hashPassword('correct horse battery'),
      hashPassword('correct horse battery'),
    ]);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterz', a)).toBe(false);
    expect(await verifyPassword('anything', 'plain-text-from-elsewhere')).toBe(false);
  });
});

describe('signing keys', () => {
  it('rotation keeps the previous key valid for verification, and signs with the new one', () => {
    const first = rotate(undefined, new Date('2026-01-01T00:00:00Z'));
    const old = signAccessToken(officer, new KeyRing(first), settings);
    const second = rotate(first, new Date('2026-04-01T00:00:00Z'));
    const ring = new KeyRing(second);
    expect(ring.signingKey().kid).toBe(second.current.kid);
    expect(verifyAccessToken(old, ring, settings).userId).toBe('u1');
    expect(ring.jwks.keys.map((k) => k.kid)).toEqual([second.current.kid, first.current.kid]);
    // After a second rotation the oldest key is gone.
    const third = new KeyRing(rotate(second));
    expect(() => verifyAccessToken(old, third, settings)).toThrow(UnauthenticatedError);
  });

  it('verifiers get public keys only and cannot sign', () => {
    const ring = new KeyRing(publicOnly(rotate(undefined)));
    expect(() => ring.signingKey()).toThrow(/only the auth function signs/);
    expect(JSON.stringify(publicOnly(rotate(undefined)))).not.toContain('PRIVATE KEY');
  });
});

describe('the Lambda authorizer', () => {
  const set = rotate(undefined);
  const authorize = buildAuthorizer(settings, async () => new KeyRing(publicOnly(set)));
  it('allows a valid access token and passes the principal on', async () => {
    const token = signAccessToken(officer, new KeyRing(set), settings);
    expect(await authorize({ headers: { authorization: `Bearer ${token}` } })).toEqual({
      isAuthorized: true,
      context: { userId: 'u1', role: 'officer', jurisdictionPath: '410600/410621/' },
    });
  });
  it('denies a missing, malformed or foreign token', async () => {
    const foreign = signAccessToken(officer, new KeyRing(rotate(undefined)), settings);
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: `Bearer ${foreign}` }]) {
      expect(await authorize({ headers })).toEqual({ isAuthorized: false });
    }
  });
});

describe('key rotation reaching a warm verifier', () => {
  it('re-reads the keys once when a token carries an unknown kid', async () => {
    const before = rotate(undefined);
    const after = rotate(before);
    let current = before;
    let reads = 0;
    const source = async (refresh = false) => {
      if (refresh) reads++;
      return new KeyRing(publicOnly(refresh ? after : current));
    };
    const authorize = buildAuthorizer(settings, source);
    const token = signAccessToken(officer, new KeyRing(after), settings);
    current = before; // the cached ring predates the rotation
    expect((await authorize({ headers: { authorization: `Bearer ${token}` } })).isAuthorized).toBe(true);
    expect(reads).toBe(1);
  });
});

describe('the key source', () => {
  it('asks for key settings only when a key is needed, so a function that verifies nothing starts without them', async () => {
    const source = keySource(loadConfig({}), false);
    await expect(source()).rejects.toThrow(/PUBLIC_KEYS_SECRET_ARN/);
  });
});
