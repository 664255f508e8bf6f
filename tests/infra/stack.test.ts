import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AssetStaging } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../infra/app';
import {
  CHUNK_PACKAGE_JSON,
  ESM_BANNER,
  FUNCTIONS,
  type FunctionName,
  LAZY_CHUNKS,
} from '../../infra/bundling';
import { pageRoutes } from '../../infra/constructs/platform-api';
import type { GrantPlatformStack } from '../../infra/stack';
import { POLICY } from '../../shared/authz/policy';
import { IDEMPOTENCY_TABLE, MAIN_TABLE, type TableDefinition } from '../../shared/db/table';
import { functionFor, isWebFunction, WEB_FUNCTIONS } from '../../shared/http/routing';
import { actionsOf, appContext, logicalId, type Statement, statementsOfRole, touches } from './helpers';

// One synthesis, with real esbuild bundling, shared by every test in this file.
let stack: GrantPlatformStack;
let template: Template;
let json: string;
const fnId = (name: FunctionName | 'keys') =>
  logicalId(name === 'keys' ? stack.keys.keysFunction.fn : stack.functions[name].fn);
const roleId = (name: FunctionName | 'keys') =>
  logicalId(name === 'keys' ? stack.keys.keysFunction.role : stack.functions[name].role);
const statements = (name: FunctionName | 'keys'): Statement[] => statementsOfRole(template, roleId(name));
const ALL = [...(Object.keys(FUNCTIONS) as FunctionName[]), 'keys' as const];
/** The page functions whose pages read or upload attachments. */
const PAGES_WITH_DOCUMENTS: readonly string[] = [
  'web-applicant',
  'web-reviewer',
  'web-review',
  'web-contracts',
];
/** The directory CDK staged a function's bundle in. */
const stagedDir = (name: FunctionName | 'keys') => {
  const fn = name === 'keys' ? stack.keys.keysFunction.fn : stack.functions[name].fn;
  return fn.node.findAll().find((c): c is AssetStaging => c instanceof AssetStaging)!.absoluteStagedPath;
};

beforeAll(() => {
  ({ stack } = createApp({ context: appContext() }));
  template = Template.fromStack(stack);
  json = JSON.stringify(template.toJSON());
}, 120_000);

describe('tables', () => {
  const tableOf = (def: TableDefinition) => {
    const tables = template.findResources('AWS::DynamoDB::Table', {
      Properties: { KeySchema: Match.arrayWith([{ AttributeName: def.partitionKey, KeyType: 'HASH' }]) },
    });
    expect(Object.keys(tables)).toHaveLength(1);
    return Object.values(tables)[0];
  };

  it('has exactly the two tables of shared/db/table.ts', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
  });

  it.each([
    ['main', MAIN_TABLE],
    ['idempotency', IDEMPOTENCY_TABLE],
  ])('builds the %s table from its definition: keys, GSIs, TTL', (_name, def) => {
    const t = tableOf(def).Properties;
    expect(t.KeySchema).toEqual([
      { AttributeName: def.partitionKey, KeyType: 'HASH' },
      ...(def.sortKey ? [{ AttributeName: def.sortKey, KeyType: 'RANGE' }] : []),
    ]);
    expect(
      (t.GlobalSecondaryIndexes ?? []).map((ix: Record<string, unknown>) => ({
        name: ix.IndexName,
        keys: ix.KeySchema,
        projection: ix.Projection,
      })),
    ).toEqual(
      def.indexes.map((ix) => ({
        name: ix.name,
        keys: [
          { AttributeName: ix.partitionKey, KeyType: 'HASH' },
          { AttributeName: ix.sortKey, KeyType: 'RANGE' },
        ],
        projection: { ProjectionType: 'ALL' },
      })),
    );
    for (const a of t.AttributeDefinitions) expect(a.AttributeType).toBe('S');
    expect(t.TimeToLiveSpecification).toEqual({ AttributeName: def.ttlAttribute, Enabled: true });
  });

  it.each([
    ['main', MAIN_TABLE],
    ['idempotency', IDEMPOTENCY_TABLE],
  ])('protects the %s table: PITR, deletion protection, encryption, on demand, retained', (_name, def) => {
    const t = tableOf(def);
    expect(t.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(t.Properties.DeletionProtectionEnabled).toBe(true);
    expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(t.DeletionPolicy).toBe('Retain');
  });
});

