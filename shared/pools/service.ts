import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/principal';
import { ValidationError } from '../errors';
import type { Deps } from '../http/deps';
import { JurisdictionRepository } from '../jurisdictions/repository';
import { cite, setAsideFen } from '../rules/evaluate';
import { RulePackService } from '../rules/service';
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
  const { budgetFen, setAside } = await computeBudget(deps, j.path, input);
  const pool: Pool = {
    ...input,
    budgetFen,
    ...(setAside.length ? { setAside } : {}),
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

/**
 * A pool's budget: for each source with a set-aside rule in the packs in force where the pool is
 * (e.g. 2% of the provincial social-assistance subsidy), the source amount the officer enters
 * times the rate, rounded down to the fen (a set-aside never exceeds its share); plus the typed
 * budget for the sources without a rule. A source amount for a source without a rule, a missing
 * one for a source with a rule, and a typed budget with no rule-less source are refused.
 */
export async function computeBudget(
  deps: Deps,
  jurisdictionPath: string,
  input: PoolInput,
): Promise<{ budgetFen: number; setAside: NonNullable<Pool['setAside']> }> {
  const rules = await new RulePackService(deps).inForce(jurisdictionPath);
  const errors: { field: string; message: string; messageZh: string }[] = [];
  const setAside: NonNullable<Pool['setAside']> = [];
  let typedSources = 0;
  input.sources.forEach((s, i) => {
    const a = rules.setAside(s.kind);
    if (!a) {
      typedSources++;
      if (s.sourceAmountFen !== undefined)
        errors.push({
          field: `body.sources.${i}.sourceAmountFen`,
          message: `No set-aside rule applies to "${s.kind}" here: type its part in budgetFen instead.`,
          messageZh: `本辖区规则包未规定该资金来源的提取比例，请直接填写预算金额`,
        });
      return;
    }
    if (s.sourceAmountFen === undefined) {
      errors.push({
        field: `body.sources.${i}.sourceAmountFen`,
        message: `"${s.kind}" sets aside ${a.rule.basisPoints / 100}% (${cite(a.rule.citation)}): enter the source amount, the budget is computed.`,
        messageZh: `该资金来源按 ${a.rule.basisPoints / 100}% 提取（${cite(a.rule.citation)}），请填写资金来源总额，预算自动计算`,
      });
      return;
    }
    setAside.push({
      source: s.kind,
      sourceAmountFen: s.sourceAmountFen,
      basisPoints: a.rule.basisPoints,
      amountFen: setAsideFen(s.sourceAmountFen, a.rule.basisPoints),
      ruleId: a.rule.id,
      pack: a.pack,
      packVersion: a.packVersion,
      citation: cite(a.rule.citation),
    });
  });
  if (input.budgetFen !== undefined && typedSources === 0)
    errors.push({
      field: 'body.budgetFen',
      message: 'Every source of this pool has a set-aside rule: the budget is computed, not typed.',
      messageZh: '该资金池的资金来源均按规定比例提取，预算自动计算，无需填写',
    });
  if (input.budgetFen === undefined && typedSources > 0)
    errors.push({
      field: 'body.budgetFen',
      message: 'Type the budget from the sources without a set-aside rule.',
      messageZh: '请填写未规定提取比例的资金来源的预算金额',
    });
  const budgetFen = setAside.reduce((t, x) => t + x.amountFen, 0) + (input.budgetFen ?? 0);
  if (!errors.length && budgetFen <= 0)
    errors.push({
      field: 'body.budgetFen',
      message: 'The budget must be above zero.',
      messageZh: '预算须大于零',
    });
  if (errors.length) throw new ValidationError(errors);
  return { budgetFen, setAside };
}
