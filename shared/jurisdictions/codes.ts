/**
 * Administrative division codes (行政区划代码, GB/T 2260 and the statistical township/village
 * codes) and where a division sits in the tree: pure rules, no I/O.
 *
 *   省 province  6 digits, ends in 0000        410000
 *   市 city      6 digits, ends in 00, ≠ 0000  410600   (first 2 digits = its province's)
 *   县 county    6 digits, not ending in 00    410621   (first 4 digits = its city's)
 *   乡 township  9 digits                      410621104 (first 6 = its county)
 *   村 village  12 digits                      410621104001 (first 9 = its township)
 *
 * Paths. Every per-city list of the table is partitioned by `cityOf(path)` (the first path
 * segment) and every scope check is `path.startsWith(principal.jurisdictionPath)`. So the
 * materialized path still starts at the city (`410600/410621/`): adding the province on top
 * changes no stored path, no partition and no existing test. A province's own path is its
 * two-digit code prefix WITHOUT a trailing slash (`41`): every path of its cities starts with
 * it, so an officer or auditor of the province passes every existing `startsWith` scope check
 * for the objects of its cities (and of nothing else: all codes of a province share exactly
 * those two digits). Its per-city lists are a fan-out over its cities, not one partition.
 */
import type { FieldError } from '../errors';

export const LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type Level = (typeof LEVELS)[number];

const CODE_LENGTH: Record<Level, number> = { province: 6, city: 6, county: 6, township: 9, village: 12 };
/** How many leading digits a child shares with its parent's code. */
const PARENT_PREFIX: Record<Exclude<Level, 'province'>, number> = {
  city: 2,
  county: 4,
  township: 6,
  village: 9,
};

export const LEVEL_ZH: Record<Level, string> = {
  province: '省',
  city: '市',
  county: '县（区）',
  township: '乡镇（街道）',
  village: '村（社区）',
};

/** The level directly below `level` (undefined for a village). */
export const childLevel = (level: Level): Level | undefined => LEVELS[LEVELS.indexOf(level) + 1];

/** The level a code has on its own, from its length and its trailing zeros (undefined: not a code). */
export function levelOfCode(code: string): Level | undefined {
  if (/^\d{12}$/.test(code)) return code.endsWith('000') ? undefined : 'village';
  if (/^\d{9}$/.test(code)) return code.endsWith('000') ? undefined : 'township';
  if (!/^\d{6}$/.test(code) || code.startsWith('00')) return undefined;
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

const err = (field: string, message: string, messageZh: string): FieldError => ({
  field,
  message,
  messageZh,
});

/**
 * The errors of a new division's code against its level and parent (empty: valid). `parent` is
 * the parent as stored (undefined when `parentId` names nothing); field names are the request
 * body's (`body.id`, `body.level`, `body.parentId`).
 */
export function divisionCodeErrors(
  input: { id: string; level: Level; parentId?: string },
  parent: { id: string; level: Level } | undefined,
): FieldError[] {
  const { id, level } = input;
  const len = CODE_LENGTH[level];
  const errors: FieldError[] = [];
  if (!new RegExp(`^\\d{${len}}$`).test(id))
    errors.push(
      err('body.id', `A ${level} code has ${len} digits.`, `${LEVEL_ZH[level]}的区划代码应为 ${len} 位数字`),
    );
  else if (levelOfCode(id) !== level)
    errors.push(
      err(
        'body.id',
        level === 'province'
          ? 'A province code ends in 0000.'
          : level === 'city'
            ? 'A city code ends in 00 (and not in 0000).'
            : level === 'county'
              ? 'A county code does not end in 00.'
              : `A ${level} code does not end in 000.`,
        level === 'province'
          ? '省级区划代码以 0000 结尾'
          : level === 'city'
            ? '市级区划代码以 00 结尾（且不以 0000 结尾）'
            : level === 'county'
              ? '县级区划代码不以 00 结尾'
              : `${LEVEL_ZH[level]}的区划代码不以 000 结尾`,
      ),
    );
  if (level === 'province') {
    if (input.parentId !== undefined)
      errors.push(err('body.parentId', 'A province has no parent.', '省级辖区没有上级'));
    return errors;
  }
  if (input.parentId === undefined) {
    errors.push(err('body.parentId', `A ${level} needs its parent.`, `${LEVEL_ZH[level]}须指定上级辖区`));
    return errors;
  }
  if (!parent) {
    errors.push(err('body.parentId', 'No such jurisdiction.', '上级辖区不存在'));
    return errors;
  }
  if (childLevel(parent.level) !== level) {
    const expected = childLevel(parent.level);
    errors.push(
      err(
        'body.level',
        expected ? `Below a ${parent.level} comes a ${expected}.` : 'A village has no divisions below it.',
        expected ? `${LEVEL_ZH[parent.level]}的下级应为${LEVEL_ZH[expected]}` : '村（社区）没有下级辖区',
      ),
    );
    return errors;
  }
  const shared = PARENT_PREFIX[level as Exclude<Level, 'province'>];
  if (!errors.length && id.slice(0, shared) !== parent.id.slice(0, shared))
    errors.push(
      err(
        'body.id',
        `The code must begin with its parent's ${shared} digits ${parent.id.slice(0, shared)}.`,
        `区划代码应以上级代码的前 ${shared} 位 ${parent.id.slice(0, shared)} 开头`,
      ),
    );
  return errors;
}

/** The materialized path of a division (see the module comment): provinces `41`, cities `410600/`. */
export function pathFor(level: Level, id: string, parent?: { path: string; level: Level }): string {
  if (level === 'province') return id.slice(0, 2);
  if (level === 'city' || !parent) return `${id}/`;
  return `${parent.path}${id}/`;
}

/** The level of the jurisdiction a path names (undefined: not a division path, e.g. `platform/`). */
export function levelOfPath(path: string): Level | undefined {
  if (/^\d{2}$/.test(path)) return 'province';
  if (!/^(\d+\/)+$/.test(path)) return undefined;
  return LEVELS[path.split('/').filter(Boolean).length] ?? undefined;
}

/**
 * Stations are managed by the officers of a county or above (a township's own staff run their
 * station; they do not open or close it).
 */
export function managesStations(path: string): boolean {
  const level = levelOfPath(path);
  return level === 'province' || level === 'city' || level === 'county';
}

/** Stations sit at township level (or, exceptionally, in a village / community). */
export const STATION_LEVELS: readonly Level[] = ['township', 'village'];
