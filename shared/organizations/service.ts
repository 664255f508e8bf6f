import { randomUUID } from 'node:crypto';
import { hashPassword } from '../auth/passwords';
import { ValidationError } from '../errors';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import type { Organization, Registration } from './model';
import { OrganizationRepository } from './repository';

/**
 * Self-registration (the JSON API and the registration page): the organization, its unique
 * credit code and its first applicant account, all or nothing; an officer approves it later.
 */
export async function registerOrganization(deps: Deps, input: Registration): Promise<Organization> {
  const jur = await new JurisdictionRepository(deps.doc, deps.config.tableName).get(
    input.organization.jurisdictionId,
  );
  if (!jur || jur.level === 'village') {
    throw new ValidationError([
      {
        field: 'body.organization.jurisdictionId',
        message: 'Choose a city, county or township.',
        messageZh: '请选择市、县（区）或乡镇（街道）',
      },
    ]);
  }
  const now = deps.now().toISOString();
  const org: Organization = {
    id: randomUUID(),
    ...input.organization,
    jurisdictionPath: jur.path,
    status: 'pending',
    createdAt: now,
    version: 1,
  };
  await new OrganizationRepository(deps.doc, deps.config.tableName).register(org, {
    id: randomUUID(),
    username: input.username.toLowerCase(),
    name: input.displayName,
    role: 'applicant',
    orgId: org.id,
    jurisdictionId: jur.id,
    jurisdictionPath: jur.path,
    status: 'active',
    createdAt: now,
    version: 1,
    passwordHash: await hashPassword(input.password),
  });
  return org;
}
