import { z } from '@hono/zod-openapi';
import type { FieldError } from '../errors';

const zhCN = z.locales.zhCN().localeError;

/** Bilingual text for rules of our own (attached to zod issues as `params`). */
export interface Bilingual {
  en: string;
  zh: string;
}

export function issue(
  ctx: { addIssue: (i: z.core.$ZodRawIssue) => void },
  path: PropertyKey[],
  text: Bilingual,
): void {
  ctx.addIssue({ code: 'custom', path, message: text.en, params: { zh: text.zh }, input: undefined });
}

/** Turns zod issues into the field list of a 422 problem, with Chinese beside English. */
export function toFieldErrors(error: z.ZodError, prefix: PropertyKey[] = []): FieldError[] {
  return error.issues.map((i) => {
    const field = [...prefix, ...i.path].map(String).join('.') || '(body)';
    const zhParam = i.code === 'custom' ? (i.params as { zh?: string } | undefined)?.zh : undefined;
    let messageZh = zhParam ?? localised(i);
    // The finished issue no longer carries its input: take the received type from the English text.
    const received = /received (\w+)/.exec(i.message)?.[1];
    if (received) messageZh = messageZh.replace(/undefined$/, received);
    return { field, message: i.message, messageZh };
  });
}

function localised(i: z.core.$ZodIssue): string {
  const m = zhCN(i as unknown as z.core.$ZodRawIssue);
  return typeof m === 'string' ? m : (m?.message ?? i.message);
}
