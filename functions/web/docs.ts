import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Api } from '../../shared/http/app';

/** One OpenAPI 3.1 document for the whole API, generated from every function's zod routes. */
export function openApiDocument(apps: Api[]) {
  const docs = apps.map((a) =>
    a.getOpenAPI31Document({ openapi: '3.1.0', info: { title: '', version: '' } }),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Grant and venture management platform API / 政府购买服务与公益创投管理平台 API',
      version: '1.0.0',
      description:
        'Errors are RFC 9457 application/problem+json with `detail` (English) and `detailZh` (中文). Money is integer fen. Lists take `limit` and an opaque `cursor`. POSTs that create accept `Idempotency-Key`.',
    },
    paths: Object.assign({}, ...docs.map((d) => d.paths)),
    components: {
      schemas: Object.assign({}, ...docs.map((d) => d.components?.schemas ?? {})),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

/** Swagger UI, served from the installed package (or copied beside the Lambda bundle): no CDN. */
export const DOC_ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
} as const;

const cache = new Map<string, string>();
export function docAsset(file: keyof typeof DOC_ASSETS): string {
  let text = cache.get(file);
  if (text === undefined) {
    const beside = process.env.LAMBDA_TASK_ROOT
      ? join(process.env.LAMBDA_TASK_ROOT, 'swagger-ui', file)
      : undefined;
    try {
      text = readFileSync(
        beside ?? createRequire(import.meta.url).resolve(`swagger-ui-dist/${file}`),
        'utf8',
      );
    } catch {
      text = readFileSync(createRequire(import.meta.url).resolve(`swagger-ui-dist/${file}`), 'utf8');
    }
    cache.set(file, text);
  }
  return text;
}

export const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>API 文档 / API reference</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/init.js"></script></body></html>`;

export const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true });`;
