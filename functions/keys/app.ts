import { sign, verify } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent, SecretsManagerRotationEvent } from 'aws-lambda';
import { KeyRing, type KeySet, publicOnly, rotate } from '../../shared/auth/keys';
import type { Log } from '../../shared/http/log';

export interface KeysDeps {
  sm: SecretsManagerClient;
  /** The secret holding the private signing key (read by the auth function and the page functions). */
  signingSecretArn: string;
  /** The secret holding the public keys only (read by every verifier). */
  publicKeysSecretArn: string;
  now: () => Date;
  /** Sends a custom resource's result to CloudFormation's presigned response URL. */
  respond: (responseUrl: string, body: string) => Promise<void>;
  log: Log;
}

export type KeysEvent = CloudFormationCustomResourceEvent | SecretsManagerRotationEvent;

const PHYSICAL_ID = 'signing-keys';

/**
 * The signing-key lifecycle, in one function with two callers:
 * - a CloudFormation custom resource, on create: writes an ES256 key set into the signing
 *   secret (unless it already holds one) and its public half into the public-keys secret;
 * - Secrets Manager rotation (the four-step protocol): generates a new key, keeps the previous
 *   one in the set, and publishes the new public keys *before* the new key becomes current,
 *   so that verifiers accept a token as soon as it can be signed.
 */
export function buildKeysHandler(deps: KeysDeps) {
  const { sm, log } = deps;

  async function readKeySet(secretId: string, version: { VersionId?: string; VersionStage?: string }) {
    const out = await sm.send(new GetSecretValueCommand({ SecretId: secretId, ...version }));
    return parseKeySet(out.SecretString);
  }

  async function writePublicKeys(set: KeySet): Promise<void> {
    await sm.send(
      new PutSecretValueCommand({
        SecretId: deps.publicKeysSecretArn,
        SecretString: JSON.stringify(publicOnly(set)),
      }),
    );
  }

  /** Custom resource on create (and update): make sure both secrets hold a usable key set. */
  async function ensureKeys(): Promise<void> {
    const existing = await readKeySet(deps.signingSecretArn, { VersionStage: 'AWSCURRENT' });
    const set = existing ?? rotate(undefined, deps.now());
    if (!existing) {
      await sm.send(
        new PutSecretValueCommand({ SecretId: deps.signingSecretArn, SecretString: JSON.stringify(set) }),
      );
      log.info('signing key generated', { kid: set.current.kid });
    }
    await writePublicKeys(set);
  }

  async function onCustomResource(event: CloudFormationCustomResourceEvent, logStream: string) {
    const physicalResourceId = event.RequestType === 'Create' ? PHYSICAL_ID : event.PhysicalResourceId;
    let status: 'SUCCESS' | 'FAILED' = 'SUCCESS';
    let reason = 'OK';
    try {
      // Delete keeps the secrets' values: the secrets themselves belong to the stack.
      if (event.RequestType !== 'Delete') await ensureKeys();
    } catch (e) {
      status = 'FAILED';
      reason = `${(e as Error).name}: ${(e as Error).message} (log stream ${logStream})`;
      log.error('signing key setup failed', { error: (e as Error).message });
    }
    // Always answer, or CloudFormation waits an hour. Never return key material in Data.
    await deps.respond(
      event.ResponseURL,
      JSON.stringify({
        Status: status,
        Reason: reason.slice(0, 1000),
        PhysicalResourceId: physicalResourceId,
        StackId: event.StackId,
        RequestId: event.RequestId,
        LogicalResourceId: event.LogicalResourceId,
        NoEcho: true,
      }),
    );
  }

  async function onRotation(event: SecretsManagerRotationEvent): Promise<void> {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    if (secretId !== deps.signingSecretArn) {
      throw new Error(`This function rotates only the signing-key secret, not ${secretId}`);
    }
    const meta = await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (!meta.RotationEnabled) throw new Error('Rotation is not enabled on the signing-key secret');
    const versions = meta.VersionIdsToStages ?? {};
    const stages = versions[token];
    if (!stages) throw new Error(`Version ${token} has no stage for rotation`);
    if (stages.includes('AWSCURRENT')) {
      log.info('rotation version already current', { step });
      return;
    }
    if (!stages.includes('AWSPENDING')) throw new Error(`Version ${token} is not AWSPENDING`);

    const pending = async () => {
      const set = await readKeySet(secretId, { VersionId: token, VersionStage: 'AWSPENDING' });
      if (!set) throw new Error('The pending version does not hold a key set');
      return set;
    };

    switch (step) {
      case 'createSecret': {
        try {
          await sm.send(
            new GetSecretValueCommand({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' }),
          );
          return; // created by an earlier attempt of this rotation
        } catch (e) {
          if (!(e instanceof ResourceNotFoundException)) throw e;
        }
        const current = await readKeySet(secretId, { VersionStage: 'AWSCURRENT' });
        const next = rotate(current, deps.now());
        await sm.send(
          new PutSecretValueCommand({
            SecretId: secretId,
            ClientRequestToken: token,
            SecretString: JSON.stringify(next),
            VersionStages: ['AWSPENDING'],
          }),
        );
        log.info('signing key created', { kid: next.current.kid, previous: next.previous?.kid });
        return;
      }
      case 'setSecret': {
        // Verifiers learn the new key (and keep the old one) before anything signs with it.
        const set = await pending();
        await writePublicKeys(set);
        log.info('public keys published', { kid: set.current.kid });
        return;
      }
      case 'testSecret': {
        assertUsable(await pending());
        return;
      }
      case 'finishSecret': {
        const current = Object.entries(versions).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
        await sm.send(
          new UpdateSecretVersionStageCommand({
            SecretId: secretId,
            VersionStage: 'AWSCURRENT',
            MoveToVersionId: token,
            RemoveFromVersionId: current,
          }),
        );
        log.info('signing key rotated', { version: token });
        return;
      }
      default:
        throw new Error(`Unknown rotation step ${String(step)}`);
    }
  }

  return async (event: KeysEvent, context?: { logStreamName?: string }): Promise<void> => {
    if ('RequestType' in event) return onCustomResource(event, context?.logStreamName ?? 'unknown');
    if ('Step' in event) return onRotation(event);
    throw new Error('Unrecognized event: neither a custom resource request nor a rotation step');
  };
}

/** A key set, or undefined for anything else (e.g. the random value a new secret starts with). */
export function parseKeySet(text: string | undefined): KeySet | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<KeySet> | null;
    const c = value?.current;
    if (c && typeof c.kid === 'string' && typeof c.publicKeyPem === 'string' && c.privateKeyPem) {
      return value as KeySet;
    }
  } catch {
    // not JSON: a freshly created secret's generated value
  }
  return undefined;
}

/** The new key signs, and its published public key verifies what it signed. */
function assertUsable(set: KeySet): void {
  const ring = new KeyRing(set);
  const { kid, key } = ring.signingKey();
  const data = Buffer.from(`rotation test ${kid}`);
  const signature = sign('sha256', data, key);
  const ok = verify('sha256', data, new KeyRing(publicOnly(set)).publicKey(kid)!, signature);
  if (!ok) throw new Error(`Key ${kid} does not verify its own signature`);
}

/** PUT to the presigned URL with no Content-Type: the URL was signed without one. */
export async function putResponse(responseUrl: string, body: string): Promise<void> {
  const res = await fetch(responseUrl, { method: 'PUT', body: new TextEncoder().encode(body) });
  if (!res.ok) throw new Error(`CloudFormation rejected the response: HTTP ${res.status}`);
}
