import { z } from 'zod';
import { APPROVAL_SETTINGS } from '../approvals/approval-settings.js';
import { parseMasterKey } from '../secrets/master-key.js';

/** The hub's own settings, typed; times as the seeds give them (seconds), sizes in bytes. */
export interface HubSettings {
  /** `HOST`. @default '127.0.0.1' */
  host: string;
  /** `PORT`; 0 picks a free port. @default 8080 */
  port: number;
  /** `PATCHBAY_DATA_DIR`, absolute (resolved against the working directory). @default './data' */
  dataDir: string;
  /** `DATABASE_URL`: PostgreSQL instead of the embedded SQLite file. */
  databaseUrl: string | undefined;
  /** `REDIS_URL`: shared rate-limit buckets, breaker state, cache, OAuth token lock. */
  redisUrl: string | undefined;
  /** `AMQP_URL`: the RabbitMQ command bus. */
  amqpUrl: string | undefined;
  /** `PATCHBAY_ADMIN_TOKEN`: the first admin token (at least 16 characters). */
  adminToken: string | undefined;
  /** `PATCHBAY_MASTER_KEY`: 32 bytes, base64 or hex; without it a key file under dataDir. */
  masterKey: string | undefined;
  /** `PATCHBAY_LOG_LEVEL`. @default 'info' */
  logLevel: LogLevel;
  /** `INTEGRATION_TIMEOUT`, seconds per attempt, for integrations that declare none (seed 002). */
  integrationTimeout: number | undefined;
  /** `MAX_RETRY_ATTEMPTS`: retries after the first attempt, for integrations that declare none. */
  maxRetryAttempts: number | undefined;
  /** `RATE_LIMIT_PER_MINUTE`, for integrations that declare no rate limit. */
  rateLimitPerMinute: number | undefined;
  /** `PATCHBAY_BODY_LIMIT`: largest request body, bytes (`512kb`, `10mb` accepted). @default 1048576 */
  bodyLimit: number;
  /** `VAULT_ADDR` (seed 003). */
  vaultAddr: string | undefined;
  /** `VAULT_TOKEN`. */
  vaultToken: string | undefined;
  /** `VAULT_NAMESPACE` (Vault Enterprise). */
  vaultNamespace: string | undefined;
  /** `VAULT_MOUNT`: the KV v2 mount that `vault:` references read from. @default 'secret' */
  vaultMount: string;
  /** `PATCHBAY_APPROVAL_REQUIRED`: writes an agent's call needs an admin's approval for (`integration.operation` globs). @default [] */
  approvalRequired: string[];
  /** `PATCHBAY_APPROVAL_TIMEOUT`: seconds such a call waits for a decision. @default 300 */
  approvalTimeout: number;
}

export type HubSettingKey = keyof HubSettings;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One setting: the env variable that sets it, how to validate it, its default. */
export interface SettingSpec {
  env: string;
  /** Takes a string (env) or any file/stored value; its issues' messages say what is expected. */
  schema: z.ZodType;
  default?: unknown;
}

const trimmed = (value: unknown) => (typeof value === 'string' ? value.trim() : value);
const numeric = (value: unknown) =>
  typeof value === 'string' && value.trim() !== '' ? Number(value.trim()) : value;

const integer = (min: number, max: number, what: string) =>
  z.preprocess(numeric, z.number({ error: what }).int({ error: what }).min(min, what).max(max, what));

const text = (what: string) => z.preprocess(trimmed, z.string({ error: what }).min(1, what));

const url = (protocols: readonly string[], what: string) =>
  text(what).refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, what);

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
};
const sizeWhat = 'must be a size in bytes from 1kb to 1gb, like 1048576, 512kb or 10mb';
const size = z.preprocess(
  (value) => {
    if (typeof value !== 'string') return value;
    const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
    const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
    return match?.[1] && unit ? Math.round(Number(match[1]) * unit) : value;
  },
  z
    .number({ error: sizeWhat })
    .int({ error: sizeWhat })
    .min(1024, sizeWhat)
    .max(1024 ** 3, sizeWhat),
);

