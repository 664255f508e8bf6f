import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { Lunar, Solar } from 'lunar-typescript';
import { describe, expect, it } from 'vitest';
import {
  type Arrangement,
  arrangementProblems,
  datesOf,
  type Festival,
  isWeekend,
  isWorkingDayIn,
} from '../../shared/calendar/arrangement';
import { applyNotice, STATUTORY_YEARS, statutoryDays, statutoryDraft } from '../../shared/calendar/statutory';

// The published arrangements (the State Council General Office's notices, as the chinese-days
// package carries them): the reference the computed drafts are judged against, here only.
const published = calendar as { holidays: Record<string, string>; workdays: Record<string, string> };

const FESTIVAL_OF: Record<string, Festival> = {
  "New Year's Day": 'newYear',
  'Spring Festival': 'springFestival',
  'Tomb-sweeping Day': 'qingming',
  'Labour Day': 'labourDay',
  'Dragon Boat Festival': 'dragonBoat',
  'Mid-autumn Festival': 'midAutumn',
  'National Day': 'nationalDay',
  // 2015-09-03/04 and the worked Sunday 09-06: the one-off 抗战胜利70周年纪念日 break, which is no
  // festival of the law; it sits next to 国庆 for the working-day status, which is all checked here.
  'Anti-Fascist 70th Day': 'nationalDay',
};
const festivalOf = (label: string): Festival => {
  const festival = FESTIVAL_OF[label.split(',')[0]!];
  if (!festival) throw new Error(`unknown label ${label}`);
  return festival;
};

/** The published days of a calendar year, each with its festival. */
function publishedDays(kind: 'holidays' | 'workdays', year: number): Record<string, Festival> {
  const out: Record<string, Festival> = {};
  for (const [date, label] of Object.entries(published[kind]))
    if (date.startsWith(`${year}-`)) out[date] = festivalOf(label);
  return out;
}

/** The published arrangement of a calendar year. */
const publishedArrangement = (year: number): Arrangement => ({
  year,
  holidays: publishedDays('holidays', year),
  workdays: publishedDays('workdays', year),
  notice: { title: `国务院办公厅关于${year}年部分节假日安排的通知` },
});

