import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { canonicalSha256 } from '../submissions/canonical';

/**
 * The append-only audit trail, pure core (no I/O): one hash chain per aggregate.
 *
 * - Every state change of an aggregate appends an entry: who (`actor`), when (`at`), what
 *   (`action`), the SHA-256 of the RFC 8785 canonical JSON of the new state (`stateHash`) and the
 *   `entryHash` of the previous entry of the same aggregate (`prevHash`; the genesis value for
 *   seq 1). `entryHash` is the SHA-256 of the canonical JSON of the seven other fields.
 * - The aggregate's root item carries the head of its chain (`auditSeq`, `auditHead`), written in
 *   the same transaction as the entry and guarded by the root's `version`, so that a removed tail
 *   is seen too. Never one global chain: its head would be a hot key serializing every write.
 * - `verifyChain` re-derives every hash and link and names the first broken entry.
 */

/** `prevHash` of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  /** The aggregate's root partition key, e.g. `CALL#<id>`: one chain per aggregate. */
  aggregate: string;
  /** 1, 2, 3 … per aggregate, without gaps. */
  seq: number;
  /** Who made the change: a user id, or `system:<job>` for scheduled work. */
  actor: string;
  /** When, ISO 8601 (`Date.prototype.toISOString`). */
  at: string;
  /** What, e.g. `call.published`. */
  action: string;
  /** SHA-256 (hex) of the canonical JSON of the aggregate's new state. */
  stateHash: string;
  /** `entryHash` of entry `seq - 1`, or GENESIS_HASH for seq 1. */
  prevHash: string;
  /** SHA-256 (hex) of the canonical JSON of all the fields above. */
  entryHash: string;
}

/** What the aggregate's root item carries (as `auditSeq` and `auditHead`). */
export interface ChainHead {
  seq: number;
  headHash: string;
}

export interface AuditInput {
  aggregate: string;
  actor: string;
  at: string;
  action: string;
  /**
   * The aggregate's state after the change: plain JSON (canonicalJson refuses Dates, undefined in
   * arrays, class instances). Without the audit attributes themselves (`auditSeq`, `auditHead`).
   */
  state: unknown;
}

export type BreakReason = 'altered' | 'missing' | 'reordered' | 'head-mismatch' | 'state-mismatch';

export type VerifyResult =
  | { ok: true; count: number }
  | { ok: false; firstBroken: { seq: number; reason: BreakReason; detail: string } };

/** SHA-256 (hex) of the canonical JSON of an entry's fields other than `entryHash`. */
export function hashEntry(e: Omit<AuditEntry, 'entryHash'>): string {
  return canonicalSha256({
    aggregate: e.aggregate,
    seq: e.seq,
    actor: e.actor,
    at: e.at,
    action: e.action,
    stateHash: e.stateHash,
    prevHash: e.prevHash,
  });
}

/** SHA-256 (hex) of the canonical JSON of a state: what `stateHash` holds. */
export function hashState(state: unknown): string {
  return canonicalSha256(state);
}

/** The entry that follows `head` (none yet: the first entry), and the new head. Pure. */
export function nextEntry(
  head: ChainHead | undefined,
  input: AuditInput,
): { entry: AuditEntry; head: ChainHead } {
  if (head && !(Number.isSafeInteger(head.seq) && head.seq >= 0))
    throw new TypeError(`audit head seq must be a non-negative integer, not ${head.seq}`);
  for (const field of ['aggregate', 'actor', 'at', 'action'] as const)
    if (typeof input[field] !== 'string' || input[field] === '')
      throw new TypeError(`audit ${field} must be a non-empty string`);
  const started = head !== undefined && head.seq > 0;
  const body = {
    aggregate: input.aggregate,
    seq: started ? head.seq + 1 : 1,
    actor: input.actor,
    at: input.at,
    action: input.action,
    stateHash: hashState(input.state),
    prevHash: started ? head.headHash : GENESIS_HASH,
  };
  const entry: AuditEntry = { ...body, entryHash: hashEntry(body) };
  return { entry, head: { seq: entry.seq, headHash: entry.entryHash } };
}

