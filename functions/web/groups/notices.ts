import { noticePages } from '../pages/notices';
import type { PageModule } from '../shell';

/** `web-notices`: award notices (公示) and the challenges filed from them, under /notices. */
export const pages: PageModule[] = [noticePages];
