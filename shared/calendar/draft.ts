/**
 * The statutory draft, loaded on first use: its lunar calendar library is a third of a megabyte
 * minified, and only the draft (an administrator opening a new year) needs it. The file name is
 * a lazy chunk of infra/bundling.ts (LAZY_CHUNKS), built beside the bundles that import it.
 */
import type { Arrangement } from './arrangement';

export async function statutoryDraftOf(year: number): Promise<Arrangement> {
  const { statutoryDraft } = await import('./statutory.js');
  return statutoryDraft(year);
}
