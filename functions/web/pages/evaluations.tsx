/**
 * The evaluation form (绩效评价) of a contract, mid-term or final: the four first-level groups
 * 决策 / 过程 / 产出 / 效益 with the contract's weights (the call's, copied at signing). The officer
 * scores the second-level indicators of 决策, 过程 and 效益 (each group's weight split evenly
 * among its indicators); 产出 is filled in from the automatic comparison of the approved reports
 * with the contracted targets and cannot be overridden. "Calculate" shows the total and the grade
 * (and, for the final stage, what the final tranche pays) without saving; "Record" saves through
 * EvaluationService, which moves the tranches and, for a withheld part, the pool's money.
 */
import type { Context } from 'hono';
import type { Contract } from '../../../shared/contracts/model';
import { ContractRepository } from '../../../shared/contracts/repository';
import { formatYuan } from '../../../shared/domain/money';
import { ValidationError } from '../../../shared/errors';
import {
  achievementPointsCenti,
  EVALUATION_GROUPS,
  type EvaluationGroupKey,
  finalTranchePayable,
  scoreEvaluation,
} from '../../../shared/evaluation/grade';
import {
  AUTOMATIC_OUTPUT_IDS,
  EVALUATION_STAGES,
  type EvaluationInput,
  EvaluationInputSchema,
  type EvaluationStage,
} from '../../../shared/evaluation/model';
import { achievementOf, composeSheet, EvaluationService } from '../../../shared/evaluation/service';
import { authorizeObject, principalOf } from '../../../shared/http/app';
import type { ApiEnv, Deps } from '../../../shared/http/deps';
import { formatCenti } from '../../../shared/scoring/arithmetic';
import {
  domainErrors,
  emptyForm,
  FormReader,
  type FormState,
  type PageError,
  readForm,
  zodErrors,
} from '../forms';
import {
  EVALUATION_GROUP,
  EVALUATION_INDICATORS,
  EVALUATION_STAGE,
  GRADE_TEXT,
  pick,
  SERVICE_OUTPUT,
} from '../i18n';
import { Csrf, ErrorSummary, FieldErrors, hasError, Layout, pageCtx, render, TextArea } from '../layout';
import type { PageRoute } from '../routes';
import { officerContractPath } from './contracts-officer';

/** The groups the officer scores (the 产出 group is computed from the reports). */
const SCORED = ['decision', 'process', 'benefits'] as const;
type Scored = (typeof SCORED)[number];
const isScored = (k: EvaluationGroupKey): k is Scored => (SCORED as readonly string[]).includes(k);

/** A group's weight split evenly among its indicators, in hundredths (the remainder on the last). */
function maxima(weight: number, n: number): number[] {
  const total = Math.round(weight * 100);
  const each = Math.floor(total / n);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? total - each * (n - 1) : each) / 100);
}

interface SheetGroup {
  key: EvaluationGroupKey;
  weight: number;
  /** `automatic`: an output indicator the service scores from the reports (no points sent). */
  indicators: { id: string; name: string; maxPoints: number; automatic?: boolean }[];
}

/**
 * The sheet sent to the service, in EVALUATION_GROUPS order (so that the domain's error paths
 * `sheet.groups.<g>.indicators.<i>` index the same groups as the form): the officer's indicators,
 * and the five output indicators whose points the service computes.
 */
function sheetOf(c: Contract, lang: 'zh' | 'en'): SheetGroup[] {
  return EVALUATION_GROUPS.map((key) => {
    const weight = c.evaluationWeights[key];
    if (!isScored(key)) {
      const max = maxima(weight, AUTOMATIC_OUTPUT_IDS.length);
      return {
        key,
        weight,
        indicators: AUTOMATIC_OUTPUT_IDS.map((id, i) => ({
          id,
          name: pick(lang, SERVICE_OUTPUT[id]),
          maxPoints: max[i]!,
          automatic: true,
        })),
      };
    }
    const list = EVALUATION_INDICATORS[key];
    const max = maxima(weight, list.length);
    return {
      key,
      weight,
      indicators: list.map((ind, i) => ({ id: ind.id, name: pick(lang, ind.name), maxPoints: max[i]! })),
    };
  });
}

/** `sheet.groups.1.indicators.0.points` → `pt.P1`. */
function resolverOf(sheet: SheetGroup[]) {
  return (path: string): string => {
    const rest = path.replace(/^body\.?/, '');
    const m = /^sheet\.groups\.(\d+)\.indicators\.(\d+)/.exec(rest);
    if (m) {
      const ind = sheet[Number(m[1])]?.indicators[Number(m[2])];
      return ind && !ind.automatic ? `pt.${ind.id}` : '';
    }
    if (rest === 'comments') return 'evalComments';
    return '';
  };
}

interface Preview {
  total: string;
  grade: '优' | '良' | '中' | '差';
  groups: { key: EvaluationGroupKey; scoreCenti: number; weightCenti: number }[];
  finalPayable?: { amountFen: number; payableFen: number; percent: number };
}

