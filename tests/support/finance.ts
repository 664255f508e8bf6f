import { expect } from 'vitest';
import type { Contract } from '../../shared/contracts/model';
import { ContractService } from '../../shared/contracts/service';
import type { Disbursement } from '../../shared/finance/model';
import { type ClosedCall, closedCall } from './awards';
import type { TestPlatform } from './platform';

const DAY = 24 * 3600_000;

export interface Signed {
  fx: ClosedCall;
  contracts: Contract[];
}

/**
 * Contracts signed the way the platform makes them: a closed venture call whose applications
 * (one per amount, the first by `orgs[0]`…) are proposed by one officer, confirmed by another
 * (committing the money: awards service), left to become final (the clock moves past the notice
 * and challenge windows), then signed (contracts service). Each contract's signing tranche is due.
 */
export async function signedContracts(
  p: TestPlatform,
  amountsFen: number[],
  options: { poolBudgetFen?: number; orgs?: { orgId: string; orgName: string }[] } = {},
): Promise<Signed> {
  const fx = await closedCall(
    p,
    'venture',
    amountsFen.map((requestedFen, i) => ({
      requestedFen,
      totals: Array(5).fill(95 - i * 0.25) as number[],
      ...(options.orgs?.[i] ?? {}),
    })),
    { poolBudgetFen: options.poolBudgetFen },
  );
  const [officerA, officerB] = await Promise.all([p.signIn('xun-officer'), p.signIn('xun-officer-2')]);
  const proposal = await fx.propose(officerA);
  expect(proposal.status).toBe(201);
  const awards = ((await proposal.json()) as { proposed: { id: string; submissionId: string }[] }).proposed;
  expect(awards).toHaveLength(amountsFen.length);
  for (const a of awards) {
    const res = await p.api('POST', `/awards/${a.id}/confirm`, { token: officerB, body: { version: 1 } });
    expect(res.status, await res.clone().text()).toBe(200);
  }
  p.clock.advance(30 * DAY); // past the notice (公示) and the challenge window: final
  const service = new ContractService(p.deps);
  const officer = p.demo.users['xun-officer']!;
  const bySubmission = new Map(awards.map((a) => [a.submissionId, a.id]));
  const contracts: Contract[] = [];
  for (const s of fx.submissions) contracts.push(await service.sign(bySubmission.get(s.id)!, {}, officer));
  return { fx, contracts };
}

export interface Tokens {
  officer: string;
  officer2: string;
  finance: string;
  auditor: string;
  applicant: string;
  yc: string;
}

export async function tokens(p: TestPlatform): Promise<Tokens> {
  const [officer, officer2, finance, auditor, applicant, yc] = await Promise.all(
    ['xun-officer', 'xun-officer-2', 'xun-finance', 'xun-auditor', 'qicai-applicant', 'yc-officer'].map((u) =>
      p.signIn(u),
    ),
  );
  return {
    officer: officer!,
    officer2: officer2!,
    finance: finance!,
    auditor: auditor!,
    applicant: applicant!,
    yc: yc!,
  };
}

/** A JSON answer and its body. */
export async function json<T = Record<string, unknown>>(res: Response | Promise<Response>) {
  const r = await res;
  const text = await r.text();
  return {
    status: r.status,
    type: r.headers.get('content-type') ?? '',
    body: (text ? JSON.parse(text) : {}) as T,
  };
}

/** Requests, approves and pays one tranche through the API; returns the paid disbursement. */
export async function payThrough(
  p: TestPlatform,
  t: Tokens,
  contractId: string,
  milestone: 'signing' | 'midterm' | 'final',
  bankReference: string,
): Promise<Disbursement> {
  const req = await json<Disbursement>(
    p.api('POST', '/disbursements', { token: t.officer, body: { contractId, milestone } }),
  );
  expect(req.status, JSON.stringify(req.body)).toBe(201);
  const ok = await json<Disbursement>(
    p.api('POST', `/disbursements/${req.body.id}/approve`, { token: t.finance, body: { version: 1 } }),
  );
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  const paid = await json<Disbursement>(
    p.api('POST', `/disbursements/${req.body.id}/pay`, {
      token: t.finance,
      body: { version: 2, bankReference, paidOn: beijingToday(p.clock.now) },
    }),
  );
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  return paid.body;
}

export const beijingToday = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
