/**
 * Bundle size and cold import time of every Lambda function, against a baseline bundle of only
 * `hono` + the DynamoDB document client (tests/bench/baseline-lambda.ts), all built with exactly
 * the esbuild options the CDK stack ships (infra/bundling.ts).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { CHUNK_PACKAGE_JSON, esbuildOptions, FUNCTIONS, LAZY_CHUNKS } from '../../infra/bundling';
import { median, round } from './stats';

export const BASELINE = 'baseline';
export const BASELINE_ENTRY = 'tests/bench/baseline-lambda.ts';

export interface Contributor {
  /** An npm package (`zod`, `@smithy/core`) or a project folder (`shared/calls`). */
  module: string;
  bytes: number;
}

export interface Bundle {
  name: string;
  entry: string;
  /** `<dir>/<name>/index.mjs`, laid out as in Lambda's task root. */
  outfile: string;
  /** What the cold start imports: the bundle itself (lazy chunks not included). */
  bytes: number;
  gzipBytes: number;
  /** Minified bytes in the output per package or project folder, largest first. */
  contributors: Contributor[];
  /** Files beside the bundle that it imports on first use only (LAZY_CHUNKS), with their size. */
  lazyChunks: { file: string; bytes: number }[];
}

export interface ColdImport {
  name: string;
  /** `performance.now()` around `await import(bundle)` inside each fresh process, in ms. */
  samples: number[];
  median: number;
  /** Median of (this import / the baseline import run right beside it), for information. */
  pairedRatio: number;
  /** Whole process, spawn to exit (Node start-up included), for information. */
  processMedian: number;
  /** Resident set after the import, for information. */
  rssMiB: number;
}

/** Where a bundled input comes from: the package for node_modules, else the project folder. */
export function moduleOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return input.split('/').slice(0, 2).join('/');
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

function contributors(meta: Metafile): Contributor[] {
  const by = new Map<string, number>();
  for (const output of Object.values(meta.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs))
      by.set(moduleOf(input), (by.get(moduleOf(input)) ?? 0) + bytesInOutput);
  return [...by].map(([module, bytes]) => ({ module, bytes })).sort((a, b) => b.bytes - a.bytes);
}

/** A bundle to build: a file of the repository, or (probes) a few lines of source resolved from the root. */
export interface Entry {
  name: string;
  entry: string;
  contents?: string;
  /** Packages to bundle although the functions keep them external (a probe of such a package). */
  bundled?: string[];
}

/**
 * Builds each entry into `dir/<name>/index.mjs` with exactly the functions' esbuild options, and
 * beside it each lazy chunk it imports, as the CDK bundling does (infra/bundling.ts).
 */
