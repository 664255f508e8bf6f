/**
 * How every Lambda function is bundled: ESM for Node 22 on arm64, minified, with the
 * `createRequire` banner that CommonJS dependencies (jsonwebtoken) need inside an ESM bundle.
 * The CDK stack and the benchmark both use these settings, so what is measured is what ships.
 */
export const FUNCTIONS = {
  auth: 'functions/auth/lambda.ts',
  calls: 'functions/calls/lambda.ts',
  submissions: 'functions/submissions/lambda.ts',
  reviews: 'functions/reviews/lambda.ts',
  contracts: 'functions/contracts/lambda.ts',
  finance: 'functions/finance/lambda.ts',
  audit: 'functions/audit/lambda.ts',
  web: 'functions/web/lambda.ts',
  jobs: 'functions/jobs/lambda.ts',
  authorizer: 'functions/authorizer/lambda.ts',
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

export const ESM_BANNER =
  "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);";

/** esbuild options shared by the CDK bundling and `npm run bench`. */
export const esbuildOptions = {
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: 'node22',
  minify: true,
  sourcemap: false,
  mainFields: ['module', 'main'],
  banner: { js: ESM_BANNER },
  jsx: 'automatic' as const,
  jsxImportSource: 'hono/jsx',
  // Everything is bundled, the pinned AWS SDK included, so local and deployed code are the same;
  // except the Secrets Manager client, loaded lazily once per cold start in AWS only
  // (shared/auth/secrets.ts), which comes from the Lambda runtime's own SDK v3.
  external: ['@aws-sdk/client-secrets-manager'] as string[],
  legalComments: 'none' as const,
  // See infra/shims/semver.cjs: every version check jsonwebtoken makes is true on Node >= 22.
  alias: { semver: `${import.meta.dirname}/shims/semver.cjs` },
};
