import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../shared/auth/passwords';
import { withCheckChar } from '../../shared/domain/credit-code';
import { OrganizationRepository } from '../../shared/organizations/repository';
import { UserRepository } from '../../shared/users/repository';
import type { TestPlatform } from './platform';

export const DAY = 24 * 3600_000;

/** A bid on lot 1 of the seeded Xun County tender (ceiling ¥600,000). */
export function bid(priceFen = 50_000_000, lot = '1') {
  const staff = Math.floor(priceFen * 0.7);
  return {
    kind: 'bid' as const,
    lot,
    priceFen,
    budgetLines: [
      { item: '社工人员薪酬', amountFen: staff },
      { item: '活动与督导', amountFen: priceFen - staff },
    ],
    proposal: '按镇（街道）开展困难群众排查探访、个案与小组工作、社区活动，每月督导一次。',
  };
}

/** An application to the seeded Yinchuan venture round (largest request ¥100,000). */
export function application(requestedFen = 8_000_000, stationId = 'st-640104003') {
  return {
    kind: 'application' as const,
    projectTitle: '“一老一小”邻里守望计划',
    requestedFen,
    stationId,
    recipientGroups: ['extremePoverty' as const, 'childrenInDifficulty' as const],
    targets: {
      visits: 600,
      cases: 12,
      groups: 8,
      activities: 24,
      peopleServed: { minimumLiving: 0, extremePoverty: 80, childrenInDifficulty: 60, disabled: 0, other: 0 },
    },
    summary: '为胜利街道特困老人和困境儿童提供探访、个案跟进与社区互助活动。',
  };
}

/**
 * A signed-in applicant of a fresh approved organization (registered at Hebi city level), or of
 * a seeded organization when `orgKey` is given.
 */
export async function applicantOf(p: TestPlatform, orgKey?: string): Promise<string> {
  const suffix = randomUUID().slice(0, 6);
  const username = `applicant-${suffix}`;
  const password = `${username}-password`;
  const iso = p.clock.now.toISOString();
  const user = {
    id: randomUUID(),
    username,
    name: `申报员 ${suffix}`,
    role: 'applicant' as const,
    jurisdictionId: '410600',
    jurisdictionPath: '410600/',
    status: 'active' as const,
    createdAt: iso,
    version: 1,
    passwordHash: await hashPassword(password),
  };
  if (orgKey) {
    await new UserRepository(p.deps.doc, p.deps.config.tableName).create({
      ...user,
      orgId: p.demo.orgs[orgKey]!,
    });
  } else {
    const orgs = new OrganizationRepository(p.deps.doc, p.deps.config.tableName);
    const orgId = randomUUID();
    const digits = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
    await orgs.register(
      {
        id: orgId,
        name: `鹤壁测试社会工作服务中心${suffix}`,
        creditCode: withCheckChar(`52410600MJY${digits}`),
        jurisdictionId: '410600',
        jurisdictionPath: '410600/',
        contactName: '联系人',
        contactPhone: '0392-5500000',
        status: 'pending',
        createdAt: iso,
        version: 1,
      },
      { ...user, orgId },
    );
    await orgs.decide(orgId, 1, 'approved', 'test', iso);
  }
  return p.signIn(username, password);
}

export async function json<T = Record<string, unknown>>(res: Response | Promise<Response>): Promise<T> {
  return (await (await res).json()) as T;
}

/** A problem body without the parts that differ per request. */
export const comparable = (b: Record<string, unknown>) => ({ ...b, requestId: 0, instance: 0 });
