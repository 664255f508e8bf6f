import { describe, expect, it } from 'vitest';
import {
  type AuditEntry,
  auditEntryPut,
  auditKeys,
  type ChainHead,
  GENESIS_HASH,
  hashEntry,
  hashState,
  nextEntry,
  rootAuditAttributes,
  rootAuditCondition,
  type TransactItem,
  transactItems,
  verifyChain,
} from '../../shared/audit/chain';
import { canonicalSha256 } from '../../shared/submissions/canonical';

const AGG = 'CALL#c-1';
const ACTIONS = ['call.created', 'call.updated', 'call.published', 'call.amended', 'call.closed'];

function stateAt(seq: number) {
  return {
    id: 'c-1',
    version: seq,
    status: ACTIONS[seq - 1]!.split('.')[1],
    title: '社区养老服务',
    budget: 120_000,
  };
}

/** A chain of `n` entries, with the states it hashed and the root item's head. */
function chain(n = 5) {
  const entries: AuditEntry[] = [];
  const states = new Map<number, unknown>();
  let head: ChainHead | undefined;
  for (let seq = 1; seq <= n; seq++) {
    const state = stateAt(seq);
    const next = nextEntry(head, {
      aggregate: AGG,
      actor: seq % 2 ? 'u-officer' : 'u-director',
      at: `2025-03-0${seq}T08:00:00.000Z`,
      action: ACTIONS[seq - 1]!,
      state,
    });
    entries.push(next.entry);
    states.set(seq, state);
    head = next.head;
  }
  return { entries, states, head: head! };
}

const clone = (entries: AuditEntry[]) => entries.map((e) => ({ ...e }));
/** Re-hash an entry after editing it, as a careful forger would. */
const rehash = (e: AuditEntry): AuditEntry => ({ ...e, entryHash: hashEntry(e) });

describe('audit chain: building', () => {
  it('starts from the genesis hash at seq 1 and links each entry to the previous one', () => {
    const { entries, head } = chain();
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.entryHash);
    expect(head).toEqual({ seq: 5, headHash: entries[4]!.entryHash });
  });

  it('treats a head at seq 0 as no chain yet', () => {
    const input = { aggregate: AGG, actor: 'u', at: '2025-03-01T00:00:00.000Z', action: 'a', state: {} };
    expect(nextEntry({ seq: 0, headHash: 'whatever' }, input).entry).toEqual(
      nextEntry(undefined, input).entry,
    );
    expect(nextEntry(undefined, input).entry.prevHash).toBe(GENESIS_HASH);
  });

  it('hashes the canonical JSON of the state and of the entry fields', () => {
    const { entries } = chain(1);
    const e = entries[0]!;
    expect(e.stateHash).toBe(canonicalSha256(stateAt(1)));
    const { entryHash, ...body } = e;
    expect(entryHash).toBe(canonicalSha256(body));
    expect(entryHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic whatever the key order of the state', () => {
    const input = { aggregate: AGG, actor: 'u', at: '2025-03-01T00:00:00.000Z', action: 'call.created' };
    const a = nextEntry(undefined, { ...input, state: { b: [1, { y: 2, x: 1 }], a: '浚县', c: null } });
    const b = nextEntry(undefined, { ...input, state: { c: null, a: '浚县', b: [1, { x: 1, y: 2 }] } });
    expect(a.entry.stateHash).toBe(b.entry.stateHash);
    expect(a.entry.entryHash).toBe(b.entry.entryHash);
    expect(a).toEqual(b);
    // A different state is a different hash.
    const c = nextEntry(undefined, { ...input, state: { c: null, a: '浚县', b: [1, { x: 1, y: 3 }] } });
    expect(c.entry.stateHash).not.toBe(a.entry.stateHash);
  });

  it('refuses a state that is not plain JSON and a malformed head or input', () => {
    const input = { aggregate: AGG, actor: 'u', at: '2025-03-01T00:00:00.000Z', action: 'a' };
    expect(() => nextEntry(undefined, { ...input, state: { at: new Date() } })).toThrow(TypeError);
    expect(() => nextEntry({ seq: -1, headHash: GENESIS_HASH }, { ...input, state: {} })).toThrow(TypeError);
    expect(() => nextEntry({ seq: 1.5, headHash: GENESIS_HASH }, { ...input, state: {} })).toThrow(TypeError);
    expect(() => nextEntry(undefined, { ...input, actor: '', state: {} })).toThrow(TypeError);
  });
});

