import * as z from 'zod/mini';
import { described, named } from '../schema';

/** 市 → 县(区) → 乡镇(街道) → 村(社区): four levels, as in Yinchuan's four-level service system. */
export const JURISDICTION_LEVELS = ['city', 'county', 'township', 'village'] as const;

export const JurisdictionSchema = named(
  z.object({
    id: described(z.string(), 'Administrative division code', '410621'),
    name: described(z.string(), 'Chinese name', '浚县'),
    nameEn: z.string(),
    level: z.enum(JURISDICTION_LEVELS),
    parentId: z.optional(z.string()),
    /** Materialized path from the city down, ending in '/'. */
    path: described(z.string(), 'Path from the city down', '410600/410621/'),
  }),
  'Jurisdiction',
);
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

/** 社会工作服务站: one per township in Xun County. */
export const StationSchema = named(
  z.object({
    id: z.string(),
    name: described(z.string(), 'Station name', '小河镇社会工作服务站'),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    feature: z.optional(described(z.string(), "The station's signature programme (一站一特色)")),
  }),
  'Station',
);
export type Station = z.infer<typeof StationSchema>;
