// The small logger interface the HTTP layer writes to (unexpected errors, lifecycle), injected through config.
// design.md "http" layer; style.md: unknown errors are logged, never echoed to the client.

export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  error(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
}

/** Drops everything: for tests that do not look at the log. */
export const silentLogger: Logger = {
  error: () => {},
  info: () => {},
};

/**
 * One JSON object per line on the given stream (stderr by default, so stdout stays free for machine output).
 * `includeInfo: false` keeps only errors.
 */
export function createJsonLineLogger(
  stream: NodeJS.WritableStream = process.stderr,
  options: { includeInfo?: boolean } = {},
): Logger {
  const includeInfo = options.includeInfo ?? true;
  const write = (level: 'error' | 'info', message: string, fields: LogFields = {}): void => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
  };
  return {
    error: (message, fields) => write('error', message, fields),
    info: (message, fields) => {
      if (includeInfo) write('info', message, fields);
    },
  };
}

/** Plain, log-safe description of a thrown value (name, message, stack) for the server log only. */
export function describeThrown(error: unknown): LogFields {
  if (error instanceof Error)
    return { errorName: error.name, errorMessage: error.message, stack: error.stack };
  return { thrown: String(error) };
}
