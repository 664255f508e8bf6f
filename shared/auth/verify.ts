import type { KeyRingSource } from './key-source';
import type { Principal } from './principal';
import { keyIdOf, type TokenSettings, verifyAccessToken } from './tokens';

/**
 * Verifies an access token against the current keys; a kid the cached ring does not know
 * (a rotation may have just happened) triggers one rate-limited re-read before refusing.
 */
export async function verifyWithKeys(
  token: string,
  keyRing: KeyRingSource,
  settings: Omit<TokenSettings, 'accessTokenTtlSeconds'>,
  nowMs = Date.now(),
): Promise<Principal> {
  let ring = await keyRing();
  const kid = keyIdOf(token);
  if (kid && !ring.publicKey(kid)) ring = await keyRing(true);
  return verifyAccessToken(token, ring, settings, nowMs);
}
