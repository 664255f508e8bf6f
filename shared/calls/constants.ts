/**
 * The call constants, without the schemas: modules that need only these (the contract and
 * disbursement models) import them from here, so that they do not build the call schemas at cold
 * start (shared/calls/model.ts re-exports them).
 */
export const CALL_KINDS = ['purchase', 'venture'] as const; // 政府购买服务 / 公益创投
export const MILESTONES = ['signing', 'midterm', 'final'] as const; // 签约 / 中期评估 / 末期评估
