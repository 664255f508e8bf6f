import * as z from 'zod/mini';
import { described, named } from '../schema';
import { LEVELS } from './codes';

/**
 * 省 → 市 → 县(区) → 乡镇(街道) → 村(社区): Yinchuan's four-level service system with the province
 * on top. Codes, levels and paths: ./codes.ts (a province's path is its two-digit prefix, `41`;
 * paths of cities and below start at the city, as before).
 */
export const JURISDICTION_LEVELS = LEVELS;

export const JurisdictionSchema = named(
  z.object({
    id: described(z.string(), 'Administrative division code', '410621'),
    name: described(z.string(), 'Chinese name', '浚县'),
    nameEn: z.string(),
    level: z.enum(JURISDICTION_LEVELS),
    parentId: z.optional(z.string()),
    /** Materialized path from the city down, ending in '/'. */
    path: described(
      z.string(),
      'Path from the city down (a province: its two-digit prefix)',
      '410600/410621/',
    ),
    /** Optimistic lock of edits through the API (absent on bulk-loaded data: reads as 1). */
    version: z.optional(z.int()),
  }),
  'Jurisdiction',
);
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

export const STATION_STATUSES = ['open', 'closed'] as const;

/** 社会工作服务站: one per township in Xun County. */
export const StationSchema = named(
  z.object({
    id: z.string(),
    name: described(z.string(), 'Station name', '小河镇社会工作服务站'),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    feature: z.optional(described(z.string(), "The station's signature programme (一站一特色)")),
    address: z.optional(described(z.string(), 'Street address', '浚县小河镇政府院内')),
    staffCount: z.optional(described(z.int(), 'Social workers at the station', 3)),
    /** Absent on bulk-loaded data: open. A closed station keeps its record, reports and history. */
    status: z.optional(z.enum(STATION_STATUSES)),
    /** Optimistic lock of edits through the API (absent on bulk-loaded data: reads as 1). */
    version: z.optional(z.int()),
  }),
  'Station',
);
export type Station = z.infer<typeof StationSchema>;