/**
 * Verifies one aggregate's chain, `entries` as read (sorted by seq, i.e. by sort key). Entry at
 * position i must be seq i + 1, belong to `aggregate`, hash to its `entryHash` and link to the
 * previous entry's hash. With `head` (the root item's auditSeq/auditHead), a removed or rewritten
 * tail is detected too; without it, the removal of the last entries cannot be seen. With `states`
 * (seq → the state as it should have been then, e.g. the root item's current state under the
 * head's seq), each given state must hash to its entry's `stateHash`.
 *
 * Names the first broken entry: the lowest seq at which the chain stops being provably intact.
 */
export function verifyChain(
  aggregate: string,
  entries: readonly AuditEntry[],
  head?: ChainHead,
  states?: ReadonlyMap<number, unknown>,
): VerifyResult {
  const positionOfSeq = new Map<unknown, number>();
  const positionOfHash = new Map<unknown, number>();
  entries.forEach((e, i) => {
    if (!positionOfSeq.has(e.seq)) positionOfSeq.set(e.seq, i);
    if (!positionOfHash.has(e.entryHash)) positionOfHash.set(e.entryHash, i);
  });
  /** The entry's prevHash points at an entry other than the one just before it. */
  const linksElsewhere = (e: AuditEntry, i: number) => {
    const j = positionOfHash.get(e.prevHash);
    return (j !== undefined && j !== i - 1) || (i > 0 && e.prevHash === GENESIS_HASH);
  };

  let prev = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const seq = i + 1;
    if (e.seq !== seq) {
      // Entries 1 … seq - 1 were found in place, so a smaller seq here is a second copy.
      if (typeof e.seq === 'number' && e.seq < seq)
        return broken(seq, 'altered', `a second entry claims seq ${e.seq} where entry ${seq} belongs`);
      if (positionOfSeq.has(seq))
        return broken(seq, 'reordered', `entry ${seq} is out of order: entry ${e.seq} stands in its place`);
      return broken(seq, 'missing', `entry ${seq} is missing: the chain goes from ${seq - 1} to ${e.seq}`);
    }
    if (e.aggregate !== aggregate)
      return broken(seq, 'altered', `entry ${seq} names aggregate ${e.aggregate}, not ${aggregate}`);
    let computed: string | undefined;
    try {
      computed = hashEntry(e);
    } catch {
      computed = undefined;
    }
    if (computed !== e.entryHash) {
      if (linksElsewhere(e, i))
        return broken(
          seq,
          'reordered',
          `entry ${seq} holds another entry's content (its link points elsewhere)`,
        );
      return broken(seq, 'altered', `entry ${seq} does not hash to its entryHash: its content was changed`);
    }
    if (e.prevHash !== prev) {
      if (linksElsewhere(e, i))
        return broken(seq, 'reordered', `entry ${seq} links to another entry than entry ${seq - 1}`);
      return broken(
        seq,
        'altered',
        seq === 1
          ? 'entry 1 does not start from the genesis hash'
          : `entry ${seq}'s prevHash does not match entry ${seq - 1}: one of them was rewritten`,
      );
    }
    if (states?.has(seq)) {
      let stateHash: string | undefined;
      try {
        stateHash = hashState(states.get(seq));
      } catch {
        stateHash = undefined;
      }
      if (stateHash !== e.stateHash)
        return broken(seq, 'state-mismatch', `the state given for entry ${seq} is not the one it recorded`);
    }
    prev = e.entryHash;
  }

  const count = entries.length;
  if (head) {
    if (head.seq > count)
      return broken(
        count + 1,
        'head-mismatch',
        `the root item records ${head.seq} entries but ${count} were found: the tail from ${count + 1} is missing`,
      );
    if (head.seq < count)
      return broken(
        head.seq + 1,
        'head-mismatch',
        `the root item records ${head.seq} entries but ${count} were found: entry ${head.seq + 1} was never committed`,
      );
    if (count > 0 && head.headHash !== prev)
      return broken(count, 'head-mismatch', `entry ${count} is not the one the root item's head hash names`);
  }
  return { ok: true, count };
}

function broken(seq: number, reason: BreakReason, detail: string): VerifyResult {
  return { ok: false, firstBroken: { seq, reason, detail } };
}

// ---------------------------------------------------------------------------------------------
// DynamoDB write shapes (DocumentClient, plain objects: no client calls here).

