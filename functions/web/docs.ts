import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

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