/** Every hub setting, in the order errors list them. */
export const HUB_SETTINGS: Record<HubSettingKey, SettingSpec> = {
  host: { env: 'HOST', schema: text('must be a host name or address'), default: '127.0.0.1' },
  port: {
    env: 'PORT',
    schema: integer(0, 65535, 'must be an integer 0-65535 (0 picks a free port)'),
    default: 8080,
  },
  dataDir: { env: 'PATCHBAY_DATA_DIR', schema: text('must be a directory path'), default: './data' },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: url(['postgres:', 'postgresql:'], 'must be a postgres:// or postgresql:// URL'),
  },
  redisUrl: { env: 'REDIS_URL', schema: url(['redis:', 'rediss:'], 'must be a redis:// or rediss:// URL') },
  amqpUrl: { env: 'AMQP_URL', schema: url(['amqp:', 'amqps:'], 'must be an amqp:// or amqps:// URL') },
  adminToken: {
    env: 'PATCHBAY_ADMIN_TOKEN',
    schema: z.preprocess(
      trimmed,
      z.string({ error: 'must be a string' }).min(16, 'must be at least 16 characters long'),
    ),
  },
  masterKey: {
    env: 'PATCHBAY_MASTER_KEY',
    schema: text('must be 32 bytes as base64 (44 characters) or hex (64 characters)').refine((value) => {
      try {
        parseMasterKey(value);
        return true;
      } catch {
        return false;
      }
    }, 'must be 32 bytes as base64 (44 characters) or hex (64 characters); generate one with `openssl rand -base64 32`'),
  },
  logLevel: {
    env: 'PATCHBAY_LOG_LEVEL',
    schema: z.preprocess(
      (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
      z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
    ),
    default: 'info',
  },
  integrationTimeout: {
    env: 'INTEGRATION_TIMEOUT',
    schema: z.preprocess(
      numeric,
      z
        .number({ error: 'must be a number of seconds, > 0 and at most 3600' })
        .gt(0, 'must be a number of seconds, > 0 and at most 3600')
        .max(3600, 'must be a number of seconds, > 0 and at most 3600'),
    ),
  },
  maxRetryAttempts: { env: 'MAX_RETRY_ATTEMPTS', schema: integer(0, 20, 'must be an integer 0-20') },
  rateLimitPerMinute: {
    env: 'RATE_LIMIT_PER_MINUTE',
    schema: integer(1, 1_000_000, 'must be an integer 1-1000000'),
  },
  bodyLimit: { env: 'PATCHBAY_BODY_LIMIT', schema: size, default: 1024 * 1024 },
  vaultAddr: { env: 'VAULT_ADDR', schema: url(['http:', 'https:'], 'must be an http:// or https:// URL') },
  vaultToken: { env: 'VAULT_TOKEN', schema: text('must not be empty') },
  vaultNamespace: { env: 'VAULT_NAMESPACE', schema: text('must not be empty') },
  vaultMount: {
    env: 'VAULT_MOUNT',
    schema: text('must be a mount path like secret').refine(
      (value) => /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(value),
      'must be a mount path like secret',
    ),
    default: 'secret',
  },
  approvalRequired: APPROVAL_SETTINGS.approvalRequired,
  approvalTimeout: APPROVAL_SETTINGS.approvalTimeout,
};

export const HUB_SETTING_KEYS = Object.keys(HUB_SETTINGS) as HubSettingKey[];

/** The setting a file or stored key names: its camelCase key or its env name. */
export function settingKeyOf(name: string): HubSettingKey | undefined {
  if (Object.hasOwn(HUB_SETTINGS, name)) return name as HubSettingKey;
  return HUB_SETTING_KEYS.find((key) => HUB_SETTINGS[key].env === name);
}
