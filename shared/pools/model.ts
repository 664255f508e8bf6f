import { z } from '@hono/zod-openapi';
import { Fen } from '../domain/money';

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
  note: z.string().trim().max(200).optional(),
});

export const PoolSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    sources: z.array(PoolSourceSchema),
    fiscalYear: z.number().int(),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    budgetFen: Fen,
    /** Awarded (budget − committed is what remains available). */
    committedFen: Fen,
    disbursedFen: Fen,
    createdAt: z.string(),
    createdBy: z.string(),
    version: z.number().int(),
  })
  .openapi('Pool');
export type Pool = z.infer<typeof PoolSchema>;

export const PoolViewSchema = PoolSchema.extend({ availableFen: z.number().int() }).openapi('PoolView');
export const poolView = (p: Pool) => ({ ...p, availableFen: p.budgetFen - p.committedFen });

export const PoolInputSchema = z
  .strictObject({
    name: z.string().trim().min(2).max(100),
    sources: z.array(PoolSourceSchema).min(1).max(10),
    fiscalYear: z.number().int().min(2000).max(2100),
    jurisdictionId: z.string().min(1).max(20),
    budgetFen: Fen.refine((v) => v > 0, {
      message: 'The budget must be positive.',
      params: { zh: '预算必须大于零' },
    }),
  })
  .openapi('PoolInput');

export const PoolPatchSchema = z
  .strictObject({
    version: z.number().int().min(1),
    name: z.string().trim().min(2).max(100).optional(),
    budgetFen: Fen.optional(),
  })
  .openapi('PoolPatch');
