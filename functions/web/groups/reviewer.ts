import { reviewerPages } from '../pages/reviewer';
import type { PageModule } from '../shell';

/** `web-reviewer`: /reviewer and /reviewer/* — a seated expert's submissions, conflicts and sheets. */
export const pages: PageModule[] = [reviewerPages];
