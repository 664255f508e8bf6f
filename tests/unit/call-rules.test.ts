import { describe, expect, it } from 'vitest';
import { purchaseCall, ventureCall } from '../../infra/local/seed';
import { CallInputSchema } from '../../shared/calls/input';
import { type CallInput, checkCallRules, effectiveStatus } from '../../shared/calls/model';
import { toFieldErrors } from '../../shared/i18n/validation';

const periods = {
  enquiryStartsAt: '2027-01-01T09:00:00+08:00',
  enquiryEndsAt: '2027-01-10T17:00:00+08:00',
  submissionOpensAt: '2027-01-01T09:00:00+08:00',
  deadline: '2027-01-20T17:00:00+08:00',
};
const purchase = () => purchaseCall('pool-1', periods, 2027);
const venture = () => ventureCall('pool-2', periods, 2027);

function problems(c: CallInput) {
  const r = CallInputSchema.safeParse(c);
  return r.success ? [] : toFieldErrors(r.error);
}

describe('call rules', () => {
  it("accepts the seed article's two calls", () => {
    expect(problems(purchase())).toEqual([]);
    expect(problems(venture())).toEqual([]);
  });

  it('refuses a rubric that does not total 100, saying by how much', () => {
    const c = purchase();
    c.rubric.groups[0]!.indicators[0]!.maxPoints = 10; // 15 → 10: 95 in all
    const [e] = problems(c);
    expect(e).toMatchObject({ field: 'rubric' });
    expect(e!.message).toBe('Indicator points (85) plus price points (10) total 95; they must total 100.');
    expect(e!.messageZh).toBe('各指标分值（85）与价格分（10）合计 95 分，应为 100 分');
  });

  it('adds points with two decimals exactly (0.1 + 0.2 is not a problem)', () => {
    const c = purchase();
    const g = c.rubric.groups[0]!;
    g.indicators[0]!.maxPoints = 14.9;
    g.indicators.push({ id: 'T1b', name: '补充', maxPoints: 0.1, criteria: '补充说明' });
    expect(problems(c)).toEqual([]);
    g.indicators[0]!.maxPoints = 14.905;
    expect(problems(c).map((e) => e.field)).toContain('rubric.groups.0.indicators.0.maxPoints');
  });

  it('needs price points of at least 10 for services and 30 for goods (87号令 第55条)', () => {
    const services = purchase();
    services.rubric.pricePoints = 9;
    services.rubric.groups[0]!.indicators[0]!.maxPoints = 16;
    expect(problems(services)).toEqual([
      expect.objectContaining({
        field: 'rubric.pricePoints',
        message: 'A services tender needs price points of at least 10 (of 100); it has 9.',
      }),
    ]);
    const goods = { ...purchase(), category: 'goods' as const };
    expect(problems(goods)[0]).toMatchObject({
      field: 'rubric.pricePoints',
      messageZh: '货物项目价格分不得低于总分的 30%，当前为 10 分',
    });
  });

  it('scores no price for a government-fixed price or a venture grant', () => {
    const fixed = { ...purchase(), priceFixed: true };
    expect(problems(fixed).map((e) => e.field)).toContain('rubric.pricePoints');
    const v = venture();
    v.rubric.pricePoints = 10;
    v.rubric.groups[0]!.indicators[0]!.maxPoints = 15;
    expect(problems(v)).toEqual([
      expect.objectContaining({
        field: 'rubric.pricePoints',
        message: 'Venture calls score no price: set price points to 0.',
      }),
    ]);
  });

  it('refuses payment tranches that do not total 100%', () => {
    const c = purchase();
    c.paymentTemplate[2]!.percent = 20;
    expect(problems(c)).toEqual([
      expect.objectContaining({
        field: 'paymentTemplate',
        message: 'Payment tranches total 90%; they must total 100%.',
      }),
    ]);
  });

  describe('the evaluation committee (87号令 第47条)', () => {
    const committee = (size: number, experts: number, patch: Partial<CallInput> = {}) => {
      const c = { ...purchase(), ...patch };
      c.scoring = { ...c.scoring, committee: { size, experts } };
      return problems(c);
    };
    it('has at least five members', () => {
      expect(committee(3, 3)[0]).toMatchObject({
        field: 'scoring.committee.size',
        message: 'The committee needs at least 5 members; it has 3.',
      });
    });
    it('has an odd number of members', () => {
      expect(committee(6, 6)[0]).toMatchObject({
        field: 'scoring.committee.size',
        messageZh: '评审委员会成员须为单数，当前为 6 人',
      });
    });
    it('is at least two-thirds experts', () => {
      expect(committee(5, 3)[0]).toMatchObject({
        field: 'scoring.committee.experts',
        message: 'At least two thirds of the committee must be experts: 3 of 5 is too few.',
      });
      expect(committee(9, 6)).toEqual([]);
    });
    it('has at least seven members for ¥10 million or more, or a complex project', () => {
      const big = purchase();
      big.lots[0]!.ceilingFen = 9_500_000_00;
      expect(committee(5, 5, { lots: big.lots })[0]!.message).toMatch(
        /at least 7 members for a project of ¥10 million/,
      );
      expect(committee(7, 5, { lots: big.lots })).toEqual([]);
      const complex = purchase();
      complex.scoring.complex = true;
      expect(problems(complex)[0]!.field).toBe('scoring.committee.size');
    });
  });

  it('keeps the periods in order', () => {
    const c = {
      ...purchase(),
      periods: {
        ...periods,
        submissionOpensAt: '2027-01-21T09:00:00+08:00',
        enquiryEndsAt: '2027-01-25T09:00:00+08:00',
      },
    };
    expect(problems(c).map((e) => e.field)).toEqual(['periods.enquiryEndsAt', 'periods.submissionOpensAt']);
  });

  it('requires an explicit offset on every instant', () => {
    const c = { ...purchase(), periods: { ...periods, deadline: '2027-01-20T17:00:00' } };
    expect(problems(c).map((e) => e.field)).toEqual(['periods.deadline']);
  });

  it('gives tenders lots and ventures funding terms, not the other way round', () => {
    expect(problems({ ...purchase(), lots: [] }).map((e) => e.field)).toContain('lots');
    const v = venture();
    expect(problems({ ...v, venture: undefined }).map((e) => e.field)).toContain('venture');
    expect(
      problems({ ...v, venture: { ...v.venture!, maxRequestFen: v.venture!.totalFundingFen + 1 } }).map(
        (e) => e.field,
      ),
    ).toContain('venture.maxRequestFen');
  });

  it('reports every broken rule at once', () => {
    const c = purchase();
    c.rubric.pricePoints = 5;
    c.paymentTemplate = [{ milestone: 'signing', percent: 50 }];
    c.scoring.committee = { size: 4, experts: 2 };
    const fields: string[] = [];
    checkCallRules(c, (path) => fields.push(path.join('.')));
    expect(fields).toEqual([
      'rubric',
      'rubric.pricePoints',
      'scoring.committee.size',
      'scoring.committee.size',
      'scoring.committee.experts',
      'paymentTemplate',
    ]);
  });
});

describe('effective status', () => {
  const c = { status: 'published' as const, periods: { ...periods, deadline: '2027-01-20T09:00:00.000Z' } };
  it('is closed from the deadline instant on, even before the job has run', () => {
    expect(effectiveStatus(c, new Date('2027-01-20T08:59:59.999Z'))).toBe('published');
    expect(effectiveStatus(c, new Date('2027-01-20T09:00:00.000Z'))).toBe('closed');
    expect(effectiveStatus({ ...c, status: 'draft' }, new Date('2030-01-01T00:00:00Z'))).toBe('draft');
  });
});
