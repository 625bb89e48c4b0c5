import { type Logger, pino } from 'pino';

export type { Logger };

/** Paths pino scrubs as a second line of defence; the kernel redacts before it logs. */
const REDACT_PATHS = [
  'headers.authorization',
  'headers.cookie',
  'headers["proxy-authorization"]',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
];

let root: Logger | undefined;

/** The process-wide root logger; level from `PATCHBAY_LOG_LEVEL` (default `info`). */
export function rootLogger(): Logger {
  root ??= pino({
    level: process.env.PATCHBAY_LOG_LEVEL ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '***' },
  });
  return root;
}

/** The logger of one integration: `patchbay.integration.<name>` (seed 000's namespace). */
export function integrationLogger(name: string, parent: Logger = rootLogger()): Logger {
  return parent.child({ name: `patchbay.integration.${name}` });
}
