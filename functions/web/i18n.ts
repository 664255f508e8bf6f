/**
 * Page text, Chinese first and English second. Every visible string of the pages comes either
 * from the `l(zh, en)` helper of the page context (both languages required by its signature) or
 * from the bilingual tables below. Domain errors carry both languages themselves.
 */
import type { Role } from '../../shared/auth/principal';
import type { Jurisdiction } from '../../shared/jurisdictions/model';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export type Text = readonly [zh: string, en: string];

export const isLang = (v: string | undefined): v is Lang => v === 'zh' || v === 'en';
export const pick = (lang: Lang, text: Text): string => (lang === 'zh' ? text[0] : text[1]);

export const APP_NAME: Text = ['政府购买服务与公益创投管理平台', 'Grant and Venture Management Platform'];

export const ROLE: Record<Role, Text> = {
  applicant: ['社工机构', 'Social-work organization'],
  reviewer: ['评审专家', 'Expert reviewer'],
  officer: ['民政局项目官员', 'Program officer'],
  finance: ['财务人员', 'Finance officer'],
  auditor: ['监督人员', 'Auditor'],
  admin: ['系统管理员', 'Platform administrator'],
};

export const ORG_STATUS: Record<'pending' | 'approved' | 'rejected', Text> = {
  pending: ['待审核', 'Pending approval'],
  approved: ['已通过', 'Approved'],
  rejected: ['未通过', 'Rejected'],
};

export const CALL_STATUS: Record<'draft' | 'published' | 'closed', Text> = {
  draft: ['草稿', 'Draft'],
  published: ['已发布', 'Published'],
  closed: ['已截止', 'Closed'],
};

export const CALL_KIND: Record<'purchase' | 'venture', Text> = {
  purchase: ['政府购买服务', 'Government purchase of services'],
  venture: ['公益创投', 'Public-benefit venture'],
};

export const CATEGORY: Record<'services' | 'goods', Text> = {
  services: ['服务', 'Services'],
  goods: ['货物', 'Goods'],
};

export const POOL_SOURCE: Record<string, Text> = {
  'social-assistance-subsidy': ['困难群众救助补助资金', 'Social-assistance subsidy for people in difficulty'],
  'minor-protection': ['未成年人保护资金', 'Minor-protection funds'],
  'city-budget': ['市级财政预算', 'City budget'],
  'county-social-assistance': ['县（区）社会救助资金', 'County social-assistance funds'],
  'community-charity': ['社区慈善基金', 'Community charity fund'],
  other: ['其他来源', 'Other source'],
};

export const MILESTONE: Record<'signing' | 'midterm' | 'final', Text> = {
  signing: ['签约后（首付款）', 'On signing (first payment)'],
  midterm: ['中期评估后（中期款）', 'After the mid-term evaluation'],
  final: ['末期评估后（尾款）', 'After the final evaluation (final payment)'],
};

export const SCORING_METHOD: Record<'mean' | 'trimmed-mean', Text> = {
  mean: ['各评委评分的算术平均值', 'Arithmetic mean of the members’ scores'],
  'trimmed-mean': ['去掉一个最高分和一个最低分后取平均', 'Mean after dropping the highest and lowest score'],
};

export const LEVEL: Record<Jurisdiction['level'], Text> = {
  province: ['省（自治区）', 'province / region'],
  city: ['市', 'city'],
  county: ['县（区）', 'county / district'],
  township: ['乡镇（街道）', 'township / street'],
  village: ['村（社区）', 'village / community'],
};

export const jurisdictionName = (lang: Lang, j: Pick<Jurisdiction, 'name' | 'nameEn'> | undefined) =>
  j ? (lang === 'zh' ? j.name : j.nameEn) : '—';

