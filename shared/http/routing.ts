/**
 * Which function serves a path: the same rule for API Gateway (infra/) and the local server,
 * which dispatches exactly as API Gateway does. JSON API paths go to their context's function;
 * pages go to the page function of their context (PAGE_GROUPS); everything else to `web`.
 */
export type JsonApiFunction =
  | 'auth'
  | 'calls'
  | 'submissions'
  | 'reviews'
  | 'contracts'
  | 'finance'
  | 'audit'
  | 'admin';

/**
 * The pages, split by context so that each function bundles only its own pages (cold start,
 * `npm run bench`). A path belongs to the first group with a prefix it equals or lies under
 * (`:param` matches one segment). Anything else — public pages, sign-in, registration, /home,
 * the API reference — is served by `web`. Adding a group is one line here, plus its page list
 * (functions/web/groups/ and WEB_PAGES), its entry (WEB_ENTRIES in infra/bundling.ts) and its
 * settings (infra/stack.ts): the type checker names whichever is missing.
 */
export const PAGE_GROUPS = [
  // Contracts, milestone reports and evaluations, for providers and officers (issue 4): their
  // own function, so the applicant and officer pages do not carry the contract services.
  [
    'web-contracts',
    [
      '/applicant/contracts',
      '/applicant/reports',
      '/officer/contracts',
      '/officer/awards/:id/contract',
      '/officer/reports',
    ],
  ],
  ['web-applicant', ['/applicant']],
  ['web-reviewer', ['/reviewer']],
  // An officer's review and award pages (screening, panel, ranking, awards, challenges) before
  // the rest of /officer: they need the submission, review and award services.
  [
    'web-review',
    [
      '/officer/calls/:id/review',
      '/officer/calls/:id/panel',
      '/officer/calls/:id/awards',
      '/officer/calls/:id/sheets',
      '/officer/submissions',
      '/officer/awards/:id/confirm',
      '/officer/awards/:id/windows',
      '/officer/challenges',
    ],
  ],
  ['web-officer', ['/officer']],
  ['web-finance', ['/finance', '/auditor']],
  // Award notices (公示) and challenges: public, but they need the award service and the
  // working-day calendar, which sign-in and the public call pages do not.
  ['web-notices', ['/notices']],
  // The platform administrator's pages (系统管理): calendar, rule packs, jurisdictions, accounts.
  ['web-admin', ['/system']],
] as const satisfies readonly (readonly [`web-${string}`, readonly `/${string}`[]])[];

export type WebFunction = 'web' | (typeof PAGE_GROUPS)[number][0];
export type HttpFunction = JsonApiFunction | WebFunction;

/** Every page function, `web` first. */
export const WEB_FUNCTIONS: readonly WebFunction[] = ['web', ...PAGE_GROUPS.map(([fn]) => fn)];

export const isWebFunction = (fn: HttpFunction): fn is WebFunction =>
  (WEB_FUNCTIONS as readonly string[]).includes(fn);

const PREFIXES: [RegExp, JsonApiFunction][] = [
  // Most specific first: a call's submissions and its review belong to their own contexts.
  [/^\/calls\/[^/]+\/submissions(\/|$)/, 'submissions'],
  [/^\/calls\/[^/]+\/(panel|sheets|ranking|awards)(\/|$)/, 'reviews'],
  [/^\/public\/notices(\/|$)/, 'reviews'],
  [/^\/awards\/[^/]+\/contract(\/|$)/, 'contracts'],
  [/^\/pools\/[^/]+\/ledger(\/|$)/, 'finance'],
  [/^\/(contracts|reports|evaluations|statistics)(\/|$)/, 'contracts'],
  [/^\/(disbursements|ledger)(\/|$)/, 'finance'],
  [/^\/audit(\/|$)/, 'audit'],
  // Platform administration (issue 8): the working calendar, rule packs, jurisdictions, accounts.
  [/^\/(admin|calendar|rule-packs)(\/|$)/, 'admin'],
  // Stations are edited by officers (not administrators) too, through the tree's service.
  [/^\/stations(\/|$)/, 'admin'],
  [/^\/submissions(\/|$)/, 'submissions'],
  [/^\/(experts|reviews|awards|challenges)(\/|$)/, 'reviews'],
  [/^\/(auth|users|\.well-known)(\/|$)/, 'auth'],
  [/^\/(jurisdictions|organizations|pools|calls|public)(\/|$)/, 'calls'],
];

const PAGES: [RegExp, WebFunction][] = PAGE_GROUPS.flatMap(([fn, prefixes]) =>
  prefixes.map((prefix): [RegExp, WebFunction] => [
    new RegExp(`^${prefix.replace(/:\w+/g, '[^/]+')}(/|$)`),
    fn,
  ]),
);

export function functionFor(path: string): HttpFunction {
  return PREFIXES.find(([re]) => re.test(path))?.[1] ?? PAGES.find(([re]) => re.test(path))?.[1] ?? 'web';
}