export async function buildBundles(dir: string, root: string, entries: Entry[]): Promise<Bundle[]> {
  const build1 = async ({ name, entry, contents, bundled = [] }: Entry): Promise<Bundle> => {
    const outdir = join(dir, name.replace(/[^\w-]/g, '_'));
    mkdirSync(outdir, { recursive: true });
    const outfile = join(outdir, 'index.mjs');
    const result = await build({
      ...esbuildOptions,
      external: esbuildOptions.external.filter((e) => !bundled.includes(e)),
      absWorkingDir: root,
      ...(contents === undefined
        ? { entryPoints: [resolve(root, entry)] }
        : { stdin: { contents, resolveDir: root, sourcefile: `${name}.ts`, loader: 'ts' as const } }),
      outfile,
      metafile: true,
      logLevel: 'error',
    });
    const imported = new Set(
      Object.values(result.metafile.outputs).flatMap((o) =>
        o.imports.map((i) => i.path.replace(/^\.\//, '')),
      ),
    );
    const lazyChunks: Bundle['lazyChunks'] = [];
    for (const [file, chunkEntry] of Object.entries(LAZY_CHUNKS)) {
      if (!imported.has(file)) continue;
      await build({
        ...esbuildOptions,
        absWorkingDir: root,
        entryPoints: [resolve(root, chunkEntry)],
        outfile: join(outdir, file),
        logLevel: 'error',
      });
      writeFileSync(join(outdir, 'package.json'), CHUNK_PACKAGE_JSON);
      lazyChunks.push({ file, bytes: readFileSync(join(outdir, file)).byteLength });
    }
    const code = readFileSync(outfile);
    return {
      name,
      entry,
      outfile,
      bytes: code.byteLength,
      gzipBytes: gzipSync(code, { level: 9 }).byteLength,
      contributors: contributors(result.metafile),
      lazyChunks,
    };
  };
  return Promise.all(entries.map(build1));
}

/** The baseline, then every function in FUNCTIONS. */
export const functionEntries = (): Entry[] => [
  { name: BASELINE, entry: BASELINE_ENTRY },
  ...Object.entries(FUNCTIONS).map(([name, entry]) => ({ name, entry })),
];

/**
 * Attribution, when a function misses its target: the baseline plus one dependency each, so the
 * import time a package adds on its own can be read off against the baseline in the same run.
 */
export const probeEntries = (): Entry[] => {
  const probe = (name: string, code: string): Entry => ({
    name: `+${name}`,
    entry: `(baseline + ${name})`,
    contents: `export { handler } from './${BASELINE_ENTRY}';\n${code}`,
    bundled: [name],
  });
  return [
    { name: BASELINE, entry: BASELINE_ENTRY },
    probe('zod', "import { z } from 'zod';\nexport const probe = z.object({ a: z.string() });"),
    probe('zod/mini', "import * as z from 'zod/mini';\nexport const probe = z.object({ a: z.string() });"),
    probe('jsonwebtoken', "import jwt from 'jsonwebtoken';\nexport const probe = jwt.verify;"),
    probe('semver', "import semver from 'semver';\nexport const probe = semver.satisfies;"),
    probe(
      '@aws-lambda-powertools/idempotency',
      "import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';\n" +
        "import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';\n" +
        "export const probe = [makeIdempotent, new IdempotencyConfig({ eventKeyJmesPath: 'key' }), DynamoDBPersistenceLayer];",
    ),
    probe(
      '@aws-sdk/client-secrets-manager',
      "import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';\nexport const probe = new SecretsManagerClient({});",
    ),
  ];
};

/** Runs inside each fresh process: times the dynamic import, then reports and exits. */
const RUNNER = `
const started = performance.now();
await import(process.argv[2]);
const importMs = performance.now() - started;
process.stdout.write(JSON.stringify({ importMs, rss: process.memoryUsage().rss }) + '\\n');
process.exit(0);
`;

/** The environment a deployed function has, minus the network: keys from a local file. */
export function lambdaEnv(dir: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TZ: 'UTC',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    // Lambda runs Node 22, where the SDK does not warn; keep the Node 20 warning out of the timing.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    TABLE_NAME: 'bench',
    IDEMPOTENCY_TABLE_NAME: 'bench-idempotency',
    LOCAL_KEY_FILE: join(dir, 'lambda-keys.json'),
    LOG_LEVEL: 'silent',
  };
}

/** Node processes this module started and has not yet seen exit (killed on any exit path). */
export const liveChildren = new Set<ChildProcess>();

function importOnce(
  runner: string,
  bundle: string,
  env: NodeJS.ProcessEnv,
): Promise<{ importMs: number; processMs: number; rss: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [runner, bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    liveChildren.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      liveChildren.delete(child);
      const processMs = performance.now() - started;
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{'))
        return reject(
          new Error(`importing ${bundle} failed (${signal ?? code}):\n${(err || out).slice(-2000)}`),
        );
      const { importMs, rss } = JSON.parse(line) as { importMs: number; rss: number };
      resolvePromise({ importMs, processMs, rss });
    });
  });
}

/**
 * Imports every bundle in `runs` fresh processes each, one process at a time. Each function run
 * is paired with a baseline run right beside it (baseline first or second, alternately), and the
 * functions are visited in an order rotated per round, so drift and bursts of load from other
 * processes hit the baseline and the functions alike. One untimed round first creates the key
 * file and warms the file cache.
 */
export async function coldImports(bundles: Bundle[], dir: string, runs: number): Promise<ColdImport[]> {
  const runner = join(dir, 'import-runner.mjs');
  writeFileSync(runner, RUNNER);
  const env = lambdaEnv(dir);
  type Sample = { importMs: number; processMs: number; rss: number };
  const samples = new Map(bundles.map((b) => [b.name, [] as Sample[]]));
  const paired = new Map(bundles.map((b) => [b.name, [] as number[]]));
  const base = bundles.find((b) => b.name === BASELINE);
  const others = bundles.filter((b) => b !== base);
  const run = async (b: Bundle) => {
    const s = await importOnce(runner, b.outfile, env);
    samples.get(b.name)!.push(s);
    return s;
  };
  for (const b of bundles) await importOnce(runner, b.outfile, env);
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < others.length; i++) {
      const b = others[(i + r) % others.length]!;
      if (!base) {
        await run(b);
        continue;
      }
      const baseFirst = (i + r) % 2 === 0;
      const first = await run(baseFirst ? base : b);
      const second = await run(baseFirst ? b : base);
      const [bs, fs] = baseFirst ? [first, second] : [second, first];
      paired.get(b.name)!.push(fs.importMs / bs.importMs);
    }
  }
  return bundles.map((b) => {
    const s = samples.get(b.name)!;
    const p = paired.get(b.name)!;
    return {
      name: b.name,
      samples: s.map((x) => round(x.importMs)),
      median: round(median(s.map((x) => x.importMs))),
      pairedRatio: p.length ? round(median(p)) : 1,
      processMedian: round(median(s.map((x) => x.processMs))),
      rssMiB: round(median(s.map((x) => x.rss)) / 2 ** 20, 1),
    };
  });
}
