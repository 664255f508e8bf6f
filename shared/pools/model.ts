import * as z from 'zod/mini';
import { Fen, PositiveFen } from '../domain/money';
import { int, named, text } from '../schema';

/** Where a pool's money comes from (DOMAIN.md, "Money"). */
export const POOL_SOURCE_KINDS = [
  'social-assistance-subsidy', // 困难群众救助补助资金 (a share set aside for purchasing services)
  'minor-protection', // 未成年人保护资金
  'city-budget', // 市级财政 (e.g. Yinchuan's venture budget)
  'county-social-assistance', // 县(区)社会救助资金
  'community-charity', // 社区慈善基金
  'other',
] as const;

export const PoolSourceSchema = z.strictObject({
  kind: z.enum(POOL_SOURCE_KINDS),
  note: z.optional(text(0, 200)),
  /**
   * The source's own amount (e.g. the year's provincial social-assistance subsidy), for a source
   * whose share set aside for purchasing services is a rule of the packs in force: the pool's
   * budget from this source is computed from it, not typed.
   */
  sourceAmountFen: z.optional(Fen),
});

/** A set-aside computed from a source amount by a pack rule (kept on the pool, with its citation). */
export const SetAsideSchema = z.object({
  source: z.enum(POOL_SOURCE_KINDS),
  sourceAmountFen: Fen,
  basisPoints: z.int(),
  /** floor(sourceAmountFen × basisPoints / 10000): rounded down to the fen. */
  amountFen: Fen,
  ruleId: z.string(),
  pack: z.string(),
  packVersion: z.int(),
  citation: z.string(),
});

export const PoolSchema = named(
  z.object({
    id: z.string(),
    name: z.string(),
    sources: z.array(PoolSourceSchema),
    fiscalYear: z.int(),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    budgetFen: Fen,
    /** The part of the budget computed from source amounts by set-aside rules (the rest was typed). */
    setAside: z.optional(z.array(SetAsideSchema)),
    /** Awarded (budget − committed is what remains available). */
    committedFen: Fen,
    disbursedFen: Fen,
    createdAt: z.string(),
    createdBy: z.string(),
    version: z.int(),
  }),
  'Pool',
);
export type Pool = z.infer<typeof PoolSchema>;

export const PoolViewSchema = named(z.extend(PoolSchema, { availableFen: z.int() }), 'PoolView');
export const poolView = (p: Pool) => ({ ...p, availableFen: p.budgetFen - p.committedFen });

export const PoolInputSchema = named(
  z.strictObject({
    name: text(2, 100),
    sources: z.array(PoolSourceSchema).check(z.minLength(1), z.maxLength(10)),
    fiscalYear: int(2000, 2100),
    jurisdictionId: text(1, 20),
    /**
     * The budget typed by the officer: the part from sources WITHOUT a set-aside rule. Sources
     * with one give `sourceAmountFen` instead and their part is computed; the pool's budget is the sum.
     */
    budgetFen: z.optional(PositiveFen),
  }),
  'PoolInput',
);
export type PoolInput = z.infer<typeof PoolInputSchema>;

export const PoolPatchSchema = named(
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    name: z.optional(text(2, 100)),
    budgetFen: z.optional(Fen),
  }),
  'PoolPatch',
);
