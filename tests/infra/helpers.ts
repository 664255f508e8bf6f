import { readFileSync } from 'node:fs';
import { App, type AppProps, type CfnResource, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** The context of cdk.json (feature flags), so tests synthesize what `cdk synth` synthesizes. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/**
 * App props for tests that look at the template only: no esbuild bundling, and no built-in
 * CloudFormation template validation (about 6 s a synthesis). stack.test.ts synthesizes once
 * with both, as `cdk synth` does.
 */
export function fastAppProps(context: Record<string, unknown> = {}): AppProps {
  return {
    context: appContext({ 'aws:cdk:bundling-stacks': [], ...context }),
    builtinCloudFormationValidation: false,
  };
}

export function appContext(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...CDK_JSON_CONTEXT, ...extra };
}

export function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnResource);
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every IAM statement attached to a role, from all the policies that name it. */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) =>
      (p.Properties.Roles as unknown[]).some(
        (r) => JSON.stringify(r) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);

/** True when a statement's resources mention the given logical id (Ref or GetAtt, possibly in a Join). */
export const touches = (s: Statement, id: string): boolean => JSON.stringify(s.Resource).includes(`"${id}"`);

export function newFastApp(context: Record<string, unknown> = {}): App {
  return new App(fastAppProps(context));
}
