import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../shared/auth/passwords';
import type { Principal } from '../../shared/auth/principal';
import type { CallInput } from '../../shared/calls/model';
import { CallService } from '../../shared/calls/service';
import type { Deps } from '../../shared/http/deps';
import { JurisdictionRepository } from '../../shared/jurisdictions/repository';
import { OrganizationRepository } from '../../shared/organizations/repository';
import type { Pool } from '../../shared/pools/model';
import { PoolRepository } from '../../shared/pools/repository';
import { ReviewRepository } from '../../shared/reviews/repository';
import { UserRepository } from '../../shared/users/repository';
import { bootstrapPlatform } from '../bootstrap/bootstrap';
import {
  demoUsers,
  expertProfiles,
  jurisdictions,
  organizations,
  stations,
  xun,
  xunStations,
  yinchuan,
} from './demo-data';

const DAY = 24 * 3600_000;

export interface DemoIds {
  orgs: Record<string, string>;
  users: Record<string, Principal>;
  pools: { xun: string; yinchuan: string };
  calls: { purchase: string; venture: string };
}

/** Loads the seed article's places, organizations, one user per role, two pools and two published calls. */
export async function seedDemo(deps: Deps): Promise<DemoIds> {
  const table = deps.config.tableName;
  const now = deps.now();
  const iso = now.toISOString();
  // The bootstrap of every deployment (calendar years, first administrator), then the demo.
  await bootstrapPlatform(deps);
  await new JurisdictionRepository(deps.doc, table).putAll(jurisdictions, stations);

  const orgRepo = new OrganizationRepository(deps.doc, table);
  const userRepo = new UserRepository(deps.doc, table);
  const orgs: Record<string, string> = {};
  const users: Record<string, Principal> = {};
  const hashes = await Promise.all(demoUsers.map((u) => hashPassword(u.password)));
  for (const o of organizations) {
    const id = randomUUID();
    orgs[o.key] = id;
    const u = demoUsers.find((d) => 'org' in d && d.org === o.key);
    const org = {
      id,
      name: o.name,
      creditCode: o.creditCode,
      jurisdictionId: o.jurisdiction.id,
      jurisdictionPath: o.jurisdiction.path,
      contactName: u?.name ?? '联系人',
      contactPhone: '0392-5500000',
      status: 'pending' as const,
      createdAt: iso,
      version: 1,
    };
    const user = u ?? { username: `${o.key}-admin`, name: `${o.name} 管理员`, password: randomUUID() };
    const userId = randomUUID();
    await orgRepo.register(org, {
      id: userId,
      username: user.username,
      name: user.name,
      role: 'applicant',
      orgId: id,
      jurisdictionId: o.jurisdiction.id,
      jurisdictionPath: o.jurisdiction.path,
      status: 'active',
      createdAt: iso,
      version: 1,
      passwordHash: u ? hashes[demoUsers.indexOf(u)]! : await hashPassword(user.password),
    });
    if (u)
      users[u.username] = {
        userId,
        role: 'applicant',
        name: u.name,
        orgId: id,
        jurisdictionId: o.jurisdiction.id,
        jurisdictionPath: o.jurisdiction.path,
      };
    if (o.status === 'approved') await orgRepo.decide(id, 1, 'approved', 'seed', iso);
  }
  for (const [i, u] of demoUsers.entries()) {
    if ('org' in u) continue;
    const id = randomUUID();
    await userRepo.create({
      id,
      username: u.username,
      name: u.name,
      role: u.role,
      jurisdictionId: u.jurisdiction.id,
      jurisdictionPath: u.jurisdiction.path,
      status: 'active',
      createdAt: iso,
      version: 1,
      passwordHash: hashes[i]!,
    });
    users[u.username] = {
      userId: id,
      role: u.role,
      name: u.name,
      jurisdictionId: u.jurisdiction.id,
      jurisdictionPath: u.jurisdiction.path,
    };
  }

  // 专家库: the demo reviewers' expert profiles (affiliations name organizations by key).
  const reviews = new ReviewRepository(deps.doc, table);
  await Promise.all(
    expertProfiles.map((e) => {
      const u = users[e.username]!;
      return reviews.createExpert({
        userId: u.userId,
        name: u.name,
        jurisdictionPath: u.jurisdictionPath,
        expertise: e.expertise,
        affiliations: e.affiliations.map((k) => orgs[k]!),
        isExpert: e.isExpert,
        active: true,
        createdAt: iso,
        createdBy: 'seed',
        updatedAt: iso,
        version: 1,
      });
    }),
  );

  const poolRepo = new PoolRepository(deps.doc, table);
  const fiscalYear = now.getUTCFullYear() + (now.getUTCMonth() >= 10 ? 1 : 0);
  const xunPool: Pool = {
    id: randomUUID(),
    name: `浚县${fiscalYear}年度政府购买社会工作服务资金`,
    // 省级困难群众救助补助资金的 2% 用于政府购买服务，整合未成年人保护资金：每年约 120 万元。
    sources: [
      { kind: 'social-assistance-subsidy', note: '省级困难群众救助补助资金总量的 2%' },
      { kind: 'minor-protection', note: '未成年人保护资金' },
    ],
    fiscalYear,
    jurisdictionId: xun.id,
    jurisdictionPath: xun.path,
    budgetFen: 1_200_000 * 100,
    committedFen: 0,
    disbursedFen: 0,
    createdAt: iso,
    createdBy: users['xun-officer']!.userId,
    version: 1,
  };
  const ycPool: Pool = {
    ...xunPool,
    id: randomUUID(),
    name: `银川市${fiscalYear}年度公益创投资金`,
    // 市级财政每年安排 200 万元实施公益创投项目。
    sources: [{ kind: 'city-budget', note: '市级财政每年安排 200 万元' }],
    jurisdictionId: yinchuan.id,
    jurisdictionPath: yinchuan.path,
    budgetFen: 2_000_000 * 100,
    createdBy: users['yc-officer']!.userId,
  };
  await poolRepo.create(xunPool);
  await poolRepo.create(ycPool);

  const service = new CallService(deps);
  const periods = {
    enquiryStartsAt: new Date(now.getTime() - DAY).toISOString(),
    enquiryEndsAt: new Date(now.getTime() + 20 * DAY).toISOString(),
    submissionOpensAt: new Date(now.getTime() - DAY).toISOString(),
    deadline: new Date(now.getTime() + 30 * DAY).toISOString(),
  };
  const purchase = await service.create(purchaseCall(xunPool.id, periods, fiscalYear), users['xun-officer']!);
  const venture = await service.create(ventureCall(ycPool.id, periods, fiscalYear), users['yc-officer']!);
  await service.publish(purchase, purchase.version);
  await service.publish(venture, venture.version);
  return {
    orgs,
    users,
    pools: { xun: xunPool.id, yinchuan: ycPool.id },
    calls: { purchase: purchase.id, venture: venture.id },
  };
}

