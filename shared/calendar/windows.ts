import type { WorkingCalendar } from './working-calendar';

/** An award's windows: the notice period (公示期) and the challenge window (质疑期), both from the notice's start. */
export interface AwardWindows {
  noticeEndsAt: string;
  challengeDeadline: string;
  /** max(noticeEndsAt, challengeDeadline): from then on, with no open challenge, the award is final. */
  closesAt: string;
}

export function awardWindows(
  calendar: WorkingCalendar,
  start: Date,
  noticeWorkingDays: number,
  challengeWorkingDays: number,
): AwardWindows {
  const notice = calendar.deadline(start, noticeWorkingDays);
  const challenge = calendar.deadline(start, challengeWorkingDays);
  return {
    noticeEndsAt: notice.toISOString(),
    challengeDeadline: challenge.toISOString(),
    closesAt: new Date(Math.max(notice.getTime(), challenge.getTime())).toISOString(),
  };
}