/** Labels of form fields, used beside each input and in the error summary. */
export const FIELD: Record<string, Text> = {
  // platform administration: the working calendar
  noticeTitle: ['通知标题', "Notice's title"],
  noticeNumber: ['通知文号', 'Document number'],
  noticeDate: ['通知日期', "Notice's date"],
  holidays: ['放假日期（每行：日期 节日）', 'Days off (one per line: date festival)'],
  workdays: ['调休上班日期（每行：日期 节日）', 'Swapped working days (one per line: date festival)'],
  correctionReason: ['更正理由', 'Reason for the correction'],
  year: ['年份', 'Year'],
  // platform administration: jurisdictions and stations
  divisionCode: ['区划代码', 'Division code'],
  divisionName: ['名称', 'Name'],
  divisionNameEn: ['英文名称', 'English name'],
  level: ['层级', 'Level'],
  parentId: ['上级辖区代码', "Parent's division code"],
  stationName: ['社工站名称', "Station's name"],
  address: ['地址', 'Address'],
  staffCount: ['社工人数', 'Social workers'],
  feature: ['一站一特色', 'Signature programme'],
  stationStatus: ['运行状态', 'Status'],
  // sign-in and registration
  username: ['用户名', 'Username'],
  password: ['密码', 'Password'],
  password2: ['确认密码', 'Repeat the password'],
  displayName: ['您的姓名', 'Your name'],
  'organization.name': ['机构名称', 'Organization name'],
  'organization.creditCode': ['统一社会信用代码', 'Unified social credit code'],
  'organization.jurisdictionId': ['所在辖区', 'Jurisdiction'],
  'organization.contactName': ['联系人', 'Contact person'],
  'organization.contactPhone': ['联系电话', 'Contact telephone'],
  'organization.contactEmail': ['电子邮箱（选填）', 'Email (optional)'],
  // users
  name: ['姓名', 'Name'],
  role: ['角色', 'Role'],
  jurisdictionId: ['辖区', 'Jurisdiction'],
  // pools
  'pool.name': ['资金池名称', 'Pool name'],
  fiscalYear: ['预算年度', 'Fiscal year'],
  budget: ['预算金额（元）', 'Budget (yuan)'],
  sources: ['资金来源', 'Sources of the money'],
  // calls
  kind: ['项目类型', 'Kind of call'],
  poolId: ['资金池', 'Fund pool'],
  title: ['项目名称', 'Title'],
  description: ['项目说明', 'Description'],
  category: ['采购品目', 'Category'],
  priceFixed: ['政府定价（不设价格分）', 'Price fixed by the government (no price score)'],
  lots: ['标包', 'Lots'],
  venture: ['创投资助条款', 'Venture funding terms'],
  'venture.total': ['本轮资助总额（元）', 'Total funding of the round (yuan)'],
  'venture.maxRequest': ['单个项目申请上限（元）', 'Largest request per project (yuan)'],
  'venture.minScore': ['最低立项分数', 'Minimum score to be funded'],
  periods: ['时间安排', 'Timetable'],
  'periods.enquiryStartsAt': ['答疑开始', 'Enquiries open'],
  'periods.enquiryEndsAt': ['答疑截止', 'Enquiries close'],
  'periods.submissionOpensAt': ['开始递交', 'Submissions open'],
  'periods.deadline': ['递交截止时间', 'Submission deadline'],
  rubric: ['评分细则', 'Scoring rubric'],
  'rubric.pricePoints': ['价格分', 'Price points'],
  scoring: ['评审规则', 'Scoring rules'],
  'scoring.method': ['评分汇总方法', 'How member scores are combined'],
  'scoring.abnormalLowPercent': ['异常低价阈值（%）', 'Abnormally low price threshold (%)'],
  'scoring.outlierPoints': ['评分偏离提示阈值（分）', 'Outlier reviewer threshold (points)'],
  'scoring.committee.size': ['评审委员会人数', 'Committee members'],
  'scoring.committee.experts': ['其中专家人数', 'of whom experts'],
  'scoring.complex': ['技术复杂项目', 'Technically complex project'],
  pay: ['拨付计划', 'Payment schedule'],
  noticeWorkingDays: ['公示期（工作日）', 'Public notice (working days)'],
  amendmentReason: ['更正理由', 'Reason for the amendment'],
  reason: ['不予通过的理由', 'Reason for rejecting'],
  version: ['版本', 'Version'],
  // submissions
  lot: ['投标标包', 'Lot bid on'],
  price: ['投标报价（元）', 'Bid price (yuan)'],
  budgetLines: ['预算明细', 'Budget lines'],
  proposal: ['服务方案', 'Service proposal'],
  projectTitle: ['项目名称', 'Project title'],
  requested: ['申请资助金额（元）', 'Amount requested (yuan)'],
  stationId: ['实施社工站', 'Social-work station'],
  recipientGroups: ['服务对象类别', 'Recipient groups'],
  targets: ['产出目标', 'Output targets'],
  't.visits': ['探访人次', 'Visits'],
  't.cases': ['个案数', 'Case work'],
  't.groups': ['小组数', 'Group work'],
  't.activities': ['社区活动次数', 'Community activities'],
  summary: ['项目概要', 'Project summary'],
  file: ['附件文件', 'File'],
  explanation: ['报价说明', 'Price explanation'],
  // review
  comment: ['总体评语', 'Overall comment'],
  seed: ['抽取种子（选填）', 'Seed (optional)'],
  reserves: ['备选专家人数', 'Reserve experts'],
  reasons: ['不符合资格的理由', 'Reasons for ineligibility'],
  eligible: ['资格审查结论', 'Screening decision'],
  answer: ['答复内容', 'Answer'],
  outcome: ['答复结论', 'Outcome'],
  text: ['质疑内容', 'Challenge'],
};

