import * as z from 'zod/mini';
import { int, named } from '../schema';

/*
 * A module of its own (shared/submissions/model.ts re-exports it): the contracts carry the
 * targets, and importing them must not build the submission schemas at cold start.
 */

const Count = int(0, 10_000_000);

/** Measurable targets of a venture project (探访 / 个案 / 小组 / 社区活动 / 服务人数 by category). */
export const TargetsSchema = named(
  z.strictObject({
    visits: Count,
    cases: Count,
    groups: Count,
    activities: Count,
    peopleServed: z.strictObject({
      minimumLiving: Count,
      extremePoverty: Count,
      childrenInDifficulty: Count,
      disabled: Count,
      other: Count,
    }),
  }),
  'Targets',
);
