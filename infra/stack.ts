import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { type IFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DOC_ASSETS } from '../functions/web/docs';
import { staticOpenApi } from '../functions/web/openapi';
import { IDEMPOTENCY_TABLE, MAIN_TABLE } from '../shared/db/table';
import { WEB_FUNCTIONS, type WebFunction } from '../shared/http/routing';
import { FUNCTIONS, type FunctionName } from './bundling';
import { ApiFunction, type ApiFunctionProps } from './constructs/api-function';
import { DataTable } from './constructs/data-table';
import { DocumentsBucket } from './constructs/documents-bucket';
import { PlatformApi } from './constructs/platform-api';
import { SigningKeys } from './constructs/signing-keys';

/** Everything that differs between deployments, read from CDK context (`-c stage=prod`). */
export interface PlatformSettings {
  stage: string;
  tokenIssuer: string;
  tokenAudience: string;
  /** nodejs22.x or nodejs24.x: both run the node22 ESM bundles. */
  lambdaRuntime: Runtime;
  logRetention: RetentionDays;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  authorizerCacheSeconds: number;
  keyRotationDays: number;
}

const RUNTIMES: Record<string, Runtime> = {
  'nodejs22.x': Runtime.NODEJS_22_X,
  'nodejs24.x': Runtime.NODEJS_24_X,
};

/**
 * Reads the settings from context. Every value has a default, so `npx cdk synth` needs none;
 * values given with `-c key=value` arrive as strings and are parsed here.
 */
export function settingsFromContext(scope: Construct): PlatformSettings {
  const ctx = (key: string): string | undefined => {
    const v = scope.node.tryGetContext(key);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const num = (key: string, fallback: number, min: number, max: number): number => {
    const raw = ctx(key);
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new Error(`Context ${key} must be an integer in [${min}, ${max}], got ${raw}`);
    }
    return n;
  };
  const stage = ctx('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(`Context stage must be lower-case letters, digits and '-', got ${stage}`);
  }
  const runtimeName = ctx('lambdaRuntime') ?? 'nodejs24.x';
  const lambdaRuntime = RUNTIMES[runtimeName];
  if (!lambdaRuntime) throw new Error(`Context lambdaRuntime must be one of ${Object.keys(RUNTIMES)}`);
  const days = num('logRetentionDays', 180, 1, 3653);
  const logRetention = Object.values(RetentionDays).find((d) => d === days) as RetentionDays | undefined;
  if (logRetention === undefined) {
    throw new Error(
      `Context logRetentionDays must be a CloudWatch Logs retention (e.g. 180, 365), got ${days}`,
    );
  }
  return {
    stage,
    tokenIssuer: ctx('tokenIssuer') ?? `https://grant-platform/${stage}`,
    tokenAudience: ctx('tokenAudience') ?? 'grant-platform-api',
    lambdaRuntime,
    logRetention,
    throttleRateLimit: num('throttleRateLimit', 100, 1, 10_000),
    throttleBurstLimit: num('throttleBurstLimit', 200, 1, 5_000),
    authorizerCacheSeconds: num('authorizerCacheSeconds', 60, 0, 3600),
    keyRotationDays: num('keyRotationDays', 90, 1, 365),
  };
}

export interface GrantPlatformStackProps extends StackProps {
  settings: PlatformSettings;
}

/**
 * The whole platform in one stack: tables, signing keys, functions, HTTP API, schedule and the
 * documents bucket. Environment-agnostic and partition-aware (no `arn:aws:` anywhere: ARNs come
 * from grants, references and `Stack.of(this).partition`), so one template deploys to the global
 * regions and to cn-north-1 / cn-northwest-1 alike. No X-Ray, function URLs or Cognito, which the
 * China regions lack.
 */
export class GrantPlatformStack extends Stack {
  readonly functions: Record<FunctionName, ApiFunction>;
  readonly platformApi: PlatformApi;
  readonly keys: SigningKeys;

