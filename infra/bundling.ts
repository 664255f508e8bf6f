/**
 * How every Lambda function is bundled: ESM for Node 22 on arm64, minified, with the
 * `createRequire` banner that CommonJS dependencies (jsonwebtoken) need inside an ESM bundle.
 * The CDK stack and the benchmark both use these settings, so what is measured is what ships.
 */
import type { WebFunction } from '../shared/http/routing';

/** The page functions (PAGE_GROUPS in shared/http/routing.ts): one entry per group, its pages only. */
export const WEB_ENTRIES = {
  web: 'functions/web/lambda.ts',
  'web-contracts': 'functions/web/lambda-contracts.ts',
  'web-applicant': 'functions/web/lambda-applicant.ts',
  'web-reviewer': 'functions/web/lambda-reviewer.ts',
  'web-review': 'functions/web/lambda-review.ts',
  'web-officer': 'functions/web/lambda-officer.ts',
  'web-finance': 'functions/web/lambda-finance.ts',
  'web-notices': 'functions/web/lambda-notices.ts',
  'web-admin': 'functions/web/lambda-admin.ts',
} as const satisfies Record<WebFunction, string>;

export const FUNCTIONS = {
  auth: 'functions/auth/lambda.ts',
  calls: 'functions/calls/lambda.ts',
  submissions: 'functions/submissions/lambda.ts',
  reviews: 'functions/reviews/lambda.ts',
  contracts: 'functions/contracts/lambda.ts',
  finance: 'functions/finance/lambda.ts',
  audit: 'functions/audit/lambda.ts',
  admin: 'functions/admin/lambda.ts',
  ...WEB_ENTRIES,
  jobs: 'functions/jobs/lambda.ts',
  authorizer: 'functions/authorizer/lambda.ts',
} as const;
export type FunctionName = keyof typeof FUNCTIONS;

export const ESM_BANNER =
  "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);";

/**
 * Modules loaded on first use (`import('./<file>')`), by the file name the code imports: kept out
 * of the bundles (external) and built, with the same options, as a file of their own beside every
 * bundle that imports them. Only the requests that need them pay for them: the S3 client and the
 * presigner are a third of a bundle that includes them, and only attachment requests use them.
 */
export const LAZY_CHUNKS = {
  's3-ops.js': 'shared/db/s3-ops.ts',
  // The statutory holiday draft and its lunar calendar library (admin function and pages).
  'statutory.js': 'shared/calendar/statutory.ts',
} as const satisfies Record<`${string}.js`, string>;

/**
 * Beside a bundle with lazy chunks: the project is ESM (`"type": "module"`), and the chunks are
 * `.js` files because the TypeScript sources import them as `./<name>.js`.
 */
export const CHUNK_PACKAGE_JSON = '{"type":"module"}';

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
  // And the lazy chunks, which stay `import('./<file>')` in the bundle.
  external: ['@aws-sdk/client-secrets-manager', ...Object.keys(LAZY_CHUNKS).map((f) => `./${f}`)] as string[],
  legalComments: 'none' as const,
  // See infra/shims/semver.cjs: every version check jsonwebtoken makes is true on Node >= 22.
  alias: { semver: `${import.meta.dirname}/shims/semver.cjs` },
};

/** The same options as esbuild command-line flags (for the chunks built beside a CDK bundle). */
export function esbuildFlags(): string[] {
  const o = esbuildOptions;
  return [
    '--bundle',
    `--platform=${o.platform}`,
    `--format=${o.format}`,
    `--target=${o.target}`,
    ...(o.minify ? ['--minify'] : []),
    `--main-fields=${o.mainFields.join(',')}`,
    `--banner:js=${o.banner.js}`,
    `--jsx=${o.jsx}`,
    `--jsx-import-source=${o.jsxImportSource}`,
    `--legal-comments=${o.legalComments}`,
    ...o.external.map((e) => `--external:${e}`),
    ...Object.entries(o.alias).map(([from, to]) => `--alias:${from}=${to}`),
  ];
}

const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

/**
 * Shell commands run after a function is bundled into `outputDir`: each lazy chunk the bundle
 * imports is built beside it, with the package.json that makes it ESM.
 */
export function lazyChunkCommands(projectRoot: string, outputDir: string): string[] {
  const esbuild = shellQuote(`${projectRoot}node_modules/.bin/esbuild`);
  const bundle = shellQuote(`${outputDir}/index.mjs`);
  return Object.entries(LAZY_CHUNKS).map(([file, entry]) =>
    [
      `if grep -qF ${shellQuote(`"./${file}"`)} ${bundle}; then`,
      [esbuild, shellQuote(`${projectRoot}${entry}`), ...esbuildFlags().map(shellQuote)].join(' '),
      `--outfile=${shellQuote(`${outputDir}/${file}`)} --log-level=warning`,
      `&& printf '%s' ${shellQuote(CHUNK_PACKAGE_JSON)} > ${shellQuote(`${outputDir}/package.json`)}; fi`,
    ].join(' '),
  );
}
