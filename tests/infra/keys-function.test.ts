import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildKeysHandler, type KeysEvent } from '../../functions/keys/app';
import { KeyRing, type KeySet, rotate } from '../../shared/auth/keys';
import { createLog } from '../../shared/http/log';

const SIGNING = 'arn:aws-cn:secretsmanager:cn-north-1:111111111111:secret:signing-AbCdEf';
const PUBLIC = 'arn:aws-cn:secretsmanager:cn-north-1:111111111111:secret:public-AbCdEf';
const TOKEN = 'rotation-token-1';

const sm = mockClient(SecretsManagerClient);
let responses: { url: string; body: Record<string, unknown> }[];
const handler = buildKeysHandler({
  sm: new SecretsManagerClient({ region: 'cn-north-1' }),
  signingSecretArn: SIGNING,
  publicKeysSecretArn: PUBLIC,
  now: () => new Date('2026-11-01T00:00:00Z'),
  respond: async (url, body) => {
    responses.push({ url, body: JSON.parse(body) });
  },
  log: createLog({}, () => {}),
});

const put = (secretId: string) =>
  sm.commandCalls(PutSecretValueCommand).filter((c) => c.args[0].input.SecretId === secretId);
const putValue = (secretId: string): KeySet => JSON.parse(put(secretId)[0].args[0].input.SecretString!);

function cfnEvent(requestType: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent {
  const base = {
    ServiceToken: 'token',
    ResponseURL: 'https://cloudformation-custom-resource-response-cnnorth1.s3.cn-north-1.amazonaws.com.cn/x',
    StackId: 'stack',
    RequestId: 'req-1',
    LogicalResourceId: 'InitialKeys',
    ResourceType: 'Custom::SigningKeys',
    ResourceProperties: { ServiceToken: 'token' },
  };
  if (requestType === 'Create') return { ...base, RequestType: 'Create' };
  if (requestType === 'Update') {
    return {
      ...base,
      RequestType: 'Update',
      PhysicalResourceId: 'signing-keys',
      OldResourceProperties: base.ResourceProperties,
    };
  }
  return { ...base, RequestType: 'Delete', PhysicalResourceId: 'signing-keys' };
}

const rotation = (step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret'): KeysEvent => ({
  Step: step,
  SecretId: SIGNING,
  ClientRequestToken: TOKEN,
});

beforeEach(() => {
  sm.reset();
  responses = [];
  sm.on(PutSecretValueCommand).resolves({});
  sm.on(UpdateSecretVersionStageCommand).resolves({});
});

describe('keys function as the stack’s custom resource', () => {
  it('generates an ES256 key set on create and publishes only its public half', async () => {
    sm.on(GetSecretValueCommand, { SecretId: SIGNING }).resolves({ SecretString: 'random-initial-value' });
    await handler(cfnEvent('Create'));

    const signing = putValue(SIGNING);
    expect(signing.current.privateKeyPem).toContain('PRIVATE KEY');
    expect(new KeyRing(signing).signingKey().kid).toBe(signing.current.kid);
    const published = putValue(PUBLIC);
    expect(published.current.kid).toBe(signing.current.kid);
    expect(JSON.stringify(published)).not.toContain('PRIVATE KEY');
    expect(responses).toHaveLength(1);
    expect(responses[0].body).toMatchObject({
      Status: 'SUCCESS',
      PhysicalResourceId: 'signing-keys',
      RequestId: 'req-1',
      LogicalResourceId: 'InitialKeys',
    });
    expect(JSON.stringify(responses[0].body)).not.toContain('KEY');
  });

  it('keeps a key set that is already there', async () => {
    const existing = rotate(undefined);
    sm.on(GetSecretValueCommand, { SecretId: SIGNING }).resolves({ SecretString: JSON.stringify(existing) });
    await handler(cfnEvent('Update'));
    expect(put(SIGNING)).toHaveLength(0);
    expect(putValue(PUBLIC).current.kid).toBe(existing.current.kid);
    expect(responses[0].body).toMatchObject({ Status: 'SUCCESS', PhysicalResourceId: 'signing-keys' });
  });

  it('leaves the secrets alone on delete', async () => {
    await handler(cfnEvent('Delete'));
    expect(sm.calls()).toHaveLength(0);
    expect(responses[0].body.Status).toBe('SUCCESS');
  });

  it('answers FAILED, not silence, when Secrets Manager refuses', async () => {
    sm.on(GetSecretValueCommand).rejects(new Error('AccessDenied'));
    await handler(cfnEvent('Create'), { logStreamName: 'stream-1' });
    expect(responses[0].body.Status).toBe('FAILED');
    expect(responses[0].body.Reason).toContain('stream-1');
  });
});