export function evaluationPages(page: PageRoute, deps: Deps): void {
  const contracts = new ContractRepository(deps.doc, deps.config.tableName);
  const service = new EvaluationService(deps);

  const contractIn = async (c: Context<ApiEnv>) => {
    const read = await contracts.get(c.req.param('id') ?? '');
    authorizeObject(c, read?.contract, 'contract');
    return read!.contract;
  };

  const formPage = async (
    c: Context<ApiEnv>,
    contract: Contract,
    stage: EvaluationStage,
    f: FormState,
    preview?: Preview,
    status: 200 | 409 | 422 = 200,
  ) => {
    const p = pageCtx(c);
    const sheet = sheetOf(contract, p.lang);
    const achievement = achievementOf(contract);
    const outputMax = new Map(
      sheet.find((g) => g.key === 'outputs')!.indicators.map((i) => [i.id, i.maxPoints] as const),
    );
    const recorded = await service.get(contract.id, stage);
    return render(
      c,
      <Layout
        p={p}
        title={p.l(
          `${pick('zh', EVALUATION_STAGE[stage])}：${contract.callTitle}`,
          `${pick('en', EVALUATION_STAGE[stage])}: ${contract.callTitle}`,
        )}
      >
        <p class="muted">
          {contract.orgName} ·{' '}
          {p.l(
            '一级指标权重取自合同（项目设定）；产出指标按已审核报告与合同目标自动比对计分；总分 90 分及以上为优，80 分及以上为良，60 分及以上为中，60 分以下为差。',
            "First-level weights come from the contract (the call's); output indicators are scored automatically from the approved reports against the targets; 90 and above is 优, 80 良, 60 中, below 60 差.",
          )}
        </p>
        {recorded ? (
          <p class="alert" role="alert">
            {p.l(
              `本合同的${pick('zh', EVALUATION_STAGE[stage])}已记录（${recorded.result.total} 分，${recorded.result.grade}），每个阶段只记录一次。`,
              `The ${pick('en', EVALUATION_STAGE[stage]).toLowerCase()} is already recorded (${recorded.result.total}, ${recorded.result.grade}); each stage is recorded once.`,
            )}
          </p>
        ) : null}
        <form
          method="post"
          action={`${officerContractPath(contract.id)}/evaluations`}
          class="stack"
          id="evaluation"
          novalidate
        >
          <Csrf p={p} />
          <input type="hidden" name="stage" value={stage} />
          <ErrorSummary p={p} f={f} />
          {preview ? (
            <section class="notice" role="status" id="preview">
              <strong>
                {p.l(
                  `试算总分 ${preview.total} 分，等级：${preview.grade}`,
                  `Calculated total ${preview.total}, grade ${preview.grade}`,
                )}
              </strong>{' '}
              <span class="small">({pick(p.lang, GRADE_TEXT[preview.grade])})</span>
              <br />
              {preview.groups
                .map(
                  (g) =>
                    `${pick(p.lang, EVALUATION_GROUP[g.key])} ${formatCenti(g.scoreCenti)}/${formatCenti(g.weightCenti)}`,
                )
                .join(p.l('，', ', '))}
              {preview.finalPayable ? (
                <>
                  <br />
                  {p.l(
                    `尾款 ${formatYuan(preview.finalPayable.amountFen)} 按该等级支付 ${preview.finalPayable.percent}%：${formatYuan(preview.finalPayable.payableFen)}`,
                    `Final tranche ${formatYuan(preview.finalPayable.amountFen)}: this grade pays ${preview.finalPayable.percent}%, ${formatYuan(preview.finalPayable.payableFen)}`,
                  )}
                </>
              ) : null}
              <br />
              <span class="small">
                {p.l('尚未保存：确认无误后点击“记录评价”。', 'Not saved yet: use “Record” to save it.')}
              </span>
            </section>
          ) : null}
          {(['decision', 'process', 'outputs', 'benefits'] as const).map((key) => {
            const weight = contract.evaluationWeights[key];
            if (key === 'outputs')
              return (
                <fieldset id="group-outputs">
                  <legend>
                    {pick(p.lang, EVALUATION_GROUP.outputs)} · {p.l(`权重 ${weight}`, `weight ${weight}`)} ·{' '}
                    {p.l('按报告自动计分', 'scored from the reports')}
                  </legend>
                  <div class="table-wrap">
                    <table id="outputs-table">
                      <thead>
                        <tr>
                          <th>{p.l('二级指标', 'Indicator')}</th>
                          <th class="num">{p.l('合同目标', 'Target')}</th>
                          <th class="num">{p.l('已审核完成', 'Reported')}</th>
                          <th class="num">{p.l('完成率', 'Achieved')}</th>
                          <th class="num">{p.l('分值', 'Max')}</th>
                          <th class="num">{p.l('得分', 'Points')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {achievement.map((a) => {
                          const share = outputMax.get(a.output) ?? 0;
                          return (
                            <tr>
                              <td>{pick(p.lang, SERVICE_OUTPUT[a.output])}</td>
                              <td class="num">{a.target}</td>
                              <td class="num">{a.reported}</td>
                              <td class="num">
                                {a.percentCenti === null ? '—' : `${formatCenti(a.percentCenti)}%`}
                              </td>
                              <td class="num">{share}</td>
                              <td class="num">
                                <output name={`auto.${a.output}`}>
                                  {formatCenti(achievementPointsCenti(a.percentCenti, share))}
                                </output>
                              </td>
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                </fieldset>
              );
            const group = sheet.find((g) => g.key === key)!;
            return (
              <fieldset id={`group-${key}`}>
                <legend>
                  {pick(p.lang, EVALUATION_GROUP[key])} · {p.l(`权重 ${weight}`, `weight ${weight}`)}
                </legend>
                <div class="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th>{p.l('二级指标', 'Indicator')}</th>
                        <th class="num">{p.l('分值', 'Max')}</th>
                        <th class="mid">{p.l('得分', 'Points')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {group.indicators.map((ind) => {
                        const name = `pt.${ind.id}`;
                        return (
                          <tr class={hasError(f, name) ? 'invalid' : undefined}>
                            <td>
                              <label for={`f-${name}`}>{ind.name}</label>
                            </td>
                            <td class="num">{ind.maxPoints}</td>
                            <td>
                              <input
                                id={`f-${name}`}
                                name={name}
                                type="text"
                                inputmode="decimal"
                                value={f.values[name] ?? ''}
                                aria-invalid={hasError(f, name) ? 'true' : undefined}
                              />
                              <FieldErrors p={p} f={f} name={name} />
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </fieldset>
            );
          })}
          <TextArea p={p} f={f} name="evalComments" rows={3} />
          <div class="actions">
            <button type="submit" name="intent" value="preview" class="secondary">
              {p.l('试算得分', 'Calculate')}
            </button>
            <button type="submit" name="intent" value="record">
              {p.l('记录评价', 'Record')}
            </button>
            <a href={`${officerContractPath(contract.id)}#evaluations`}>
              {p.l('返回合同', 'Back to the contract')}
            </a>
          </div>
        </form>
      </Layout>,
      status,
    );
  };

  const stageOf = (v: string | undefined): EvaluationStage | undefined =>
    (EVALUATION_STAGES as readonly string[]).includes(v ?? '') ? (v as EvaluationStage) : undefined;

  page('get', '/officer/contracts/:id/evaluations/new', async (c) => {
    const contract = await contractIn(c);
    const stage = stageOf(c.req.query('stage')) ?? (contract.grades.midterm ? 'final' : 'midterm');
    return formPage(c, contract, stage, emptyForm());
  });

  page('post', '/officer/contracts/:id/evaluations', async (c) => {
    const contract = await contractIn(c);
    const p = pageCtx(c);
    const values = await readForm(c);
    const stage = stageOf(values.stage) ?? 'midterm';
    const sheet = sheetOf(contract, p.lang);
    const resolve = resolverOf(sheet);
    const fail = (errors: PageError[]) => formPage(c, contract, stage, { values, errors }, undefined, 422);
    const r = new FormReader(values);
    const groups = sheet.map((g) => ({
      key: g.key,
      indicators: g.indicators.map(({ automatic, ...ind }) =>
        automatic ? ind : { ...ind, points: r.points(`pt.${ind.id}`) },
      ),
    }));
    if (r.errors.length) return fail(r.errors);
    const comments = r.optional('evalComments');
    const parsed = EvaluationInputSchema.safeParse({
      stage,
      sheet: { groups },
      ...(comments ? { comments } : {}),
    });
    if (!parsed.success) return fail(zodErrors(parsed.error, resolve));
    const input: EvaluationInput = parsed.data;

    if (values.intent === 'preview') {
      const { sheet: scored, problems } = composeSheet(contract, input, achievementOf(contract));
      if (problems.length)
        return fail(problems.map((e) => ({ name: resolve(e.field), en: e.message, zh: e.messageZh })));
      try {
        const result = scoreEvaluation(scored);
        const final = contract.tranches.find((t) => t.milestone === 'final');
        const preview: Preview = {
          total: result.total,
          grade: result.grade,
          groups: result.groups,
          ...(stage === 'final' && final
            ? {
                finalPayable: {
                  amountFen: final.amountFen,
                  payableFen: finalTranchePayable(final.amountFen, result.grade, contract.payoutPolicy),
                  percent: contract.payoutPolicy[result.grade],
                },
              }
            : {}),
        };
        return formPage(c, contract, stage, { values, errors: [] }, preview);
      } catch (e) {
        if (e instanceof ValidationError)
          return fail(
            e.errors.map((x) => ({ name: resolve(`sheet.${x.field}`), en: x.message, zh: x.messageZh })),
          );
        throw e;
      }
    }

    try {
      await service.record(contract.id, input, principalOf(c));
    } catch (e) {
      return fail(domainErrors(e, resolve));
    }
    return c.redirect(`${officerContractPath(contract.id)}?done=evaluated#evaluations`, 303);
  });
}
