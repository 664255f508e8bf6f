import { randomUUID } from 'node:crypto';
import { PROVISIONING_ACTOR } from '../../shared/audit/write';
import { hashPassword } from '../../shared/auth/passwords';
import { transactWrite } from '../../shared/awards/transact';
import type { Arrangement } from '../../shared/calendar/arrangement';
import type { CalendarYear } from '../../shared/calendar/model';
import { CalendarRepository } from '../../shared/calendar/repository';
import type { Deps } from '../../shared/http/deps';
import { loadNationalPack } from '../../shared/rules/service';
import { PLATFORM_JURISDICTION } from '../../shared/users/admin';
import type { User } from '../../shared/users/model';
import { UserRepository } from '../../shared/users/repository';
import { knownArrangements } from './known-years';

export interface BootstrapAdmin {
  username: string;
  password: string;
  name: string;
}

/**
 * What a new deployment needs before anyone can sign in: the first platform administrator and
 * the calendar years already published (2004–2026). Idempotent: an existing username or year is
 * left as it is. Run by `npm start` and the test platform, and once per deployment by
 * `npm run bootstrap` (README, "Deploy").
 */
export async function bootstrapPlatform(
  deps: Deps,
  options: { admins?: BootstrapAdmin[] } = {},
): Promise<{ adminsCreated: string[]; yearsLoaded: number[] }> {
  const yearsLoaded = await loadKnownYears(deps);
  // The national rule pack as its confirmed version 1 (shared/rules/national.ts).
  await loadNationalPack(deps);
  const adminsCreated: string[] = [];
  const users = new UserRepository(deps.doc, deps.config.tableName);
  for (const a of options.admins ?? []) {
    const user: User = {
      id: randomUUID(),
      username: a.username.toLowerCase(),
      name: a.name,
      role: 'admin',
      jurisdictionId: PLATFORM_JURISDICTION.id,
      jurisdictionPath: PLATFORM_JURISDICTION.path,
      status: 'active',
      createdAt: deps.now().toISOString(),
      version: 1,
    };
    try {
      await users.create({ ...user, passwordHash: await hashPassword(a.password) });
      adminsCreated.push(user.username);
    } catch (e) {
      if ((e as { status?: number }).status !== 409) throw e;
    }
  }
  return { adminsCreated, yearsLoaded };
}

/** Loads each known year that is not stored yet, as its confirmed version 1 (origin `imported`). */
export async function loadKnownYears(deps: Deps, arrangements: Arrangement[] = knownArrangements()) {
  const repo = new CalendarRepository(deps.doc, deps.config.tableName);
  const at = deps.now().toISOString();
  const existing = await repo.batchGet(arrangements.map((a) => ({ pk: `CAL#${a.year}`, sk: 'CAL' })));
  const stored = new Set(existing.map((i) => Number(i.year)));
  const missing = arrangements.filter((a) => !stored.has(a.year));
  // Three actions a year (root, its audit entry, version 1): 30 years in one transaction.
  for (let i = 0; i < missing.length; i += 30)
    await transactWrite(
      deps.doc,
      missing
        .slice(i, i + 30)
        .flatMap((a) => confirmedItems(repo, a, { at, origin: 'imported', demo: false })),
    );
  return missing.map((a) => a.year);
}

/** A year's first confirmed version, written directly (bootstrap and demo data only). */
export async function writeConfirmed(
  deps: Deps,
  a: Arrangement,
  o: { at: string; origin: 'imported' | 'published'; demo: boolean },
) {
  await transactWrite(
    deps.doc,
    confirmedItems(new CalendarRepository(deps.doc, deps.config.tableName), a, o),
  );
}

function confirmedItems(
  repo: CalendarRepository,
  a: Arrangement,
  o: { at: string; origin: 'imported' | 'published'; demo: boolean },
) {
  const record: CalendarYear = {
    year: a.year,
    calendarVersion: 1,
    arrangement: a,
    origin: o.origin,
    demo: o.demo,
    confirmedBy: PROVISIONING_ACTOR,
    confirmedAt: o.at,
    version: 1,
  };
  return [
    ...repo.rootWrite(record, undefined, {
      actor: PROVISIONING_ACTOR,
      at: o.at,
      action: o.origin === 'imported' ? 'calendar.imported' : 'calendar.confirmed',
    }),
    repo.versionPut({
      year: a.year,
      calendarVersion: 1,
      arrangement: a,
      demo: o.demo,
      origin: o.origin,
      confirmedBy: PROVISIONING_ACTOR,
      confirmedAt: o.at,
    }),
  ];
}
