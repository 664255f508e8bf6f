/**
 * Domain and protocol errors. One place (shared/http/problem.ts) turns them into RFC 9457
 * `application/problem+json` responses; nothing else builds an error response.
 */
export interface FieldError {
  /** Dotted path of the failing field, e.g. `rubric.groups.0.indicators.1.maxPoints`. */
  field: string;
  message: string;
  messageZh: string;
}

export class ProblemError extends Error {
  readonly status: number;
  readonly slug: string;
  readonly title: string;
  readonly detailZh?: string;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;
  constructor(
    status: number,
    slug: string,
    title: string,
    detail: string,
    options: {
      detailZh?: string;
      extra?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.detailZh = options.detailZh;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

export class MalformedRequestError extends ProblemError {
  constructor(detail: string, detailZh = '请求格式错误') {
    super(400, 'malformed-request', 'Malformed request', detail, { detailZh });
  }
}

export class InvalidCursorError extends ProblemError {
  constructor() {
    super(400, 'invalid-cursor', 'Invalid cursor', 'The cursor is malformed or belongs to another list.', {
      detailZh: '分页游标无效或不属于此列表',
    });
  }
}

export class UnauthenticatedError extends ProblemError {
  constructor(detail = 'A valid access token is required.', detailZh = '需要有效的访问令牌') {
    super(401, 'unauthenticated', 'Unauthenticated', detail, {
      detailZh,
      headers: { 'WWW-Authenticate': 'Bearer realm="grant-platform", error="invalid_token"' },
    });
  }
}

export class ForbiddenError extends ProblemError {
  constructor(detail = 'Your role may not do this.', detailZh = '您的角色无权执行此操作') {
    super(403, 'forbidden', 'Forbidden', detail, { detailZh });
  }
}

export class NotFoundError extends ProblemError {
  /** The same answer for "missing" and "not yours", so that existence never leaks. */
  constructor(what = 'resource') {
    super(404, 'not-found', 'Not found', `No such ${what}.`, { detailZh: '资源不存在' });
  }
}

export class MethodNotAllowedError extends ProblemError {
  constructor(allow: string[]) {
    super(405, 'method-not-allowed', 'Method not allowed', `Allowed methods: ${allow.join(', ')}.`, {
      detailZh: `允许的方法：${allow.join(', ')}`,
      headers: { Allow: allow.join(', ') },
    });
  }
}

export class ConflictError extends ProblemError {
  constructor(detail: string, detailZh: string, extra?: Record<string, unknown>) {
    super(409, 'conflict', 'Conflict', detail, { detailZh, extra });
  }
}

export class StaleVersionError extends ProblemError {
  constructor(expected?: number) {
    super(
      409,
      'stale-version',
      'Stale version',
      'The resource was changed by someone else; reload it and retry.',
      {
        detailZh: '数据已被他人修改，请刷新后重试',
        extra: expected === undefined ? {} : { expectedVersion: expected },
      },
    );
  }
}

export class PayloadTooLargeError extends ProblemError {
  constructor(limit: number) {
    super(413, 'payload-too-large', 'Payload too large', `The request body exceeds ${limit} bytes.`, {
      detailZh: `请求体超过 ${limit} 字节`,
      // The rest of the body is never read: tell the client not to reuse the connection.
      headers: { Connection: 'close' },
    });
  }
}

export class UnsupportedMediaTypeError extends ProblemError {
  constructor() {
    super(415, 'unsupported-media-type', 'Unsupported media type', 'Send the body as application/json.', {
      detailZh: '请求体必须为 application/json',
    });
  }
}

export class ValidationError extends ProblemError {
  readonly errors: FieldError[];
  constructor(errors: FieldError[]) {
    super(422, 'validation', 'Validation failed', errors.map((e) => `${e.field}: ${e.message}`).join('; '), {
      detailZh: errors.map((e) => `${e.field}：${e.messageZh}`).join('；'),
      extra: { errors },
    });
    this.errors = errors;
  }
}

/** A rule of the domain refused the request (e.g. publishing a call twice). */
export class RuleViolationError extends ProblemError {
  constructor(slug: string, detail: string, detailZh: string, extra?: Record<string, unknown>) {
    super(422, slug, 'Rule violated', detail, { detailZh, extra });
  }
}

export class TooManyRequestsError extends ProblemError {
  constructor(retryAfterSeconds: number) {
    super(429, 'too-many-requests', 'Too many requests', 'Too many failed attempts; wait and retry.', {
      detailZh: '失败次数过多，请稍后再试',
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

export class ServiceUnavailableError extends ProblemError {
  constructor(detail = 'The service is busy; retry shortly.', cause?: unknown) {
    super(503, 'unavailable', 'Service unavailable', detail, {
      detailZh: '服务繁忙，请稍后重试',
      headers: { 'Retry-After': '1' },
      cause,
    });
  }
}
