import { describe, expect, it } from 'vitest';
import { purchaseCall } from '../../infra/local/seed';
import type { Arrangement } from '../../shared/calendar/arrangement';
import { CalendarUnavailableError, WorkingCalendar } from '../../shared/calendar/working-calendar';
import { checkCallRules } from '../../shared/calls/model';
import {
  answerDueAt,
  packProblems,
  periodProblems,
  RuleSet,
  SHIPPED_RULES,
  setAsideFen,
} from '../../shared/rules/evaluate';
import { PackContentSchema, type Rule } from '../../shared/rules/model';
import { NATIONAL_PACK } from '../../shared/rules/national';

/** Pure rule-pack evaluation: minimum periods (calendar and working days), layering, set-asides. */

/** A 2026 arrangement for the weeks used here: 调休 Sunday 20 Sep worked; 25 Sep (中秋) and 1–8 Oct off; Sat 10 Oct worked. */
const y2026: Arrangement = {
  year: 2026,
  holidays: {
    '2026-09-25': 'midAutumn',
    ...Object.fromEntries(
      ['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => [`2026-10-${d}`, 'nationalDay' as const]),
    ),
  },
  workdays: { '2026-09-20': 'nationalDay', '2026-10-10': 'nationalDay' },
  notice: { title: '测试数据' },
};
const calendar = () => new WorkingCalendar(new Map([[2026, { version: 3, arrangement: y2026 }]]));
const beijing = (s: string) => new Date(`${s}+08:00`);
const national = new RuleSet({ id: 'national', version: 1, rules: NATIONAL_PACK.rules });

const citation = { source: '某市办法（测试数据）', article: '第一条', excerpt: '测试' };
const local = (rules: Rule[]) => new RuleSet(national.national, { id: '640100', version: 2, rules });

describe('the national pack as shipped', () => {
  it('is valid pack content and every rule cites an article', () => {
    expect(PackContentSchema.safeParse(NATIONAL_PACK).success).toBe(true);
    expect(NATIONAL_PACK.rules.every((r) => r.citation.article.startsWith('第'))).toBe(true);
    expect(packProblems(NATIONAL_PACK.rules)).toEqual([]);
  });
});

describe('minimum period from publication to the deadline', () => {
  const problems = (
    rules: RuleSet,
    subject: Parameters<typeof periodProblems>[1],
    pub: string,
    deadline: string,
  ) => periodProblems(rules, subject, beijing(pub), beijing(deadline), calendar());

  it('公开招标: 20 days (政府采购法 第三十五条), the publication day not counted', () => {
    expect(problems(national, 'open-tender', '2026-09-17T10:00:00', '2026-10-07T00:00:00')).toEqual([]);
    const [p] = problems(national, 'open-tender', '2026-09-17T10:00:00', '2026-10-06T23:59:59');
    expect(p).toMatchObject({ earliest: '2026-10-07', pack: 'national', packVersion: 1 });
    expect(p!.text.en).toContain('《中华人民共和国政府采购法》第三十五条');
    // A two-minute tender.
    expect(problems(national, 'open-tender', '2026-09-17T10:00:00', '2026-09-17T10:02:00')).toHaveLength(1);
  });

  it('竞争性磋商: 10 days (财库〔2014〕214号 第十条)', () => {
    expect(
      problems(national, 'competitive-consultation', '2026-09-17T10:00:00', '2026-09-27T09:00:00'),
    ).toEqual([]);
    expect(
      problems(national, 'competitive-consultation', '2026-09-17T10:00:00', '2026-09-26T17:00:00')[0]!.text
        .zh,
    ).toContain('财库〔2014〕214号第十条');
  });

  it('竞争性谈判 and 询价: 3 working days on the official calendar (财政部令第74号)', () => {
    // Thu 17 Sep: Fri 18 (1), Sun 20 调休 (2), Mon 21 (3).
    expect(
      problems(national, 'competitive-negotiation', '2026-09-17T10:00:00', '2026-09-21T09:00:00'),
    ).toEqual([]);
    expect(problems(national, 'inquiry', '2026-09-17T10:00:00', '2026-09-20T17:00:00')[0]).toMatchObject({
      earliest: '2026-09-21',
    });
    // Across 国庆: Wed 30 Sep → Fri 9 Oct (1), Sat 10 Oct 调休 (2), Mon 12 Oct (3).
    expect(problems(national, 'inquiry', '2026-09-30T10:00:00', '2026-10-11T09:00:00')[0]!.earliest).toBe(
      '2026-10-12',
    );
    expect(problems(national, 'inquiry', '2026-09-30T10:00:00', '2026-10-12T09:00:00')).toEqual([]);
  });

  it('refuses, not guesses, when the calendar year is not published', () => {
    expect(() =>
      periodProblems(
        national,
        'inquiry',
        beijing('2026-12-30T10:00:00'),
        beijing('2027-01-05T10:00:00'),
        calendar(),
      ),
    ).toThrow(CalendarUnavailableError);
  });

  it('venture rounds: no national minimum; a local pack sets one', () => {
    expect(problems(national, 'venture', '2026-09-17T10:00:00', '2026-09-17T10:02:00')).toEqual([]);
    const rules = local([
      { id: 'v', kind: 'min-period', subject: 'venture', days: 15, unit: 'calendar', citation },
    ]);
    expect(problems(rules, 'venture', '2026-09-17T10:00:00', '2026-09-30T10:00:00')[0]).toMatchObject({
      pack: '640100',
      packVersion: 2,
      earliest: '2026-10-02',
    });
  });

  it('a local pack on top: both the national and the local minimum must be met', () => {
    const rules = local([
      {
        id: 'wd',
        kind: 'min-period',
        subject: 'competitive-negotiation',
        days: 5,
        unit: 'working',
        citation,
      },
    ]);
    const out = problems(rules, 'competitive-negotiation', '2026-09-17T10:00:00', '2026-09-21T09:00:00');
    expect(out.map((p) => p.pack)).toEqual(['640100']); // national 3 met, local 5 not
    expect(out[0]!.earliest).toBe('2026-09-23');
  });
});

describe('layering and local packs', () => {
  it('price share and committee: the stricter of national and local', () => {
    const rules = local([
      { id: 'ps', kind: 'min-price-share', category: 'services', percent: 20, citation },
      {
        id: 'cm',
        kind: 'committee',
        minSize: 7,
        largeFen: 5_000_000_00,
        largeMinSize: 9,
        expertsNumerator: 3,
        expertsDenominator: 4,
        citation,
      },
    ]);
    expect(rules.priceShare('services')?.rule.percent).toBe(20);
    expect(rules.priceShare('goods')?.rule.percent).toBe(30);
    expect(rules.committee()).toMatchObject({
      minSize: 7,
      largeMinSize: 9,
      largeFen: 5_000_000_00,
      experts: [3, 4],
    });
    expect(national.committee()).toMatchObject({ minSize: 5, largeMinSize: 7, experts: [2, 3] });

    // The call checks read them: price points 10 and 5 members pass nationally, not under this pack.
    const c = purchaseCall(
      'pool',
      {
        enquiryStartsAt: '2026-01-01T00:00:00Z',
        enquiryEndsAt: '2026-01-02T00:00:00Z',
        submissionOpensAt: '2026-01-01T00:00:00Z',
        deadline: '2026-02-01T00:00:00Z',
      },
      2026,
    );
    const found = (r: RuleSet) => {
      const fields: string[] = [];
      checkCallRules(c, (path) => fields.push(path.join('.')), r);
      return fields;
    };
    expect(found(SHIPPED_RULES)).toEqual([]);
    expect(found(rules)).toEqual(['rubric.pricePoints', 'scoring.committee.size']);
  });

  it('the challenge answer: the shorter time; set-asides: the local rule replaces the national', () => {
    const rules = local([
      { id: 'ca', kind: 'challenge-answer', workingDays: 5, citation },
      { id: 'sa', kind: 'set-aside', source: 'county-social-assistance', basisPoints: 300, citation },
    ]);
    expect(national.challengeAnswer()?.rule.workingDays).toBe(7);
    expect(rules.challengeAnswer()?.rule.workingDays).toBe(5);
    expect(rules.setAside('county-social-assistance')?.rule.basisPoints).toBe(300);
    expect(national.setAside('county-social-assistance')).toBeUndefined();
    expect(rules.versions()).toEqual({ national: 1, local: { id: '640100', version: 2 } });
  });

  it('a local pack may tighten the national rules, never loosen them', () => {
    const loose: Rule[] = [
      { id: 'a', kind: 'min-period', subject: 'open-tender', days: 15, unit: 'calendar', citation },
      { id: 'b', kind: 'min-price-share', category: 'goods', percent: 20, citation },
      { id: 'c', kind: 'challenge-answer', workingDays: 10, citation },
    ];
    const out = packProblems(loose, NATIONAL_PACK.rules);
    expect(out.map((p) => p.field)).toEqual(['rules.0', 'rules.1', 'rules.2']);
    expect(out[0]!.message).toContain('《中华人民共和国政府采购法》第三十五条');
    expect(
      packProblems(
        [{ id: 'a', kind: 'min-period', subject: 'open-tender', days: 25, unit: 'calendar', citation }],
        NATIONAL_PACK.rules,
      ),
    ).toEqual([]);
    // Two rules for the same thing, or the same id twice, are refused.
    const dup = packProblems([
      loose[0]!,
      { id: 'a2', kind: 'min-period', subject: 'open-tender', days: 30, unit: 'calendar', citation },
      { id: 'a', kind: 'challenge-answer', workingDays: 3, citation },
    ]);
    expect(dup.map((p) => p.field)).toEqual(['rules.2.id', 'rules.1']);
  });
});

describe('the challenge answer deadline', () => {
  it('is the end (24:00 Beijing) of the 7th working day after receipt (财政部令第94号 第十三条)', () => {
    const cal = calendar();
    // Thu 17 Sep: 18, 20 (调休), 21, 22, 23, 24, (25 中秋 off), 28.
    expect(answerDueAt(national, beijing('2026-09-17T15:00:00'), cal).toISOString()).toBe(
      '2026-09-28T16:00:00.000Z',
    );
    expect(cal.versionsUsed()).toEqual({ '2026': 3 });
  });
});

describe('set-aside arithmetic (integer fen)', () => {
  it('rounds down to the fen, exactly, for any size', () => {
    expect(setAsideFen(60_000_000_00, 200)).toBe(1_200_000_00); // 2% of ¥60 million = ¥1.2 million
    expect(setAsideFen(10_000_000_001, 300)).toBe(300_000_000); // .03 fen dropped
    expect(setAsideFen(33, 300)).toBe(0);
    expect(setAsideFen(0, 200)).toBe(0);
    expect(setAsideFen(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
    expect(setAsideFen(Number.MAX_SAFE_INTEGER, 200)).toBe(180_143_985_094_819); // floor(9007199254740991 × 0.02)
    expect(() => setAsideFen(1.5, 200)).toThrow(RangeError);
    expect(() => setAsideFen(100, 10_001)).toThrow(RangeError);
  });
});