export const SUBMISSION_STATUS: Record<'draft' | 'submitted' | 'withdrawn', Text> = {
  draft: ['草稿', 'Draft'],
  submitted: ['已递交', 'Submitted'],
  withdrawn: ['已撤回', 'Withdrawn'],
};

export const RECIPIENT: Record<
  'minimumLiving' | 'extremePoverty' | 'childrenInDifficulty' | 'disabled' | 'other',
  Text
> = {
  minimumLiving: ['低保对象', 'Minimum-living-allowance recipients'],
  extremePoverty: ['特困人员', 'Extreme-poverty dependents'],
  childrenInDifficulty: ['困境儿童', 'Children in difficulty'],
  disabled: ['残疾人', 'People with disabilities'],
  other: ['其他困难群众', 'Other people in difficulty'],
};

export const AWARD_STATUS: Record<'proposed' | 'confirmed' | 'final' | 'cancelled', Text> = {
  proposed: ['待确认', 'Proposed'],
  confirmed: ['公示中', 'On public notice'],
  final: ['已生效', 'Final'],
  cancelled: ['已撤销', 'Cancelled'],
};

export const SHEET_STATUS: Record<'none' | 'draft' | 'submitted', Text> = {
  none: ['未评分', 'Not started'],
  draft: ['草稿', 'Draft'],
  submitted: ['已提交', 'Submitted'],
};

export const fieldLabel = (lang: Lang, name: string): string => {
  const direct = FIELD[name];
  if (direct) return pick(lang, direct);
  // Table rows: lot.2.ceiling → "Lots, row 3"; ind.0.points → "Scoring rubric, row 1".
  const row = /^(lot|ind|src)\.([\w-]+)\.(\w+)$/.exec(name);
  if (row) {
    const [, table, index, column] = row;
    if (table === 'src')
      return `${pick(lang, FIELD.sources!)} · ${pick(lang, POOL_SOURCE[index!] ?? ['', ''])}`;
    const n = Number(index) + 1;
    const colText = COLUMN[column!];
    const what = pick(lang, table === 'lot' ? FIELD.lots! : FIELD.rubric!);
    const col = colText ? pick(lang, colText) : column;
    return lang === 'zh' ? `${what}第 ${n} 行 ${col}` : `${what}, row ${n}, ${col}`;
  }
  const bl = /^bl\.(\d+)\.(item|amount)$/.exec(name);
  if (bl) {
    const n = Number(bl[1]) + 1;
    const col = pick(lang, COLUMN[bl[2]!]!);
    return lang === 'zh'
      ? `${pick(lang, FIELD.budgetLines!)}第 ${n} 行 ${col}`
      : `${pick(lang, FIELD.budgetLines!)}, row ${n}, ${col}`;
  }
  const ps = /^ps\.(\w+)$/.exec(name);
  if (ps) {
    const cat = pick(lang, RECIPIENT[ps[1] as 'other'] ?? ['', '']);
    return lang === 'zh' ? `服务人数 · ${cat}` : `People served · ${cat}`;
  }
  const score = /^(score|cmt)\.([\w-]+)$/.exec(name);
  if (score)
    return score[1] === 'score'
      ? lang === 'zh'
        ? `指标 ${score[2]} 得分`
        : `Indicator ${score[2]} points`
      : lang === 'zh'
        ? `指标 ${score[2]} 评语`
        : `Indicator ${score[2]} comment`;
  const pay = /^pay\.(\w+)$/.exec(name);
  if (pay) return `${pick(lang, FIELD.pay!)} · ${pick(lang, MILESTONE[pay[1] as 'signing'] ?? ['', ''])}`;
  return name;
};

