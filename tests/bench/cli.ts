import { demoUsers } from '../../infra/local/demo-data';

/** A positive integer from `--name=N`, else from the environment variable `env`, else `fallback`. */
export function option(name: string, fallback: number, env?: string): number {
  const flag = process.argv.find((a) => a.startsWith(`--${name}=`));
  const raw = flag ? flag.slice(name.length + 3) : env ? process.env[env] : undefined;
  const n = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not ${raw}`);
  return n;
}

/** Signs a demo user in through the local server; its access token. */
export async function signIn(url: string, username: string): Promise<string> {
  const password = demoUsers.find((u) => u.username === username)?.password;
  const res = await fetch(`${url}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}
