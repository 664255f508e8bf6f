import { keySource } from '../../shared/auth/key-source';
import { loadConfig } from '../../shared/config';
import { buildAuthorizer } from './app';

const config = loadConfig();

export const handler = buildAuthorizer(config, keySource(config, false));
