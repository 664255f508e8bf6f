/**
 * Which function serves a path: the same rule for API Gateway (infra/) and the local server,
 * which dispatches exactly as API Gateway does. Everything else goes to the web function.
 */
export type HttpFunction =
  | 'auth'
  | 'calls'
  | 'submissions'
  | 'reviews'
  | 'contracts'
  | 'finance'
  | 'audit'
  | 'web';

const PREFIXES: [RegExp, HttpFunction][] = [
  // Most specific first: a call's submissions and its review belong to their own contexts.
  [/^\/calls\/[^/]+\/submissions(\/|$)/, 'submissions'],
  [/^\/calls\/[^/]+\/(panel|sheets|ranking|awards)(\/|$)/, 'reviews'],
  [/^\/public\/notices(\/|$)/, 'reviews'],
  [/^\/awards\/[^/]+\/contract(\/|$)/, 'contracts'],
  [/^\/pools\/[^/]+\/ledger(\/|$)/, 'finance'],
  [/^\/(contracts|reports|evaluations|statistics)(\/|$)/, 'contracts'],
  [/^\/(disbursements|ledger)(\/|$)/, 'finance'],
  [/^\/audit(\/|$)/, 'audit'],
  [/^\/submissions(\/|$)/, 'submissions'],
  [/^\/(experts|reviews|awards|challenges)(\/|$)/, 'reviews'],
  [/^\/(auth|users|\.well-known)(\/|$)/, 'auth'],
  [/^\/(jurisdictions|organizations|pools|calls|public)(\/|$)/, 'calls'],
];

export function functionFor(path: string): HttpFunction {
  return PREFIXES.find(([re]) => re.test(path))?.[1] ?? 'web';
}