describe('functions', () => {
  const lambdas = () => Object.entries(template.findResources('AWS::Lambda::Function'));

  it('deploys every function of infra/bundling.ts and the keys function', () => {
    expect(lambdas()).toHaveLength(Object.keys(FUNCTIONS).length + 1);
  });

  it('runs every function on arm64 with nodejs22.x or newer, without X-Ray', () => {
    for (const [id, fn] of lambdas()) {
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
      const version = /^nodejs(\d+)\.x$/.exec(fn.Properties.Runtime)?.[1];
      expect(Number(version), `${id} runtime ${fn.Properties.Runtime}`).toBeGreaterThanOrEqual(22);
      expect(fn.Properties.TracingConfig, id).toBeUndefined();
      expect(fn.Properties.Handler).toBe('index.handler');
    }
    template.resourceCountIs('AWS::Lambda::Url', 0);
  });

  it('ships ESM bundles with the createRequire banner', () => {
    for (const name of ALL) {
      const bundle = readFileSync(join(stagedDir(name), 'index.mjs'), 'utf8');
      expect(bundle.startsWith(ESM_BANNER.slice(0, 30)), name).toBe(true);
    }
  });

  it('copies the Swagger UI assets and the API document beside the web bundle only', () => {
    for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js', 'LICENSE']) {
      expect(existsSync(join(stagedDir('web'), 'swagger-ui', file)), file).toBe(true);
    }
    expect(existsSync(join(stagedDir('web'), 'openapi.json'))).toBe(true);
    for (const name of WEB_FUNCTIONS.filter((n) => n !== 'web')) {
      expect(existsSync(join(stagedDir(name), 'swagger-ui')), name).toBe(false);
      expect(existsSync(join(stagedDir(name), 'openapi.json')), name).toBe(false);
    }
  });

  it('ships each lazy chunk beside every bundle that imports it, ESM, and nowhere else', () => {
    const importers: (FunctionName | 'keys')[] = [];
    const draftImporters: (FunctionName | 'keys')[] = [];
    for (const name of ALL) {
      const dir = stagedDir(name);
      const bundle = readFileSync(join(dir, 'index.mjs'), 'utf8');
      for (const file of Object.keys(LAZY_CHUNKS)) {
        const imports = bundle.includes(`"./${file}"`);
        expect(existsSync(join(dir, file)), `${name}: ${file}`).toBe(imports);
        if (!imports) continue;
        (file === 'statutory.js' ? draftImporters : importers).push(name);
        expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(CHUNK_PACKAGE_JSON);
        expect(readFileSync(join(dir, file), 'utf8').startsWith(ESM_BANNER.slice(0, 30)), file).toBe(true);
      }
    }
    // Attachments (and report evidence) are handled by these functions: the S3 client loads on
    // first use, not at cold start.
    expect(importers.sort()).toEqual([
      'contracts',
      'submissions',
      'web-applicant',
      'web-contracts',
      'web-review',
      'web-reviewer',
    ]);
    // The statutory holiday draft and its lunar library: only platform administration loads them.
    expect(draftImporters.sort()).toEqual(['admin', 'web-admin']);
    for (const name of draftImporters)
      expect(readFileSync(join(stagedDir(name), 'index.mjs'), 'utf8'), name).not.toContain('getJieQiTable');
    for (const name of importers) {
      const bundle = readFileSync(join(stagedDir(name), 'index.mjs'), 'utf8');
      expect(bundle, name).not.toContain('AmazonS3');
      expect(readFileSync(join(stagedDir(name), 's3-ops.js'), 'utf8')).toContain('AmazonS3');
    }
  });

  it('ships a self-contained S3 chunk that loads and signs a download URL', async () => {
    const chunk = pathToFileURL(join(stagedDir('web-applicant'), 's3-ops.js')).href;
    const { documentOps } = (await import(chunk)) as typeof import('../../shared/db/s3-ops');
    // An endpoint of its own (as locally): fixed credentials, no credential lookup; signing is offline.
    const endpoint = 'http://127.0.0.1:9';
    const ops = documentOps({ region: 'cn-north-1', documentsBucket: 'documents', s3Endpoint: endpoint });
    const url = new URL(await ops.signedGet({ key: 'submissions/s1/u-a.pdf', fileName: '方案.pdf' }, 60));
    expect(`${url.origin}${url.pathname}`).toBe(`${endpoint}/documents/submissions/s1/u-a.pdf`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('60');
    expect(url.searchParams.get('response-content-disposition')).toContain('%E6%96%B9%E6%A1%88.pdf');
  });

  it('gives every function its own log group with a retention', () => {
    for (const name of ALL) {
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: fnId(name) }]] },
        RetentionInDays: Match.anyValue(),
      });
    }
  });

  it('sets each function’s environment', () => {
    const env = (name: FunctionName) =>
      template.toJSON().Resources[fnId(name)].Properties.Environment.Variables as Record<string, unknown>;
    const common = ['TOKEN_ISSUER', 'TOKEN_AUDIENCE', 'SECURE_COOKIES'];
    expect(Object.keys(env('auth')).sort()).toEqual(
      [...common, 'TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'SIGNING_KEY_SECRET_ARN'].sort(),
    );
    // Every page function signs (sessions are refreshed in place); only those with attachments see the bucket.
    for (const name of WEB_FUNCTIONS) {
      const documents = PAGES_WITH_DOCUMENTS.includes(name) ? ['DOCUMENTS_BUCKET'] : [];
      expect(Object.keys(env(name)).sort(), name).toEqual(
        [...common, 'TABLE_NAME', 'SIGNING_KEY_SECRET_ARN', ...documents].sort(),
      );
    }
    expect(Object.keys(env('submissions')).sort()).toEqual(
      [
        ...common,
        'TABLE_NAME',
        'IDEMPOTENCY_TABLE_NAME',
        'DOCUMENTS_BUCKET',
        'PUBLIC_KEYS_SECRET_ARN',
      ].sort(),
    );
    expect(Object.keys(env('reviews')).sort()).toEqual(
      [...common, 'TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'PUBLIC_KEYS_SECRET_ARN'].sort(),
    );
    expect(Object.keys(env('calls')).sort()).toEqual(
      [...common, 'TABLE_NAME', 'IDEMPOTENCY_TABLE_NAME', 'PUBLIC_KEYS_SECRET_ARN'].sort(),
    );
    expect(Object.keys(env('authorizer')).sort()).toEqual([...common, 'PUBLIC_KEYS_SECRET_ARN'].sort());
    // jobs never verifies a token: it is not even told where the keys are.
    expect(Object.keys(env('jobs')).sort()).toEqual([...common, 'TABLE_NAME'].sort());
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      expect(env(name).SECURE_COOKIES).toBe('true');
      expect(env(name).TOKEN_ISSUER).toBe(env('auth').TOKEN_ISSUER);
      expect(env(name).TOKEN_AUDIENCE).toBe(env('auth').TOKEN_AUDIENCE);
    }
  });
});

