/**
 * Jurisdiction reference data for the pages' selects and labels. It is loaded in bulk and never
 * edited per request, so each warm function keeps it for a few minutes. Subtrees are walked with
 * the repository's children Query (no Scan).
 */
import type { Deps } from '../../shared/http/deps';
import type { Jurisdiction } from '../../shared/jurisdictions/model';
import { JurisdictionRepository } from '../../shared/jurisdictions/repository';
import { type Lang, LEVEL, pick } from './i18n';
import type { Option } from './layout';

const TTL_MS = 5 * 60_000;

/**
 * The top-level jurisdictions (cities) the platform serves: the registration form lists their
 * subtrees. Top-level divisions have no parent, so they are not reachable through the children
 * index; a deployment names them in `JURISDICTION_ROOTS` (comma-separated division codes). The
 * default is the two cities of the demo data (鹤壁市, 银川市).
 */
export const rootIds = (env: NodeJS.ProcessEnv = process.env) =>
  (env.JURISDICTION_ROOTS ?? '410600,640100')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export class Reference {
  private readonly repo: JurisdictionRepository;
  private readonly one = new Map<string, { at: number; value: Promise<Jurisdiction | undefined> }>();
  private readonly trees = new Map<string, { at: number; value: Promise<Jurisdiction[]> }>();

  constructor(deps: Deps) {
    this.repo = new JurisdictionRepository(deps.doc, deps.config.tableName);
  }

  get(id: string): Promise<Jurisdiction | undefined> {
    return cached(this.one, id, () => this.repo.get(id));
  }

  /** The jurisdiction and everything below it, depth first (parents before children). */
  subtree(id: string): Promise<Jurisdiction[]> {
    return cached(this.trees, id, async () => {
      const root = await this.get(id);
      if (!root) return [];
      const out: Jurisdiction[] = [];
      const walk = async (j: Jurisdiction) => {
        out.push(j);
        this.one.set(j.id, { at: Date.now(), value: Promise.resolve(j) });
        const kids = await this.repo.children(j.id);
        kids.sort((a, b) => a.id.localeCompare(b.id));
        for (const k of kids) await walk(k);
      };
      await walk(root);
      return out;
    });
  }

  async all(): Promise<Jurisdiction[]> {
    return (await Promise.all(rootIds().map((id) => this.subtree(id)))).flat();
  }

  async names(ids: string[]): Promise<Map<string, Jurisdiction>> {
    const unique = [...new Set(ids)];
    const found = await Promise.all(unique.map((id) => this.get(id)));
    return new Map(found.filter((j): j is Jurisdiction => !!j).map((j) => [j.id, j]));
  }
}

function cached<T>(
  map: Map<string, { at: number; value: Promise<T> }>,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  const hit = map.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
  const value = load();
  map.set(key, { at: Date.now(), value });
  value.catch(() => map.delete(key));
  return value;
}

/** Options for a jurisdiction select, indented by depth and grouped by city. */
export function jurisdictionOptions(lang: Lang, list: Jurisdiction[]): Option[] {
  const byId = new Map(list.map((j) => [j.id, j]));
  const cityName = (j: Jurisdiction) => {
    const cityId = j.path.split('/')[0]!;
    const city = byId.get(cityId);
    return city ? (lang === 'zh' ? city.name : city.nameEn) : cityId;
  };
  return list.map((j) => {
    const depth = j.path.split('/').filter(Boolean).length - 1;
    const name = lang === 'zh' ? j.name : j.nameEn;
    return {
      value: j.id,
      text: `${(lang === 'zh' ? '\u3000' : '\u00a0\u00a0\u00a0').repeat(depth)}${name}${lang === 'zh' ? `（${pick(lang, LEVEL[j.level])}）` : ` (${pick(lang, LEVEL[j.level])})`}`,
      group: cityName(j),
    };
  });
}
