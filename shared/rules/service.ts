import { PROVISIONING_ACTOR } from '../audit/write';
import type { Principal } from '../auth/principal';
import { transactWrite } from '../awards/transact';
import {
  ConflictError,
  NotFoundError,
  ProblemError,
  RuleViolationError,
  StaleVersionError,
  ValidationError,
} from '../errors';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import { packProblems, RuleSet } from './evaluate';
import {
  type CallRulePacks,
  NATIONAL,
  type PackProposalInput,
  type PackRecord,
  type PackVersion,
} from './model';
import { NATIONAL_PACK } from './national';
import { RulePackRepository } from './repository';

const fourEyes = () =>
  new ProblemError(
    403,
    'four-eyes',
    'Forbidden',
    'The administrator who proposed a rule pack version cannot confirm it; a second administrator must.',
    { detailZh: '提交规则包的管理员不能自行确认，须由另一名系统管理员确认' },
  );

const noNational = () =>
  new RuleViolationError(
    'rule-pack-unavailable',
    'No national rule pack is confirmed on this platform; run the bootstrap.',
    '本平台尚未确认国家规则包，请运行初始化程序',
  );

/**
 * Rule packs as data (ARCHITECTURE.md, "Decisions for the second wave"): one administrator
 * proposes a pack version, a different one confirms it (the rule is a condition of the write
 * too); each confirmation is a new version, kept for ever, and audited on the pack's chain.
 */
export class RulePackService {
  readonly repo: RulePackRepository;

  constructor(private readonly deps: Deps) {
    this.repo = new RulePackRepository(deps.doc, deps.config.tableName);
  }

  async get(id: string): Promise<{ record: PackRecord; versions: PackVersion[] }> {
    const [read, versions] = await Promise.all([this.repo.getAsRead(id), this.repo.versions(id)]);
    if (!read) throw new NotFoundError('rule pack');
    return { record: read.record, versions };
  }

  /** The rules in force now for a place (its path `410600/410621/`): national + the nearest local pack. */
  async inForce(jurisdictionPath: string): Promise<RuleSet> {
    const ids = jurisdictionPath.split('/').filter(Boolean);
    const roots = await this.repo.roots([NATIONAL, ...ids]);
    const nat = roots.find((r) => r.packId === NATIONAL);
    if (!nat || nat.packVersion < 1) throw noNational();
    // The nearest (deepest) jurisdiction with a confirmed local pack.
    const local = ids
      .reverse()
      .map((id) => roots.find((r) => r.packId === id && r.packVersion >= 1))
      .find(Boolean);
    return this.at({
      national: nat.packVersion,
      ...(local ? { local: { id: local.packId, version: local.packVersion } } : {}),
    });
  }

  /** The rules as a call recorded them when it was published. */
  async at(recorded: CallRulePacks): Promise<RuleSet> {
    const [nat, local] = await Promise.all([
      this.repo.version(NATIONAL, recorded.national),
      recorded.local ? this.repo.version(recorded.local.id, recorded.local.version) : undefined,
    ]);
    if (!nat) throw noNational();
    return new RuleSet(
      { id: NATIONAL, version: nat.packVersion, rules: nat.rules },
      local ? { id: local.packId, version: local.packVersion, rules: local.rules } : undefined,
    );
  }

  /** Proposes (or replaces the proposal of) a pack's next version; nothing is judged by it until confirmed. */
  async propose(admin: Principal, id: string, input: PackProposalInput): Promise<PackRecord> {
    const problems: { field: string; message: string; messageZh: string }[] = [];
    let jurisdictionPath: string | undefined;
    let national: PackVersion | undefined;
    if (id !== NATIONAL) {
      const j = await new JurisdictionRepository(this.deps.doc, this.deps.config.tableName).get(id);
      if (!j) throw new NotFoundError('jurisdiction');
      jurisdictionPath = j.path;
      const root = (await this.repo.roots([NATIONAL]))[0];
      if (!root || root.packVersion < 1) throw noNational();
      national = await this.repo.version(NATIONAL, root.packVersion);
    }
    problems.push(...packProblems(input.rules, national?.rules));
    const read = await this.repo.getAsRead(id);
    if (read && read.record.packVersion >= 1 && !input.reason)
      problems.push({
        field: 'reason',
        message: `The pack is in force (version ${read.record.packVersion}); a new version needs a reason.`,
        messageZh: `该规则包已生效（第 ${read.record.packVersion} 版），发布新版本须说明理由`,
      });
    if (problems.length) throw new ValidationError(problems.map((p) => ({ ...p, field: `body.${p.field}` })));
    if (read && input.version !== read.record.version) throw new StaleVersionError(input.version);
    if (!read && input.version !== undefined) throw new StaleVersionError(input.version);
    const at = this.deps.now().toISOString();
    const record: PackRecord = {
      ...(read?.record ?? { packId: id, packVersion: 0, version: 0 }),
      ...(jurisdictionPath ? { jurisdictionPath } : {}),
      proposal: {
        content: { title: input.title, rules: input.rules },
        submittedBy: admin.userId,
        submittedByName: admin.name,
        submittedAt: at,
        ...(input.reason ? { reason: input.reason } : {}),
      },
      version: (read?.record.version ?? 0) + 1,
    };
    await this.write(
      this.repo.rootWrite(record, read?.raw, { actor: admin.userId, at, action: 'rule-pack.proposed' }),
      record.version,
    );
    return record;
  }

