import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { keys } from '../db/keys';
import type { Jurisdiction } from '../jurisdictions/model';
import { JurisdictionRepository } from '../jurisdictions/repository';
import {
  addCounters,
  COUNTER_NAMES,
  type Counters,
  pickCounters,
  type Statistics,
  shapeCounters,
  zeroCounters,
} from './model';

/**
 * Pre-aggregated service statistics (model.ts) in the table:
 * - a station's month: `STATS#<county>` / `<yyyy-mm>#<stationId>` (the partition of the station's
 *   parent jurisdiction — the county for a township station), with its name and path;
 * - a jurisdiction's month: `STATSROLL#<jurisdictionId>` / `<yyyy-mm>`, for every jurisdiction on
 *   the station's path (township, county, city).
 * Both are written with ADD only, by the transaction that approves a report.
 */

export interface StationRef {
  id: string;
  name: string;
  jurisdictionId: string;
  /** The station's jurisdiction path, e.g. `410600/410621/410621104/`. */
  jurisdictionPath: string;
}

const segments = (path: string) => path.split('/').filter(Boolean);

/** The partition of a station's monthly items: its parent jurisdiction (the county). */
export const statsPartitionOf = (stationPath: string) => {
  const s = segments(stationPath);
  return s.length >= 2 ? s[s.length - 2]! : s[0]!;
};

function addExpression(counters: Counters) {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = COUNTER_NAMES.map((n, i) => {
    names[`#c${i}`] = n;
    values[`:c${i}`] = counters[n] ?? 0;
    return `#c${i} :c${i}`;
  });
  return { add: `ADD ${parts.join(', ')}`, names, values };
}

/**
 * The Updates that add one report's counters to its station's month and to the month of every
 * jurisdiction on the station's path: 1 + depth items (4 for a township station), for the
 * approval's TransactWriteItems. No condition: ADD is commutative, the approval's own conditions
 * (report status and version) make it happen once.
 */
export function statisticsUpdates(table: string, station: StationRef, month: string, counters: Counters) {
  const { add, names, values } = addExpression(counters);
  const stationItem = {
    Update: {
      TableName: table,
      Key: keys.stationStats(statsPartitionOf(station.jurisdictionPath), month, station.id),
      UpdateExpression: `SET stationId = :sid, stationName = :sname, jurisdictionId = :jid, jurisdictionPath = :path, #month = :month ${add}`,
      ExpressionAttributeNames: { ...names, '#month': 'month' },
      ExpressionAttributeValues: {
        ...values,
        ':sid': station.id,
        ':sname': station.name,
        ':jid': station.jurisdictionId,
        ':path': station.jurisdictionPath,
        ':month': month,
      },
    },
  };
  const rollups = segments(station.jurisdictionPath).map((jid) => ({
    Update: {
      TableName: table,
      Key: keys.rollupStats(jid, month),
      UpdateExpression: `SET jurisdictionId = :jid, #month = :month ${add}`,
      ExpressionAttributeNames: { ...names, '#month': 'month' },
      ExpressionAttributeValues: { ...values, ':jid': jid, ':month': month },
    },
  }));
  return [stationItem, ...rollups];
}

export const monthsOf = (year: number) =>
  Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

export class StatisticsRepository {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  /** Every item of one Query (following pages: a year of a county is far below 1 MB). */
  private async queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<{
    items: Record<string, unknown>[];
    queries: number;
  }> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    let queries = 0;
    do {
      const out: QueryCommandOutput = await this.doc.send(
        new QueryCommand({ ...input, ExclusiveStartKey: start }),
      );
      queries++;
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return { items, queries };
  }

  private stationQuery(partitionId: string, year: number, onlyJurisdiction?: string) {
    return this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ...(onlyJurisdiction ? { FilterExpression: 'jurisdictionId = :jid' } : {}),
      ExpressionAttributeValues: {
        ':pk': keys.stationStatsPartition(partitionId),
        ':from': `${year}-01#`,
        ':to': `${year}-12#\uffff`,
        ...(onlyJurisdiction ? { ':jid': onlyJurisdiction } : {}),
      },
    });
  }

  /**
   * A jurisdiction's statistics for a year: its monthly rollup, and every station under it by
   * month. For a county (or a township): TWO Queries, sent together — the rollup partition and
   * the county's station partition (a township filters it to its own station). For a city: the
   * rollup, the list of its counties, and one station Query per county.
   */
  async read(j: Jurisdiction, year: number): Promise<Statistics> {
    const months = monthsOf(year);
    const rollupQuery = this.queryAll({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': keys.rollupStatsPartition(j.id),
        ':from': months[0],
        ':to': months[11],
      },
    });
    let stationReads: Promise<{ items: Record<string, unknown>[]; queries: number }>[];
    let extraQueries = 0;
    if (j.level === 'county') stationReads = [this.stationQuery(j.id, year)];
    else if (j.level === 'township' && j.parentId) stationReads = [this.stationQuery(j.parentId, year, j.id)];
    else if (j.level === 'city') {
      const counties = await new JurisdictionRepository(this.doc, this.table).children(j.id);
      extraQueries = 1;
      stationReads = counties.map((c) => this.stationQuery(c.id, year));
    } else stationReads = []; // villages have no station of their own
    const [rollup, ...stationParts] = await Promise.all([rollupQuery, ...stationReads]);

    const byMonth = new Map(rollup.items.map((i) => [String(i.sk), pickCounters(i)]));
    const rollupRows = months.map((m) => ({ month: m, ...shapeCounters(byMonth.get(m) ?? zeroCounters()) }));
    const total = months.reduce(
      (acc, m) => addCounters(acc, byMonth.get(m) ?? zeroCounters()),
      zeroCounters(),
    );

    const stations = new Map<
      string,
      { stationId: string; stationName: string; jurisdictionId: string; months: Map<string, Counters> }
    >();
    for (const item of stationParts.flatMap((p) => p.items)) {
      const id = String(item.stationId);
      const s = stations.get(id) ?? {
        stationId: id,
        stationName: String(item.stationName),
        jurisdictionId: String(item.jurisdictionId),
        months: new Map<string, Counters>(),
      };
      s.months.set(String(item.month), pickCounters(item));
      stations.set(id, s);
    }
    return {
      jurisdiction: { id: j.id, name: j.name, level: j.level, path: j.path },
      year,
      months,
      rollup: rollupRows,
      total: shapeCounters(total),
      stations: [...stations.values()]
        .sort(
          (a, b) =>
            a.jurisdictionId.localeCompare(b.jurisdictionId) || a.stationId.localeCompare(b.stationId),
        )
        .map((s) => ({
          stationId: s.stationId,
          stationName: s.stationName,
          jurisdictionId: s.jurisdictionId,
          months: months.map((m) => ({ month: m, ...shapeCounters(s.months.get(m) ?? zeroCounters()) })),
          total: shapeCounters(
            months.reduce((acc, m) => addCounters(acc, s.months.get(m) ?? zeroCounters()), zeroCounters()),
          ),
        })),
      queries: rollup.queries + stationParts.reduce((n, p) => n + p.queries, 0) + extraQueries,
    };
  }
}