  constructor(scope: Construct, id: string, props: GrantPlatformStackProps) {
    super(scope, id, props);
    const s = props.settings;
    // 网络安全法 第21条: network logs are kept at least six months; the default is 180 days.
    const logRemovalPolicy = s.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const common = { runtime: s.lambdaRuntime, logRetention: s.logRetention, logRemovalPolicy };

    const table = new DataTable(this, 'MainTable', MAIN_TABLE);
    const idempotencyTable = new DataTable(this, 'IdempotencyTable', IDEMPOTENCY_TABLE);
    this.keys = new SigningKeys(this, 'SigningKeys', { ...common, rotationDays: s.keyRotationDays });
    const documents = new DocumentsBucket(this, 'Documents', { accessLogRetention: Duration.days(400) });

    const environment = {
      TOKEN_ISSUER: s.tokenIssuer,
      TOKEN_AUDIENCE: s.tokenAudience,
      SECURE_COOKIES: 'true',
    };
    // `web-officer` → `WebOfficerFunction`.
    const constructId = (name: FunctionName) =>
      `${name.replace(/(^|-)(\w)/g, (_m, _dash, c: string) => c.toUpperCase())}Function`;
    const fn = (name: FunctionName, description: string, extra: Partial<ApiFunctionProps> = {}) =>
      new ApiFunction(this, constructId(name), {
        ...common,
        entry: FUNCTIONS[name],
        description,
        environment,
        ...extra,
      });

    const { signingSecret, publicKeysSecret } = this.keys;
    // The pages, one function per context (PAGE_GROUPS in shared/http/routing.ts), each bundling
    // only its own pages. Every one signs tokens: a page request whose access token has expired
    // is refreshed in place (AuthService.refresh issues a new access token), so each needs the
    // signing key. Only the functions whose pages read or upload attachments get the bucket.
    const pages: Record<WebFunction, { description: string; documents: boolean }> = {
      web: {
        description: 'Public pages, sign-in, registration, every /home, the API reference',
        documents: false,
      },
      // Report evidence: the provider's page uploads it, the officer's page downloads it.
      'web-contracts': {
        description:
          'Contract, milestone report (evidence uploads) and evaluation pages of providers and officers',
        documents: true,
      },
      'web-applicant': {
        description: 'Applicant pages: submissions, attachments, explanations',
        documents: true,
      },
      'web-reviewer': {
        description: 'Reviewer pages: conflicts, scoring sheets, attachments',
        documents: true,
      },
      'web-review': {
        description: 'Officer review pages: screening, panels, ranking, awards, challenges, attachments',
        documents: true,
      },
      'web-officer': { description: 'Officer pages: organizations, pools, calls, staff', documents: false },
      'web-finance': { description: 'Finance and auditor pages', documents: false },
      'web-notices': { description: 'Award notices and the challenges filed from them', documents: false },
      'web-admin': {
        description: 'Platform administration pages: calendar, accounts, jurisdictions, rule packs',
        documents: false,
      },
    };
    const pageFunction = (name: WebFunction) => {
      const f = fn(name, pages[name].description, {
        memorySize: 1024,
        // Only `web` serves the API reference: the document and Swagger UI travel with it.
        ...(name === 'web'
          ? {
              afterBundling: (_input: string, output: string) => [
                ...swaggerUiCopy(output),
                ...openApiCopy(output),
              ],
            }
          : {}),
      })
        .bindTable(table, 'TABLE_NAME')
        .bindSecret(signingSecret, 'SIGNING_KEY_SECRET_ARN');
      return pages[name].documents ? f.bindBucket(documents.bucket, 'DOCUMENTS_BUCKET') : f;
    };
    this.functions = {
      // Sign-in hashes passwords with scrypt: CPU scales with memory.
      auth: fn('auth', 'Sign-in, tokens, users, JWKS', { memorySize: 1024 })
        .bindTable(table, 'TABLE_NAME')
        .bindTable(idempotencyTable, 'IDEMPOTENCY_TABLE_NAME')
        .bindSecret(signingSecret, 'SIGNING_KEY_SECRET_ARN'),
      calls: fn('calls', 'Reference data, organizations, pools, calls')
        .bindTable(table, 'TABLE_NAME')
        .bindTable(idempotencyTable, 'IDEMPOTENCY_TABLE_NAME')
        .bindSecret(publicKeysSecret, 'PUBLIC_KEYS_SECRET_ARN'),
      submissions: fn('submissions', 'Sealed submissions, receipts, attachments, screening')
        .bindTable(table, 'TABLE_NAME')
        .bindTable(idempotencyTable, 'IDEMPOTENCY_TABLE_NAME')
        .bindBucket(documents.bucket, 'DOCUMENTS_BUCKET')
        .bindSecret(publicKeysSecret, 'PUBLIC_KEYS_SECRET_ARN'),
      reviews: fn('reviews', 'Expert panels, conflicts, scoring, ranking, awards, notices')
        .bindTable(table, 'TABLE_NAME')
        .bindTable(idempotencyTable, 'IDEMPOTENCY_TABLE_NAME')
        .bindSecret(publicKeysSecret, 'PUBLIC_KEYS_SECRET_ARN'),
      contracts: fn('contracts', 'Contracts, amendments, milestone reports, evaluations, service statistics')
        .bindTable(table, 'TABLE_NAME')
        .bindTable(idempotencyTable, 'IDEMPOTENCY_TABLE_NAME')
        .bindBucket(documents.bucket, 'DOCUMENTS_BUCKET')
        .bindSecret(publicKeysSecret, 'PUBLIC_KEYS_SECRET_ARN'),
      finance: fn('finance', 'Disbursement requests, approvals and payments; the fund ledger')
        .bindTable(table, 'TABLE_NAME')
        .bindTable(idempotencyTable, 'IDEMPOTENCY_TABLE_NAME')
        .bindSecret(publicKeysSecret, 'PUBLIC_KEYS_SECRET_ARN'),
      admin: fn('admin', 'Platform administration: working calendar, accounts, jurisdictions, rule packs')
        .bindTable(table, 'TABLE_NAME')
        .bindTable(idempotencyTable, 'IDEMPOTENCY_TABLE_NAME'),
      audit: fn('audit', 'The audit trail and its verification (read-only)')
        .bindTable(table, 'TABLE_NAME', 'read')
        .bindSecret(publicKeysSecret, 'PUBLIC_KEYS_SECRET_ARN'),
      ...byName(WEB_FUNCTIONS, pageFunction),
      jobs: fn('jobs', 'Scheduled work: closes calls at the deadline', {
        timeout: Duration.seconds(50),
      }).bindTable(table, 'TABLE_NAME'),
      authorizer: fn('authorizer', 'HTTP API Lambda authorizer: verifies access tokens', {
        timeout: Duration.seconds(5),
      }).bindSecret(publicKeysSecret, 'PUBLIC_KEYS_SECRET_ARN'),
    };
    this.platformApi = new PlatformApi(this, 'Api', {
      apiName: `grant-platform-${s.stage}`,
      functions: {
        auth: this.functions.auth.fn,
        calls: this.functions.calls.fn,
        submissions: this.functions.submissions.fn,
        reviews: this.functions.reviews.fn,
        contracts: this.functions.contracts.fn,
        finance: this.functions.finance.fn,
        audit: this.functions.audit.fn,
        admin: this.functions.admin.fn,
        ...byName(WEB_FUNCTIONS, (name) => this.functions[name].fn as IFunction),
      },
      authorizerFunction: this.functions.authorizer.fn,
      throttle: { rateLimit: s.throttleRateLimit, burstLimit: s.throttleBurstLimit },
      authorizerCacheTtl: Duration.seconds(s.authorizerCacheSeconds),
      logRetention: s.logRetention,
      logRemovalPolicy,
    });

    // EventBridge rules exist in every partition (EventBridge Scheduler is not relied on).
    const schedule = new Rule(this, 'JobsSchedule', {
      description: 'Runs the jobs function every minute (deadlines, notice periods)',
      schedule: Schedule.rate(Duration.minutes(1)),
      // A missed tick is caught up by the next one: no retries piling up.
      targets: [new LambdaFunction(this.functions.jobs.fn, { retryAttempts: 0 })],
    });
    schedule.node.addDependency(this.functions.jobs.ready);

    this.acknowledgeFindings(s);

    new CfnOutput(this, 'ApiUrl', { value: this.platformApi.stage.url });
    new CfnOutput(this, 'DocumentsBucketName', { value: documents.bucket.bucketName });
    new CfnOutput(this, 'MainTableName', { value: table.tableName });
  }

