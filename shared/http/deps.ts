import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { KeyRingSource } from '../auth/key-source';
import type { Principal } from '../auth/principal';
import type { Scope } from '../authz/policy';
import type { Config } from '../config';
import type { Log } from './log';

/** What every function's app is built from (`buildApp(deps)`); tests pass their own. */
export interface Deps {
  config: Config;
  doc: DynamoDBDocumentClient;
  /** Resolved lazily: in AWS the keys come from Secrets Manager on first use. */
  keyRing: KeyRingSource;
  now: () => Date;
  /**
   * The idempotency store, for functions whose routes create things (auth, calls). Functions
   * without such routes (web, jobs) leave it out and never load Powertools.
   */
  idempotency?: () => Promise<BasePersistenceLayer>;
  log: Log;
}

export interface ApiEnv {
  Variables: {
    deps: Deps;
    log: Log;
    requestId: string;
    principal?: Principal;
    /** The caller's object scope on the matched route (from POLICY). */
    scope?: Scope;
    routeKey?: string;
  };
}
