import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, FeatureFlags, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, type Runtime } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type CfnLogGroup, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { USE_CDK_MANAGED_LAMBDA_LOGGROUP } from 'aws-cdk-lib/cx-api';
import { Construct, DependencyGroup, type IDependable } from 'constructs';
import { esbuildOptions, lazyChunkCommands } from '../bundling';
import type { DataTable, TableAccess } from './data-table';

/** The repository root: entries, the lock file and the tsconfig are resolved from here. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ApiFunctionProps {
  /** Entry file, relative to the repository root (see FUNCTIONS in infra/bundling.ts). */
  entry: string;
  description: string;
  runtime: Runtime;
  logRetention: RetentionDays;
  /** What happens to the log group when the stack is deleted. */
  logRemovalPolicy: RemovalPolicy;
  memorySize?: number;
  timeout?: Duration;
  environment?: Record<string, string>;
  /** Shell commands run after esbuild, e.g. to copy static assets beside the bundle. */
  afterBundling?: (inputDir: string, outputDir: string) => string[];
}

/**
 * One Lambda function, the same way every time: arm64, a Node.js runtime of 22 or newer, an ESM
 * bundle built by the local esbuild with the shared options of infra/bundling.ts, its own role
 * (no managed policies: it may write only to its own log group) and an explicit
 * `/aws/lambda/<name>` log group with a retention. That classic log group works in every
 * partition, the China regions included. Tables and secrets are added by the `bind*` methods,
 * which grant access and set the environment variable together: a function never gets a name it
 * may not use, nor a permission it has no name for.
 */
export class ApiFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;
  /** Everything that must exist before the function is invoked (log group, log permissions). */
  readonly ready: IDependable;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const major = Number(/^nodejs(\d+)\.x$/.exec(props.runtime.name)?.[1]);
    if (!(major >= 22)) throw new Error(`${id}: runtime ${props.runtime.name} is not nodejs22.x or newer`);

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${id} function`,
    });

    const { afterBundling } = props;
    this.fn = new NodejsFunction(this, 'Function', {
      entry: `${PROJECT_ROOT}${props.entry}`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      description: props.description,
      runtime: props.runtime,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(15),
      role: this.role,
      environment: props.environment,
      bundling: {
        // The local esbuild only: no Docker, so `cdk synth` works offline and in CI.
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: esbuildOptions.target,
        minify: esbuildOptions.minify,
        sourceMap: esbuildOptions.sourcemap,
        mainFields: esbuildOptions.mainFields,
        banner: esbuildOptions.banner.js,
        // Bundle everything, the AWS SDK included (see infra/bundling.ts).
        externalModules: esbuildOptions.external,
        esbuildArgs: {
          '--jsx': esbuildOptions.jsx,
          '--jsx-import-source': esbuildOptions.jsxImportSource,
          '--legal-comments': esbuildOptions.legalComments,
          ...Object.fromEntries(
            Object.entries(esbuildOptions.alias).map(([from, to]) => [`--alias:${from}`, to]),
          ),
        },
        logLevel: LogLevel.WARNING,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // The lazy chunks the bundle imports (LAZY_CHUNKS in infra/bundling.ts), then the function's own.
          afterBundling: (inputDir, outputDir) => [
            ...lazyChunkCommands(PROJECT_ROOT, outputDir),
            ...(afterBundling?.(inputDir, outputDir) ?? []),
          ],
        },
      },
    });

    this.logGroup = this.functionLogGroup(props);

    // Not the role's default policy: the function depends on that one, and this statement names
    // the log group, whose name names the function (a cycle otherwise).
    const logsPolicy = new Policy(this, 'LogsPolicy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.logGroup.logGroupArn],
        }),
      ],
    });
    this.ready = new DependencyGroup(this.fn, this.logGroup, logsPolicy);
  }

  /** Grants access to a table and tells the function its name, in one step. */
  bindTable(table: DataTable, envVar: string, access: TableAccess = 'readWrite'): this {
    table.grantData(this.fn, access);
    this.fn.addEnvironment(envVar, table.tableName);
    return this;
  }

  /** Grants read access to a secret and tells the function its ARN, in one step. */
  bindSecret(secret: ISecret, envVar: string): this {
    secret.grantRead(this.fn);
    this.fn.addEnvironment(envVar, secret.secretArn);
    return this;
  }

  /**
   * Lets the function put and get documents (attachments go straight to S3 through presigned
   * URLs signed with the function's role) and tells it the bucket name, in one step.
   */
  bindBucket(bucket: IBucket, envVar: string, prefix = 'submissions/'): this {
    // Only put and get, only under the prefix: no list, no delete (documents are evidence).
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject'],
        resources: [bucket.arnForObjects(`${prefix}*`)],
      }),
    );
    const stack = Stack.of(this);
    const bucketId = stack.resolve(stack.getLogicalId(bucket.node.defaultChild as CfnElement));
    Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
      reason: `Attachments are objects keyed by submission under ${prefix}; the function signs per-object upload and download URLs, so it needs put/get on that prefix, and nothing else in the bucket.`,
    });
    this.fn.addEnvironment(envVar, bucket.bucketName);
    return this;
  }

  /**
   * With the `useCdkManagedLogGroup` feature flag (recommended, set in cdk.json) the function
   * already owns a `/aws/lambda/<name>` log group: give it our retention. Without the flag,
   * create the same log group here.
   */
  private functionLogGroup(props: ApiFunctionProps): LogGroup {
    const managed = FeatureFlags.of(this).isEnabled(USE_CDK_MANAGED_LAMBDA_LOGGROUP)
      ? this.fn.node.tryFindChild('LogGroup')
      : undefined;
    if (managed instanceof LogGroup) {
      (managed.node.defaultChild as CfnLogGroup).retentionInDays = props.logRetention;
      managed.applyRemovalPolicy(props.logRemovalPolicy);
      return managed;
    }
    return new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${this.fn.functionName}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
  }
}
