import type { Deps } from '../http/deps';
import type { Jurisdiction } from '../jurisdictions/model';
import { JurisdictionRepository } from '../jurisdictions/repository';
import type { Statistics } from './model';
import { StatisticsRepository } from './repository';

/**
 * Jurisdictions are reference data, loaded in bulk and never edited per request: kept in memory
 * for a few minutes, so that a dashboard's read is its two Queries and nothing else.
 */
const CACHE_MS = 5 * 60_000;
const cache = new Map<string, { j: Jurisdiction | undefined; until: number }>();

/** Service statistics by station and month, rolled up the jurisdiction tree (pre-aggregated). */
export class StatisticsService {
  readonly statistics: StatisticsRepository;
  private readonly jurisdictions: JurisdictionRepository;

  constructor(private readonly deps: Deps) {
    this.statistics = new StatisticsRepository(deps.doc, deps.config.tableName);
    this.jurisdictions = new JurisdictionRepository(deps.doc, deps.config.tableName);
  }

  /** The jurisdiction, from the in-process cache when fresh. */
  async jurisdiction(id: string): Promise<Jurisdiction | undefined> {
    const key = `${this.deps.config.tableName}|${id}`;
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.j;
    const j = await this.jurisdictions.get(id);
    cache.set(key, { j, until: now + CACHE_MS });
    return j;
  }

  /** The caller checks scope on `j` first (officers see their subtree). */
  read(j: Jurisdiction, year: number): Promise<Statistics> {
    return this.statistics.read(j, year);
  }
}
