import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { demoUsers } from '../../infra/local/demo-data';
import { type Platform, startPlatform } from '../../infra/local/platform';
import { type DemoIds, seedDemo } from '../../infra/local/seed';
import { createLog } from '../../shared/http/log';

export interface TestPlatform extends Platform {
  demo: DemoIds;
  /** A clock the test can move: `platform.clock.set(...)`. */
  clock: { now: Date; set(d: Date): void; advance(ms: number): void };
  signIn(username: string, password?: string): Promise<string>;
  api(
    method: string,
    path: string,
    init?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string },
  ): Promise<Response>;
}

/**
 * The platform on the shared moto server with fresh tables of its own (small tables keep moto's
 * transactions fast), the seed article's demo data, and a movable clock.
 */
export async function testPlatform(options: { seed?: boolean; start?: Date } = {}): Promise<TestPlatform> {
  const clock = {
    now: options.start ?? new Date(),
    set(d: Date) {
      clock.now = d;
    },
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const id = randomUUID().slice(0, 8);
  const platform = await startPlatform({
    endpoint: inject('motoEndpoint'),
    now: () => clock.now,
    log: createLog({}, () => {}),
    config: {
      tableName: `t-${id}`,
      idempotencyTableName: `t-${id}-idem`,
      localKeyFile: join(mkdtempSync(join(tmpdir(), 'gp-keys-')), 'keys.json'),
    },
  });
  const demo = options.seed === false ? ({} as DemoIds) : await seedDemo(platform.deps);
  const api: TestPlatform['api'] = (method, path, init = {}) =>
    fetch(platform.url + path, {
      method,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.body !== undefined || init.raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...init.headers,
      },
      body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
    });
  const signIn = async (username: string, password?: string) => {
    const pw = password ?? demoUsers.find((u) => u.username === username)?.password;
    const res = await api('POST', '/auth/sign-in', { body: { username, password: pw } });
    if (res.status !== 200)
      throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  return { ...platform, demo, clock, api, signIn };
}