describe('HTTP API routes', () => {
  const apiEntries = Object.entries(POLICY)
    .map(([key, access]) => {
      const [method, path] = key.split(' ');
      return { method, path, access, fn: functionFor(path) };
    })
    .filter((e) => !isWebFunction(e.fn));
  const routes = () => Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
  const integrationFor = (fn: FunctionName) => {
    const [id] = Object.entries(template.findResources('AWS::ApiGatewayV2::Integration')).find(
      ([, i]) =>
        JSON.stringify(i.Properties.IntegrationUri) === JSON.stringify({ 'Fn::GetAtt': [fnId(fn), 'Arn'] }),
    )!;
    return { 'Fn::Join': ['', ['integrations/', { Ref: id }]] };
  };
  const authorizerId = () => Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];

  it('has one route per JSON API entry of POLICY, one per page-group path, plus $default', () => {
    expect(apiEntries.length).toBeGreaterThan(0);
    expect(routes()).toHaveLength(apiEntries.length + pageRoutes().length + 1);
  });

  it.each(apiEntries.map((e) => [`${e.method} ${e.path}`, e] as const))(
    'routes %s to its function, behind the authorizer unless public',
    (_key, e) => {
      const routeKey = `${e.method} ${e.path.replace(/:(\w+)/g, '{$1}')}`;
      const matches = routes().filter((r) => r.Properties.RouteKey === routeKey);
      expect(matches).toHaveLength(1);
      const route = matches[0].Properties;
      expect(route.Target).toEqual(integrationFor(e.fn as FunctionName));
      if (e.access === 'public') {
        expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
        expect(route.AuthorizerId).toBeUndefined();
      } else {
        expect(route.AuthorizationType).toBe('CUSTOM');
        expect(route.AuthorizerId).toEqual({ Ref: authorizerId() });
      }
    },
  );

  /**
   * The route API Gateway picks for a request: a matching route key without a greedy variable
   * (literal segments before path variables, the method before ANY), else a greedy one, else
   * `$default`.
   */
  const gatewayRoute = (method: string, path: string) => {
    const all = routes().map((r) => r.Properties);
    const match = (key: string) => {
      const [m, p] = key.split(' ');
      if (m !== method && m !== 'ANY') return false;
      const re = p.replace(/\{[^/}]+\+\}/, '.+').replace(/\{[^/}]+\}/g, '[^/]+');
      return new RegExp(`^${re}$`).test(path);
    };
    const hits = all.filter((r) => r.RouteKey !== '$default' && match(r.RouteKey));
    const exact = hits.filter((r) => !r.RouteKey.includes('+}'));
    // Literal segments before variables, the method before ANY.
    const variables = (key: string) => key.split('{').length;
    const pick = (rs: typeof hits) =>
      rs.sort(
        (a, b) =>
          variables(a.RouteKey) - variables(b.RouteKey) ||
          Number(a.RouteKey.startsWith('ANY ')) - Number(b.RouteKey.startsWith('ANY ')),
      )[0];
    return pick(exact) ?? pick(hits) ?? all.find((r) => r.RouteKey === '$default');
  };

  it.each(
    Object.keys(POLICY)
      .map((key) => [key, functionFor(key.split(' ')[1])] as const)
      .filter(([, fn]) => isWebFunction(fn)),
  )('routes the page %s to %s, without the authorizer', (key, fn) => {
    const [method, path] = key.split(' ');
    const route = gatewayRoute(method, path.replace(/:\w+/g, 'x1'));
    expect(route.Target).toEqual(integrationFor(fn as FunctionName));
    expect(route.AuthorizationType ?? 'NONE').toBe('NONE');
    expect(route.AuthorizerId).toBeUndefined();
  });

  it('sends other paths to web, as functionFor does for everything outside the page groups', () => {
    expect(pageRoutes().length).toBeGreaterThan(0);
    for (const p of ['/', '/home', '/sign-in', '/open-calls/x1', '/officers', '/reviewers/x']) {
      expect(gatewayRoute('GET', p).Target, p).toEqual(integrationFor('web'));
      expect(functionFor(p), p).toBe('web');
    }
    // Nested groups: the review pages of a call are not the call's page.
    expect(gatewayRoute('POST', '/officer/calls/c1/panel').Target).toEqual(integrationFor('web-review'));
    expect(gatewayRoute('POST', '/officer/calls/c1').Target).toEqual(integrationFor('web-officer'));
    expect(gatewayRoute('GET', '/officer/calls/new').Target).toEqual(integrationFor('web-officer'));
  });

  it('sends everything else to the web function, without the authorizer', () => {
    const defaults = routes().filter((r) => r.Properties.RouteKey === '$default');
    expect(defaults).toHaveLength(1);
    expect(defaults[0].Properties.Target).toEqual(integrationFor('web'));
    expect(defaults[0].Properties.AuthorizationType ?? 'NONE').toBe('NONE');
    expect(defaults[0].Properties.AuthorizerId).toBeUndefined();
    // No page route is declared at the gateway: pages check the session cookie themselves.
    const webKeys = Object.keys(POLICY).filter((k) => functionFor(k.split(' ')[1]) === 'web');
    for (const key of webKeys) {
      expect(routes().some((r) => r.Properties.RouteKey === key)).toBe(false);
    }
  });

  it('uses one Lambda authorizer: simple responses, Authorization header, short cache', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
    const a = template.findResources('AWS::ApiGatewayV2::Authorizer')[authorizerId()].Properties;
    expect(a.AuthorizerType).toBe('REQUEST');
    expect(a.EnableSimpleResponses).toBe(true);
    expect(a.AuthorizerPayloadFormatVersion).toBe('2.0');
    expect(a.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(a.AuthorizerResultTtlInSeconds).toBeGreaterThan(0);
    expect(a.AuthorizerResultTtlInSeconds).toBeLessThanOrEqual(300);
    expect(JSON.stringify(a.AuthorizerUri)).toContain(`"${fnId('authorizer')}"`);
  });
});

