import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** ES256 (P-256): small keys and signatures, fast to verify; pinned everywhere. */
export const TOKEN_ALGORITHM = 'ES256' as const;

export interface StoredSigningKey {
  kid: string;
  /** PKCS#8 PEM; present only where tokens are signed (the auth function, the local server). */
  privateKeyPem?: string;
  publicKeyPem: string;
  createdAt: string;
}

/** The secret's shape: the signing key and the keys still accepted (previous key for one token lifetime). */
export interface KeySet {
  current: StoredSigningKey;
  previous?: StoredSigningKey;
}

export interface Jwk extends JsonWebKey {
  kid: string;
  alg: string;
  use: string;
}

export class KeyRing {
  private readonly publicKeys = new Map<string, KeyObject>();
  private readonly signing?: { kid: string; key: KeyObject };
  readonly jwks: { keys: Jwk[] };

  constructor(set: KeySet) {
    const all = [set.current, ...(set.previous ? [set.previous] : [])];
    for (const k of all) this.publicKeys.set(k.kid, createPublicKey(k.publicKeyPem));
    if (set.current.privateKeyPem) {
      this.signing = { kid: set.current.kid, key: createPrivateKey(set.current.privateKeyPem) };
    }
    this.jwks = {
      keys: all.map((k) => ({
        ...(createPublicKey(k.publicKeyPem).export({ format: 'jwk' }) as JsonWebKey),
        kid: k.kid,
        alg: TOKEN_ALGORITHM,
        use: 'sig',
      })),
    };
  }

  publicKey(kid: string): KeyObject | undefined {
    return this.publicKeys.get(kid);
  }

  signingKey(): { kid: string; key: KeyObject } {
    if (!this.signing)
      throw new Error('This key ring holds no private key: only the auth function signs tokens.');
    return this.signing;
  }
}

export function generateSigningKey(now = new Date()): StoredSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid: `k-${now.toISOString().slice(0, 10)}-${publicKey.export({ format: 'jwk' }).x?.slice(0, 8)}`,
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    createdAt: now.toISOString(),
  };
}

/** Rotation keeps the previous key so tokens it signed stay valid for one more lifetime. */
export function rotate(set: KeySet | undefined, now = new Date()): KeySet {
  return { current: generateSigningKey(now), previous: set?.current };
}

/** Drops private keys: what verifiers (authorizer, other functions) are given. */
export function publicOnly(set: KeySet): KeySet {
  const strip = ({ privateKeyPem: _p, ...k }: StoredSigningKey): StoredSigningKey => k;
  return { current: strip(set.current), previous: set.previous && strip(set.previous) };
}

/** Local development: a key generated at first start, kept in an ignored file. */
export function loadOrCreateLocalKeys(file: string): KeySet {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeySet;
  const set = rotate(undefined);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(set, null, 2), { mode: 0o600 });
  return set;
}
