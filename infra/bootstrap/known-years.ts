/**
 * The official arrangements the platform starts with: every year the `chinese-days` package
 * publishes (2004–2026), converted once into the platform's own form. Only the bootstrap reads
 * this (infra/bootstrap/bootstrap.ts): no request path depends on a package's data. Later years
 * are published by platform administrators from the State Council's notice.
 */
import calendar from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { Arrangement, Festival } from '../../shared/calendar/arrangement';

const FESTIVAL_OF: Record<string, Festival> = {
  "New Year's Day": 'newYear',
  'Spring Festival': 'springFestival',
  'Tomb-sweeping Day': 'qingming',
  'Labour Day': 'labourDay',
  'Dragon Boat Festival': 'dragonBoat',
  'Mid-autumn Festival': 'midAutumn',
  'National Day': 'nationalDay',
  'Anti-Fascist 70th Day': 'special',
};

const data = calendar as { holidays: Record<string, string>; workdays: Record<string, string> };

function festival(label: string): Festival {
  const f = FESTIVAL_OF[label.split(',')[0]!];
  if (!f) throw new Error(`Unknown festival in the calendar data: ${label}`);
  return f;
}

/** The published arrangements of 2004–2026, one per year. */
export function knownArrangements(): Arrangement[] {
  const years = new Map<number, Arrangement>();
  const of = (date: string) => {
    const year = Number(date.slice(0, 4));
    let a = years.get(year);
    if (!a) {
      a = {
        year,
        holidays: {},
        workdays: {},
        // The package does not carry the notices' numbers and dates; the title is the General
        // Office's fixed form. Administrators may correct an imported year with its number.
        notice: { title: `国务院办公厅关于${year}年部分节假日安排的通知` },
      };
      years.set(year, a);
    }
    return a;
  };
  for (const [date, label] of Object.entries(data.holidays).sort()) of(date).holidays[date] = festival(label);
  for (const [date, label] of Object.entries(data.workdays).sort()) of(date).workdays[date] = festival(label);
  return [...years.values()].sort((a, b) => a.year - b.year);
}
