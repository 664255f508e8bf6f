/**
 * Award selection (中标 / 立项) from a ranked results table. Pure; all money integer fen.
 *
 * Purchase calls: per lot, the best-ranked eligible bid wins (87号令 第65条: 排名第一的中标候选人),
 * except that
 * - a top bid flagged abnormally low (异常低价) wins only once its written explanation has been
 *   accepted (87号令 第60条). Until then the lot WAITS ('explanation-pending'): the next-ranked
 *   bid does not move up, because an explanation that is accepted makes the flagged bid the
 *   winner, and one that is refused makes it an invalid bid (无效投标) — screening marks it
 *   ineligible and the ranking is recomputed without it, which gives the next winner anyway;
 * - a tie at the top of a lot (并列第一) needs a recorded decision by the purchaser (e.g. drawing
 *   lots, as the tender documents say): no automatic winner ('tie');
 * - a winning price that does not fit in what remains available waits ('insufficient-funds'):
 *   nothing may commit more than is available. Lots are taken in the call's lot order.
 *
 * Venture calls: walk the ranking and fund each application whose total reaches the call's
 * minimum score (compared in centi-points) while its request fits in what remains of
 * min(available, the round's total funding). An application that does not fit is skipped
 * ('insufficient-funds') and smaller ones ranked below it may still be funded: the pool is used
 * as fully as the ranking allows, and no better-ranked application is ever displaced. Tied
 * applications are funded together when all fit; when only some could be, the officer decides
 * ('tie') and everything ranked below waits ('awaiting-decision'), since what remains depends on
 * that decision.
 */
import { pointsToCenti } from './arithmetic';
import type { AwardSelection, LotAward, ResultRow, ScoringCall, VentureDecision } from './model';

function requireFen(value: number | undefined, what: string): number {
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be whole fen, not ${value}.`);
  }
  return value;
}

/** Rows grouped by rank (tied rows together), best first; input order kept within a rank. */
function rankGroups(rows: readonly ResultRow[]): ResultRow[][] {
  const sorted = rows.map((r, i) => ({ r, i })).sort((a, b) => a.r.rank - b.r.rank || a.i - b.i);
  const groups: ResultRow[][] = [];
  for (const { r } of sorted) {
    const last = groups[groups.length - 1];
    if (last && last[0]!.rank === r.rank) last.push(r);
    else groups.push([r]);
  }
  return groups;
}

function purchaseLots(call: ScoringCall, rows: readonly ResultRow[]): (string | undefined)[] {
  const declared = (call.lots ?? []).map((l) => l.code);
  const seen = [...new Set(rows.map((r) => r.lot))];
  const extra = seen
    .filter((l): l is string => l !== undefined && !declared.includes(l))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const lots: (string | undefined)[] = [...declared, ...extra];
  if (seen.includes(undefined) || lots.length === 0) lots.push(undefined);
  return lots;
}

export function selectAwards(
  call: ScoringCall,
  rows: readonly ResultRow[],
  explanationsAccepted: ReadonlySet<string>,
  availableFen: number,
): AwardSelection {
  requireFen(availableFen, 'Available funds');
  return call.kind === 'purchase'
    ? selectPurchase(call, rows, explanationsAccepted, availableFen)
    : selectVenture(call, rows, availableFen);
}

function selectPurchase(
  call: ScoringCall,
  rows: readonly ResultRow[],
  explanationsAccepted: ReadonlySet<string>,
  availableFen: number,
): AwardSelection {
  let remaining = availableFen;
  const lots: LotAward[] = [];
  for (const lot of purchaseLots(call, rows)) {
    const [top] = rankGroups(rows.filter((r) => r.lot === lot));
    if (!top) {
      lots.push({ lot, status: 'none', reason: 'no-eligible-bid' });
      continue;
    }
    if (top.length > 1) {
      lots.push({ lot, status: 'pending', reason: 'tie', submissionIds: top.map((r) => r.submissionId) });
      continue;
    }
    const best = top[0]!;
    // 87号令 第60条: an abnormally low price must be explained in writing before it can win.
    if (best.flags.abnormallyLow && !explanationsAccepted.has(best.submissionId)) {
      lots.push({
        lot,
        status: 'pending',
        reason: 'explanation-pending',
        submissionIds: [best.submissionId],
      });
      continue;
    }
    const amountFen = requireFen(best.priceFen, `The price of bid ${best.submissionId}`);
    if (amountFen > remaining) {
      lots.push({ lot, status: 'pending', reason: 'insufficient-funds', submissionIds: [best.submissionId] });
      continue;
    }
    remaining -= amountFen;
    lots.push({ lot, status: 'awarded', submissionId: best.submissionId, amountFen });
  }
  return {
    kind: 'purchase',
    budgetFen: availableFen,
    committedFen: availableFen - remaining,
    remainingFen: remaining,
    lots,
  };
}

function selectVenture(call: ScoringCall, rows: readonly ResultRow[], availableFen: number): AwardSelection {
  if (!call.venture) throw new RangeError('A venture call needs its funding terms.');
  const budgetFen = Math.min(availableFen, requireFen(call.venture.totalFundingFen, 'Total funding'));
  const minCenti = pointsToCenti(call.venture.minScore);
  let remaining = budgetFen;
  let blocked = false;
  const decisions: VentureDecision[] = [];
  for (const group of rankGroups(rows)) {
    const requests = group.map((r) => requireFen(r.requestedFen, `The request of ${r.submissionId}`));
    const base = (r: ResultRow) => ({ submissionId: r.submissionId, rank: r.rank });
    // Tied rows share their total, so the minimum score treats them alike.
    if (group[0]!.totalCenti < minCenti) {
      for (const r of group) decisions.push({ ...base(r), status: 'not-funded', reason: 'below-minimum' });
      continue;
    }
    if (blocked) {
      for (const r of group) decisions.push({ ...base(r), status: 'pending', reason: 'awaiting-decision' });
      continue;
    }
    const together = requests.reduce((s, f) => s + f, 0);
    if (together <= remaining) {
      group.forEach((r, i) => {
        decisions.push({ ...base(r), status: 'funded', amountFen: requests[i]! });
      });
      remaining -= together;
    } else if (requests.every((f) => f > remaining)) {
      for (const r of group)
        decisions.push({ ...base(r), status: 'not-funded', reason: 'insufficient-funds' });
    } else {
      // Tied, and the money left can fund some but not all of them: the officer decides.
      for (const r of group) decisions.push({ ...base(r), status: 'pending', reason: 'tie' });
      blocked = true;
    }
  }
  return {
    kind: 'venture',
    budgetFen,
    committedFen: budgetFen - remaining,
    remainingFen: remaining,
    decisions,
  };
}
