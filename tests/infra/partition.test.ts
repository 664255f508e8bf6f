import { Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { GrantPlatformStack, settingsFromContext } from '../../infra/stack';
import { newFastApp } from './helpers';

describe.each(['cn-north-1', 'cn-northwest-1'])('a stack pinned to %s', (region) => {
  const app = newFastApp();
  const stack = new GrantPlatformStack(app, 'GrantPlatform-china', {
    settings: settingsFromContext(app),
    env: { account: '111111111111', region },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const json = JSON.stringify(Template.fromStack(stack).toJSON());

  it('uses the aws-cn partition in every ARN it writes', () => {
    expect(json).not.toContain('arn:aws:');
    expect(json).toContain('arn:aws-cn:');
  });

  it('uses no service the China regions lack (Cognito, X-Ray, function URLs, Scheduler)', () => {
    expect(json).not.toMatch(/"Type":"AWS::(Cognito|XRay|Scheduler)::/);
    expect(json).not.toContain('AWS::Lambda::Url');
    expect(json).not.toContain('TracingConfig');
  });

  it('passes the AwsSolutions checks there too', () => {
    const errors = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.filter((v) => v.severity === 'error');
    expect(errors.map((v) => v.ruleName)).toEqual([]);
  });
});

describe('the environment-agnostic stack', () => {
  it('takes the partition from AWS::Partition at deploy time', () => {
    const app = newFastApp();
    const stack = new GrantPlatformStack(app, 'GrantPlatform-any', { settings: settingsFromContext(app) });
    const json = JSON.stringify(Template.fromStack(stack).toJSON());
    expect(json).not.toContain('arn:aws:');
    expect(json).not.toContain('arn:aws-cn:');
    expect(json).toContain('{"Ref":"AWS::Partition"}');
  });
});
