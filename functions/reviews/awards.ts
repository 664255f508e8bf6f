import type { Api } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';

export function awardRoutes(_app: Api, _deps: Deps): void {}
