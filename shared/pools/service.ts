import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { ValidationError } from '../errors';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import type { Pool, PoolInput } from './model';
import { PoolRepository } from './repository';

/** An officer opens a fund pool in their own jurisdiction subtree (the JSON API and the pools page). */
export async function createPool(deps: Deps, officer: Principal, input: PoolInput): Promise<Pool> {
  const j = await new JurisdictionRepository(deps.doc, deps.config.tableName).get(input.jurisdictionId);
  if (!j?.path.startsWith(officer.jurisdictionPath)) {
    throw new ValidationError([
      {
        field: 'body.jurisdictionId',
        message: 'Unknown jurisdiction, or outside yours.',
        messageZh: '辖区不存在或不在您的管辖范围内',
      },
    ]);
  }
  const pool: Pool = {
    ...input,
    id: randomUUID(),
    jurisdictionPath: j.path,
    committedFen: 0,
    disbursedFen: 0,
    createdAt: deps.now().toISOString(),
    createdBy: officer.userId,
    version: 1,
  };
  await new PoolRepository(deps.doc, deps.config.tableName).create(pool);
  return pool;
}