/** The published corrections of a year's notice: its days off that the law does not name, its swapped working days. */
function publishedNotice(year: number) {
  const statutory = statutoryDraft(year).holidays;
  const restDays = Object.fromEntries(
    Object.entries(publishedDays('holidays', year)).filter(([date]) => !statutory[date]),
  );
  return { restDays, workdays: publishedDays('workdays', year) };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/** Every year the package publishes, 2004–2026. */
const PUBLISHED_YEARS = range(2004, 2026);
const dates = (year: number, festival: Festival) =>
  statutoryDays(year)
    .filter((d) => d.festival === festival)
    .map((d) => d.date);
const lunarOf = (date: string) => {
  const [y, m, d] = date.split('-').map(Number);
  return Solar.fromYmd(y!, m!, d!).getLunar();
};

/** 除夕 (the last day of a lunar year, the day before 正月初一), 初一, 初二 … of a date's lunar year. */
const lunarDayName = (date: string) => {
  const lunar = lunarOf(date);
  const next = lunar.next(1);
  if (next.getMonth() === 1 && next.getDay() === 1) return `除夕${lunar.getDay()}`;
  return lunar.getMonth() === 1 ? ['', '初一', '初二', '初三'][lunar.getDay()] : date;
};
/** The 春节 days of each revision, written as the law writes them (除夕 is the 29th or the 30th). */
const springFestivalRule = (year: number) => {
  const chuxi = `除夕${Lunar.fromYmd(year, 1, 1).next(-1).getDay()}`;
  if (year >= 2025) return [chuxi, '初一', '初二', '初三'];
  if (year >= 2014) return ['初一', '初二', '初三'];
  if (year >= 2008) return [chuxi, '初一', '初二'];
  return ['初一', '初二', '初三'];
};

describe('statutoryDraft: the days 《全国年节及纪念日放假办法》 第二条 names', () => {
  it('2025 (2024 revision, 国务院令第795号): 13 days, 春节 from 除夕 and 劳动节 of two days', () => {
    expect(statutoryDraft(2025)).toEqual({
      year: 2025,
      holidays: {
        '2025-01-01': 'newYear',
        '2025-01-28': 'springFestival',
        '2025-01-29': 'springFestival',
        '2025-01-30': 'springFestival',
        '2025-01-31': 'springFestival',
        '2025-04-04': 'qingming',
        '2025-05-01': 'labourDay',
        '2025-05-02': 'labourDay',
        '2025-05-31': 'dragonBoat',
        '2025-10-01': 'nationalDay',
        '2025-10-02': 'nationalDay',
        '2025-10-03': 'nationalDay',
        '2025-10-06': 'midAutumn',
      },
      workdays: {},
      notice: { title: '国务院办公厅关于2025年部分节假日安排的通知' },
    });
  });

  it('2025 春节 begins on 除夕, 腊月二十九 (the twelfth month has 29 days), then 正月初一 to 初三', () => {
    expect(dates(2025, 'springFestival')).toEqual(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']);
    const chuxi = lunarOf('2025-01-28');
    expect([chuxi.getMonth(), chuxi.getDay()]).toEqual([12, 29]);
    const chuyi = lunarOf('2025-01-29');
    expect([chuyi.getYear(), chuyi.getMonth(), chuyi.getDay()]).toEqual([2025, 1, 1]);
  });

  it('a 除夕 that is 腊月三十 is handled too (2008, 2007 revision: 除夕、初一、初二)', () => {
    expect(dates(2008, 'springFestival')).toEqual(['2008-02-06', '2008-02-07', '2008-02-08']);
    const chuxi = lunarOf('2008-02-06');
    expect([chuxi.getMonth(), chuxi.getDay()]).toEqual([12, 30]);
  });

  it('2025 劳动节 is 5月1日 and 2日', () => {
    expect(dates(2025, 'labourDay')).toEqual(['2025-05-01', '2025-05-02']);
  });

  it('2026: 清明 4月5日, 端午 6月19日, 中秋 9月25日, 除夕 2月16日 (腊月二十九)', () => {
    expect(dates(2026, 'qingming')).toEqual(['2026-04-05']);
    expect(dates(2026, 'dragonBoat')).toEqual(['2026-06-19']);
    expect(dates(2026, 'midAutumn')).toEqual(['2026-09-25']);
    expect(dates(2026, 'springFestival')).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19']);
    expect(lunarOf('2026-02-16').getDay()).toBe(29);
  });

  it('2027, a year no notice has published yet, is computed: 除夕 2月5日, 初一 2月6日', () => {
    expect(statutoryDays(2027)).toEqual([
      { date: '2027-01-01', festival: 'newYear' },
      { date: '2027-02-05', festival: 'springFestival' },
      { date: '2027-02-06', festival: 'springFestival' },
      { date: '2027-02-07', festival: 'springFestival' },
      { date: '2027-02-08', festival: 'springFestival' },
      { date: '2027-04-05', festival: 'qingming' },
      { date: '2027-05-01', festival: 'labourDay' },
      { date: '2027-05-02', festival: 'labourDay' },
      { date: '2027-06-09', festival: 'dragonBoat' },
      { date: '2027-09-15', festival: 'midAutumn' },
      { date: '2027-10-01', festival: 'nationalDay' },
      { date: '2027-10-02', festival: 'nationalDay' },
      { date: '2027-10-03', festival: 'nationalDay' },
    ]);
    const chuyi = lunarOf('2027-02-06');
    expect([chuyi.getYear(), chuyi.getMonth(), chuyi.getDay()]).toEqual([2027, 1, 1]);
  });

  it('2014–2024 (2013 revision, 国务院令第644号): 春节 is 初一 to 初三, without 除夕, and 劳动节 one day', () => {
    expect(dates(2014, 'springFestival')).toEqual(['2014-01-31', '2014-02-01', '2014-02-02']);
    expect(dates(2024, 'springFestival')).toEqual(['2024-02-10', '2024-02-11', '2024-02-12']);
    expect(dates(2024, 'labourDay')).toEqual(['2024-05-01']);
    // 除夕 2024 (2月9日) was a working day of the published arrangement.
    expect(isWorkingDayIn(publishedArrangement(2024), '2024-02-09')).toBe(true);
  });

  it('before 2008 (1999 revision, 国务院令第270号): no 清明/端午/中秋, 劳动节 5月1日–3日, 春节 初一 to 初三', () => {
    expect(statutoryDays(2007)).toEqual([
      { date: '2007-01-01', festival: 'newYear' },
      { date: '2007-02-18', festival: 'springFestival' },
      { date: '2007-02-19', festival: 'springFestival' },
      { date: '2007-02-20', festival: 'springFestival' },
      { date: '2007-05-01', festival: 'labourDay' },
      { date: '2007-05-02', festival: 'labourDay' },
      { date: '2007-05-03', festival: 'labourDay' },
      { date: '2007-10-01', festival: 'nationalDay' },
      { date: '2007-10-02', festival: 'nationalDay' },
      { date: '2007-10-03', festival: 'nationalDay' },
    ]);
  });

  it('a 中秋 on one of 10月1日–3日 leaves the date to 国庆, listed once (2020: 中秋 is 10月1日)', () => {
    expect(dates(2020, 'midAutumn')).toEqual([]);
    expect(dates(2020, 'nationalDay')).toEqual(['2020-10-01', '2020-10-02', '2020-10-03']);
    expect(statutoryDays(2020)).toHaveLength(10);
    const midAutumn = lunarOf('2020-10-01');
    expect([midAutumn.getMonth(), midAutumn.getDay()]).toEqual([8, 15]);
  });

  it('refuses a year outside 2004–2100 with a RangeError', () => {
    expect(STATUTORY_YEARS).toEqual({ first: 2004, last: 2100 });
    for (const year of [2003, 2101, 1999, 2025.5, Number.NaN]) {
      expect(() => statutoryDraft(year), String(year)).toThrow(RangeError);
      expect(() => statutoryDays(year), String(year)).toThrow(RangeError);
    }
    expect(() => statutoryDraft(2004)).not.toThrow();
    expect(() => statutoryDraft(2100)).not.toThrow();
  });
});

describe('statutoryDraft on every supported year, 2004–2100', () => {
  const years = range(STATUTORY_YEARS.first, STATUTORY_YEARS.last);

  it('is a valid arrangement of its year, and statutoryDays is the same data in date order', () => {
    for (const year of years) {
      const draft = statutoryDraft(year);
      expect(arrangementProblems(draft), String(year)).toEqual([]);
      const list = statutoryDays(year);
      expect(
        list.map((d) => d.date),
        String(year),
      ).toEqual(Object.keys(draft.holidays).sort());
      expect(Object.fromEntries(list.map((d) => [d.date, d.festival])), String(year)).toEqual(draft.holidays);
    }
  });

  it('names 春节 as its revision does, 端午 on 五月初五, 中秋 on 八月十五 and 清明 on 4–6 April', () => {
    for (const year of years) {
      expect(dates(year, 'springFestival').map(lunarDayName), String(year)).toEqual(springFestivalRule(year));
      for (const date of dates(year, 'dragonBoat'))
        expect([lunarOf(date).getMonth(), lunarOf(date).getDay()], date).toEqual([5, 5]);
      for (const date of dates(year, 'midAutumn'))
        expect([lunarOf(date).getMonth(), lunarOf(date).getDay()], date).toEqual([8, 15]);
      expect(dates(year, 'dragonBoat'), String(year)).toHaveLength(year >= 2008 ? 1 : 0);
      expect(dates(year, 'midAutumn').length, String(year)).toBeLessThanOrEqual(year >= 2008 ? 1 : 0);
      const qingming = dates(year, 'qingming');
      expect(qingming, String(year)).toHaveLength(year >= 2008 ? 1 : 0);
      for (const date of qingming) {
        expect(date).toMatch(new RegExp(`^${year}-04-0[456]$`));
        expect(lunarOf(date).getJieQi(), date).toBe('清明');
      }
    }
  });

  it('has 13 days from 2025, or 12 where 中秋 falls on 10月1日–3日', () => {
    for (const year of years.filter((y) => y >= 2025)) {
      const midAutumn = Lunar.fromYmd(year, 8, 15).getSolar().toYmd();
      const shared = midAutumn >= `${year}-10-01` && midAutumn <= `${year}-10-03`;
      expect(statutoryDays(year), String(year)).toHaveLength(shared ? 12 : 13);
    }
  });
});

describe('the draft against the published arrangements (chinese-days), 2004–2026', () => {
  it('publishes every year 2004–2026, 2025 and 2026 included', () => {
    for (const year of PUBLISHED_YEARS)
      expect(Object.keys(publishedDays('holidays', year)).length, String(year)).toBeGreaterThan(0);
  });

  it.each(PUBLISHED_YEARS)('%i: every statutory day of the draft is a day off', (year) => {
    const arrangement = publishedArrangement(year);
    for (const { date } of statutoryDays(year)) expect(isWorkingDayIn(arrangement, date), date).toBe(false);
  });

  it.each(PUBLISHED_YEARS)(
    '%i: draft + the notice (days off beyond the law, swapped working days) reproduces the published year',
    (year) => {
      const arrangement = applyNotice(statutoryDraft(year), publishedNotice(year));
      const reference = publishedArrangement(year);
      for (const date of datesOf(year))
        expect(isWorkingDayIn(arrangement, date), date).toBe(isWorkingDayIn(reference, date));
      expect(arrangement.workdays).toEqual(reference.workdays);
    },
  );

  it.each(PUBLISHED_YEARS)('%i: a statutory day carries the festival the notice gives it', (year) => {
    const reference = publishedArrangement(year).holidays;
    for (const { date, festival } of statutoryDays(year)) {
      // 2009-10-03 is 中秋 and 国庆 at once; the data calls it 中秋, the draft 国庆.
      if (date === '2009-10-03') continue;
      if (reference[date]) expect(festival, date).toBe(reference[date]);
    }
  });

  /**
   * The swap balance (调休平衡): every weekday off beyond the law is paid for by a swapped working
   * day or is the 补假 of a statutory day that fell on a Saturday or Sunday (第六条 of the 1999–2013
   * texts: 适逢星期六、星期日，应当在工作日补假). Counted per notice: the late-December days of a
   * 元旦 break (e.g. 2007-12-30/31, worked 12-29) belong to the next year's notice.
   *
   * It holds for every year 2004–2026 except four, each off by the surplus given here:
   * - 2006, +1: the data lacks the notice's swapped working day 2005-12-31 (星期六上班, 国办发明电〔2005〕35号),
   *   which pays for 2006-01-03.
   * - 2009, +1: 中秋 fell on 10月3日, a 国庆 day; the notice gave the lost day back (10月8日).
   * - 2015, +1: 9月3日, 抗战胜利70周年纪念日, was a one-off extra day off (9月4日 is paid by Sunday 9月6日).
   * - 2020, +3: 中秋 fell on 10月1日 (+1), and the 春节 break was extended to 2月2日 for COVID-19
   *   (国办发明电〔2020〕1号): 1月31日 off (+1) and Saturday 2月1日 no longer worked (+1).
   */
  const SURPLUS: Record<number, number> = { 2006: 1, 2009: 1, 2015: 1, 2020: 3 };
  const noticeYear = (date: string, label: string) =>
    Number(date.slice(0, 4)) + (date.slice(5, 7) === '12' && festivalOf(label) === 'newYear' ? 1 : 0);
  const ofNotice = (kind: 'holidays' | 'workdays', year: number) =>
    Object.entries(published[kind])
      .filter(([date, label]) => noticeYear(date, label) === year)
      .map(([date]) => date);

  it.each(PUBLISHED_YEARS)(
    '%i: weekdays off beyond the law = swapped working days + statutory days on a weekend',
    (year) => {
      const statutory = statutoryDraft(year).holidays;
      const extraWeekdaysOff = ofNotice('holidays', year).filter(
        (d) => !statutory[d] && !isWeekend(d),
      ).length;
      const swapped = ofNotice('workdays', year).length;
      const onWeekend = Object.keys(statutory).filter(isWeekend).length;
      expect(extraWeekdaysOff - (swapped + onWeekend)).toBe(SURPLUS[year] ?? 0);
    },
  );

  it('2025 and 2026 balance exactly: 6 = 5 + 1 and 9 = 6 + 3', () => {
    const counts = (year: number) => {
      const statutory = statutoryDraft(year).holidays;
      return [
        ofNotice('holidays', year).filter((d) => !statutory[d] && !isWeekend(d)).length,
        ofNotice('workdays', year).length,
        Object.keys(statutory).filter(isWeekend).length,
      ];
    };
    expect(counts(2025)).toEqual([6, 5, 1]);
    expect(counts(2026)).toEqual([9, 6, 3]);
  });
});

describe('applyNotice', () => {
  const draft = statutoryDraft(2026);
  const notice = {
    restDays: { '2026-02-20': 'springFestival', '2026-02-23': 'springFestival' } as Record<string, Festival>,
    workdays: { '2026-02-14': 'springFestival', '2026-02-28': 'springFestival' } as Record<string, Festival>,
    title: '国务院办公厅关于2026年部分节假日安排的通知',
    number: '国办发明电〔2025〕7号',
    date: '2025-11-04',
  };

  it('adds the days off and the swapped working days, and takes the notice’s number and date', () => {
    const a = applyNotice(draft, notice);
    expect(a.year).toBe(2026);
    expect(a.holidays).toEqual({ ...draft.holidays, ...notice.restDays });
    expect(a.workdays).toEqual(notice.workdays);
    expect(a.notice).toEqual({ title: notice.title, number: notice.number, date: notice.date });
    expect(isWorkingDayIn(a, '2026-02-23')).toBe(false); // a Monday off
    expect(isWorkingDayIn(a, '2026-02-14')).toBe(true); // a Saturday worked
    expect(arrangementProblems(a)).toEqual([]);
  });

  it('keeps the draft’s title when the notice gives none, and adds no empty fields', () => {
    expect(applyNotice(draft, { restDays: {}, workdays: {} }).notice).toEqual({
      title: '国务院办公厅关于2026年部分节假日安排的通知',
    });
  });

  it('is pure: the draft and the notice are left as they were', () => {
    const before = structuredClone(draft);
    const a = applyNotice(draft, notice);
    expect(draft).toEqual(before);
    a.holidays['2026-03-02'] = 'qingming';
    a.workdays['2026-03-07'] = 'qingming';
    expect(draft).toEqual(before);
    expect(notice.restDays).not.toHaveProperty('2026-03-02');
    expect(notice.workdays).not.toHaveProperty('2026-03-07');
  });
});
