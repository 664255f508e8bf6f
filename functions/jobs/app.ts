import { CallService } from '../../shared/calls/service';
import type { Deps } from '../../shared/http/deps';

/**
 * Scheduled work (EventBridge, every minute): close calls whose deadline has passed.
 * Reads never depend on it having run: `effectiveStatus` already treats such calls as closed,
 * so a late run only catches the stored status up.
 */
export function buildJobs(deps: Deps) {
  const calls = new CallService(deps);
  return {
    async tick(): Promise<{ closedCalls: string[] }> {
      const closedCalls = await calls.closeDue();
      if (closedCalls.length) deps.log.info('closed calls at deadline', { closedCalls });
      return { closedCalls };
    },
  };
}