  /** A second administrator confirms the proposal: it becomes the pack's next version. */
  async confirm(admin: Principal, id: string, version: number): Promise<PackRecord> {
    const read = await this.repo.getAsRead(id);
    if (!read) throw new NotFoundError('rule pack');
    const old = read.record;
    if (old.version !== version) throw new StaleVersionError(version);
    const proposal = old.proposal;
    if (!proposal)
      throw new ConflictError('There is no proposed version to confirm.', '没有待确认的规则包版本');
    if (proposal.submittedBy === admin.userId) throw fourEyes();
    const at = this.deps.now().toISOString();
    const packVersion = old.packVersion + 1;
    const { proposal: _done, ...rest } = old;
    const record: PackRecord = {
      ...rest,
      packVersion,
      title: proposal.content.title,
      confirmedBy: admin.userId,
      confirmedAt: at,
      version: old.version + 1,
    };
    const root = this.repo.rootWrite(record, read.raw, {
      actor: admin.userId,
      at,
      action: 'rule-pack.confirmed',
    });
    // The four-eyes rule is a condition of the write too, not only of the check above.
    const first = root[0] as {
      Put: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> };
    };
    first.Put.ConditionExpression = `(${first.Put.ConditionExpression}) AND proposal.submittedBy <> :me`;
    first.Put.ExpressionAttributeValues = { ...first.Put.ExpressionAttributeValues, ':me': admin.userId };
    await this.write(
      [
        ...root,
        this.repo.versionPut({
          packId: id,
          packVersion,
          ...(old.jurisdictionPath ? { jurisdictionPath: old.jurisdictionPath } : {}),
          title: proposal.content.title,
          rules: proposal.content.rules,
          submittedBy: proposal.submittedBy,
          confirmedBy: admin.userId,
          confirmedAt: at,
          ...(proposal.reason ? { reason: proposal.reason } : {}),
        }),
      ],
      version,
    );
    return record;
  }

  private async write(items: Parameters<typeof transactWrite>[1], version: number) {
    try {
      await transactWrite(this.deps.doc, items);
    } catch (e) {
      if ((e as { name?: string }).name === 'TransactionCanceledException')
        throw new StaleVersionError(version);
      throw e;
    }
  }
}

/** The bootstrap: the national pack as version 1, if no national pack is stored yet (idempotent). */
export async function loadNationalPack(deps: Deps): Promise<boolean> {
  const repo = new RulePackRepository(deps.doc, deps.config.tableName);
  if (await repo.getAsRead(NATIONAL)) return false;
  const at = deps.now().toISOString();
  const record: PackRecord = {
    packId: NATIONAL,
    packVersion: 1,
    title: NATIONAL_PACK.title,
    confirmedBy: PROVISIONING_ACTOR,
    confirmedAt: at,
    version: 1,
  };
  try {
    await transactWrite(deps.doc, [
      ...repo.rootWrite(record, undefined, { actor: PROVISIONING_ACTOR, at, action: 'rule-pack.imported' }),
      repo.versionPut({
        packId: NATIONAL,
        packVersion: 1,
        title: NATIONAL_PACK.title,
        rules: NATIONAL_PACK.rules,
        confirmedBy: PROVISIONING_ACTOR,
        confirmedAt: at,
      }),
    ]);
  } catch (e) {
    if ((e as { name?: string }).name === 'TransactionCanceledException') return false; // loaded meanwhile
    throw e;
  }
  return true;
}
