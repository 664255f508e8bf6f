import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from '../audit/chain';
import { audited, auditedState, headOf } from '../audit/record';
import { PROVISIONING_ACTOR } from '../audit/write';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
import { canonicalJson } from '../submissions/canonical';
import { type Jurisdiction, JurisdictionSchema, type Station, StationSchema } from './model';

export class JurisdictionRepository {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<Jurisdiction | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.jurisdiction(id) }));
    return out.Item ? JurisdictionSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  async children(parentId: string): Promise<Jurisdiction[]> {
    const page = await queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'jur-children',
        index: 'gsi1',
        partition: keys.jurisdictionChildren(parentId),
        limit: 500,
      },
      JurisdictionSchema,
    );
    return page.items;
  }

  /** Stations in a jurisdiction's subtree: one Query per page on the city's partition, by path prefix. */
  stationsPage(j: Jurisdiction, limit: number, cursor?: string) {
    return queryPage(
      this.doc,
      {
        tableName: this.table,
        list: 'stations',
        index: 'gsi1',
        partition: keys.stationsOfCity(cityOf(j.path)),
        prefix: j.path,
        limit,
        cursor,
      },
      StationSchema,
    );
  }

  /** All stations of a subtree (a county has a dozen or so), for forms. */
  async stationsUnder(j: Jurisdiction): Promise<Station[]> {
    return (await this.stationsPage(j, 500)).items;
  }

  async getStation(id: string): Promise<Station | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: keys.station(id) }));
    // A deleted station stays as a tombstone (its audit chain keeps a root to verify against).
    return out.Item && !out.Item.deletedAt ? StationSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  /** The top-level divisions (provinces, and cities loaded without a province), by name. */
  async topLevel(): Promise<Jurisdiction[]> {
    const page = await queryPage(
      this.doc,
      { tableName: this.table, list: 'jur-top', index: 'gsi1', partition: keys.topJurisdictions, limit: 500 },
      JurisdictionSchema,
    );
    return page.items;
  }

  /**
   * Reference data is loaded in bulk (demo seed, bureau onboarding), never edited per request.
   * Each jurisdiction and station is an aggregate with its own audit chain: a new one gets
   * `jurisdiction.created` / `station.created`, a changed one `.updated`, an unchanged one
   * nothing (loading the same data twice writes nothing), and one edited through the API (it
   * has a `version`) is left as it is. 50 items and their entries per
   * transaction.
   */
  async putAll(
    jurisdictions: Jurisdiction[],
    stations: Station[],
    actor: string = PROVISIONING_ACTOR,
    at: string = new Date().toISOString(),
  ): Promise<void> {
    const items: {
      type: 'jurisdiction' | 'station';
      item: Record<string, unknown> & { pk: string; sk: string };
    }[] = [
      ...jurisdictions.map((j) => ({
        type: 'jurisdiction' as const,
        item: {
          ...keys.jurisdiction(j.id),
          ...jurisdictionIndex(j),
          ...j,
        },
      })),
      ...stations.map((st) => ({
        type: 'station' as const,
        item: {
          ...keys.station(st.id),
          ...stationIndex(st),
          ...st,
        },
      })),
    ];
    const existing = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < items.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined =
        {
          [this.table]: {
            Keys: items.slice(i, i + 100).map(({ item }) => ({ pk: item.pk, sk: item.sk })),
            ConsistentRead: true,
          },
        };
      while (request && Object.keys(request).length) {
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const found of out.Responses?.[this.table] ?? []) existing.set(String(found.pk), found);
        request = out.UnprocessedKeys as typeof request;
      }
    }
    const writes: TransactItem[][] = [];
    for (const { type, item } of items) {
      const old = existing.get(item.pk);
      const head = headOf(old);
      // Edited through the API since (it carries a version): the bulk load does not undo that.
      if (old && typeof old.version === 'number') continue;
      if (old && head && canonicalJson(auditedState(old)) === canonicalJson(auditedState(item))) continue;
      writes.push(
        audited({ Put: { TableName: this.table, Item: item } }, head, {
          actor,
          at,
          action: `${type}.${head ? 'updated' : 'created'}`,
        }),
      );
    }
    for (let i = 0; i < writes.length; i += 50)
      await this.doc.send(new TransactWriteCommand({ TransactItems: writes.slice(i, i + 50).flat() }));
  }
}

/** The gsi1 attributes of a jurisdiction: its parent's children, or the top-level list. */
export function jurisdictionIndex(j: Pick<Jurisdiction, 'id' | 'name' | 'parentId'>) {
  return {
    gsi1pk: j.parentId ? keys.jurisdictionChildren(j.parentId) : keys.topJurisdictions,
    gsi1sk: `${j.name}#${j.id}`,
  };
}

/** The gsi1 attributes of a station: its city's stations, by path (subtree = begins_with). */
export function stationIndex(st: Pick<Station, 'id' | 'jurisdictionPath'>) {
  return {
    gsi1pk: keys.stationsOfCity(cityOf(st.jurisdictionPath)),
    gsi1sk: `${st.jurisdictionPath}${st.id}`,
  };
}
