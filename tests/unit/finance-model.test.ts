import { describe, expect, it } from 'vitest';
import type { Principal } from '../../shared/auth/principal';
import { attemptOf, disbursementIdOf, IsoDate, PaymentInputSchema } from '../../shared/finance/model';
import { beijingDate, canSee } from '../../shared/finance/service';

describe('disbursement ids', () => {
  const contract = 'ct-aw-8d6c3f1e-6b7a-4f0e-9a51-2f4c0c1d9e77';

  it('are deterministic per tranche and attempt, and give their attempt back', () => {
    expect(disbursementIdOf(contract, 'signing', 1)).toBe(`db-${contract}-signing`);
    expect(disbursementIdOf(contract, 'final', 2)).toBe(`db-${contract}-final-2`);
    for (const m of ['signing', 'midterm', 'final'] as const)
      for (const n of [1, 2, 3, 12]) expect(attemptOf(contract, m, disbursementIdOf(contract, m, n))).toBe(n);
    expect(attemptOf(contract, 'signing', undefined)).toBe(0);
  });

  it("refuse another tranche's id", () => {
    expect(() => attemptOf(contract, 'final', disbursementIdOf(contract, 'signing', 1))).toThrow(RangeError);
    expect(() => attemptOf(contract, 'final', `db-${contract}-final-x`)).toThrow(RangeError);
  });

  it('fit the route parameter limit (160) for the longest contract ids', () => {
    expect(disbursementIdOf(`ct-aw-${'f'.repeat(64)}`, 'midterm', 99).length).toBeLessThanOrEqual(160);
  });
});

describe('payment input', () => {
  it('takes real calendar dates only', () => {
    expect(IsoDate.safeParse('2026-02-28').success).toBe(true);
    expect(IsoDate.safeParse('2024-02-29').success).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-4-1', '01/04/2026', '2026-04-01T00:00:00Z', ''])
      expect(IsoDate.safeParse(bad).success, bad).toBe(false);
  });

  it('takes bank references of letters, digits and - _ / . only, trimmed', () => {
    const ok = PaymentInputSchema.safeParse({
      version: 2,
      bankReference: ' ICBC/2026.04-01_7 ',
      paidOn: '2026-04-01',
    });
    expect(ok.success && ok.data.bankReference).toBe('ICBC/2026.04-01_7');
    for (const bad of ['abc', 'ICBC 2026', '-ICBC2026', 'ICBC2026;DROP', 'x'.repeat(65)])
      expect(
        PaymentInputSchema.safeParse({ version: 2, bankReference: bad, paidOn: '2026-04-01' }).success,
        bad,
      ).toBe(false);
  });
});

describe('who sees a disbursement', () => {
  const base = { name: 'x', jurisdictionId: '410621', jurisdictionPath: '410600/410621/' };
  const d = { orgId: 'org-1', jurisdictionPath: '410600/410621/' };
  it('money roles by jurisdiction subtree, providers by organization, reviewers never', () => {
    const as = (role: Principal['role'], extra: Partial<Principal> = {}): Principal => ({
      ...base,
      userId: role,
      role,
      ...extra,
    });
    expect(canSee(as('officer'), d)).toBe(true);
    expect(canSee(as('finance'), d)).toBe(true);
    expect(canSee(as('auditor', { jurisdictionPath: '410600/' }), d)).toBe(true);
    expect(canSee(as('finance', { jurisdictionPath: '640100/' }), d)).toBe(false);
    expect(canSee(as('officer', { jurisdictionPath: '410600/410621/410621101/' }), d)).toBe(false);
    expect(canSee(as('applicant', { orgId: 'org-1' }), d)).toBe(true);
    expect(canSee(as('applicant', { orgId: 'org-2' }), d)).toBe(false);
    expect(canSee(as('applicant'), d)).toBe(false);
    expect(canSee(as('reviewer'), d)).toBe(false);
  });
});

describe('Beijing dates', () => {
  it('turn at midnight in Beijing, not in UTC', () => {
    expect(beijingDate('2026-03-31T15:59:59.000Z')).toBe('2026-03-31');
    expect(beijingDate('2026-03-31T16:00:00.000Z')).toBe('2026-04-01');
  });
});
