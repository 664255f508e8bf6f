import { prodDeps } from '../../shared/http/runtime';
import { buildJobs } from './app';

const jobs = buildJobs(prodDeps('jobs'));

export const handler = async () => jobs.tick();
