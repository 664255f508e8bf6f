import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs `npm start`'s script the way a user does, and watches what it prints. */
function start(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const until = async (text: string, ms = 60_000) => {
    const end = Date.now() + ms;
    while (!out.includes(text)) {
      if (Date.now() > end) throw new Error(`timed out waiting for "${text}"; got:\n${out}`);
      if (child.exitCode !== null) throw new Error(`exited early:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { child, exited, until, output: () => out };
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

/** SIGKILL is asynchronous: the killed moto's port closes a moment after our process exits. */
async function closedWithin(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!(await listening(port))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('npm start', () => {
  it('serves the platform with demo data, prints the sign-ins, and Ctrl-C stops moto too', async () => {
    const run = start({});
    await run.until('Press Ctrl-C to stop.');
    const out = run.output();
    const url = /Pages\s+(http:\/\/127\.0\.0\.1:\d+)\//.exec(out)![1]!;
    const motoPort = Number(/Local DynamoDB\s+http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]);
    expect(out).toMatch(/officer\s+xun-officer\s+xun-officer-2026/);
    for (const role of ['applicant', 'reviewer', 'officer', 'finance', 'auditor'])
      expect(out).toContain(role);
    const calls = (await (await fetch(`${url}/public/calls`)).json()) as { items: { title: string }[] };
    expect(calls.items.map((c) => c.title).join()).toMatch(/浚县.*银川|银川.*浚县/);
    expect(await listening(motoPort)).toBe(true);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(await closedWithin(motoPort, 5000)).toBe(true);
  });

  it('says exactly how to install moto when it is missing', async () => {
    const run = start({ PATH: dirname(process.execPath) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('pip install "moto[server]"');
  });
});
