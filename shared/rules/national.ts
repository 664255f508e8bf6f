import type { PackContent } from './model';

/**
 * The national rule pack as the bootstrap loads it (version 1). Afterwards it is data: a
 * correction is proposed by one administrator and confirmed by another (POST
 * /admin/rule-packs/national/proposal, …/confirm), and this file is only the first version.
 *
 * Each rule quotes the article it encodes. Periods: 民法典 第二百零一条 (the starting day is not
 * counted) — "from the day the documents are issued to the deadline day, not less than N days"
 * means the deadline's civil date (Beijing) is at least N (working) days after the publication's.
 */
export const NATIONAL_PACK: PackContent = {
  title: '国家规则包：政府采购法、财政部令第87号、第74号、第94号、第102号，财库〔2014〕214号',
  rules: [
    {
      id: 'period-open-tender',
      kind: 'min-period',
      subject: 'open-tender',
      days: 20,
      unit: 'calendar',
      citation: {
        source: '中华人民共和国政府采购法',
        article: '第三十五条',
        excerpt:
          '货物和服务项目实行招标方式采购的，自招标文件开始发出之日起至投标人提交投标文件截止之日止，不得少于二十日。',
      },
    },
    {
      id: 'period-competitive-consultation',
      kind: 'min-period',
      subject: 'competitive-consultation',
      days: 10,
      unit: 'calendar',
      citation: {
        source: '政府采购竞争性磋商采购方式管理暂行办法',
        number: '财库〔2014〕214号',
        article: '第十条',
        excerpt: '从磋商文件发出之日起至供应商提交首次响应文件截止之日止不得少于10日。',
      },
    },
    {
      id: 'period-competitive-negotiation',
      kind: 'min-period',
      subject: 'competitive-negotiation',
      days: 3,
      unit: 'working',
      citation: {
        source: '政府采购非招标采购方式管理办法',
        number: '财政部令第74号',
        article: '第二十九条',
        excerpt: '从谈判文件发出之日起至供应商提交首次响应文件截止之日止不得少于3个工作日。',
      },
    },
    {
      id: 'period-inquiry',
      kind: 'min-period',
      subject: 'inquiry',
      days: 3,
      unit: 'working',
      citation: {
        source: '政府采购非招标采购方式管理办法',
        number: '财政部令第74号',
        article: '第四十五条',
        excerpt: '从询价通知书发出之日起至供应商提交响应文件截止之日止不得少于3个工作日。',
      },
    },
    {
      id: 'price-share-services',
      kind: 'min-price-share',
      category: 'services',
      percent: 10,
      citation: {
        source: '政府采购货物和服务招标投标管理办法',
        number: '财政部令第87号',
        article: '第五十五条',
        excerpt: '服务项目的价格分值占总分值的比重不得低于10%。',
      },
    },
    {
      id: 'price-share-goods',
      kind: 'min-price-share',
      category: 'goods',
      percent: 30,
      citation: {
        source: '政府采购货物和服务招标投标管理办法',
        number: '财政部令第87号',
        article: '第五十五条',
        excerpt: '货物项目的价格分值占总分值的比重不得低于30%。',
      },
    },
    {
      id: 'committee',
      kind: 'committee',
      minSize: 5,
      largeFen: 10_000_000 * 100,
      largeMinSize: 7,
      expertsNumerator: 2,
      expertsDenominator: 3,
      citation: {
        source: '政府采购货物和服务招标投标管理办法',
        number: '财政部令第87号',
        article: '第四十七条',
        excerpt:
          '评标委员会由采购人代表和评审专家组成，成员人数应当为5人以上单数，其中评审专家不得少于成员总数的三分之二。采购预算金额在1000万元以上、技术复杂或者社会影响较大的，评标委员会成员人数应当为7人以上单数。',
      },
    },
    {
      id: 'challenge-answer',
      kind: 'challenge-answer',
      workingDays: 7,
      citation: {
        source: '政府采购质疑和投诉办法',
        number: '财政部令第94号',
        article: '第十三条',
        excerpt:
          '采购人、采购代理机构应当在收到质疑函后7个工作日内作出答复，并以书面形式通知质疑供应商和其他有关供应商。',
      },
    },
  ],
};
