import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { POLICY } from '../../shared/authz/policy';
import {
  functionFor,
  type HttpFunction,
  isWebFunction,
  type JsonApiFunction,
  type WebFunction,
} from '../../shared/http/routing';

export interface ApiRoute {
  /** API Gateway route key, e.g. `GET /calls/{id}`. */
  routeKey: string;
  method: HttpMethod;
  path: string;
  target: JsonApiFunction;
  isPublic: boolean;
}

/**
 * The explicit routes: one per POLICY entry served by a JSON API function, with Hono's
 * `:param` turned into API Gateway's `{param}`. Pages are not listed here (pageRoutes).
 */
export function apiRoutes(): ApiRoute[] {
  const routes: ApiRoute[] = [];
  for (const [key, access] of Object.entries(POLICY)) {
    const [method, honoPath] = key.split(' ');
    const target = functionFor(honoPath);
    if (isWebFunction(target)) continue;
    const path = honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    routes.push({
      routeKey: `${method} ${path}`,
      method: HttpMethod[method as keyof typeof HttpMethod],
      path,
      target,
      isPublic: access === 'public',
    });
  }
  return routes;
}

export interface PageGroupRoute {
  /** API Gateway route key, e.g. `ANY /officer/calls/{id}`. */
  routeKey: string;
  path: string;
  target: Exclude<WebFunction, 'web'>;
}

/**
 * The page groups' routes: one per path a page of POLICY declares and `functionFor` gives to a
 * page group (PAGE_GROUPS in shared/http/routing.ts), any method, to that group's function. No
 * authorizer: pages authenticate by session cookie inside the function. Routes without a greedy
 * variable are always preferred to `$default`, so nested groups (`/officer/calls/{id}/review`
 * beside `/officer/calls/{id}`) need no precedence rule. Everything else goes to `web`.
 */
export function pageRoutes(): PageGroupRoute[] {
  const routes = new Map<string, PageGroupRoute>();
  for (const key of Object.keys(POLICY)) {
    const honoPath = key.split(' ')[1]!;
    const target = functionFor(honoPath);
    if (!isWebFunction(target) || target === 'web') continue;
    const path = honoPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    // One route per path shape: `{id}` and `{callId}` in the same place are the same route.
    const shape = path.replace(/\{[^}]+\}/g, '{}');
    if (!routes.has(shape)) routes.set(shape, { routeKey: `ANY ${path}`, path, target });
  }
  return [...routes.values()];
}

/** One access-log line per request, JSON, without query strings, headers or bodies. */
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    method: '$context.httpMethod',
    path: '$context.path',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    userId: '$context.authorizer.userId',
  }),
);

export interface PlatformApiProps {
  apiName: string;
  functions: Record<HttpFunction, IFunction>;
  authorizerFunction: IFunction;
  /** Default-stage throttling: steady requests per second and burst. */
  throttle: { rateLimit: number; burstLimit: number };
  authorizerCacheTtl: Duration;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
}

/**
 * The HTTP API: explicit routes to the JSON API functions, each non-public one behind the
 * Lambda authorizer; the page groups' prefixes to their page functions, and everything else
 * (`$default`) to the web function, never behind the authorizer. One `$default` stage with
 * access logs and throttling.
 */
export class PlatformApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly authorizer: HttpLambdaAuthorizer;
  /** The explicit routes by route key, with what they were built from. */
  readonly routes = new Map<string, { def: ApiRoute; route: HttpRoute }>();
  /** The page groups' routes by route key. */
  readonly pageRoutes = new Map<string, { def: PageGroupRoute; route: HttpRoute }>();

  constructor(scope: Construct, id: string, props: PlatformApiProps) {
    super(scope, id);
    // One Lambda permission per function for the whole API, not one per route.
    const integration = (name: HttpFunction) =>
      new HttpLambdaIntegration(`${name}-integration`, props.functions[name], {
        scopePermissionToRoute: false,
      });

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: props.apiName,
      description: 'Grant and venture management platform / 政府购买服务与公益创投管理平台',
      createDefaultStage: false,
      defaultIntegration: integration('web'),
    });

    this.authorizer = new HttpLambdaAuthorizer('TokenAuthorizer', props.authorizerFunction, {
      authorizerName: 'access-token',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: props.authorizerCacheTtl,
    });

    const integrations = new Map<HttpFunction, HttpLambdaIntegration>();
    const integrationOf = (name: HttpFunction) => {
      if (!integrations.has(name)) integrations.set(name, integration(name));
      return integrations.get(name)!;
    };
    for (const def of apiRoutes()) {
      const route = new HttpRoute(this, `Route ${def.routeKey.replaceAll('/', '|')}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(def.path, def.method),
        integration: integrationOf(def.target),
        authorizer: def.isPublic ? undefined : this.authorizer,
      });
      this.routes.set(def.routeKey, { def, route });
    }
    for (const def of pageRoutes()) {
      const route = new HttpRoute(this, `Pages ${def.routeKey.replaceAll('/', '|')}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(def.path, HttpMethod.ANY),
        integration: integrationOf(def.target),
      });
      this.pageRoutes.set(def.routeKey, { def, route });
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });
  }
}
