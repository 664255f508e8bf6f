import type { Config } from '../config';
import { KeyRing, type KeySet, loadOrCreateLocalKeys } from './keys';

/** Re-read keys from Secrets Manager at most this often, so a rotation reaches warm functions. */
const KEY_REFRESH_MS = 5 * 60_000;
/** A token with an unknown kid may mean a rotation just happened: re-read, but not more often than this. */
const UNKNOWN_KID_REFRESH_MS = 30_000;

/** `keyRing(true)` asks for a fresh read (a token carried a kid the cached ring does not know). */
export type KeyRingSource = (refresh?: boolean) => Promise<KeyRing>;

/**
 * Where the signing keys come from. In AWS: the signing secret (auth function only) or the
 * public-keys secret (every verifier). Locally: a file generated at first start.
 */
export function keySource(config: Config, needPrivate: boolean): KeyRingSource {
  const { localKeyFile } = config;
  if (localKeyFile) {
    // Read on first use too, as the secrets are in AWS: importing a function does no key work.
    let ring: KeyRing | undefined;
    return async () => {
      ring ??= new KeyRing(loadOrCreateLocalKeys(localKeyFile));
      return ring;
    };
  }
  const secretId = needPrivate ? config.signingKeySecretArn : config.publicKeysSecretArn;
  let cached: { ring: KeyRing; at: number } | undefined;
  let loading: Promise<KeyRing> | undefined;
  // Checked on first use, not at start-up: a function that never verifies a token (jobs) needs no keys.
  return async (refresh = false) => {
    if (!secretId) throw new Error('Set LOCAL_KEY_FILE, or SIGNING_KEY_SECRET_ARN / PUBLIC_KEYS_SECRET_ARN.');
    const age = cached ? Date.now() - cached.at : Number.POSITIVE_INFINITY;
    if (cached && age < (refresh ? UNKNOWN_KID_REFRESH_MS : KEY_REFRESH_MS)) return cached.ring;
    // Loaded on first use only: the Secrets Manager client stays out of the cold start.
    // External to the bundle (infra/bundling.ts): in AWS it comes from the Lambda runtime's SDK.
    loading ??= import('@aws-sdk/client-secrets-manager')
      .then(({ GetSecretValueCommand, SecretsManagerClient }) =>
        new SecretsManagerClient({ region: config.region }).send(
          new GetSecretValueCommand({ SecretId: secretId }),
        ),
      )
      .then((out) => {
        const ring = new KeyRing(JSON.parse(out.SecretString ?? '') as KeySet);
        cached = { ring, at: Date.now() };
        return ring;
      })
      .finally(() => {
        loading = undefined;
      });
    return loading;
  };
}
