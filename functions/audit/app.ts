import * as z from 'zod/mini';
import { ChainViewSchema, VerifyReportSchema } from '../../shared/audit/model';
import { AuditRepository } from '../../shared/audit/repository';
import { verifyAggregate, verifyAll } from '../../shared/audit/verify';
import type { Principal } from '../../shared/auth/principal';
import type { Scope } from '../../shared/authz/policy';
import { NotFoundError } from '../../shared/errors';
import { type Api, createApi, inScope, principalOf } from '../../shared/http/app';
import type { Deps } from '../../shared/http/deps';
import { route } from '../../shared/http/route';
import { ListQuery } from '../../shared/http/schemas';
import { described } from '../../shared/schema';

const ChainParams = z.strictObject({
  aggregate: described(
    z.string().check(z.minLength(3), z.maxLength(300), z.regex(/^[A-Z][A-Z0-9]*#/)),
    "The chain's name: the aggregate's root key, URL-encoded (`CALL%23<id>`, `SHEET%23<submission>%7CR%23<reviewer>`)",
    'CALL#5f0c2f7e-…',
  ),
});

/** The jurisdiction an aggregate belongs to: its root item's path (jurisdictions carry `path`). */
const jurisdictionOf = (root: Record<string, unknown>) => {
  const path = root.jurisdictionPath ?? root.path;
  return typeof path === 'string' ? path : undefined;
};

/**
 * Whether an auditor may read an aggregate's chain: one in their subtree, or one the whole
 * platform shares (no jurisdiction: calendar years, rule packs), which every auditor may check.
 */
const auditable = (principal: Principal, scope: Scope | undefined, root: Record<string, unknown>) => {
  const path = jurisdictionOf(root);
  return path === undefined || inScope(principal, scope, { jurisdictionPath: path });
};

/**
 * The audit trail, read-only: one aggregate's hash chain with its verification, and the
 * verification of every chain and of the fund ledger's sums (shared/audit/verify.ts).
 *
 * Scope (POLICY, "audit function"): auditors read the chains whose root item lies in their
 * jurisdiction subtree — the same rule as every other object. A chain whose root item is missing
 * cannot be attributed to a jurisdiction; it is shown to every auditor, since it is evidence.
 * `GET /audit/verify` verifies every chain of the caller's scope synchronously (the command-line
 * `npm run audit:verify` does the whole table, and also finds chains whose first entry is gone).
 */
export function buildApp(deps: Deps): Api {
  const app = createApi(deps, 'audit');
  const repo = new AuditRepository(deps.doc, deps.config.tableName);

  route(
    app,
    {
      method: 'get',
      path: '/audit/chains/:aggregate',
      tags: ['Audit'],
      summary:
        "One aggregate's audit chain (a page of entries, in order) and the verification of the whole chain",
      params: ChainParams,
      query: ListQuery,
      ok: { status: 200, schema: ChainViewSchema },
      problems: [400, 401, 403, 404],
    },
    async (c, { params, query }) => {
      const { aggregate } = params;
      const root = await repo.root(aggregate);
      if (root && !auditable(principalOf(c), c.get('scope'), root)) throw new NotFoundError('audit chain');
      const page = await repo.chainPage(aggregate, query.limit, query.cursor);
      if (!root && !page.items.length && !query.cursor) throw new NotFoundError('audit chain');
      if (root && !root.auditSeq && !page.items.length && !query.cursor)
        throw new NotFoundError('audit chain');
      const verification = await verifyAggregate(repo, aggregate, root ?? null);
      return c.json({ aggregate, verification, items: page.items, nextCursor: page.nextCursor }, 200);
    },
  );

  route(
    app,
    {
      method: 'get',
      path: '/audit/verify',
      tags: ['Audit'],
      summary:
        'Verify every audit chain in your jurisdiction and every pool ledger there; names the first broken entry',
      ok: { status: 200, schema: VerifyReportSchema },
      problems: [401, 403],
    },
    async (c) => {
      const principal = principalOf(c);
      const scope = c.get('scope');
      const report = await verifyAll(repo, {
        covers: (root) => auditable(principal, scope, root),
        now: deps.now,
      });
      return c.json(report, 200);
    },
  );

  return app;
}
