import { withCheckChar } from '../../shared/domain/credit-code';
import { pathFor } from '../../shared/jurisdictions/codes';
import type { Jurisdiction, Station } from '../../shared/jurisdictions/model';

/**
 * Demo data from the seed article (../shared/seed): Xun County (浚县) under Hebi (鹤壁市) with
 * its 11 township-level social-work stations, and Yinchuan (银川市) with its districts. Division
 * codes follow the national scheme (GB/T 2260); township codes are illustrative.
 */
const j = (
  id: string,
  name: string,
  nameEn: string,
  level: Jurisdiction['level'],
  parent?: Jurisdiction,
): Jurisdiction => ({
  id,
  name,
  nameEn,
  level,
  ...(parent ? { parentId: parent.id } : {}),
  // Paths start at the city; a province's is its two-digit prefix (shared/jurisdictions/codes.ts).
  path: pathFor(level, id, parent),
});

/** The provinces above the two cities (省 → 市): their departments oversee their cities. */
export const henan = j('410000', '河南省', 'Henan Province', 'province');
export const ningxia = j('640000', '宁夏回族自治区', 'Ningxia Hui Autonomous Region', 'province');
export const hebi = j('410600', '鹤壁市', 'Hebi City', 'city', henan);
export const xun = j('410621', '浚县', 'Xun County', 'county', hebi);

/** 7 towns and 4 streets; each has a station (一站一特色, with the features the article names). */
const XUN_TOWNSHIPS: [string, string, string, string?][] = [
  ['410621001', '浚州街道', 'Junzhou Street'],
  ['410621002', '黎阳街道', 'Liyang Street'],
  ['410621003', '卫溪街道', 'Weixi Street'],
  ['410621004', '伾山街道', 'Pishan Street'],
  ['410621101', '善堂镇', 'Shantang Town'],
  ['410621102', '屯子镇', 'Tunzi Town'],
  ['410621103', '新镇镇', 'Xinzhen Town'],
  ['410621104', '小河镇', 'Xiaohe Town', '五室联动 (five rooms working together)'],
  ['410621105', '卫贤镇', 'Weixian Town', '护童微座谈 (child-protection talks)'],
  ['410621106', '王庄镇', 'Wangzhuang Town'],
  ['410621107', '白寺镇', 'Baisi Town', '爱心小屋 (the caring hut)'],
];
export const xunTownships = XUN_TOWNSHIPS.map(([id, name, en]) => j(id, name, en, 'township', xun));
export const xunStations: Station[] = XUN_TOWNSHIPS.map(([id, name, , feature]) => ({
  id: `st-${id}`,
  name: `${name}社会工作服务站`,
  jurisdictionId: id,
  jurisdictionPath: `${xun.path}${id}/`,
  ...(feature ? { feature } : {}),
}));

export const yinchuan = j('640100', '银川市', 'Yinchuan City', 'city', ningxia);
const YC_DISTRICTS: [string, string, string][] = [
  ['640104', '兴庆区', 'Xingqing District'],
  ['640105', '西夏区', 'Xixia District'],
  ['640106', '金凤区', 'Jinfeng District'],
  ['640121', '永宁县', 'Yongning County'],
  ['640122', '贺兰县', 'Helan County'],
  ['640181', '灵武市', 'Lingwu City'],
];
export const ycDistricts = YC_DISTRICTS.map(([id, name, en]) => j(id, name, en, 'county', yinchuan));
const xingqing = ycDistricts[0]!;
const jinfeng = ycDistricts[2]!;
const lingwu = ycDistricts[5]!;
export const shengli = j('640104003', '胜利街道', 'Shengli Street', 'township', xingqing);
const ycTownships = [
  shengli,
  j('640106001', '满城北街街道', 'Manchengbei Street', 'township', jinfeng),
  j('640181100', '东塔镇', 'Dongta Town', 'township', lingwu),
];
const ycVillages = [
  j('640104003001', '上前社区', 'Shangqian Community', 'village', shengli),
  j('640104003002', '银虹社区', 'Yinhong Community', 'village', shengli),
  j('640106001001', '悦邻里社区', 'Yuelinli Community', 'village', ycTownships[1]),
  j('640181100001', '泾兴村', 'Jingxing Village', 'village', ycTownships[2]),
];
export const ycStations: Station[] = ycTownships.map((t) => ({
  id: `st-${t.id}`,
  name: `${t.name}社会工作服务站`,
  jurisdictionId: t.id,
  jurisdictionPath: t.path,
}));

export const jurisdictions = [
  henan,
  ningxia,
  hebi,
  xun,
  ...xunTownships,
  yinchuan,
  ...ycDistricts,
  ...ycTownships,
  ...ycVillages,
];
export const stations = [...xunStations, ...ycStations];

