/**
 * Which function serves a path: the same rule for API Gateway (infra/) and the local server,
 * which dispatches exactly as API Gateway does. Everything else goes to the web function.
 */
export type HttpFunction = 'auth' | 'calls' | 'web';

const PREFIXES: [RegExp, HttpFunction][] = [
  [/^\/(auth|users|\.well-known)(\/|$)/, 'auth'],
  [/^\/(jurisdictions|organizations|pools|calls|public)(\/|$)/, 'calls'],
];

export function functionFor(path: string): HttpFunction {
  return PREFIXES.find(([re]) => re.test(path))?.[1] ?? 'web';
}
