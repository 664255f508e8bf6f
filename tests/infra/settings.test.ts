import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import { FUNCTIONS } from '../../infra/bundling';
import { fastAppProps } from './helpers';

describe('stack settings from context', () => {
  it('defaults to a dev stage that needs no context at all', () => {
    const { stack } = createApp(fastAppProps());
    expect(stack.stackName).toBe('GrantPlatform-dev');
    const t = Template.fromStack(stack);
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
    }
    // dev log groups go with the stack; data (tables, documents) is retained in every stage
    for (const lg of Object.values(t.findResources('AWS::Logs::LogGroup')))
      expect(lg.DeletionPolicy).toBe('Delete');
  });

  it('reads -c values (strings on the command line) for another stage', () => {
    const { app, stack } = createApp(
      fastAppProps({
        stage: 'prod',
        throttleRateLimit: '20',
        throttleBurstLimit: '40',
        logRetentionDays: '365',
        lambdaRuntime: 'nodejs22.x',
        tokenIssuer: 'https://grants.example.cn',
      }),
    );
    expect(stack.stackName).toBe('GrantPlatform-prod');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'grant-platform-prod' });
    for (const lg of Object.values(t.findResources('AWS::Logs::LogGroup'))) {
      expect(lg.Properties.RetentionInDays).toBe(365);
      expect(lg.DeletionPolicy).toBe('Retain');
    }
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function'))) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
    }
    t.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { TOKEN_ISSUER: 'https://grants.example.cn' } },
    });
    // nodejs22.x is not the newest runtime: the finding is acknowledged, with its reason
    const errors = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.filter((v) => v.severity === 'error');
    expect(errors).toEqual([]);
  });

  it('gives each function exactly one log group, with or without the CDK-managed log group flag', () => {
    for (const flag of [true, false]) {
      const { stack } = createApp(fastAppProps({ '@aws-cdk/aws-lambda:useCdkManagedLogGroup': flag }));
      const groups = Object.values(Template.fromStack(stack).findResources('AWS::Logs::LogGroup'));
      const names = groups
        .map((g) => JSON.stringify(g.Properties.LogGroupName ?? ''))
        .filter((n) => n.includes('/aws/lambda/'));
      // Every bundled function and the key-rotation function.
      const expected = Object.keys(FUNCTIONS).length + 1;
      expect(names, `flag ${flag}`).toHaveLength(expected);
      expect(new Set(names).size).toBe(expected);
      for (const g of groups) expect(g.Properties.RetentionInDays).toBe(180);
    }
  });

  it.each([
    ['stage', 'Prod!'],
    ['lambdaRuntime', 'nodejs20.x'],
    ['logRetentionDays', '100'],
    ['throttleRateLimit', 'fast'],
  ])('refuses %s=%s', (key, value) => {
    expect(() => createApp(fastAppProps({ [key]: value }))).toThrow(new RegExp(key));
  });
});
