/**
 * Form plumbing shared by the pages: reading posted fields as text, turning typed text into domain
 * values (yuan → integer fen, Beijing local time → UTC ISO), and mapping the domain's bilingual
 * field errors back onto the form fields that produced them, so the form re-renders with the
 * user's input kept and each message beside its field.
 */

import type { Context } from 'hono';
import type * as z from 'zod/mini';
import { yuanToFen } from '../../shared/domain/money';
import { beijingLocalToIso } from '../../shared/domain/time';
import { type FieldError, ProblemError, ValidationError } from '../../shared/errors';
import type { ApiEnv } from '../../shared/http/deps';
import { toFieldErrors } from '../../shared/i18n/validation';
import { CSRF_FIELD } from './session';

export type FormValues = Record<string, string>;

/** One message for the page: `name` is a form field or section ('' = the form as a whole). */
export interface PageError {
  name: string;
  en: string;
  zh: string;
}

export interface FormState {
  values: FormValues;
  errors: PageError[];
}

export const emptyForm = (values: FormValues = {}): FormState => ({ values, errors: [] });

/** The posted fields as text (the CSRF field left out). */
export async function readForm(c: Context<ApiEnv>): Promise<FormValues> {
  const body = await c.req.parseBody();
  const out: FormValues = {};
  for (const [k, v] of Object.entries(body)) {
    if (k === CSRF_FIELD || typeof v !== 'string') continue;
    out[k] = v.replace(/\r\n/g, '\n');
  }
  return out;
}

/**
 * Maps a domain path (`rubric.groups.0.indicators.1.maxPoints`, `body.` prefix dropped) to the
 * form field that holds it: the longest mapped prefix wins; unmapped paths go to the summary.
 */
export function pathResolver(map: Record<string, string>): (path: string) => string {
  return (path) => {
    const parts = path.replace(/^body\.?/, '').split('.');
    for (let n = parts.length; n > 0; n--) {
      const hit = map[parts.slice(0, n).join('.')];
      if (hit !== undefined) return hit;
    }
    return '';
  };
}

export function fromFieldErrors(errors: FieldError[], resolve: (path: string) => string): PageError[] {
  return errors.map((e) => ({ name: resolve(e.field), en: e.message, zh: e.messageZh }));
}

/**
 * zod's answers as page errors. The domain's own rules carry their bilingual text (custom issues);
 * zod's generic messages ("Too small: expected string to have >=2 characters") are put in plain
 * words for the form, since the field they belong to is named beside them.
 */
export function zodErrors(error: z.core.$ZodError, resolve: (path: string) => string): PageError[] {
  const fields = toFieldErrors(error);
  return error.issues.map((issue, i) => {
    const plain = plainWords(issue);
    const f = fields[i]!;
    return { name: resolve(f.field), ...(plain ?? { en: f.message, zh: f.messageZh }) };
  });
}

function plainWords(issue: z.core.$ZodIssue): { zh: string; en: string } | undefined {
  switch (issue.code) {
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min <= 1
          ? { zh: '必填', en: 'Required.' }
          : { zh: `至少 ${min} 个字符`, en: `Use at least ${min} characters.` };
      if (issue.origin === 'array') return { zh: `至少填写 ${min} 项`, en: `Fill in at least ${min}.` };
      if (issue.origin === 'number')
        return issue.inclusive
          ? { zh: `不能小于 ${min}`, en: `Must be at least ${min}.` }
          : { zh: `须大于 ${min}`, en: `Must be above ${min}.` };
      return undefined;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string')
        return { zh: `最多 ${max} 个字符`, en: `Use at most ${max} characters.` };
      if (issue.origin === 'array') return { zh: `最多 ${max} 项`, en: `At most ${max} entries.` };
      if (issue.origin === 'number') return { zh: `不能大于 ${max}`, en: `Must be at most ${max}.` };
      return undefined;
    }
    case 'invalid_format':
      if (issue.format === 'email') return { zh: '请输入有效的电子邮箱', en: 'Enter a valid email address.' };
      if (issue.format === 'datetime') return { zh: '请填写日期和时间', en: 'Enter a date and time.' };
      return {
        zh: '格式不正确，请按提示填写',
        en: /^Invalid/.test(issue.message) ? 'The format is not valid; see the hint.' : issue.message,
      };
    case 'invalid_value':
      return { zh: '请从选项中选择', en: 'Choose one of the options.' };
    case 'invalid_type':
      return issue.expected === 'number'
        ? { zh: '请输入数字', en: 'Enter a number.' }
        : { zh: '必填', en: 'Required.' };
    default:
      return undefined;
  }
}

