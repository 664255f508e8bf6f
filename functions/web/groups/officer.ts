import { callPages } from '../pages/calls';
import { stationPages } from '../pages/officer-stations';
import { organizationPages } from '../pages/organizations';
import { poolPages } from '../pages/pools';
import { officerRulePackPages } from '../pages/rule-packs';
import { userPages } from '../pages/users';
import type { PageModule } from '../shell';

/** `web-officer`: the rest of /officer/* — organizations, pools, calls and staff accounts. */
export const pages: PageModule[] = [
  organizationPages,
  poolPages,
  callPages,
  userPages,
  stationPages,
  officerRulePackPages,
];
