import * as z from 'zod/mini';
import { described } from '../schema';

/** Money is integer fen (分): ¥1.00 = 100 fen. Never a float. */
export const Fen = described(
  z.int().check(z.minimum(0)),
  'Amount in integer fen (分); ¥1.00 = 100',
  120_000_000,
);

/** A positive amount in fen. */
export const PositiveFen = Fen.check(
  z.refine((v) => v > 0, { message: 'Must be above zero.', params: { zh: '须大于零' } }),
);

/** Parses a yuan amount typed in a form ("1,200,000.5") to fen, exactly, without floating point. */
export function yuanToFen(text: string): number | undefined {
  const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(text.replace(/[,，\s]/g, ''));
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** ¥1,200,000.00 from 120000000 fen. */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${String(abs % 100).padStart(2, '0')}`;
}