/** Organizations named in the article; credit codes are made valid by their check digit. */
export const organizations = [
  {
    key: 'qicai',
    name: '鹤壁七彩社会工作服务中心',
    creditCode: withCheckChar('52410600MJY00001Q'),
    jurisdiction: hebi,
    status: 'approved' as const,
  },
  {
    key: 'qianshou',
    name: '鹤壁牵手社会工作服务中心',
    creditCode: withCheckChar('52410600MJY00002U'),
    jurisdiction: hebi,
    status: 'approved' as const,
  },
  {
    key: 'cuncaoxin',
    name: '银川市寸草心社会工作服务中心',
    creditCode: withCheckChar('52640100MJX00003K'),
    jurisdiction: yinchuan,
    status: 'approved' as const,
  },
  {
    key: 'chunxi',
    name: '银川市春熙社会工作服务中心',
    creditCode: withCheckChar('52640100MJX00004A'),
    jurisdiction: yinchuan,
    status: 'pending' as const,
  },
];

/** Platform administrators belong to no jurisdiction (shared/users/admin.ts). */
const platform = { id: 'platform', path: 'platform/' };

/** One demo user per role; the passwords are printed by `npm start`. */
export const demoUsers = [
  // Two platform administrators (系统管理员): one publishes a calendar year, the other confirms.
  {
    username: 'admin',
    password: 'admin-2026',
    name: '平台管理员 甲',
    role: 'admin' as const,
    jurisdiction: platform,
  },
  {
    username: 'admin-2',
    password: 'admin-2-2026',
    name: '平台管理员 乙',
    role: 'admin' as const,
    jurisdiction: platform,
  },
  {
    username: 'xun-officer',
    password: 'xun-officer-2026',
    name: '浚县民政局 项目官员',
    role: 'officer' as const,
    jurisdiction: xun,
  },
  {
    // A second Xun County officer: awards need two (one proposes, another confirms).
    username: 'xun-officer-2',
    password: 'xun-officer-2-2026',
    name: '浚县民政局 复核官员',
    role: 'officer' as const,
    jurisdiction: xun,
  },
  {
    username: 'yc-officer',
    password: 'yc-officer-2026',
    name: '银川市民政局 项目官员',
    role: 'officer' as const,
    jurisdiction: yinchuan,
  },
  {
    username: 'xun-finance',
    password: 'xun-finance-2026',
    name: '浚县财政 财务',
    role: 'finance' as const,
    jurisdiction: xun,
  },
  {
    username: 'xun-auditor',
    password: 'xun-auditor-2026',
    name: '浚县 监督',
    role: 'auditor' as const,
    jurisdiction: xun,
  },
  {
    username: 'expert-zhang',
    password: 'expert-zhang-2026',
    name: '张专家',
    role: 'reviewer' as const,
    jurisdiction: hebi,
  },
  // The expert pool (专家库) of Hebi and Xun County: see `expertProfiles` below.
  ...(
    [
      ['expert-wang', '王专家', xun],
      ['expert-sun', '孙专家', xun],
      ['expert-zhao', '赵专家', hebi],
      ['expert-chen', '陈专家', hebi],
      ['expert-liu', '刘专家', xun],
      ['expert-yang', '杨专家', hebi],
      ['expert-huang', '黄专家', xun],
      ['expert-zhou', '周专家', hebi],
      ['xun-buyer-rep', '浚县民政局 采购人代表', xun],
    ] as const
  ).map(([username, name, jurisdiction]) => ({
    username,
    password: `${username}-2026`,
    name,
    role: 'reviewer' as const,
    jurisdiction,
  })),
  {
    username: 'qicai-applicant',
    password: 'qicai-applicant-2026',
    name: '七彩 申报员',
    role: 'applicant' as const,
    jurisdiction: hebi,
    org: 'qicai',
  },
  {
    username: 'chunxi-applicant',
    password: 'chunxi-applicant-2026',
    name: '春熙 申报员',
    role: 'applicant' as const,
    jurisdiction: yinchuan,
    org: 'chunxi',
  },
];

/**
 * Expert profiles of the demo reviewers: nine experts and one buyer representative (采购人代表,
 * not an expert), enough for the Xun County tender's 5-member committee plus reserves.
 * 陈专家 advises 鹤壁七彩: a draw for a call 七彩 bids on excludes him.
 */
export const expertProfiles: {
  username: string;
  expertise: string[];
  affiliations: string[];
  isExpert: boolean;
}[] = [
  { username: 'expert-zhang', expertise: ['社会工作', '项目评估'], affiliations: [], isExpert: true },
  { username: 'expert-wang', expertise: ['社会工作', '儿童保护'], affiliations: [], isExpert: true },
  { username: 'expert-sun', expertise: ['财务审计'], affiliations: [], isExpert: true },
  { username: 'expert-zhao', expertise: ['社会救助政策'], affiliations: [], isExpert: true },
  { username: 'expert-chen', expertise: ['社区治理', '社会工作'], affiliations: ['qicai'], isExpert: true },
  { username: 'expert-liu', expertise: ['养老服务'], affiliations: [], isExpert: true },
  { username: 'expert-yang', expertise: ['残疾人服务'], affiliations: [], isExpert: true },
  { username: 'expert-huang', expertise: ['心理咨询', '个案管理'], affiliations: [], isExpert: true },
  { username: 'expert-zhou', expertise: ['政府采购', '合同管理'], affiliations: [], isExpert: true },
  { username: 'xun-buyer-rep', expertise: ['困难群众救助'], affiliations: [], isExpert: false },
];
