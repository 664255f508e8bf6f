import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '../audit/chain';
import { DEFAULT_RETRY, type RetryOptions, transactWrite } from '../awards/transact';

/** How a service commits the writes of one change: one TransactWriteItems, all or nothing. */
export type Writer = (items: TransactItem[]) => Promise<void>;

export interface WriteOptions {
  /** Retries of a conflicting transaction (same ClientRequestToken). */
  retry?: RetryOptions;
  /**
   * Replaces the transaction. Only for loading history into a fresh local table (the 2023 demo,
   * infra/local/demo-2023.ts), where nothing runs concurrently and moto's transactions, which copy
   * the whole table each time, would make start-up slow. Never on a request path.
   */
  write?: Writer;
}

export function writerOf(doc: DynamoDBDocumentClient, options: WriteOptions = {}): Writer {
  return options.write ?? ((items) => transactWrite(doc, items, options.retry ?? DEFAULT_RETRY));
}
