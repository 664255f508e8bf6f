/**
 * The random panel draw (随机抽取评审专家), pure and reproducible: the same seed, candidates and
 * rules always give the same members and reserves, so anyone holding the panel record can re-run
 * it and check that nobody was hand-picked.
 *
 * PRNG: SHA-256 in counter mode over the seed (block i = sha256(seed ‖ ":" ‖ i)), read as
 * unsigned 32-bit words; integers below n by rejection sampling, so there is no modulo bias.
 * Candidates are sorted by user id before the shuffle: the order the database returned them in
 * cannot change the outcome.
 */
import { createHash } from 'node:crypto';
import { RuleViolationError } from '../errors';

export interface Candidate {
  userId: string;
  isExpert: boolean;
}

export interface DrawRules {
  /** Committee members (评审委员会成员). */
  size: number;
  /** At least this many members must be experts (87号令 第47条: two thirds or more). */
  minExperts: number;
  /** Reserves (候补), experts only, so that a replacement never lowers the expert share. */
  reserves: number;
}

export interface Draw {
  members: string[];
  reserves: string[];
}

/** Uniform integers from a hex seed, by SHA-256 in counter mode. */
export function seededRandom(seed: string): (n: number) => number {
  let block = 0;
  const words: number[] = [];
  const next = (): number => {
    if (words.length === 0) {
      const h = createHash('sha256').update(`${seed}:${block++}`).digest();
      for (let i = 0; i < 32; i += 4) words.push(h.readUInt32BE(i));
    }
    return words.shift()!;
  };
  return (n: number) => {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`Cannot draw below ${n}.`);
    const limit = Math.floor(2 ** 32 / n) * n;
    let u = next();
    while (u >= limit) u = next();
    return u % n;
  };
}

/** The candidates in a seeded random order (Fisher–Yates over the canonical order). */
export function shuffle<T extends Candidate>(candidates: readonly T[], seed: string): T[] {
  const out = [...candidates].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Why the pool cannot seat the committee the call needs (87号令 第47条). */
export class PanelUnavailableError extends RuleViolationError {
  constructor(detail: string, detailZh: string, extra: Record<string, unknown>) {
    super('panel-unavailable', detail, detailZh, extra);
  }
}

/**
 * Draws the committee: walk the shuffled candidates, seating each expert, and each buyer
 * representative while non-experts stay within `size − minExperts`; then the next experts
 * become reserves, in order. Refuses with the exact shortfall when the pool is too small.
 */
export function drawPanel(candidates: readonly Candidate[], seed: string, rules: DrawRules): Draw {
  const experts = candidates.filter((c) => c.isExpert).length;
  const others = candidates.length - experts;
  const seatsForOthers = Math.min(others, rules.size - rules.minExperts);
  const expertsNeeded = rules.size - seatsForOthers + rules.reserves;
  if (experts < expertsNeeded) {
    throw new PanelUnavailableError(
      `The expert pool cannot seat this committee: it needs ${rules.size} members of whom at least ${rules.minExperts} experts (87号令 第47条), plus ${rules.reserves} expert reserves — ${expertsNeeded} experts with ${seatsForOthers} buyer representatives — but only ${experts} experts and ${others} buyer representatives are available who are not affiliated with a bidder.`,
      `专家库人数不足：评审委员会需 ${rules.size} 人，其中专家不少于 ${rules.minExperts} 人（87号令 第47条），另需候补专家 ${rules.reserves} 人，共需专家 ${expertsNeeded} 人（采购人代表 ${seatsForOthers} 人）；与投标人无关联的可抽取专家仅 ${experts} 人、采购人代表 ${others} 人`,
      { expertsAvailable: experts, othersAvailable: others, expertsNeeded },
    );
  }
  const members: string[] = [];
  const reserves: string[] = [];
  let nonExperts = 0;
  for (const c of shuffle(candidates, seed)) {
    if (members.length < rules.size) {
      if (c.isExpert) members.push(c.userId);
      else if (nonExperts < rules.size - rules.minExperts) {
        members.push(c.userId);
        nonExperts++;
      }
    } else if (c.isExpert && reserves.length < rules.reserves) reserves.push(c.userId);
  }
  return { members, reserves };
}

/** Who scores a submission: the members, minus those recused for it, plus the reserves who took their place. */
export function seatedFor(
  panel: {
    members: readonly { userId: string }[];
    recusals: readonly { submissionId: string; userId: string; replacedBy?: string }[];
  },
  submissionId: string,
): string[] {
  const seated = panel.members.map((m) => m.userId);
  for (const r of panel.recusals) {
    if (r.submissionId !== submissionId) continue;
    const at = seated.indexOf(r.userId);
    if (at >= 0) seated.splice(at, 1);
    if (r.replacedBy) seated.push(r.replacedBy);
  }
  return seated;
}

/** The first reserve neither seated for nor recused from the submission. */
export function nextReserve(
  panel: {
    members: readonly { userId: string }[];
    reserves: readonly { userId: string }[];
    recusals: readonly { submissionId: string; userId: string; replacedBy?: string }[];
  },
  submissionId: string,
): string | undefined {
  const seated = new Set(seatedFor(panel, submissionId));
  const recused = new Set(panel.recusals.filter((r) => r.submissionId === submissionId).map((r) => r.userId));
  return panel.reserves.map((r) => r.userId).find((id) => !seated.has(id) && !recused.has(id));
}
