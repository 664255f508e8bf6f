import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

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

export async function startMoto(options: { port?: number; quiet?: boolean } = {}): Promise<Moto> {
  if (!motoAvailable()) throw new Error(MOTO_MISSING);
  hookExit();
  const port = options.port ?? (await freePort());
  const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
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
