/** Structured JSON logs, one line each; a child per request so keys never leak between requests. */
export interface Log {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Log;
}

export function createLog(
  base: Record<string, unknown> = {},
  sink: (line: string) => void = defaultSink,
): Log {
  const write = (level: string, msg: string, fields?: Record<string, unknown>) =>
    sink(JSON.stringify({ level, time: new Date().toISOString(), msg, ...base, ...fields }));
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLog({ ...base, ...fields }, sink),
  };
}

function defaultSink(line: string): void {
  if (process.env.LOG_LEVEL === 'silent') return;
  process.stdout.write(`${line}\n`);
}
