import { AwardService } from '../../shared/awards/service';
import { CallService } from '../../shared/calls/service';
import type { Deps } from '../../shared/http/deps';

/**
 * Scheduled work (EventBridge, every minute): close calls whose deadline has passed.
 * Reads never depend on it having run: `effectiveStatus` already treats such calls as closed,
 * so a late run only catches the stored status up.
 */
export function buildJobs(deps: Deps) {
  const calls = new CallService(deps);
  // Awards whose notice period (公示) and challenge window have closed with no open challenge become
  // final; readers already see them final (`effectiveAwardStatus`), so a late run changes nothing visible.
  const awards = new AwardService(deps);
  return {
    async tick(): Promise<{ closedCalls: string[]; finalizedAwards: string[] }> {
      const closedCalls = await calls.closeDue();
      if (closedCalls.length) deps.log.info('closed calls at deadline', { closedCalls });
      const finalizedAwards = await awards.finalizeDue();
      if (finalizedAwards.length) deps.log.info('finalized awards after notice', { finalizedAwards });
      return { closedCalls, finalizedAwards };
    },
  };
}
