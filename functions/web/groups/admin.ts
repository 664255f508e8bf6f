import { adminRulePackPages } from '../pages/rule-packs';
import { accountPages } from '../pages/system-accounts';
import { calendarPages } from '../pages/system-calendar';
import { jurisdictionPages } from '../pages/system-jurisdictions';
import type { PageModule } from '../shell';

/** `web-admin`: the platform administrator's pages under /system (系统管理). */
export const pages: PageModule[] = [calendarPages, accountPages, jurisdictionPages, adminRulePackPages];