/** Key builders of the audit items (to move to shared/db/keys.ts). */
export const auditKeys = {
  /** An aggregate's chain: its own partition, entries sorted by seq (a Query reads it in order). */
  chain: (aggregate: string) => `AUDIT#${aggregate}`,
  entry: (aggregate: string, seq: number) => ({
    pk: `AUDIT#${aggregate}`,
    sk: `SEQ#${String(seq).padStart(10, '0')}`,
  }),
  entryPrefix: 'SEQ#',
  /** gsi1: the first entries of all chains, in 16 partitions by the first hex digit of their hash. */
  chains: (hexDigit: string) => `AUDITCHAINS#${hexDigit}`,
  chainShards: [...'0123456789abcdef'],
} as const;

/** One action of a DocumentClient TransactWriteItems; the shapes below are assignable to it. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface AuditPut {
  Put: {
    TableName: string;
    Item: Record<string, unknown>;
    ConditionExpression: string;
  };
}

export interface RootAuditUpdate {
  Update: {
    TableName: string;
    Key: Record<string, string>;
    UpdateExpression: string;
    ConditionExpression: string;
    ExpressionAttributeValues: Record<string, string | number>;
  };
}

/** The entry's own item: a conditional Put that never overwrites an existing entry. */
export function auditEntryPut(tableName: string, entry: AuditEntry): AuditPut {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...auditKeys.entry(entry.aggregate, entry.seq),
        // The first entry of each chain is indexed, so that a verifier can list every chain
        // without a Scan; 16 partitions by the entry's hash, so creation is never a hot key.
        ...(entry.seq === 1
          ? { gsi1pk: auditKeys.chains(entry.entryHash[0]!), gsi1sk: `${entry.at}#${entry.aggregate}` }
          : {}),
        ...entry,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The attributes the root item carries for `entry` (to spread into a Put of the root). */
export function rootAuditAttributes(entry: AuditEntry): { auditSeq: number; auditHead: string } {
  return { auditSeq: entry.seq, auditHead: entry.entryHash };
}

/**
 * The condition the root item must meet to take `entry` as its new head: its chain is at
 * seq - 1 (none yet for seq 1). AND it into the root write's own condition (`version = :v`) and
 * merge the values; the placeholder names (`:auditPrevSeq`) do not clash with existing ones.
 */
export function rootAuditCondition(entry: AuditEntry): {
  condition: string;
  values: Record<string, number>;
} {
  return entry.seq === 1
    ? { condition: 'attribute_not_exists(auditSeq)', values: {} }
    : { condition: 'auditSeq = :auditPrevSeq', values: { ':auditPrevSeq': entry.seq - 1 } };
}

/**
 * The actions that append `entry` in a TransactWriteItems: the entry's Put and an Update of the
 * aggregate's root item (head moved to `entry`, guarded by `version = :v` and the previous seq;
 * with `nextVersion`, the version is bumped too).
 *
 * DynamoDB refuses two actions on one item in a transaction: when the transaction already writes
 * the root item (a Put or Update guarded by its version), do not add this Update; put
 * `rootAuditAttributes` in that write and AND `rootAuditCondition` into its condition instead.
 */
export function transactItems(args: {
  tableName: string;
  rootKey: Record<string, string>;
  expectedVersion: number;
  entry: AuditEntry;
  nextVersion?: number;
}): [AuditPut, RootAuditUpdate] {
  const { tableName, rootKey, expectedVersion, entry, nextVersion } = args;
  const guard = rootAuditCondition(entry);
  const set = ['auditSeq = :auditSeq', 'auditHead = :auditHead'];
  const values: Record<string, string | number> = {
    ':v': expectedVersion,
    ':auditSeq': entry.seq,
    ':auditHead': entry.entryHash,
    ...guard.values,
  };
  if (nextVersion !== undefined) {
    set.push('version = :nextVersion');
    values[':nextVersion'] = nextVersion;
  }
  return [
    auditEntryPut(tableName, entry),
    {
      Update: {
        TableName: tableName,
        Key: rootKey,
        UpdateExpression: `SET ${set.join(', ')}`,
        ConditionExpression: `version = :v AND ${guard.condition}`,
        ExpressionAttributeValues: values,
      },
    },
  ];
}
