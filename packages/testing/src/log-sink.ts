/** What a log sink collected: the raw lines and, when they are JSON, their parsed form. */
export interface LogSink {
  /** Pass as a pino destination: `pino({ level: 'debug' }, sink)`. */
  write(line: string): void;
  /** Every line written, in order. */
  readonly lines: readonly string[];
  /** The lines parsed as JSON objects (lines that are not JSON are skipped). */
  records(): Record<string, unknown>[];
  /** Everything written, as one string: handy for "this secret appears nowhere" checks. */
  text(): string;
}

/**
 * Collects log lines in memory, so a test can assert what was logged (and what was not).
 * @example
 * const sink = logSink();
 * const client = createClient({ name: 'x', baseUrl, logger: pino({ level: 'debug' }, sink) });
 * expect(sink.text()).not.toContain(token);
 */
export function logSink(): LogSink {
  const lines: string[] = [];
  return {
    write(line) {
      lines.push(line);
    },
    lines,
    records() {
      const out: Record<string, unknown>[] = [];
      for (const line of lines) {
        try {
          out.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          // not JSON: skipped by design
        }
      }
      return out;
    },
    text: () => lines.join(''),
  };
}
