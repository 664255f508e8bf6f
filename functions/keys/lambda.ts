import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '../../shared/config';
import { createLog } from '../../shared/http/log';
import { buildKeysHandler, putResponse } from './app';

const config = loadConfig();
if (!config.signingKeySecretArn || !config.publicKeysSecretArn) {
  throw new Error('The keys function needs SIGNING_KEY_SECRET_ARN and PUBLIC_KEYS_SECRET_ARN.');
}

export const handler = buildKeysHandler({
  sm: new SecretsManagerClient({ region: config.region }),
  signingSecretArn: config.signingKeySecretArn,
  publicKeysSecretArn: config.publicKeysSecretArn,
  now: () => new Date(),
  respond: putResponse,
  log: createLog({ service: 'grant-platform', fn: 'keys' }),
});
