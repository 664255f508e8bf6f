import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../shared/auth/passwords';
import { withCheckChar } from '../../shared/domain/credit-code';
import { OrganizationRepository } from '../../shared/organizations/repository';
import type { TestPlatform } from './platform';

/** A fresh approved organization (registered in Xun County) with one applicant who can sign in. */
export async function approvedApplicant(p: TestPlatform, orgName: string) {
  const suffix = randomUUID().slice(0, 6);
  const username = `applicant-${suffix}`;
  const password = `${username}-password`;
  const iso = p.clock.now.toISOString();
  const orgId = randomUUID();
  const orgs = new OrganizationRepository(p.deps.doc, p.deps.config.tableName);
  const digits = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  await orgs.register(
    {
      id: orgId,
      name: orgName,
      creditCode: withCheckChar(`52410621MJY${digits}`),
      jurisdictionId: '410621',
      jurisdictionPath: '410600/410621/',
      contactName: '联系人',
      contactPhone: '0392-5500000',
      status: 'pending',
      createdAt: iso,
      version: 1,
    },
    {
      id: randomUUID(),
      username,
      name: `申报员 ${suffix}`,
      role: 'applicant',
      orgId,
      jurisdictionId: '410621',
      jurisdictionPath: '410600/410621/',
      status: 'active',
      createdAt: iso,
      version: 1,
      passwordHash: await hashPassword(password),
    },
  );
  await orgs.decide(orgId, 1, 'approved', 'test', iso);
  return { username, password, orgId, orgName };
}

/** A cookie-keeping page client that follows no redirects (what a browser does, seen from the server). */
export class PageClient {
  readonly jar = new Map<string, string>();
  constructor(private readonly p: TestPlatform) {}

  async req(method: string, path: string, form?: Record<string, string>) {
    const res = await fetch(this.p.url + path, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        ...(this.jar.size ? { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair!.indexOf('=');
      const [name, value] = [pair!.slice(0, i), pair!.slice(i + 1)];
      if (!value || /max-age=0/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  /** Posts a form with this browser's CSRF token (opening a page first when it has none). */
  async post(path: string, form: Record<string, string>) {
    if (!this.jar.get('gp_csrf')) await this.req('GET', '/');
    return this.req('POST', path, { _csrf: this.jar.get('gp_csrf') ?? '', ...form });
  }

  async signIn(username: string, password = `${username}-2026`) {
    await this.req('GET', '/sign-in');
    const res = await this.post('/sign-in', { username, password });
    if (res.status !== 303) throw new Error(`page sign-in of ${username} answered ${res.status}`);
    return this;
  }
}
