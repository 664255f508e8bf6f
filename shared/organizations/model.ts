import { z } from '@hono/zod-openapi';
import { checkCreditCode } from '../domain/credit-code';
import { Password, Username } from '../users/model';

export const CreditCode = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .superRefine((code, ctx) => {
    const problem = checkCreditCode(code);
    if (!problem) return;
    const text = {
      length: ['must be 18 characters', '须为 18 位'],
      alphabet: [
        'may only use digits and capitals other than I, O, Z, S, V',
        '只能包含数字和除 I、O、Z、S、V 外的大写字母',
      ],
      'check-digit': ['has a wrong check digit (GB 32100-2015)', '校验码错误（GB 32100-2015）'],
    }[problem];
    ctx.addIssue({
      code: 'custom',
      message: `Unified social credit code ${text[0]}.`,
      params: { zh: `统一社会信用代码${text[1]}` },
    });
  })
  .openapi({
    description: '统一社会信用代码 (18 characters, GB 32100-2015 check digit)',
    example: '52410621MJY000001L',
  });

export const Phone = z.string().regex(/^[0-9+\-() ]{7,20}$/, 'Enter a telephone number.');

export const OrganizationSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    creditCode: z.string(),
    jurisdictionId: z.string(),
    jurisdictionPath: z.string(),
    contactName: z.string(),
    contactPhone: z.string(),
    contactEmail: z.string().optional(),
    status: z.enum(['pending', 'approved', 'rejected']),
    decisionReason: z.string().optional(),
    decidedBy: z.string().optional(),
    decidedAt: z.string().optional(),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .openapi('Organization');
export type Organization = z.infer<typeof OrganizationSchema>;

/** Self-registration of a social-work organization and its first applicant account. */
export const RegistrationSchema = z
  .strictObject({
    organization: z.strictObject({
      name: z.string().trim().min(2).max(100),
      creditCode: CreditCode,
      jurisdictionId: z.string().min(1).max(20),
      contactName: z.string().trim().min(1).max(50),
      contactPhone: Phone,
      contactEmail: z.email().optional(),
    }),
    username: Username,
    password: Password,
    displayName: z.string().trim().min(1).max(50),
  })
  .openapi('Registration');
export type Registration = z.infer<typeof RegistrationSchema>;

export const DecisionSchema = z
  .strictObject({
    version: z.number().int().min(1),
    reason: z.string().trim().max(500).optional(),
  })
  .openapi('OrganizationDecision');
