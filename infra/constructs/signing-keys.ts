import { CustomResource, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Runtime } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnRotationSchedule, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ApiFunction } from './api-function';

/** Not in FUNCTIONS (infra/bundling.ts): it serves no HTTP route and has no local counterpart. */
export const KEYS_FUNCTION_ENTRY = 'functions/keys/lambda.ts';

export interface SigningKeysProps {
  runtime: Runtime;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  /** Days between key rotations. Tokens live 15 minutes; the previous key stays accepted. */
  rotationDays: number;
}

/**
 * The token-signing keys in Secrets Manager (China has Secrets Manager; it has no Cognito):
 * - the signing secret holds the ES256 key set with private keys: auth and web read it;
 * - the public-keys secret holds the same set without private keys: every verifier reads it.
 * The keys function fills both when the stack is created (custom resource) and rotates the
 * signing secret on a schedule, keeping the previous key valid for one more token lifetime.
 */
export class SigningKeys extends Construct {
  readonly signingSecret: Secret;
  readonly publicKeysSecret: Secret;
  readonly keysFunction: ApiFunction;
  readonly initialKeys: CustomResource;

  constructor(scope: Construct, id: string, props: SigningKeysProps) {
    super(scope, id);

    this.signingSecret = new Secret(this, 'SigningKeySecret', {
      description:
        'ES256 token-signing key set with private keys (KeySet JSON); rotated by the keys function',
    });
    this.publicKeysSecret = new Secret(this, 'PublicKeysSecret', {
      description: 'Public half of the token-signing key set (KeySet JSON without private keys)',
    });
    Validations.of(this.publicKeysSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Holds only public keys, derived from the signing secret: the keys function rewrites it at every rotation of the signing secret. A schedule of its own would make it disagree with the signing key.',
    });

    this.keysFunction = new ApiFunction(this, 'KeysFunction', {
      entry: KEYS_FUNCTION_ENTRY,
      description: 'Generates and rotates the token-signing keys',
      runtime: props.runtime,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      memorySize: 256,
      timeout: Duration.seconds(30),
    });
    const fn = this.keysFunction.fn;
    fn.addEnvironment('SIGNING_KEY_SECRET_ARN', this.signingSecret.secretArn);
    fn.addEnvironment('PUBLIC_KEYS_SECRET_ARN', this.publicKeysSecret.secretArn);
    // What the rotation protocol needs on the signing secret, and no more (the RotationSchedule
    // L2 would also grant secretsmanager:GetRandomPassword on '*', which key generation does not use).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [this.signingSecret.secretArn],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:PutSecretValue'],
        resources: [this.publicKeysSecret.secretArn],
      }),
    );

    // CloudFormation invokes the function with the deployer's credentials: no resource policy.
    this.initialKeys = new CustomResource(this, 'InitialKeys', {
      serviceToken: fn.functionArn,
      resourceType: 'Custom::SigningKeys',
      properties: {
        SigningSecretArn: this.signingSecret.secretArn,
        PublicKeysSecretArn: this.publicKeysSecret.secretArn,
      },
    });
    this.initialKeys.node.addDependency(this.keysFunction.ready);

    fn.addPermission('SecretsManagerRotation', {
      principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
      sourceAccount: Stack.of(this).account,
    });
    const rotation = new CfnRotationSchedule(this, 'Rotation', {
      secretId: this.signingSecret.secretArn,
      rotationLambdaArn: fn.functionArn,
      rotationRules: { scheduleExpression: `rate(${props.rotationDays} days)` },
      // The custom resource has just generated the first key: no second one right away.
      rotateImmediatelyOnUpdate: false,
    });
    rotation.node.addDependency(this.initialKeys, fn);
  }
}