describe('HTTP API stage', () => {
  it('logs every request as JSON to a log group with a retention', () => {
    const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
    expect(stages).toHaveLength(1);
    const stage = stages[0].Properties;
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
    const logGroupId = stage.AccessLogSettings.DestinationArn['Fn::GetAtt'][0];
    expect(template.toJSON().Resources[logGroupId].Type).toBe('AWS::Logs::LogGroup');
    expect(template.toJSON().Resources[logGroupId].Properties.RetentionInDays).toBeGreaterThanOrEqual(180);
    const format = JSON.parse(stage.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      sourceIp: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
    });
  });

  it('throttles the default stage', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });
});

describe('jobs schedule', () => {
  it('invokes the jobs function every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('jobs'), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [fnId('jobs'), 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });
});

describe('signing keys', () => {
  const signing = () => logicalId(stack.keys.signingSecret);
  const publicKeys = () => logicalId(stack.keys.publicKeysSecret);

  it('keeps the signing key and the public keys in two secrets', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
  });

  it('generates the first key set with a custom resource backed by the keys function', () => {
    template.hasResourceProperties('Custom::SigningKeys', {
      ServiceToken: { 'Fn::GetAtt': [fnId('keys'), 'Arn'] },
      SigningSecretArn: { Ref: signing() },
      PublicKeysSecretArn: { Ref: publicKeys() },
    });
  });

  it('rotates the signing secret with the keys function, not immediately on deploy', () => {
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: { Ref: signing() },
      RotationLambdaARN: { 'Fn::GetAtt': [fnId('keys'), 'Arn'] },
      RotateImmediatelyOnUpdate: false,
      RotationRules: { ScheduleExpression: Match.stringLikeRegexp('^rate\\(\\d+ days\\)$') },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [fnId('keys'), 'Arn'] },
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });
});

