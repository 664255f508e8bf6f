import type { Call } from '../calls/model';
import { formatYuan } from '../domain/money';
import type { FieldError } from '../errors';
import type { Station } from '../jurisdictions/model';
import type { SubmissionContent } from './model';

/** What the content rules read of the call and, for venture applications, of the chosen station. */
export interface ContentContext {
  call: Pick<Call, 'kind' | 'lots' | 'venture' | 'jurisdictionPath'>;
  /** The station named by an application, if it exists. */
  station?: Station;
}

const money = (fen: number) => `${formatYuan(fen)} (${fen} fen)`;
const moneyZh = (fen: number) => `${formatYuan(fen)}（${fen} 分）`;

/**
 * The rules a submission's content must satisfy against its call, each naming its field and the
 * numbers that disagree, in English and Chinese. Pure: the caller loads the call and station.
 * `prefix` is the field path of the content in the request (e.g. `body.content`).
 */
export function contentProblems(
  content: SubmissionContent,
  ctx: ContentContext,
  prefix = 'body.content',
): FieldError[] {
  const errors: FieldError[] = [];
  const add = (field: string, message: string, messageZh: string) =>
    errors.push({ field: field ? `${prefix}.${field}` : prefix, message, messageZh });
  const { call } = ctx;

  const expected = call.kind === 'purchase' ? 'bid' : 'application';
  if (content.kind !== expected) {
    add(
      'kind',
      call.kind === 'purchase'
        ? 'This call is a government purchase of services (a tender): submit a bid (kind "bid"), not an application.'
        : 'This call is a public-benefit venture round: submit an application (kind "application"), not a bid.',
      call.kind === 'purchase'
        ? '本项目为政府购买服务采购项目，应提交投标（bid），而非项目申报'
        : '本项目为公益创投项目，应提交项目申报（application），而非投标',
    );
    return errors;
  }

  if (content.kind === 'bid') {
    const lot = call.lots.find((l) => l.code === content.lot);
    if (!lot) {
      const codes = call.lots.map((l) => l.code);
      add(
        'lot',
        `Lot "${content.lot}" does not exist in this call; its lots are ${codes.join(', ')}.`,
        `本项目没有标包“${content.lot}”，现有标包：${codes.join('、')}`,
      );
    } else if (content.priceFen > lot.ceilingFen) {
      add(
        'priceFen',
        `The price ${money(content.priceFen)} exceeds the ceiling price of lot ${lot.code}, ${money(lot.ceilingFen)}.`,
        `报价 ${moneyZh(content.priceFen)} 超过标包 ${lot.code} 的最高限价 ${moneyZh(lot.ceilingFen)}`,
      );
    }
    // Integer fen, summed exactly (Number is exact far beyond any budget: 2^53 fen).
    const sum = content.budgetLines.reduce((s, l) => s + l.amountFen, 0);
    if (sum !== content.priceFen) {
      add(
        'budgetLines',
        `The budget lines total ${money(sum)} but the price is ${money(content.priceFen)}; they must be equal.`,
        `预算明细合计 ${moneyZh(sum)}，与报价 ${moneyZh(content.priceFen)}不一致，两者应相等`,
      );
    }
    return errors;
  }

  const max = call.venture?.maxRequestFen;
  if (max !== undefined && content.requestedFen > max) {
    add(
      'requestedFen',
      `The requested amount ${money(content.requestedFen)} exceeds this round's largest request, ${money(max)}.`,
      `申请资助金额 ${moneyZh(content.requestedFen)} 超过本轮单个项目申请上限 ${moneyZh(max)}`,
    );
  }
  if (!ctx.station || ctx.station.id !== content.stationId) {
    add(
      'stationId',
      `There is no social-work station "${content.stationId}".`,
      `社会工作服务站“${content.stationId}”不存在`,
    );
  } else if (!ctx.station.jurisdictionPath.startsWith(call.jurisdictionPath)) {
    add(
      'stationId',
      `${ctx.station.name} is outside this call's jurisdiction.`,
      `${ctx.station.name}不在本项目所属辖区内`,
    );
  }
  const groups = content.recipientGroups;
  const dup = groups.find((g, i) => groups.indexOf(g) !== i);
  if (dup) add('recipientGroups', `Recipient group "${dup}" is listed twice.`, `服务对象类别“${dup}”重复`);
  return errors;
}