describe('audit chain: verifying', () => {
  it('verifies an intact chain, with and without the head and the states', () => {
    const { entries, head, states } = chain();
    expect(verifyChain(AGG, entries)).toEqual({ ok: true, count: 5 });
    expect(verifyChain(AGG, entries, head, states)).toEqual({ ok: true, count: 5 });
    expect(verifyChain(AGG, [])).toEqual({ ok: true, count: 0 });
    expect(verifyChain(AGG, [], { seq: 0, headHash: GENESIS_HASH })).toEqual({ ok: true, count: 0 });
  });

  it.each([
    ['action', { action: 'call.cancelled' }],
    ['actor', { actor: 'u-intruder' }],
    ['state', { stateHash: hashState({ ...stateAt(3), budget: 999_999 }) }],
    ['time', { at: '2025-03-09T08:00:00.000Z' }],
  ])('detects an altered %s at that seq', (_field, change) => {
    const { entries, head } = chain();
    const forged = clone(entries);
    forged[2] = { ...forged[2]!, ...change };
    for (const h of [undefined, head])
      expect(verifyChain(AGG, forged, h)).toMatchObject({
        ok: false,
        firstBroken: { seq: 3, reason: 'altered' },
      });
  });

  it('detects an altered entry whose own hash was recomputed at the next entry', () => {
    const { entries, head } = chain();
    const forged = clone(entries);
    forged[1] = rehash({ ...forged[1]!, action: 'call.cancelled' });
    const r = verifyChain(AGG, forged, head);
    expect(r).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'altered' } });
    if (!r.ok) expect(r.firstBroken.detail).toContain('prevHash');
  });

  it('detects a recomputed last entry against the head', () => {
    const { entries, head } = chain();
    const forged = clone(entries);
    forged[4] = rehash({ ...forged[4]!, actor: 'u-intruder' });
    expect(verifyChain(AGG, forged)).toEqual({ ok: true, count: 5 }); // nothing after it to tell
    expect(verifyChain(AGG, forged, head)).toMatchObject({
      ok: false,
      firstBroken: { seq: 5, reason: 'head-mismatch' },
    });
  });

  it('detects a rewritten genesis link', () => {
    const { entries } = chain();
    const forged = clone(entries);
    forged[0] = rehash({ ...forged[0]!, prevHash: 'f'.repeat(64) });
    expect(verifyChain(AGG, forged)).toMatchObject({ ok: false, firstBroken: { seq: 1, reason: 'altered' } });
  });

  it.each([1, 3, 5])('detects deleted entry %i at its seq', (seq) => {
    const { entries, head } = chain();
    const forged = entries.filter((e) => e.seq !== seq);
    const expected = seq === 5 ? { seq: 5, reason: 'head-mismatch' } : { seq, reason: 'missing' }; // the last one: only the head knows
    expect(verifyChain(AGG, forged, head)).toMatchObject({ ok: false, firstBroken: expected });
  });

  it('detects a deletion even when the later entries were renumbered and re-hashed', () => {
    const { entries, head } = chain();
    const forged = clone(entries.filter((e) => e.seq !== 3));
    forged[2] = rehash({ ...forged[2]!, seq: 3 });
    forged[3] = rehash({ ...forged[3]!, seq: 4, prevHash: forged[2]!.entryHash });
    // Entry 3 (formerly 4) still links to the removed entry's hash.
    expect(verifyChain(AGG, forged, head)).toMatchObject({
      ok: false,
      firstBroken: { seq: 3, reason: 'altered' },
    });
  });

  it('detects two swapped entries, read in the wrong order', () => {
    const { entries, head } = chain();
    const forged = clone(entries);
    [forged[1], forged[3]] = [forged[3]!, forged[1]!];
    expect(verifyChain(AGG, forged, head)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'reordered' },
    });
  });

  it('detects two entries whose contents were swapped under their seq numbers', () => {
    const { entries, head } = chain();
    const forged = clone(entries);
    const [b, c] = [forged[1]!, forged[2]!];
    forged[1] = { ...c, seq: 2 };
    forged[2] = { ...b, seq: 3 };
    expect(verifyChain(AGG, forged, head)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'reordered' },
    });
  });

  it('detects swapped entries even when the forger re-hashed them', () => {
    const { entries } = chain();
    const forged = clone(entries);
    const [b, c] = [forged[1]!, forged[2]!];
    forged[1] = rehash({ ...c, seq: 2, prevHash: forged[0]!.entryHash });
    forged[2] = rehash({ ...b, seq: 3, prevHash: forged[1]!.entryHash });
    // Entry 4 still links to the original entry 3.
    expect(verifyChain(AGG, forged)).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: 'altered' } });
  });

  it('detects a duplicated entry', () => {
    const { entries } = chain();
    const forged = [entries[0]!, entries[1]!, { ...entries[1]! }, ...entries.slice(2)];
    expect(verifyChain(AGG, forged)).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'altered' } });
  });

  it('detects a truncated tail against the head', () => {
    const { entries, head } = chain();
    expect(verifyChain(AGG, entries.slice(0, 3))).toEqual({ ok: true, count: 3 }); // no head: undetectable
    const r = verifyChain(AGG, entries.slice(0, 3), head);
    expect(r).toMatchObject({ ok: false, firstBroken: { seq: 4, reason: 'head-mismatch' } });
    expect(verifyChain(AGG, [], head)).toMatchObject({
      ok: false,
      firstBroken: { seq: 1, reason: 'head-mismatch' },
    });
  });

  it('detects entries beyond the head', () => {
    const { entries } = chain();
    const r = verifyChain(AGG, entries, { seq: 4, headHash: entries[3]!.entryHash });
    expect(r).toMatchObject({ ok: false, firstBroken: { seq: 5, reason: 'head-mismatch' } });
  });

  it('detects an entry of another aggregate', () => {
    const { entries } = chain();
    expect(verifyChain('CALL#c-2', entries)).toMatchObject({
      ok: false,
      firstBroken: { seq: 1, reason: 'altered' },
    });
  });

  it('detects a state other than the one hashed, when states are supplied', () => {
    const { entries, head } = chain();
    const states = new Map<number, unknown>([
      [2, stateAt(2)],
      [4, { ...stateAt(4), budget: 1 }],
    ]);
    expect(verifyChain(AGG, entries, head, states)).toMatchObject({
      ok: false,
      firstBroken: { seq: 4, reason: 'state-mismatch' },
    });
    // Same state, other key order: still matches.
    const reordered = Object.fromEntries(Object.entries(stateAt(5)).reverse());
    expect(verifyChain(AGG, entries, head, new Map([[5, reordered]]))).toEqual({ ok: true, count: 5 });
    // A state that is not JSON is a mismatch, not a crash.
    expect(verifyChain(AGG, entries, head, new Map([[1, { at: new Date() }]]))).toMatchObject({
      ok: false,
      firstBroken: { seq: 1, reason: 'state-mismatch' },
    });
  });

  it('names the first of several breaks', () => {
    const { entries, head } = chain();
    const forged = clone(entries).filter((e) => e.seq !== 4);
    forged[1] = { ...forged[1]!, actor: 'u-intruder' };
    expect(verifyChain(AGG, forged, head)).toMatchObject({
      ok: false,
      firstBroken: { seq: 2, reason: 'altered' },
    });
  });
});

