import * as z from 'zod/mini';
import { checkCreditCode } from '../domain/credit-code';
import { issue } from '../i18n/validation';
import { described, named, text } from '../schema';
import { Password, Username } from '../users/model';

const CREDIT_CODE_PROBLEMS = {
  length: ['must be 18 characters', '须为 18 位'],
  alphabet: [
    'may only use digits and capitals other than I, O, Z, S, V',
    '只能包含数字和除 I、O、Z、S、V 外的大写字母',
  ],
  'check-digit': ['has a wrong check digit (GB 32100-2015)', '校验码错误（GB 32100-2015）'],
} as const;

export const CreditCode = described(
  z.string().check(
    z.trim(),
    z.toUpperCase(),
    z.superRefine((code, ctx) => {
      const problem = checkCreditCode(code);
      if (!problem) return;
      const [en, zh] = CREDIT_CODE_PROBLEMS[problem];
      issue(ctx, [], { en: `Unified social credit code ${en}.`, zh: `统一社会信用代码${zh}` });
    }),
  ),
  '统一社会信用代码 (18 characters, GB 32100-2015 check digit)',
  '91350100M000100Y43',
);

export const Phone = z.string().check(z.regex(/^[0-9+\-() ]{7,20}$/, 'Enter a telephone number.'));

export const OrganizationSchema = named(
  z.object({
    id: z.string(),
    name: z.string(),
    creditCode: z.string(),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    contactName: z.string(),
    contactPhone: z.string(),
    contactEmail: z.optional(z.string()),
    status: z.enum(['pending', 'approved', 'rejected']),
    decisionReason: z.optional(z.string()),
    decidedBy: z.optional(z.string()),
    decidedAt: z.optional(z.string()),
    createdAt: z.string(),
    version: z.int(),
  }),
  'Organization',
);
export type Organization = z.infer<typeof OrganizationSchema>;

/** Self-registration of a social-work organization and its first applicant account. */
export const RegistrationSchema = named(
  z.strictObject({
    organization: z.strictObject({
      name: text(2, 100),
      creditCode: CreditCode,
      jurisdictionId: text(1, 20),
      contactName: text(1, 50),
      contactPhone: Phone,
      contactEmail: z.optional(z.email()),
    }),
    username: Username,
    password: Password,
    displayName: text(1, 50),
  }),
  'Registration',
);
export type Registration = z.infer<typeof RegistrationSchema>;

export const DecisionSchema = named(
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    reason: z.optional(text(0, 500)),
  }),
  'OrganizationDecision',
);