describe('least privilege', () => {
  const secretActions = (name: FunctionName | 'keys', secretId: string) =>
    statements(name)
      .filter((s) => touches(s, secretId))
      .flatMap(actionsOf)
      .filter((a) => a.startsWith('secretsmanager:'));
  const signing = () => logicalId(stack.keys.signingSecret);
  const publicKeys = () => logicalId(stack.keys.publicKeysSecret);
  const mainTable = () => logicalId(stack.node.findChild('MainTable').node.findChild('Table'));
  const idemTable = () => logicalId(stack.node.findChild('IdempotencyTable').node.findChild('Table'));

  it('uses no managed policies and no wildcard actions or resources', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
    for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
      for (const s of policy.Properties.PolicyDocument.Statement as Statement[]) {
        for (const a of actionsOf(s)) expect(a).not.toMatch(/\*/);
        // The one resource wildcard: objects under the documents bucket's submissions/ prefix.
        const resource = JSON.stringify(s.Resource).replace(
          /\["DocumentsBucket\w+","Arn"\]\},"\/submissions\/\*"/,
          '',
        );
        expect(resource).not.toMatch(/\*/);
      }
    }
  });

  it('lets only auth and the page functions (which refresh sessions) read the signing key', () => {
    for (const name of ['auth', ...WEB_FUNCTIONS] as const) {
      expect(secretActions(name, signing()), name).toContain('secretsmanager:GetSecretValue');
    }
    const others = (Object.keys(FUNCTIONS) as FunctionName[]).filter(
      (n) => n !== 'auth' && !(WEB_FUNCTIONS as readonly string[]).includes(n),
    );
    for (const name of others) {
      expect(secretActions(name, signing()), name).toEqual([]);
    }
  });

  it('lets calls and the authorizer read the public keys', () => {
    expect(secretActions('calls', publicKeys())).toContain('secretsmanager:GetSecretValue');
    expect(secretActions('authorizer', publicKeys())).toContain('secretsmanager:GetSecretValue');
  });

  it('gives the authorizer no table access and jobs no secret access', () => {
    expect(
      statements('authorizer')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:')),
    ).toEqual([]);
    expect(
      statements('jobs')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('secretsmanager:')),
    ).toEqual([]);
    expect(statements('jobs').some((s) => touches(s, idemTable()))).toBe(false);
  });

  it('lets the API functions use both tables, the page functions the main one only, and nobody Scan', () => {
    for (const name of ['auth', 'calls', 'submissions', 'reviews'] as const) {
      const st = statements(name);
      expect(st.some((s) => touches(s, mainTable()) && actionsOf(s).includes('dynamodb:PutItem'))).toBe(true);
      expect(st.some((s) => touches(s, idemTable()) && actionsOf(s).includes('dynamodb:PutItem'))).toBe(true);
    }
    for (const name of WEB_FUNCTIONS) {
      expect(
        statements(name).some((s) => touches(s, mainTable())),
        name,
      ).toBe(true);
      expect(
        statements(name).some((s) => touches(s, idemTable())),
        name,
      ).toBe(false);
    }
    expect(json).not.toContain('dynamodb:Scan');
  });

  it('lets the keys function write the secrets but read only the signing one', () => {
    expect(secretActions('keys', signing()).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    expect(secretActions('keys', publicKeys())).toEqual(['secretsmanager:PutSecretValue']);
    expect(
      statements('keys')
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('dynamodb:')),
    ).toEqual([]);
  });

  it('lets each function write only to its own log group', () => {
    for (const name of ALL) {
      const logs = statements(name).filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
      expect(logs).toHaveLength(1);
      const logGroupId = (logs[0].Resource as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      expect(JSON.stringify(template.toJSON().Resources[logGroupId].Properties.LogGroupName)).toContain(
        `"${fnId(name)}"`,
      );
    }
  });
});