const COLUMN: Record<string, Text> = {
  code: ['编号', 'code'],
  name: ['名称', 'name'],
  ceiling: ['最高限价', 'ceiling'],
  station: ['社工站', 'station'],
  group: ['一级指标', 'group'],
  id: ['编号', 'id'],
  points: ['分值', 'points'],
  criteria: ['评分标准', 'criteria'],
  item: ['支出项目', 'item'],
  amount: ['金额（元）', 'amount (yuan)'],
};

// ---- Contracts, milestone reports, evaluations, disbursements, ledger, audit (issue 4) ----------

export const TRANCHE_STATUS: Record<
  'pending' | 'due' | 'requested' | 'approved' | 'paid' | 'withheld',
  Text
> = {
  pending: ['未到期（里程碑未达成）', 'Pending (milestone not met)'],
  due: ['可申请拨付', 'Due'],
  requested: ['已申请，待财务审批', 'Requested, awaiting approval'],
  approved: ['已审批，待支付', 'Approved, awaiting payment'],
  paid: ['已支付', 'Paid'],
  withheld: ['不予支付（绩效评价）', 'Withheld (evaluation)'],
};

export const CONTRACT_STATUS: Record<'active' | 'completed', Text> = {
  active: ['履行中', 'Active'],
  completed: ['已履行完毕', 'Completed'],
};

export const REPORT_STATUS: Record<'submitted' | 'approved' | 'returned', Text> = {
  submitted: ['待审核', 'Awaiting review'],
  approved: ['已通过', 'Approved'],
  returned: ['已退回', 'Returned'],
};

export const REPORT_MILESTONE: Record<'midterm' | 'final', Text> = {
  midterm: ['中期报告', 'Mid-term report'],
  final: ['末期报告', 'Final report'],
};

export const EVALUATION_STAGE: Record<'midterm' | 'final', Text> = {
  midterm: ['中期评估', 'Mid-term evaluation'],
  final: ['末期评估', 'Final evaluation'],
};

export const DISBURSEMENT_STATUS: Record<'requested' | 'approved' | 'paid' | 'rejected', Text> = {
  requested: ['待审批', 'Awaiting approval'],
  approved: ['已审批，待支付', 'Approved, awaiting payment'],
  paid: ['已支付', 'Paid'],
  rejected: ['已退回', 'Rejected'],
};

export const EVALUATION_GROUP: Record<'decision' | 'process' | 'outputs' | 'benefits', Text> = {
  decision: ['决策', 'Decision'],
  process: ['过程', 'Process'],
  outputs: ['产出', 'Outputs'],
  benefits: ['效益', 'Benefits'],
};

export const GRADE_TEXT: Record<'优' | '良' | '中' | '差', Text> = {
  优: ['优（90 分及以上）', 'Excellent (90 and above)'],
  良: ['良（80–89.99 分）', 'Good (80–89.99)'],
  中: ['中（60–79.99 分）', 'Fair (60–79.99)'],
  差: ['差（60 分以下）', 'Poor (below 60)'],
};

/** Service outputs of a milestone report (服务产出), in the order of the report form. */
export const SERVICE_OUTPUT: Record<'visits' | 'cases' | 'groups' | 'activities' | 'peopleServed', Text> = {
  visits: ['探访建档（人次）', 'Visits'],
  cases: ['个案工作（个）', 'Case work'],
  groups: ['小组工作（个）', 'Group work'],
  activities: ['社区活动（场）', 'Community activities'],
  peopleServed: ['服务困难群众（人）', 'People served'],
};

