import { randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { audited, headOf } from '../audit/record';
import type { Principal } from '../auth/principal';
import { transactWrite } from '../awards/transact';
import { cityOf, keys } from '../db/keys';
import { withoutKeys } from '../db/query';
import { ConflictError, ForbiddenError, NotFoundError, StaleVersionError, ValidationError } from '../errors';
import type { Deps } from '../http/deps';
import { int, named, text } from '../schema';
import { divisionCodeErrors, LEVELS, managesStations, pathFor, STATION_LEVELS } from './codes';
import {
  type Jurisdiction,
  JurisdictionSchema,
  STATION_STATUSES,
  type Station,
  StationSchema,
} from './model';
import { JurisdictionRepository, jurisdictionIndex, stationIndex } from './repository';

/**
 * Editing the jurisdiction tree and its stations (issue 8): administrators create divisions at
 * any level and rename them; officers of a county or above (and administrators) create, edit,
 * close and delete the stations of their subtree. Every change is one TransactWriteItems: the
 * whole-item Put guarded by the version it was read with (stale → 409) and its audit entry.
 * Codes, levels and paths: ./codes.ts.
 */

export const NewJurisdictionSchema = named(
  z.strictObject({
    /** Division code; its length and digits are checked against the level and the parent. */
    id: text(1, 20),
    name: text(1, 50),
    nameEn: z.optional(text(1, 100)),
    level: z.enum(LEVELS),
    /** Required except for a province. */
    parentId: z.optional(text(1, 20)),
  }),
  'NewJurisdiction',
);
export type NewJurisdiction = z.infer<typeof NewJurisdictionSchema>;

/** Codes, levels and parents never change (every path below would move): only the names. */
export const JurisdictionPatchSchema = named(
  z.strictObject({
    version: int(1, 1_000_000),
    name: z.optional(text(1, 50)),
    nameEn: z.optional(text(1, 100)),
  }),
  'JurisdictionPatch',
);
export type JurisdictionPatch = z.infer<typeof JurisdictionPatchSchema>;

export const NewStationSchema = named(
  z.strictObject({
    /** A township (or village) in the caller's subtree. */
    jurisdictionId: text(1, 20),
    name: text(1, 60),
    address: z.optional(text(1, 200)),
    staffCount: z.optional(int(0, 10_000)),
    /** 一站一特色: the station's signature programme. */
    feature: z.optional(text(1, 200)),
  }),
  'NewStation',
);
export type NewStation = z.infer<typeof NewStationSchema>;

/** `null` clears an optional field; `status` closes or reopens the station. */
export const StationPatchSchema = named(
  z.strictObject({
    version: int(1, 1_000_000),
    name: z.optional(text(1, 60)),
    address: z.optional(z.nullable(text(1, 200))),
    staffCount: z.optional(z.nullable(int(0, 10_000))),
    feature: z.optional(z.nullable(text(1, 200))),
    status: z.optional(z.enum(STATION_STATUSES)),
  }),
  'StationPatch',
);
export type StationPatch = z.infer<typeof StationPatchSchema>;

/** Bulk-loaded items carry no version or status: they read as version 1, open. */
export const presentJurisdiction = (j: Jurisdiction): Jurisdiction & { version: number } => ({
  ...j,
  version: j.version ?? 1,
});
export const presentStation = (s: Station): Station & { version: number; status: 'open' | 'closed' } => ({
  ...s,
  status: s.status ?? 'open',
  version: s.version ?? 1,
});

const canceled = (e: unknown) => (e as { name?: string }).name === 'TransactionCanceledException';

/** The guard of a whole-item Put on an item read at `raw` with (reported) version `version`. */
function versionGuard(raw: Record<string, unknown>, version: number) {
  return typeof raw.version === 'number'
    ? {
        ConditionExpression: 'version = :expectedVersion',
        ExpressionAttributeValues: { ':expectedVersion': version },
      }
    : { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(version)' };
}

export class JurisdictionService {
  readonly repo: JurisdictionRepository;
  private readonly table: string;

  constructor(private readonly deps: Deps) {
    this.table = deps.config.tableName;
    this.repo = new JurisdictionRepository(deps.doc, this.table);
  }

  private async raw(key: { pk: string; sk: string }) {
    const out = await this.deps.doc.send(
      new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }),
    );
    return out.Item;
  }

  async getJurisdiction(id: string) {
    const raw = await this.raw(keys.jurisdiction(id));
    if (!raw) throw new NotFoundError('jurisdiction');
    const [children, stations] = await Promise.all([
      this.repo.children(id),
      this.repo.stationsUnder(JurisdictionSchema.parse(withoutKeys(raw))),
    ]);
    return {
      ...presentJurisdiction(JurisdictionSchema.parse(withoutKeys(raw))),
      children: children.map(presentJurisdiction).sort((a, b) => a.id.localeCompare(b.id)),
      stations: stations.map(presentStation),
    };
  }

  /** An administrator adds a division at any level: its code checked against level and parent. */
  async createJurisdiction(admin: Principal, input: NewJurisdiction): Promise<Jurisdiction> {
    const parent = input.parentId ? await this.repo.get(input.parentId) : undefined;
    const errors = divisionCodeErrors(input, parent);
    if (errors.length) throw new ValidationError(errors);
    const duplicate = () =>
      new ConflictError(`The division code ${input.id} already exists.`, `区划代码 ${input.id} 已存在`, {
        field: 'body.id',
      });
    if (await this.repo.get(input.id)) throw duplicate();
    const j: Jurisdiction = {
      id: input.id,
      name: input.name,
      nameEn: input.nameEn ?? input.name,
      level: input.level,
      ...(parent ? { parentId: parent.id } : {}),
      path: pathFor(input.level, input.id, parent),
      version: 1,
    };
    try {
      await transactWrite(this.deps.doc, [
        ...audited(
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.jurisdiction(j.id), ...jurisdictionIndex(j), ...j },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          undefined,
          { actor: admin.userId, at: this.deps.now().toISOString(), action: 'jurisdiction.created' },
        ),
        // The parent must still be there when the child is written.
        ...(parent
          ? [
              {
                ConditionCheck: {
                  TableName: this.table,
                  Key: keys.jurisdiction(parent.id),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
            ]
          : []),
      ]);
    } catch (e) {
      if (canceled(e)) throw duplicate();
      throw e;
    }
    return j;
  }

  /** Renames a division (its code, level and place in the tree are fixed). */
  async updateJurisdiction(admin: Principal, id: string, patch: JurisdictionPatch): Promise<Jurisdiction> {
    if (patch.name === undefined && patch.nameEn === undefined)
      throw new ValidationError([
        {
          field: 'body.name',
          message: 'Give a new name or English name.',
          messageZh: '请填写新的名称或英文名称',
        },
      ]);
    const raw = await this.raw(keys.jurisdiction(id));
    if (!raw) throw new NotFoundError('jurisdiction');
    const old = presentJurisdiction(JurisdictionSchema.parse(withoutKeys(raw)));
    if (old.version !== patch.version) throw new StaleVersionError(patch.version);
    const next: Jurisdiction = {
      ...old,
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.nameEn !== undefined ? { nameEn: patch.nameEn } : {}),
      version: old.version + 1,
    };
    try {
      await transactWrite(
        this.deps.doc,
        audited(
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.jurisdiction(id), ...jurisdictionIndex(next), ...next },
              ...versionGuard(raw, patch.version),
            },
          },
          headOf(raw),
          { actor: admin.userId, at: this.deps.now().toISOString(), action: 'jurisdiction.updated' },
        ),
      );
    } catch (e) {
      if (canceled(e)) throw new StaleVersionError(patch.version);
      throw e;
    }
    return next;
  }

  /** Officers of a county or above keep the stations of their subtree; administrators all. */
  private assertKeeper(actor: Principal) {
    if (actor.role === 'admin') return;
    if (actor.role !== 'officer' || !managesStations(actor.jurisdictionPath))
      throw new ForbiddenError(
        'Stations are managed by officers of a county or above.',
        '社工站由县级及以上民政部门管理',
      );
  }

  private visible(actor: Principal, path: string) {
    return actor.role === 'admin' || path.startsWith(actor.jurisdictionPath);
  }

  /** A station as stored, if the actor may see it (out of scope reads exactly like missing). */
  private async readStation(actor: Principal, id: string) {
    const raw = await this.raw(keys.station(id));
    if (!raw || raw.deletedAt) throw new NotFoundError('station');
    const station = presentStation(StationSchema.parse(withoutKeys(raw)));
    if (!this.visible(actor, station.jurisdictionPath)) throw new NotFoundError('station');
    return { raw, station };
  }

  async getStation(actor: Principal, id: string) {
    return (await this.readStation(actor, id)).station;
  }

  async createStation(actor: Principal, input: NewStation): Promise<Station> {
    this.assertKeeper(actor);
    const jur = await this.repo.get(input.jurisdictionId);
    if (!jur || !this.visible(actor, jur.path))
      throw new ValidationError([
        {
          field: 'body.jurisdictionId',
          message: 'No such jurisdiction in your subtree.',
          messageZh: '辖区不存在或不在您的管辖范围内',
        },
      ]);
    if (!STATION_LEVELS.includes(jur.level))
      throw new ValidationError([
        {
          field: 'body.jurisdictionId',
          message: 'A station sits in a township or a village (community).',
          messageZh: '社工站应设在乡镇（街道）或村（社区）',
        },
      ]);
    const station: Station = {
      id: `st-${jur.id}-${randomUUID().slice(0, 8)}`,
      name: input.name,
      jurisdictionId: jur.id,
      jurisdictionPath: jur.path,
      ...(input.feature !== undefined ? { feature: input.feature } : {}),
      ...(input.address !== undefined ? { address: input.address } : {}),
      ...(input.staffCount !== undefined ? { staffCount: input.staffCount } : {}),
      status: 'open',
      version: 1,
    };
    await transactWrite(
      this.deps.doc,
      audited(
        {
          Put: {
            TableName: this.table,
            Item: { ...keys.station(station.id), ...stationIndex(station), ...station },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        undefined,
        { actor: actor.userId, at: this.deps.now().toISOString(), action: 'station.created' },
      ),
    );
    return station;
  }

  /** Edits a station; `status: closed` closes it (it stays, with its reports and its history). */
  async updateStation(actor: Principal, id: string, patch: StationPatch): Promise<Station> {
    const { raw, station: old } = await this.readStation(actor, id);
    this.assertKeeper(actor);
    const { version, ...changes } = patch;
    if (!Object.keys(changes).length)
      throw new ValidationError([
        { field: 'body', message: 'Give at least one field to change.', messageZh: '请至少修改一项' },
      ]);
    if (old.version !== version) throw new StaleVersionError(version);
    const next: Record<string, unknown> = { ...old, version: version + 1 };
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete next[k];
      else if (v !== undefined) next[k] = v;
    }
    const action =
      changes.status && changes.status !== old.status
        ? changes.status === 'closed'
          ? 'station.closed'
          : 'station.reopened'
        : 'station.updated';
    try {
      await transactWrite(
        this.deps.doc,
        audited(
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.station(id), ...stationIndex(old), ...next },
              ...versionGuard(raw, version),
            },
          },
          headOf(raw),
          { actor: actor.userId, at: this.deps.now().toISOString(), action },
        ),
      );
    } catch (e) {
      if (canceled(e)) throw new StaleVersionError(version);
      throw e;
    }
    return StationSchema.parse(next);
  }

  /**
   * The active contracts that serve a station: a Query of the contracts of the station's city
   * (gsi1 `CONTRACTS#<city>`; a contract's path is its call's, at or above the station) and of
   * its province (`CONTRACTS#<2 digits>`, calls of a provincial department), filtered on
   * `contains(stationIds, :station)` and the status, projecting ids only.
   */
  async openContractsOf(station: Pick<Station, 'id' | 'jurisdictionPath'>): Promise<string[]> {
    const ids: string[] = [];
    const partitions = [cityOf(station.jurisdictionPath), station.jurisdictionPath.slice(0, 2)];
    for (const city of partitions) {
      let start: Record<string, unknown> | undefined;
      do {
        const out = await this.deps.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk',
            FilterExpression: 'contains(stationIds, :station) AND #status = :active',
            ProjectionExpression: 'id',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':pk': keys.contractsOfCity(city),
              ':station': station.id,
              ':active': 'active',
            },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of out.Items ?? []) ids.push(String(item.id));
        start = out.LastEvaluatedKey;
      } while (start);
    }
    return ids.sort();
  }

  /**
   * Deletes a station that serves no open contract (409 naming them otherwise; close it
   * instead). The item stays as a tombstone out of every list, so that its audit chain keeps a
   * root to verify against; reads answer 404.
   */
  async deleteStation(actor: Principal, id: string, version: number): Promise<void> {
    const { raw, station } = await this.readStation(actor, id);
    this.assertKeeper(actor);
    if (station.version !== version) throw new StaleVersionError(version);
    const contracts = await this.openContractsOf(station);
    if (contracts.length)
      throw new ConflictError(
        `The station serves open contracts: ${contracts.join(', ')}. Close it instead, or wait until they are completed.`,
        `该社工站仍有履行中的合同：${contracts.join('、')}。可先关闭该站，或待合同完成后再删除`,
        { contracts },
      );
    const at = this.deps.now().toISOString();
    const tombstone = { ...station, version: version + 1, deletedAt: at, deletedBy: actor.userId };
    try {
      await transactWrite(
        this.deps.doc,
        audited(
          {
            Put: {
              TableName: this.table,
              Item: { ...keys.station(id), ...tombstone },
              ...versionGuard(raw, version),
            },
          },
          headOf(raw),
          { actor: actor.userId, at, action: 'station.deleted' },
        ),
      );
    } catch (e) {
      if (canceled(e)) throw new StaleVersionError(version);
      throw e;
    }
  }
}