  /**
   * cdk-nag AwsSolutions findings that are accepted, each with its reason, on the construct it
   * concerns (the infra tests fail on an acknowledgement that no longer matches a finding).
   */
  private acknowledgeFindings(s: PlatformSettings): void {
    for (const [routeKey, { def, route }] of this.platformApi.routes) {
      if (!def.isPublic) continue;
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${routeKey} is public by declaration in shared/authz/policy.ts (sign-in, registration, JWKS, published calls): there is no token to check yet.`,
      });
    }
    for (const [routeKey, { def, route }] of this.platformApi.pageRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${routeKey} serves the ${def.target} pages, which authenticate by HttpOnly session cookie inside the function (each page declares its roles in shared/authz/policy.ts); a bearer-token authorizer would refuse every browser request.`,
      });
    }
    Validations.of(this.platformApi.api.node.findChild('DefaultRoute')).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        '$default serves the server-rendered pages, which authenticate by HttpOnly session cookie inside the web function; a bearer-token authorizer would refuse every browser request.',
    });
    if (s.lambdaRuntime !== Runtime.NODEJS_24_X) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-L1',
        reason: `${s.lambdaRuntime.name} was chosen with -c lambdaRuntime (e.g. a region without nodejs24.x); the bundles target node22, so both runtimes run them.`,
      });
    }
  }
}

/** One value per name, as a record. */
function byName<K extends string, V>(names: readonly K[], value: (name: K) => V): Record<K, V> {
  return Object.fromEntries(names.map((name) => [name, value(name)])) as Record<K, V>;
}

/**
 * The API document is generated here, at synth time, from the same route specs the functions
 * serve, and shipped beside the web bundle: the web function never loads the API's routes.
 */
function openApiCopy(outputDir: string): string[] {
  const file = join(mkdtempSync(join(tmpdir(), 'gp-openapi-')), 'openapi.json');
  writeFileSync(file, JSON.stringify(staticOpenApi()));
  return [`cp "${file}" "${outputDir}/openapi.json"`];
}

/** Swagger UI assets beside the web bundle, where functions/web/docs.ts reads them at run time. */
function swaggerUiCopy(outputDir: string): string[] {
  const dist = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const files = Object.keys(DOC_ASSETS).map((f) => `"${join(dist, f)}"`);
  return [
    `mkdir -p "${outputDir}/swagger-ui"`,
    // Apache-2.0: the licence and notice travel with the copied files.
    `cp ${files.join(' ')} "${join(dist, 'LICENSE')}" "${join(dist, 'NOTICE')}" "${outputDir}/swagger-ui/"`,
  ];
}
