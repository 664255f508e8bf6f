/**
 * A year's official holiday arrangement (国务院办公厅关于某年部分节假日安排的通知): the days off
 * (the statutory holidays 法定节假日 and the days joined to them, weekends included) and the
 * swapped working days (调休上班), with the notice it comes from. Pure and schema-free: the
 * working-day arithmetic of every function imports this, only the admin function validates input.
 */

/** A civil date in Beijing time, `YYYY-MM-DD`. */
export type CivilDate = string;

/** The statutory festivals of 《全国年节及纪念日放假办法》 (as revised 2024, in force 2025). */
export const FESTIVALS = [
  'newYear',
  'springFestival',
  'qingming',
  'labourDay',
  'dragonBoat',
  'midAutumn',
  'nationalDay',
  /** A one-off day off the State Council decides (e.g. 2015-09-03, 抗战胜利70周年纪念日). */
  'special',
] as const;
export type Festival = (typeof FESTIVALS)[number];

export const FESTIVAL_NAMES: Record<Festival, { zh: string; en: string }> = {
  newYear: { zh: '元旦', en: "New Year's Day" },
  springFestival: { zh: '春节', en: 'Spring Festival' },
  qingming: { zh: '清明节', en: 'Tomb-sweeping Day' },
  labourDay: { zh: '劳动节', en: 'Labour Day' },
  dragonBoat: { zh: '端午节', en: 'Dragon Boat Festival' },
  midAutumn: { zh: '中秋节', en: 'Mid-autumn Festival' },
  nationalDay: { zh: '国庆节', en: 'National Day' },
  special: { zh: '特别放假', en: 'Special day off' },
};

/** The State Council General Office notice an arrangement reproduces. */
export interface CalendarNotice {
  /** e.g. 国务院办公厅关于2026年部分节假日安排的通知 */
  title: string;
  /** e.g. 国办发明电〔2025〕7号; absent for years imported without it. */
  number?: string;
  /** The notice's date, `YYYY-MM-DD`; absent for years imported without it. */
  date?: CivilDate;
}

export interface Arrangement {
  year: number;
  /** Days off, each with the festival whose break it belongs to. */
  holidays: Record<CivilDate, Festival>;
  /** Weekend days worked instead (调休上班), each with the festival it pays for. */
  workdays: Record<CivilDate, Festival>;
  notice: CalendarNotice;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Parses a civil date; RangeError for anything that is not a real `YYYY-MM-DD` date. */
export function parseDate(date: CivilDate): Date {
  const m = DATE.exec(date);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.toISOString().slice(0, 10) !== date) throw new RangeError(`Not a date: ${date}`);
  return d;
}

export const formatDate = (d: Date): CivilDate => d.toISOString().slice(0, 10);

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: CivilDate): number => parseDate(date).getUTCDay();
export const isWeekend = (date: CivilDate): boolean => {
  const w = weekday(date);
  return w === 0 || w === 6;
};

/** Every date of a year, in order. */
export function datesOf(year: number): CivilDate[] {
  const out: CivilDate[] = [];
  const d = new Date(Date.UTC(year, 0, 1));
  while (d.getUTCFullYear() === year) {
    out.push(formatDate(d));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}

/** Whether a date is a working day under an arrangement of its year. */
export function isWorkingDayIn(a: Arrangement, date: CivilDate): boolean {
  if (a.workdays[date]) return true;
  if (a.holidays[date]) return false;
  return !isWeekend(date);
}

export interface ArrangementProblem {
  field: string;
  message: string;
  messageZh: string;
}

/**
 * What is wrong with an arrangement, field by field (empty: nothing). A date outside the year,
 * a day both off and worked, a swapped working day that is not a Saturday or Sunday (a weekday
 * is a working day already), and a notice without its title are refused.
 */
export function arrangementProblems(a: Arrangement): ArrangementProblem[] {
  const problems: ArrangementProblem[] = [];
  const check = (kind: 'holidays' | 'workdays') => {
    for (const date of Object.keys(a[kind])) {
      const field = `${kind}.${date}`;
      let d: Date;
      try {
        d = parseDate(date);
      } catch {
        problems.push({
          field,
          message: `${date} is not a date (YYYY-MM-DD).`,
          messageZh: `${date} 不是有效日期（YYYY-MM-DD）`,
        });
        continue;
      }
      if (d.getUTCFullYear() !== a.year)
        problems.push({
          field,
          message: `${date} is not in ${a.year}.`,
          messageZh: `${date} 不在 ${a.year} 年内`,
        });
    }
  };
  check('holidays');
  check('workdays');
  for (const date of Object.keys(a.workdays)) {
    if (a.holidays[date])
      problems.push({
        field: `workdays.${date}`,
        message: `${date} is listed both as a day off and as a swapped working day.`,
        messageZh: `${date} 同时被列为放假日和调休上班日`,
      });
    else if (DATE.test(date) && !Number.isNaN(Date.parse(date)) && !isWeekend(date))
      problems.push({
        field: `workdays.${date}`,
        message: `${date} is a weekday: only a Saturday or Sunday can be a swapped working day (调休上班).`,
        messageZh: `${date} 是工作日（周一至周五），只有周六或周日可以调休上班`,
      });
  }
  if (!a.notice.title.trim())
    problems.push({
      field: 'notice.title',
      message: 'The notice needs its title.',
      messageZh: '请填写通知标题',
    });
  return problems;
}
