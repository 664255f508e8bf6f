import { z } from '@hono/zod-openapi';

/** 市 → 县(区) → 乡镇(街道) → 村(社区): four levels, as in Yinchuan's four-level service system. */
export const JURISDICTION_LEVELS = ['city', 'county', 'township', 'village'] as const;

export const JurisdictionSchema = z
  .object({
    id: z.string().openapi({ description: 'Administrative division code', example: '410621' }),
    name: z.string().openapi({ example: '浚县' }),
    nameEn: z.string(),
    level: z.enum(JURISDICTION_LEVELS),
    parentId: z.string().optional(),
    /** Materialized path from the city down, ending in '/'. */
    path: z.string().openapi({ example: '410600/410621/' }),
  })
  .openapi('Jurisdiction');
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

/** 社会工作服务站: one per township in Xun County. */
export const StationSchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: '小河镇社会工作服务站' }),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    feature: z.string().optional().openapi({ description: "The station's signature programme (一站一特色)" }),
  })
  .openapi('Station');
export type Station = z.infer<typeof StationSchema>;