export const LEDGER_KIND: Record<'commit' | 'release' | 'disburse', Text> = {
  commit: ['承诺', 'Commitment'],
  release: ['释放', 'Release'],
  disburse: ['拨付', 'Payment'],
};

/** "Unclassified" of the statistics: the part of a total a report gave no breakdown for. */
export const UNCLASSIFIED: Text = ['未分类', 'Unclassified'];

const REPORT_FIELDS: Record<string, Text> = {
  milestone: ['报告阶段', 'Milestone'],
  month: ['报告月份', 'Month reported'],
  resources: ['链接资源金额（元）', 'Resources linked (yuan)'],
  'training.sessions': ['培训次数', 'Training sessions'],
  'training.hours': ['培训时长（小时）', 'Training hours'],
  'supervision.sessions': ['督导次数', 'Supervision sessions'],
  'supervision.hours': ['督导时长（小时）', 'Supervision hours'],
  narrative: ['服务情况说明', 'Narrative'],
  evidence: ['证明材料清单（选填）', 'Evidence (optional)'],
  comments: ['审核意见', 'Comments'],
  startDate: ['合同开始日期', 'Start date'],
  endDate: ['合同结束日期', 'End date'],
  periodReason: ['履行期限超过一年的理由', 'Why the period exceeds one year'],
  stationIds: ['服务社工站', 'Stations served'],
  amount: ['合同金额（元）', 'Contract amount (yuan)'],
  amendReason: ['变更理由', 'Reason for the amendment'],
  bankReference: ['银行流水号', 'Bank reference'],
  paidOn: ['支付日期', 'Payment date'],
  rejectReason: ['退回理由', 'Reason for rejecting'],
  stage: ['评估阶段', 'Stage'],
  evalComments: ['评价意见（选填）', 'Comments (optional)'],
  sheet: ['评价表', 'Evaluation sheet'],
};
for (const [output, text] of Object.entries(SERVICE_OUTPUT)) {
  REPORT_FIELDS[`${output}.total`] = [`${text[0]} · 合计`, `${text[1]} · total`];
  REPORT_FIELDS[`${output}.by`] = [`${text[0]} · 按类别`, `${text[1]} · by category`];
  REPORT_FIELDS[`tg.${output}`] = [`产出目标 · ${text[0]}`, `Target · ${text[1]}`];
  for (const [cat, ct] of Object.entries(RECIPIENT))
    REPORT_FIELDS[`${output}.by.${cat}`] = [`${text[0]} · ${ct[0]}`, `${text[1]} · ${ct[1]}`];
}
for (const [cat, ct] of Object.entries(RECIPIENT))
  REPORT_FIELDS[`tg.peopleServed.${cat}`] = [
    `产出目标 · 服务人数 · ${ct[0]}`,
    `Target · people served · ${ct[1]}`,
  ];
Object.assign(FIELD, REPORT_FIELDS);

/**
 * The second-level indicators the evaluation form offers for the officer-scored groups (财预〔2020〕
 * 10号 framework); each group's weight (the contract's) is split evenly among its indicators. The
 * 产出 group is scored from the approved reports (shared/evaluation/service.ts).
 */
export const EVALUATION_INDICATORS: Record<
  'decision' | 'process' | 'benefits',
  { id: string; name: Text }[]
> = {
  decision: [
    { id: 'D1', name: ['项目立项', 'Project set-up'] },
    { id: 'D2', name: ['绩效目标', 'Performance targets'] },
    { id: 'D3', name: ['资金投入', 'Funding'] },
  ],
  process: [
    { id: 'P1', name: ['资金管理', 'Financial management'] },
    { id: 'P2', name: ['组织实施', 'Implementation'] },
  ],
  benefits: [
    { id: 'B1', name: ['社会效益', 'Social benefit'] },
    { id: 'B2', name: ['服务对象满意度', 'Recipient satisfaction'] },
  ],
};
for (const list of Object.values(EVALUATION_INDICATORS))
  for (const ind of list) FIELD[`pt.${ind.id}`] = [`${ind.name[0]} 得分`, `${ind.name[1]} points`];