/**
 * The domain's answer to a form, as page errors: validation (per field), rule violations,
 * conflicts and stale versions (for the whole form, or the field a conflict names). Anything else
 * (401, 403, 404, 500) is not the user's input and is rethrown for the error pages.
 */
export function domainErrors(e: unknown, resolve: (path: string) => string): PageError[] {
  if (e instanceof ValidationError) return fromFieldErrors(e.errors, resolve);
  if (e instanceof ProblemError && [409, 422, 429].includes(e.status)) {
    const field = typeof e.extra.field === 'string' ? resolve(e.extra.field) : '';
    return [{ name: field, en: e.message, zh: e.detailZh ?? e.message }];
  }
  throw e;
}

/** Reads typed text into domain values, collecting a bilingual error per unreadable field. */
export class FormReader {
  readonly errors: PageError[] = [];
  constructor(readonly values: FormValues) {}

  text(name: string): string {
    return (this.values[name] ?? '').trim();
  }

  optional(name: string): string | undefined {
    return this.text(name) || undefined;
  }

  checked(name: string): boolean {
    return this.values[name] === 'on';
  }

  private fail(name: string, zh: string, en: string): undefined {
    this.errors.push({ name, zh, en });
    return undefined;
  }

  private required(name: string): string | undefined {
    const v = this.text(name);
    if (!v) this.fail(name, '必填', 'Required.');
    return v || undefined;
  }

  /** A yuan amount ("1,200,000.50") as integer fen: never a float. */
  yuan(name: string): number | undefined {
    const v = this.required(name);
    if (v === undefined) return undefined;
    const fen = yuanToFen(v);
    if (fen === undefined)
      return this.fail(
        name,
        '请输入以元为单位的金额，最多两位小数，如 1,200,000.00',
        'Enter an amount in yuan with at most two decimals, e.g. 1,200,000.00.',
      );
    return fen;
  }

  int(name: string): number | undefined {
    const v = this.required(name);
    if (v === undefined) return undefined;
    if (!/^-?\d{1,9}$/.test(v)) return this.fail(name, '请输入整数', 'Enter a whole number.');
    return Number(v);
  }

  /** Points: a number with at most two decimals (the domain checks the range). */
  points(name: string): number | undefined {
    const v = this.required(name);
    if (v === undefined) return undefined;
    if (!/^\d{1,3}(\.\d{1,2})?$/.test(v))
      return this.fail(
        name,
        '请输入分值，最多两位小数，如 15 或 12.5',
        'Enter points with at most two decimals, e.g. 15 or 12.5.',
      );
    return Number(v);
  }

  /** A `datetime-local` value read as Beijing time. */
  instant(name: string): string | undefined {
    const v = this.required(name);
    if (v === undefined) return undefined;
    return (
      beijingLocalToIso(v) ??
      this.fail(
        name,
        '请按“年-月-日 时:分”填写北京时间',
        'Enter a Beijing date and time (year-month-day hour:minute).',
      )
    );
  }
}

/** Row indices present in the posted form for a table (`lot.3.code` → 3), sorted. */
export function rowIndices(values: FormValues, table: string): number[] {
  const re = new RegExp(`^${table}\\.(\\d+)\\.`);
  const set = new Set<number>();
  for (const k of Object.keys(values)) {
    const m = re.exec(k);
    if (m) set.add(Number(m[1]));
  }
  return [...set].sort((a, b) => a - b);
}
