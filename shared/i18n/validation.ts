import zhCN from 'zod/v4/locales/zh-CN.js';
import '../schema'; // English messages configured before any parse
import type * as z from 'zod/mini';
import type { FieldError } from '../errors';

const zhMessage = zhCN().localeError;

/** Bilingual text for rules of our own (attached to zod issues as `params`). */
export interface Bilingual {
  en: string;
  zh: string;
}

type Payload = { addIssue: (i: z.core.$ZodRawIssue) => void } | { issues: z.core.$ZodRawIssue[] };

/** Reports a rule of our own on `path`, in both languages. */
export function issue(ctx: Payload, path: PropertyKey[], text: Bilingual): void {
  const raw = { code: 'custom' as const, path, message: text.en, params: { zh: text.zh }, input: undefined };
  if ('addIssue' in ctx) ctx.addIssue(raw);
  else ctx.issues.push(raw);
}

/** Turns zod issues into the field list of a 422 problem, with Chinese beside English. */
export function toFieldErrors(error: z.core.$ZodError, prefix: PropertyKey[] = []): FieldError[] {
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
  const m = zhMessage(i as unknown as z.core.$ZodRawIssue);
  return typeof m === 'string' ? m : (m?.message ?? i.message);
}