describe('keys function as the rotation handler', () => {
  const current = rotate(undefined, new Date('2026-08-01T00:00:00Z'));
  const pending = rotate(current, new Date('2026-11-01T00:00:00Z'));

  function secretState(stages: Record<string, string[]>, opts: { pendingExists?: boolean } = {}) {
    sm.on(DescribeSecretCommand).resolves({ RotationEnabled: true, VersionIdsToStages: stages });
    sm.on(GetSecretValueCommand, { SecretId: SIGNING, VersionStage: 'AWSCURRENT' }).resolves({
      SecretString: JSON.stringify(current),
    });
    const pendingQuery = { SecretId: SIGNING, VersionId: TOKEN, VersionStage: 'AWSPENDING' };
    if (opts.pendingExists)
      sm.on(GetSecretValueCommand, pendingQuery).resolves({ SecretString: JSON.stringify(pending) });
    else {
      sm.on(GetSecretValueCommand, pendingQuery).rejects(
        new ResourceNotFoundException({ message: 'no pending version', $metadata: {} }),
      );
    }
  }
  const rotating = { 'v-current': ['AWSCURRENT'], [TOKEN]: ['AWSPENDING'] };

  it('createSecret: a new key, with the current one kept as previous, staged AWSPENDING', async () => {
    secretState(rotating);
    await handler(rotation('createSecret'));
    const call = put(SIGNING)[0].args[0].input;
    expect(call.ClientRequestToken).toBe(TOKEN);
    expect(call.VersionStages).toEqual(['AWSPENDING']);
    const next: KeySet = JSON.parse(call.SecretString!);
    expect(next.current.kid).not.toBe(current.current.kid);
    expect(next.current.privateKeyPem).toContain('PRIVATE KEY');
    expect(next.previous).toEqual(current.current);
  });

  it('createSecret again (a retried rotation) does not make a second key', async () => {
    secretState(rotating, { pendingExists: true });
    await handler(rotation('createSecret'));
    expect(put(SIGNING)).toHaveLength(0);
  });

  it('setSecret: publishes both public keys before the new one signs anything', async () => {
    secretState(rotating, { pendingExists: true });
    await handler(rotation('setSecret'));
    const published = putValue(PUBLIC);
    expect(published.current.kid).toBe(pending.current.kid);
    expect(published.previous?.kid).toBe(current.current.kid);
    expect(JSON.stringify(published)).not.toContain('PRIVATE KEY');
  });

  it('testSecret: accepts a key that signs and verifies', async () => {
    secretState(rotating, { pendingExists: true });
    await expect(handler(rotation('testSecret'))).resolves.toBeUndefined();
  });

  it('finishSecret: moves AWSCURRENT to the new version', async () => {
    secretState(rotating, { pendingExists: true });
    await handler(rotation('finishSecret'));
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)[0].args[0].input).toEqual({
      SecretId: SIGNING,
      VersionStage: 'AWSCURRENT',
      MoveToVersionId: TOKEN,
      RemoveFromVersionId: 'v-current',
    });
  });

  it('does nothing once the version is already current', async () => {
    secretState({ [TOKEN]: ['AWSCURRENT'] });
    await handler(rotation('finishSecret'));
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });

  it('refuses another secret, and a secret without rotation enabled', async () => {
    secretState(rotating);
    await expect(handler({ ...rotation('createSecret'), SecretId: PUBLIC } as KeysEvent)).rejects.toThrow(
      /only the signing-key secret/,
    );
    sm.on(DescribeSecretCommand).resolves({ RotationEnabled: false, VersionIdsToStages: rotating });
    await expect(handler(rotation('createSecret'))).rejects.toThrow(/not enabled/);
  });
});
