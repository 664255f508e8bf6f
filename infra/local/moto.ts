import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * The local DynamoDB-protocol server: moto in server mode on a free loopback port
 * (ARCHITECTURE.md, "The local DynamoDB server"). Stopped with SIGTERM, then SIGKILL.
 */
export interface Moto {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export const MOTO_MISSING = [
  'moto_server was not found on PATH.',
  'Install it with:  pip install "moto[server]"   (or: pipx install "moto[server]")',
  'Or point the platform at another DynamoDB endpoint with DYNAMODB_ENDPOINT=http://host:port.',
].join('\n');

export function motoAvailable(): boolean {
  return spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const live = new Set<ChildProcess>();
let hooked = false;

/** Kills every moto this process started, whatever way the process ends. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const p of live) p.kill('SIGKILL');
  };
  process.on('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}

/** The interpreter moto_server runs with (a pipx venv, pyenv…), read from its shebang, or python3. */
function motoPython(): string {
  const dir = process.env.PATH?.split(':').find((d) => existsSync(join(d, 'moto_server')));
  const shebang = dir ? readFileSync(join(dir, 'moto_server'), 'utf8').split('\n')[0]! : '';
  return /^#!\s*(\S*python\S*)/.exec(shebang)?.[1] ?? 'python3';
}

/**
 * `serial`: moto's own application served one request at a time (werkzeug, threaded=False).
 * moto's TransactWriteItems is not isolated between server threads (a cancelled transaction
 * restores a snapshot of the whole table); a test of concurrent money writes runs against this.
 */
const SERIAL_SCRIPT = [
  'import sys',
  'from werkzeug.serving import run_simple',
  'from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app',
  "run_simple('127.0.0.1', int(sys.argv[1]), DomainDispatcherApplication(create_backend_app), threaded=False)",
].join('\n');

export async function startMoto(
  options: { port?: number; quiet?: boolean; serial?: boolean } = {},
): Promise<Moto> {
  if (!motoAvailable()) throw new Error(MOTO_MISSING);
  hookExit();
  const port = options.port ?? (await freePort());
  const [command, args] = options.serial
    ? [motoPython(), ['-c', SERIAL_SCRIPT, String(port)]]
    : ['moto_server', ['-H', '127.0.0.1', '-p', String(port)]];
  const child = spawn(command, args, {
    stdio: options.quiet === false ? 'inherit' : 'ignore',
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'false' },
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (res.status < 500) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('moto_server did not start within 20 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