describe('audit chain: transaction actions', () => {
  const table = 'grants';
  const rootKey = { pk: 'CALL#c-1', sk: 'CALL' };

  it('appends the first entry: entry Put, root Update guarded by version and no chain yet', () => {
    const { entries } = chain(1);
    const items: TransactItem[] = transactItems({
      tableName: table,
      rootKey,
      expectedVersion: 1,
      entry: entries[0]!,
    });
    expect(items).toEqual([
      {
        Put: {
          TableName: table,
          Item: {
            pk: 'AUDIT#CALL#c-1',
            sk: 'SEQ#0000000001',
            gsi1pk: `AUDITCHAINS#${entries[0]!.entryHash[0]}`,
            gsi1sk: `${entries[0]!.at}#CALL#c-1`,
            ...entries[0]!,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: table,
          Key: rootKey,
          UpdateExpression: 'SET auditSeq = :auditSeq, auditHead = :auditHead',
          ConditionExpression: 'version = :v AND attribute_not_exists(auditSeq)',
          ExpressionAttributeValues: { ':v': 1, ':auditSeq': 1, ':auditHead': entries[0]!.entryHash },
        },
      },
    ]);
  });

  it('appends a later entry guarded by the previous seq, optionally bumping the version', () => {
    const { entries } = chain(3);
    const e = entries[2]!;
    const [put, update] = transactItems({
      tableName: table,
      rootKey,
      expectedVersion: 7,
      entry: e,
      nextVersion: 8,
    });
    expect(put.Put.Item).toMatchObject({ ...auditKeys.entry(AGG, 3), entryHash: e.entryHash });
    expect(update.Update.ConditionExpression).toBe('version = :v AND auditSeq = :auditPrevSeq');
    expect(update.Update.UpdateExpression).toBe(
      'SET auditSeq = :auditSeq, auditHead = :auditHead, version = :nextVersion',
    );
    expect(update.Update.ExpressionAttributeValues).toEqual({
      ':v': 7,
      ':auditSeq': 3,
      ':auditHead': e.entryHash,
      ':auditPrevSeq': 2,
      ':nextVersion': 8,
    });
  });

  it('offers the pieces to merge into a transaction that already writes the root item', () => {
    const { entries } = chain(2);
    expect(rootAuditAttributes(entries[1]!)).toEqual({ auditSeq: 2, auditHead: entries[1]!.entryHash });
    expect(rootAuditCondition(entries[0]!)).toEqual({
      condition: 'attribute_not_exists(auditSeq)',
      values: {},
    });
    expect(rootAuditCondition(entries[1]!)).toEqual({
      condition: 'auditSeq = :auditPrevSeq',
      values: { ':auditPrevSeq': 1 },
    });
    expect(auditEntryPut(table, entries[1]!).Put.Item.sk).toBe('SEQ#0000000002');
  });

  it('keys entries so that a Query of the chain reads them in seq order', () => {
    const sks = [1, 2, 9, 10, 11, 100].map((s) => auditKeys.entry(AGG, s).sk);
    expect([...sks].sort()).toEqual(sks);
    expect(auditKeys.chain(AGG)).toBe(auditKeys.entry(AGG, 1).pk);
    expect(sks.every((sk) => sk.startsWith(auditKeys.entryPrefix))).toBe(true);
  });
});
