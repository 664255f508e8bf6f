/**
 * `npm start` only: a 2027 holiday arrangement so that the demo's awards can run their notice
 * and challenge windows into 2027. It is DEMO DATA, marked so in its notice title and its `demo`
 * flag — not the State Council's arrangement, which a bureau's administrators publish from the
 * real notice. A deployed stack never loads it (infra/local is not bundled into any function).
 * Published the way an administrator would: one demo administrator submits, the other confirms.
 */

import { CalendarService } from '../../shared/calendar/service';
import { applyNotice, statutoryDraft } from '../../shared/calendar/statutory';
import type { Deps } from '../../shared/http/deps';
import type { DemoIds } from './seed';

export const DEMO_2027_TITLE = '【演示数据，非国务院通知】2027年部分节假日安排（仅供本地演示）';

/** The statutory days of 2027 with invented bridges and swapped working days (demo only). */
export function demo2027() {
  return applyNotice(statutoryDraft(2027), {
    title: DEMO_2027_TITLE,
    restDays: {
      '2027-01-02': 'newYear',
      '2027-01-03': 'newYear',
      '2027-02-09': 'springFestival',
      '2027-02-10': 'springFestival',
      '2027-02-11': 'springFestival',
      '2027-04-03': 'qingming',
      '2027-04-04': 'qingming',
      '2027-05-03': 'labourDay',
      '2027-05-04': 'labourDay',
      '2027-05-05': 'labourDay',
      '2027-10-04': 'nationalDay',
      '2027-10-05': 'nationalDay',
      '2027-10-06': 'nationalDay',
      '2027-10-07': 'nationalDay',
    },
    workdays: {
      '2027-02-20': 'springFestival',
      '2027-04-25': 'labourDay',
      '2027-09-26': 'nationalDay',
      '2027-10-09': 'nationalDay',
    },
  });
}

export async function publishDemo2027(deps: Deps, demo: DemoIds): Promise<void> {
  const service = new CalendarService(deps);
  const existing = await service.repo.getAsRead(2027);
  if (existing?.record.arrangement) return;
  const a = demo2027();
  const { record } = await service.propose(
    demo.users.admin!,
    2027,
    { holidays: a.holidays, workdays: a.workdays, notice: a.notice },
    { demo: true },
  );
  await service.confirm(demo.users['admin-2']!, 2027, record.version);
}
