import cliProgress from 'cli-progress';

/** Progress of a long command: a bar on a terminal, nothing when stderr is a pipe or a file. */
export interface Progress {
  tick(by?: number): void;
  stop(): void;
}

/**
 * A progress bar on stderr (stdout stays clean for `--json` and pipes). Shown only when stderr
 * is a terminal, so logs and CI output do not fill with redraws.
 * @example
 * const progress = progressBar('Replaying', letters.length);
 * for (const l of letters) { await replay(l); progress.tick(); }
 * progress.stop();
 */
export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!stream.isTTY || total <= 1) return { tick: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {value}/{total} {percentage}% | eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    tick: (by = 1) => bar.increment(by),
    stop: () => bar.stop(),
  };
}