export function purchaseCall(poolId: string, periods: CallInput['periods'], year: number): CallInput {
  const north = xunStations.slice(0, 6);
  const south = xunStations.slice(6);
  return {
    kind: 'purchase',
    poolId,
    jurisdictionId: xun.id,
    title: `浚县${year}年度镇（街道）社会工作服务站运营服务采购项目`,
    description:
      '采购 11 个镇（街道）社会工作服务站一年的运营服务：困难群众排查与探访建档、个案与小组工作、社区活动、资源链接，以及培训与督导。',
    category: 'services',
    priceFixed: false,
    lots: [
      {
        code: '1',
        name: `第一标包：${north.map((s) => s.name.replace('社会工作服务站', '')).join('、')}`,
        ceilingFen: 600_000 * 100,
      },
      {
        code: '2',
        name: `第二标包：${south.map((s) => s.name.replace('社会工作服务站', '')).join('、')}`,
        ceilingFen: 500_000 * 100,
      },
    ],
    periods,
    rubric: {
      pricePoints: 10,
      groups: [
        {
          name: '服务方案',
          indicators: [
            {
              id: 'T1',
              name: '需求分析',
              maxPoints: 15,
              criteria:
                '对辖区低保、特困、困境儿童、残疾人等对象需求分析准确具体得 11–15 分；较具体得 6–10 分；笼统得 0–5 分。',
            },
            {
              id: 'T2',
              name: '服务内容与产出指标',
              maxPoints: 25,
              criteria:
                '探访、个案、小组、社区活动产出指标量化且可核查得 19–25 分；部分量化得 10–18 分；未量化得 0–9 分。',
            },
          ],
        },
        {
          name: '团队与资质',
          indicators: [
            { id: 'T3', name: '持证社工', maxPoints: 15, criteria: '每名持证社会工作者 3 分，最高 15 分。' },
            {
              id: 'T4',
              name: '督导安排',
              maxPoints: 10,
              criteria: '有固定督导且每月不少于一次得 10 分；不定期得 5 分；无得 0 分。',
            },
          ],
        },
        {
          name: '管理与业绩',
          indicators: [
            {
              id: 'T5',
              name: '管理制度',
              maxPoints: 15,
              criteria: '财务、档案、安全、服务质量制度齐全得 15 分，每缺一项扣 4 分。',
            },
            {
              id: 'T6',
              name: '同类项目业绩',
              maxPoints: 10,
              criteria: '近三年每个同类项目 2 分，最高 10 分。',
            },
          ],
        },
      ],
    },
    scoring: {
      method: 'mean',
      abnormalLowPercent: 20,
      outlierPoints: 15,
      committee: { size: 5, experts: 4 },
      complex: false,
    },
    paymentTemplate: [
      { milestone: 'signing', percent: 40 },
      { milestone: 'midterm', percent: 30 },
      { milestone: 'final', percent: 30 },
    ],
    noticeWorkingDays: 5,
  };
}

