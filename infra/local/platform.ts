import { type ServerType, serve } from '@hono/node-server';
import { API_APPS } from '../../functions/apis';
import { buildJobs } from '../../functions/jobs/app';
import { buildWebApps } from '../../functions/web/app';
import { buildOpenApi } from '../../functions/web/openapi';
import { keySource } from '../../shared/auth/key-source';
import { type Config, loadConfig } from '../../shared/config';
import { makeDocClient, makeDynamoClient } from '../../shared/db/client';
import type { Api } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { idempotencyStore } from '../../shared/http/idempotency';
import { createLog, type Log } from '../../shared/http/log';
import { functionFor, type HttpFunction } from '../../shared/http/routing';
import { type Moto, startMoto } from './moto';
import { motoTransactionGate } from './moto-gate';
import { createBucket, createTables } from './tables';

export interface PlatformOptions {
  /** A running DynamoDB-protocol server; when absent a moto server is started and owned. */
  endpoint?: string;
  port?: number;
  config?: Partial<Config>;
  now?: () => Date;
  log?: Log;
  /** Run the jobs function on a timer, like the EventBridge schedule (ms; 0 = never). */
  jobsEveryMs?: number;
}

export interface Platform {
  url: string;
  deps: Deps;
  /** The transaction gate on the local DynamoDB client (infra/local/moto-gate.ts). */
  gate?: { waitedMs: () => number };
  moto?: Moto;
  /** The request dispatcher, as API Gateway routes (usable without a socket). */
  fetch: (req: Request) => Response | Promise<Response>;
  stop(): Promise<void>;
}

export function localDeps(
  config: Config,
  now: () => Date = () => new Date(),
  log: Log = createLog({ service: 'grant-platform' }),
): Deps {
  const client = makeDynamoClient(config);
  return {
    config,
    doc: makeDocClient(client),
    keyRing: keySource(config, true),
    now,
    idempotency: idempotencyStore(config.idempotencyTableName, client),
    log,
  };
}

/** The whole platform in one process: every function's app behind one port, as API Gateway would route. */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const moto = options.endpoint ? undefined : await startMoto();
  try {
    const config: Config = {
      ...loadConfig(),
      localKeyFile: '.local/signing-keys.json',
      secureCookies: false,
      ...options.config,
      dynamoEndpoint: options.endpoint ?? moto!.endpoint,
      // moto serves S3 on the same port.
      s3Endpoint: options.config?.s3Endpoint ?? options.endpoint ?? moto!.endpoint,
    };
    const deps = localDeps(config, options.now, options.log);
    // moto does not isolate concurrent transactions (infra/local/moto-gate.ts): serialize them.
    const gate = motoTransactionGate(deps.doc);
    await createTables(makeDynamoClient(config), config);
    await createBucket(config);
    const apps = {
      ...(Object.fromEntries(Object.entries(API_APPS).map(([name, build]) => [name, build(deps)])) as Record<
        keyof typeof API_APPS,
        Api
      >),
      ...buildWebApps(deps, { openApi: () => buildOpenApi(deps) }),
    } satisfies Record<HttpFunction, Api>;
    const fetch = (req: Request) => apps[functionFor(new URL(req.url).pathname)].fetch(req);
    const jobs = buildJobs(deps);
    const timer = options.jobsEveryMs
      ? setInterval(
          () => void jobs.tick().catch((e) => deps.log.error('job failed', { error: String(e) })),
          options.jobsEveryMs,
        )
      : undefined;
    timer?.unref();
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    const addr = server.address();
    const url = `http://127.0.0.1:${addr && typeof addr === 'object' ? addr.port : options.port}`;
    return {
      url,
      deps,
      gate,
      moto,
      fetch,
      stop: async () => {
        if (timer) clearInterval(timer);
        await new Promise<void>((r) => server.close(() => r()));
        await moto?.stop();
      },
    };
  } catch (e) {
    await moto?.stop();
    throw e;
  }
}