describe('documents bucket', () => {
  it('lets only the functions that handle attachments put and get documents', () => {
    const s3 = (name: FunctionName | 'keys') =>
      statements(name)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('s3:'))
        .sort();
    const withDocuments = ['contracts', 'submissions', ...PAGES_WITH_DOCUMENTS];
    for (const name of ALL) {
      expect(s3(name), name).toEqual(withDocuments.includes(name) ? ['s3:GetObject', 's3:PutObject'] : []);
    }
  });

  it('blocks public access, encrypts, versions and logs access', () => {
    const buckets = template.findResources('AWS::S3::Bucket', {
      Properties: { VersioningConfiguration: { Status: 'Enabled' } },
    });
    expect(Object.keys(buckets)).toHaveLength(1);
    const b = Object.values(buckets)[0];
    expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(b.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toHaveLength(1);
    expect(b.Properties.LoggingConfiguration.DestinationBucketName).toBeDefined();
    expect(b.DeletionPolicy).toBe('Retain');
  });

  it('refuses plain-HTTP requests on every bucket', () => {
    const buckets = Object.keys(template.findResources('AWS::S3::Bucket'));
    for (const id of buckets) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });
});

describe('partition awareness', () => {
  it('has no hard-coded arn:aws: anywhere in the template', () => {
    expect(json).not.toContain('arn:aws:');
    expect(json).toContain('"AWS::Partition"');
  });

  it('depends on no service missing from the China regions', () => {
    expect(json).not.toMatch(/"Type":"AWS::(Cognito|XRay|Scheduler)::/);
    expect(json).not.toContain('AWS::Lambda::Url');
  });
});
