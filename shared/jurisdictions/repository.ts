import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
} from '@aws-sdk/lib-dynamodb';
import { cityOf, keys } from '../db/keys';
import { queryPage, withoutKeys } from '../db/query';
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
    return out.Item ? StationSchema.parse(withoutKeys(out.Item)) : undefined;
  }

  /** Reference data is loaded in bulk (demo seed, bureau onboarding), never edited per request. */
  async putAll(jurisdictions: Jurisdiction[], stations: Station[]): Promise<void> {
    const items = [
      ...jurisdictions.map((j) => ({
        ...keys.jurisdiction(j.id),
        ...(j.parentId ? { gsi1pk: keys.jurisdictionChildren(j.parentId), gsi1sk: `${j.name}#${j.id}` } : {}),
        ...j,
      })),
      ...stations.map((s) => ({
        ...keys.station(s.id),
        gsi1pk: keys.stationsOfCity(cityOf(s.jurisdictionPath)),
        gsi1sk: `${s.jurisdictionPath}${s.id}`,
        ...s,
      })),
    ];
    for (let i = 0; i < items.length; i += 25) {
      let request: BatchWriteCommandInput['RequestItems'] = {
        [this.table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      while (request && Object.keys(request).length) {
        const out: BatchWriteCommandOutput = await this.doc.send(
          new BatchWriteCommand({ RequestItems: request }),
        );
        request = out.UnprocessedItems;
      }
    }
  }
}