export function ventureCall(poolId: string, periods: CallInput['periods'], year: number): CallInput {
  return {
    kind: 'venture',
    poolId,
    jurisdictionId: yinchuan.id,
    title: `银川市${year}年度社会工作公益创投项目`,
    description: '围绕关爱“一老一小”、特殊群体服务、社区微治理，资助社会工作机构设计实施的公益项目。',
    category: 'services',
    priceFixed: false,
    lots: [],
    venture: { totalFundingFen: 2_000_000 * 100, maxRequestFen: 100_000 * 100, minScore: 60 },
    periods,
    rubric: {
      pricePoints: 0,
      groups: [
        {
          name: '项目设计',
          indicators: [
            {
              id: 'V1',
              name: '需求与目标',
              maxPoints: 25,
              criteria: '服务对象与需求明确、目标可衡量得 19–25 分。',
            },
            {
              id: 'V2',
              name: '服务计划',
              maxPoints: 25,
              criteria: '活动安排、进度与产出指标具体可行得 19–25 分。',
            },
          ],
        },
        {
          name: '执行与保障',
          indicators: [
            { id: 'V3', name: '团队能力', maxPoints: 20, criteria: '项目负责人与社工资质、经验。' },
            { id: 'V4', name: '预算合理性', maxPoints: 15, criteria: '预算明细与活动对应、单价合理。' },
            {
              id: 'V5',
              name: '可持续性',
              maxPoints: 15,
              criteria: '资源链接、志愿者与社区参与、项目结束后的延续。',
            },
          ],
        },
      ],
    },
    scoring: {
      method: 'trimmed-mean',
      abnormalLowPercent: 20,
      outlierPoints: 15,
      committee: { size: 5, experts: 5 },
      complex: false,
    },
    paymentTemplate: [
      { milestone: 'signing', percent: 50 },
      { milestone: 'final', percent: 50 },
    ],
    noticeWorkingDays: 5,
  };
}
