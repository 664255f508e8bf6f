/**
 * A year's statutory holidays (法定节假日) computed from 《全国年节及纪念日放假办法》 第二条, as a
 * draft arrangement: only the days the law names, no days joined to them and no swapped working
 * days. The State Council General Office's notice then adds those (调休); `applyNotice` applies
 * them. Pure: the lunar dates and the 清明 solar term come from `lunar-typescript` (the 寿星
 * astronomical algorithm, in Beijing time), never from its holiday tables.
 *
 * The revisions of 第二条 and the years they govern (each in force from 1 January):
 * - 1999-09-18, 国务院令第270号: 2000–2007.
 * - 2007-12-14, 国务院令第513号: 2008–2013.
 * - 2013-12-11, 国务院令第644号: 2014–2024.
 * - 2024-11-10, 国务院令第795号: from 2025.
 */
import { Lunar, LunarYear } from 'lunar-typescript';
import type { Arrangement, CivilDate, Festival } from './arrangement';

/** The years a draft can be computed for. */
export const STATUTORY_YEARS = { first: 2004, last: 2100 } as const;

export interface StatutoryDay {
  date: CivilDate;
  festival: Festival;
}

const solarDate = (lunar: Lunar): CivilDate => lunar.getSolar().toYmd();

/** 除夕: the last day of the lunar year before `year`, the 29th or the 30th of its last month. */
function chuxi(year: number): CivilDate {
  const months = LunarYear.fromYear(year - 1).getMonthsInYear();
  const last = months[months.length - 1]!; // a leap 12th month, were there one, is the last
  return solarDate(Lunar.fromYmd(year - 1, last.getMonth(), last.getDayCount()));
}

/** 正月初n of the lunar year that begins in `year`. */
const zhengyue = (year: number, day: number): CivilDate => solarDate(Lunar.fromYmd(year, 1, day));

/** The day of the 清明 solar term in `year` (always 4–6 April). */
function qingmingDay(year: number): CivilDate {
  // The table of the lunar year that begins in `year`; its 清明 is the one of April `year`.
  const solar = Lunar.fromYmd(year, 1, 1).getJieQiTable().清明;
  if (!solar) throw new Error(`lunar-typescript has no 清明 for ${year}`);
  return solar.toYmd();
}

const gregorian = (year: number, month: number, day: number): CivilDate =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

function springFestival(year: number): CivilDate[] {
  // 2024 revision (国务院令第795号, from 2025): 放假4天（农历除夕、正月初一至初三）.
  if (year >= 2025) return [chuxi(year), zhengyue(year, 1), zhengyue(year, 2), zhengyue(year, 3)];
  // 2013 revision (国务院令第644号, 2014–2024): 放假3天（农历正月初一、初二、初三）.
  if (year >= 2014) return [zhengyue(year, 1), zhengyue(year, 2), zhengyue(year, 3)];
  // 2007 revision (国务院令第513号, 2008–2013): 放假3天（农历除夕、正月初一、初二）.
  if (year >= 2008) return [chuxi(year), zhengyue(year, 1), zhengyue(year, 2)];
  // 1999 revision (国务院令第270号, 2000–2007): 放假3天（农历正月初一、初二、初三）.
  return [zhengyue(year, 1), zhengyue(year, 2), zhengyue(year, 3)];
}

function labourDay(year: number): CivilDate[] {
  // 2024 revision (from 2025): 放假2天（5月1日、2日）.
  if (year >= 2025) return [gregorian(year, 5, 1), gregorian(year, 5, 2)];
  // 2007 revision (from 2008), unchanged in 2013: 放假1天（5月1日）.
  if (year >= 2008) return [gregorian(year, 5, 1)];
  // 1999 revision: 放假3天（5月1日、2日、3日）.
  return [gregorian(year, 5, 1), gregorian(year, 5, 2), gregorian(year, 5, 3)];
}

/** The statutory days of a year, festival by festival, in the order of 第二条. */
function byFestival(year: number): [Festival, CivilDate[]][] {
  // 清明, 端午 and 中秋 are statutory from the 2007 revision (from 2008): 放假1天（农历清明当日 /
  // 农历端午当日 / 农历中秋当日）; the 1999 text has none of them.
  const traditional = year >= 2008;
  return [
    // Every revision: 元旦（新年），放假1天（1月1日）.
    ['newYear', [gregorian(year, 1, 1)]],
    ['springFestival', springFestival(year)],
    ['qingming', traditional ? [qingmingDay(year)] : []],
    ['labourDay', labourDay(year)],
    ['dragonBoat', traditional ? [solarDate(Lunar.fromYmd(year, 5, 5))] : []],
    ['midAutumn', traditional ? [solarDate(Lunar.fromYmd(year, 8, 15))] : []],
    // Every revision: 国庆节，放假3天（10月1日、2日、3日）.
    ['nationalDay', [gregorian(year, 10, 1), gregorian(year, 10, 2), gregorian(year, 10, 3)]],
  ];
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < STATUTORY_YEARS.first || year > STATUTORY_YEARS.last)
    throw new RangeError(
      `Statutory holidays are computed for ${STATUTORY_YEARS.first}–${STATUTORY_YEARS.last} only, not ${year}.`,
    );
}

/**
 * The statutory days of a year with their festival (the same data as `statutoryDraft`, as a list
 * in date order). A date two festivals share is listed once: 中秋 falls within 10月1日–3日 in some
 * years (2009, 2020, 2028, 2031, …), the law gives no extra day for it (第六条 compensates only a
 * holiday on a Saturday or Sunday), and the date is 国庆's; the notices of such years announce one
 * joint break 国庆节、中秋节.
 */
export function statutoryDays(year: number): StatutoryDay[] {
  checkYear(year);
  const days = new Map<CivilDate, Festival>();
  // 国庆, listed last, keeps a date it shares with 中秋.
  for (const [festival, dates] of byFestival(year)) {
    for (const date of dates) days.set(date, festival);
  }
  return [...days].map(([date, festival]) => ({ date, festival })).sort((a, b) => (a.date < b.date ? -1 : 1));
}

/**
 * The statutory holidays of a year, as a draft: holidays = the statutory days only, workdays
 * empty, notice.title = `国务院办公厅关于${year}年部分节假日安排的通知`. RangeError outside 2004–2100.
 */
export function statutoryDraft(year: number): Arrangement {
  const holidays: Record<CivilDate, Festival> = {};
  for (const { date, festival } of statutoryDays(year)) holidays[date] = festival;
  return { year, holidays, workdays: {}, notice: { title: `国务院办公厅关于${year}年部分节假日安排的通知` } };
}

/**
 * Applies a notice's corrections to a draft: extra days off (joined to a festival) and swapped
 * working days (调休上班). Pure; returns a new Arrangement. Where the notice names a day the draft
 * has, the notice's festival wins; the title, number and date given replace the draft's. Nothing
 * is validated here: `arrangementProblems` judges the result.
 */
export function applyNotice(
  draft: Arrangement,
  notice: {
    restDays: Record<CivilDate, Festival>;
    workdays: Record<CivilDate, Festival>;
    title?: string;
    number?: string;
    date?: CivilDate;
  },
): Arrangement {
  const { title, number, date } = notice;
  return {
    year: draft.year,
    holidays: { ...draft.holidays, ...notice.restDays },
    workdays: { ...draft.workdays, ...notice.workdays },
    notice: {
      ...draft.notice,
      ...(title !== undefined && { title }),
      ...(number !== undefined && { number }),
      ...(date !== undefined && { date }),
    },
  };
}
