import { callPages } from '../pages/calls';
import { organizationPages } from '../pages/organizations';
import { poolPages } from '../pages/pools';
import { userPages } from '../pages/users';
import type { PageModule } from '../shell';

/** `web-officer`: the rest of /officer/* — organizations, pools, calls and staff accounts. */
export const pages: PageModule[] = [organizationPages, poolPages, callPages, userPages];
