import { type Command, CommanderError } from 'commander';
import { EXIT_CODES, errorLine, exitCodeFor, ReportedError, secretValues } from './errors.js';

/**
 * Runs the command and returns its exit code. Failures print one line to stderr (no stack, no
 * secret); commander prints its own usage errors and help.
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<number> {
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_CODES.ok;
  } catch (error) {
    const code = exitCodeFor(error);
    if (!(error instanceof CommanderError) && !(error instanceof ReportedError)) {
      const secrets = [...secretValues(process.env), ...argvSecrets(argv)];
      process.stderr.write(`patchbay: ${errorLine(error, secrets)}\n`);
    }
    return code;
  }
}

/** Values given on the command line that must not be echoed: `--new-key`, the URL's password. */
function argvSecrets(argv: readonly string[]): string[] {
  const values: string[] = [];
  argv.forEach((arg, i) => {
    for (const flag of ['--new-key', '--database-url']) {
      let value: string | undefined;
      if (arg === flag) value = argv[i + 1];
      else if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
      if (value === undefined) continue;
      if (flag === '--new-key') values.push(value.trim());
      else values.push(...secretValues({ DATABASE_URL: value }));
    }
  });
  return values;
}
