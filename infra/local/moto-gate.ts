import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * moto 5.2 snapshots every table a TransactWriteItems touches with `copy.deepcopy`, without a
 * lock: a write to the same table on another server thread meanwhile makes the transaction fail
 * with HTTP 500 ("dictionary changed size during iteration"), and a cancelled transaction
 * restores the whole snapshot, which would also undo writes that landed in between. Real
 * DynamoDB has neither problem. So the local platform's client is gated as moto needs it: a
 * transaction runs alone, other writes share (reads are free). FIFO, so nothing starves.
 * Counted: how long requests waited at the gate (the deadline-burst bench reports it).
 * Only against a local endpoint: deployed functions talk to DynamoDB ungated.
 */
export function motoTransactionGate(doc: DynamoDBDocumentClient): { waitedMs: () => number } {
  let shared = 0;
  let exclusive = false;
  let waited = 0;
  const queue: { alone: boolean; go: () => void }[] = [];
  const drain = () => {
    while (queue.length) {
      const head = queue[0]!;
      if (exclusive || (head.alone && shared > 0)) return;
      queue.shift();
      if (head.alone) exclusive = true;
      else shared++;
      head.go();
      if (head.alone) return;
    }
  };
  const WRITES = new Set([
    'PutItemCommand',
    'UpdateItemCommand',
    'DeleteItemCommand',
    'BatchWriteItemCommand',
  ]);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const name = String(context.commandName);
      const alone = name === 'TransactWriteItemsCommand';
      if (!alone && !WRITES.has(name)) return next(args);
      const t0 = performance.now();
      await new Promise<void>((go) => {
        queue.push({ alone, go });
        drain();
      });
      waited += performance.now() - t0;
      try {
        return await next(args);
      } finally {
        if (alone) exclusive = false;
        else shared--;
        drain();
      }
    },
    { step: 'initialize', name: 'moto-transaction-gate', priority: 'high' },
  );
  return { waitedMs: () => waited };
}
