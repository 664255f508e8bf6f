import { describe, expect, it } from 'vitest';
import {
  childLevel,
  divisionCodeErrors,
  type Level,
  levelOfCode,
  levelOfPath,
  managesStations,
  pathFor,
} from '../../shared/jurisdictions/codes';

const henan = { id: '410000', level: 'province' as const, path: '41' };
const hebi = { id: '410600', level: 'city' as const, path: '410600/' };
const xun = { id: '410621', level: 'county' as const, path: '410600/410621/' };
const xiaohe = { id: '410621104', level: 'township' as const, path: '410600/410621/410621104/' };

const fields = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('division codes', () => {
  it('tells the level from the code', () => {
    expect(levelOfCode('410000')).toBe('province');
    expect(levelOfCode('410600')).toBe('city');
    expect(levelOfCode('410621')).toBe('county');
    expect(levelOfCode('410621104')).toBe('township');
    expect(levelOfCode('410621104001')).toBe('village');
    for (const bad of ['41060', '4106000', '000000', '41062a', '410621000', '410621104000', ''])
      expect(levelOfCode(bad), bad).toBeUndefined();
  });

  it('accepts a valid chain 省 → 市 → 县 → 乡 → 村', () => {
    expect(divisionCodeErrors({ id: '410000', level: 'province' }, undefined)).toEqual([]);
    expect(divisionCodeErrors({ id: '410600', level: 'city', parentId: '410000' }, henan)).toEqual([]);
    expect(divisionCodeErrors({ id: '410621', level: 'county', parentId: '410600' }, hebi)).toEqual([]);
    expect(divisionCodeErrors({ id: '410621104', level: 'township', parentId: '410621' }, xun)).toEqual([]);
    expect(
      divisionCodeErrors({ id: '410621104001', level: 'village', parentId: '410621104' }, xiaohe),
    ).toEqual([]);
  });

  it('refuses a wrong length for the level (6 to county, 9 township, 12 village)', () => {
    const cases: [string, Level, { id: string; level: Level } | undefined][] = [
      ['4100', 'province', undefined],
      ['4106001', 'city', henan],
      ['410621104', 'county', hebi],
      ['410621', 'township', xun],
      ['410621104', 'village', xiaohe],
    ];
    for (const [id, level, parent] of cases) {
      const errors = divisionCodeErrors({ id, level, ...(parent ? { parentId: parent.id } : {}) }, parent);
      expect(fields(errors), `${level} ${id}`).toEqual(['body.id']);
      expect(errors[0]!.messageZh).toMatch(/位数字/);
    }
  });

  it('refuses a code of the wrong kind at the right length', () => {
    expect(fields(divisionCodeErrors({ id: '410600', level: 'province' }, undefined))).toEqual(['body.id']);
    expect(fields(divisionCodeErrors({ id: '410000', level: 'city', parentId: '410000' }, henan))).toEqual([
      'body.id',
    ]);
    expect(fields(divisionCodeErrors({ id: '410700', level: 'county', parentId: '410600' }, hebi))).toEqual([
      'body.id',
    ]);
  });

  it("refuses a code not under its parent's", () => {
    const city = divisionCodeErrors({ id: '420600', level: 'city', parentId: '410000' }, henan);
    expect(fields(city)).toEqual(['body.id']);
    expect(city[0]!.message).toContain('41');
    expect(fields(divisionCodeErrors({ id: '410721', level: 'county', parentId: '410600' }, hebi))).toEqual([
      'body.id',
    ]);
    expect(
      fields(divisionCodeErrors({ id: '410622104', level: 'township', parentId: '410621' }, xun)),
    ).toEqual(['body.id']);
    expect(
      fields(divisionCodeErrors({ id: '410621105001', level: 'village', parentId: '410621104' }, xiaohe)),
    ).toEqual(['body.id']);
  });

  it('needs the parent (and the level right below it); a province has none', () => {
    expect(fields(divisionCodeErrors({ id: '410621', level: 'county' }, undefined))).toEqual([
      'body.parentId',
    ]);
    expect(
      fields(divisionCodeErrors({ id: '410621', level: 'county', parentId: '419900' }, undefined)),
    ).toEqual(['body.parentId']);
    expect(fields(divisionCodeErrors({ id: '410000', level: 'province', parentId: '410600' }, hebi))).toEqual(
      ['body.parentId'],
    );
    // A county straight under a province skips the city.
    expect(fields(divisionCodeErrors({ id: '410621', level: 'county', parentId: '410000' }, henan))).toEqual([
      'body.level',
    ]);
    expect(childLevel('village')).toBeUndefined();
  });
});

describe('paths', () => {
  it('start at the city; a province is its two-digit prefix, which every path of its cities starts with', () => {
    expect(pathFor('province', '410000')).toBe('41');
    expect(pathFor('city', '410600', henan)).toBe('410600/');
    expect(pathFor('county', '410621', hebi)).toBe('410600/410621/');
    expect(pathFor('township', '410621104', xun)).toBe('410600/410621/410621104/');
    expect(xiaohe.path.startsWith(henan.path)).toBe(true);
    expect('640100/640104/'.startsWith(henan.path)).toBe(false);
    expect('platform/'.startsWith(henan.path)).toBe(false);
  });

  it('tell the level, and who manages stations (county or above)', () => {
    expect(levelOfPath('41')).toBe('province');
    expect(levelOfPath('410600/')).toBe('city');
    expect(levelOfPath('410600/410621/')).toBe('county');
    expect(levelOfPath(xiaohe.path)).toBe('township');
    expect(levelOfPath('platform/')).toBeUndefined();
    expect([henan.path, hebi.path, xun.path].every(managesStations)).toBe(true);
    expect(managesStations(xiaohe.path)).toBe(false);
    expect(managesStations('platform/')).toBe(false);
  });
});
