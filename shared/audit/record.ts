import { withoutKeys } from '../db/query';
import { type AuditEntry, auditEntryPut, type ChainHead, nextEntry, type TransactItem } from './chain';

/**
 * Appending audit entries to the writes that change an aggregate (the I/O-free glue between
 * `chain.ts` and the repositories). Usage, in a repository:
 *
 *   const items = audited(table, { Put: { TableName, Item, ConditionExpression, ... } }, headOf(old), {
 *     actor, at, action: 'call.published',
 *   });
 *   await doc.send(new TransactWriteCommand({ TransactItems: [...items, ...others] }));
 *
 * The root write gets `auditSeq`/`auditHead` and the guard that its chain is still at the head it
 * was read with; the entry is a conditional Put of its own item. Both commit or neither does.
 *
 * The audited state is the root item as stored, without its keys, index attributes and audit
 * attributes (`auditedState`), minus the fields listed in `UNAUDITED_FIELDS`: counters that move
 * with money and are attested by the ledger instead (so that a payment does not have to serialize
 * on the pool's chain). For a Put the state is taken from the Item itself; an Update must pass the
 * complete new state (the verifier compares the head's stateHash with the stored root).
 */

/** Root attributes not covered by the root's own chain (see above). */
export const UNAUDITED_FIELDS = ['committedFen', 'disbursedFen', 'auditSeq', 'auditHead'] as const;

export interface AuditContext {
  /** User id, or `system:<job>`. */
  actor: string;
  /** ISO 8601 instant of the change. */
  at: string;
  /** `<aggregate type>.<verb>`, e.g. `contract.amended`. */
  action: string;
  /** Required for an Update root write: the complete new state of the item. */
  state?: Record<string, unknown>;
}

type Key = { pk: string; sk: string };
type PutWrite = {
  Put: {
    TableName: string;
    Item: Record<string, unknown>;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
};
type UpdateWrite = {
  Update: {
    TableName: string;
    Key: Key;
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, unknown>;
  };
};
export type RootWrite = PutWrite | UpdateWrite;

/**
 * The chain name of an aggregate from its root key: the partition key when the sort key is the
 * entity's own tag (`CALL#c1` / `CALL`), otherwise `pk|sk` (`SHEET#s1|R#u1`).
 */
export function aggregateOf(key: { pk: unknown; sk: unknown }): string {
  const pk = String(key.pk);
  const sk = String(key.sk);
  return sk === pk.split('#')[0] ? pk : `${pk}|${sk}`;
}

/** The root key of a chain name (inverse of `aggregateOf`). */
export function rootKeyOf(aggregate: string): Key {
  const bar = aggregate.indexOf('|');
  if (bar >= 0) return { pk: aggregate.slice(0, bar), sk: aggregate.slice(bar + 1) };
  return { pk: aggregate, sk: aggregate.split('#')[0]! };
}

/** The chain head a root item carries, as read (undefined: no entry yet). */
export function headOf(item: Record<string, unknown> | undefined): ChainHead | undefined {
  if (!item || typeof item.auditSeq !== 'number' || typeof item.auditHead !== 'string') return undefined;
  return { seq: item.auditSeq, headHash: item.auditHead };
}

/** What a root item's chain attests: the item without keys, index, audit and money counters. */
export function auditedState(item: Record<string, unknown>): Record<string, unknown> {
  const state: Record<string, unknown> = { ...withoutKeys(item) };
  for (const f of UNAUDITED_FIELDS) delete state[f];
  for (const [k, v] of Object.entries(state)) if (v === undefined) delete state[k];
  return state;
}

/**
 * The root write with the audit head moved on, and the entry's Put: put both in one
 * TransactWriteItems. `head` is the chain head of the root item as the caller read it (with the
 * version its own condition checks); undefined for a new aggregate.
 */
export function audited(
  rootWrite: RootWrite,
  head: ChainHead | undefined,
  ctx: AuditContext,
): TransactItem[] {
  const isPut = 'Put' in rootWrite;
  const key: Key = isPut
    ? { pk: String(rootWrite.Put.Item.pk), sk: String(rootWrite.Put.Item.sk) }
    : rootWrite.Update.Key;
  const state = isPut ? auditedState(rootWrite.Put.Item) : ctx.state && auditedState(ctx.state);
  if (!state) throw new TypeError(`audited: an Update of ${key.pk} must pass the new state`);
  const { entry } = nextEntry(head, {
    aggregate: aggregateOf(key),
    actor: ctx.actor,
    at: ctx.at,
    action: ctx.action,
    state,
  });
  const guard =
    entry.seq === 1
      ? 'attribute_not_exists(auditSeq)'
      : 'auditSeq = :auditPrevSeq AND auditHead = :auditPrevHead';
  const guardValues: Record<string, unknown> =
    entry.seq === 1 ? {} : { ':auditPrevSeq': entry.seq - 1, ':auditPrevHead': entry.prevHash };
  const w = isPut ? rootWrite.Put : rootWrite.Update;
  const condition = w.ConditionExpression ? `(${w.ConditionExpression}) AND ${guard}` : guard;
  const values = { ...(w.ExpressionAttributeValues ?? {}), ...guardValues };
  let root: RootWrite;
  if (isPut) {
    root = {
      Put: {
        ...rootWrite.Put,
        Item: { ...rootWrite.Put.Item, auditSeq: entry.seq, auditHead: entry.entryHash },
        ConditionExpression: condition,
        ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      },
    };
  } else {
    const u = rootWrite.Update;
    const sets = 'auditSeq = :auditSeq, auditHead = :auditHead';
    const expr = /\bSET\b/.test(u.UpdateExpression)
      ? u.UpdateExpression.replace(/\bSET\b/, `SET ${sets},`)
      : `SET ${sets} ${u.UpdateExpression}`;
    root = {
      Update: {
        ...u,
        UpdateExpression: expr,
        ConditionExpression: condition,
        ExpressionAttributeValues: { ...values, ':auditSeq': entry.seq, ':auditHead': entry.entryHash },
      },
    };
  }
  return [root as TransactItem, auditEntryPut(w.TableName, entry)];
}

export type { AuditEntry, ChainHead };
