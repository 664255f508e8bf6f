import { homePages } from '../pages/home';
import { publicPages } from '../pages/public';
import type { PageModule } from '../shell';

/** `web`: public pages, sign-in and registration, every role's /home (and the API reference). */
export const pages: PageModule[] = [publicPages, homePages];
