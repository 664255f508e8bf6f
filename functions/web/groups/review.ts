import { officerReviewPages } from '../pages/officer-review';
import type { PageModule } from '../shell';

/**
 * `web-review`: an officer's review and award pages — screening, explanations, the panel, the
 * ranking, awards, challenges and attachment downloads (PAGE_GROUPS in shared/http/routing.ts).
 */
export const pages: PageModule[] = [officerReviewPages];
