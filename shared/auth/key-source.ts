import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../config';
import { KeyRing, type KeySet, loadOrCreateLocalKeys } from './keys';

/** Re-read keys from Secrets Manager at most this often, so a rotation reaches warm functions. */
const KEY_REFRESH_MS = 5 * 60_000;

/**
 * Where the signing keys come from. In AWS: the signing secret (auth function only) or the
 * public-keys secret (every verifier). Locally: a file generated at first start.
 */
export function keySource(config: Config, needPrivate: boolean): () => Promise<KeyRing> {
  if (config.localKeyFile) {
    const ring = new KeyRing(loadOrCreateLocalKeys(config.localKeyFile));
    return async () => ring;
  }
  const secretId = needPrivate ? config.signingKeySecretArn : config.publicKeysSecretArn;
  if (!secretId) throw new Error('Set LOCAL_KEY_FILE, or SIGNING_KEY_SECRET_ARN / PUBLIC_KEYS_SECRET_ARN.');
  const sm = new SecretsManagerClient({ region: config.region });
  let cached: { ring: KeyRing; at: number } | undefined;
  let loading: Promise<KeyRing> | undefined;
  return async () => {
    if (cached && Date.now() - cached.at < KEY_REFRESH_MS) return cached.ring;
    loading ??= sm
      .send(new GetSecretValueCommand({ SecretId: secretId }))
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
