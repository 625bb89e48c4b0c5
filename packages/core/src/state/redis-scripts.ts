import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run with EVALSHA, falling back to EVAL (which also caches it) when the server does
 * not know it yet, e.g. after a restart or SCRIPT FLUSH. Done by hand rather than with ioredis's
 * `defineCommand` so a client passed in by the caller is not given extra methods.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, key: string, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, 1, key, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(this.source, 1, key, ...args);
    }
  }
}

// Every script touches one key (KEYS[1]), so each is atomic on its own and would run on a cluster.
// An entry (value, counter, lock) is a hash { value, version }; a TTL argument of 0 means "none".

/** ARGV: value, ttlMs. A plain write still bumps the version, as MemoryStore does. */
export const SET = new LuaScript(`
redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'value', ARGV[1])
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) else redis.call('PERSIST', KEYS[1]) end
return 1
`);

/** ARGV: by, ttlMs. The TTL is set only by the write that creates the counter. Returns the new value. */
export const INCREMENT = new LuaScript(`
local created = redis.call('EXISTS', KEYS[1]) == 0
local value = redis.call('HINCRBYFLOAT', KEYS[1], 'value', ARGV[1])
redis.call('HINCRBY', KEYS[1], 'version', 1)
if created and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return value
`);

/**
 * ARGV: value, expectedVersion ('' for "only if absent"), ttlMs.
 * Returns {1, newVersion} or {0, currentValue|nil, currentVersion|nil}.
 */
export const COMPARE_AND_SET = new LuaScript(`
local current = redis.call('HMGET', KEYS[1], 'value', 'version')
local version = tonumber(current[2])
local expected = tonumber(ARGV[2])
if version ~= expected then return {0, current[1], current[2]} end
local next = redis.call('HINCRBY', KEYS[1], 'version', 1)
redis.call('HSET', KEYS[1], 'value', ARGV[1])
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
return {1, next}
`);

/**
 * ARGV: token, ttlMs. SET NX PX in effect, but the lock is an ordinary entry (a hash whose value is
 * the token), as in MemoryStore: a key holding a value counts as locked and get() reads the token.
 */
export const ACQUIRE_LOCK = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'value', ARGV[1], 'version', 1)
if tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`);

/** ARGV: token. Compare-and-delete, so a holder whose lock expired cannot free its successor's. */
export const RELEASE_LOCK = new LuaScript(`
if redis.call('HGET', KEYS[1], 'value') == ARGV[1] then return redis.call('UNLINK', KEYS[1]) end
return 0
`);

/**
 * ARGV: capacity, refillPerSecond, count. Must stay equivalent to takeFromBucket in
 * memory-store.ts. The clock is the server's TIME, so clients with skewed clocks share one bucket.
 * Fractions are returned as strings because Redis truncates Lua numbers to integers.
 * Returns {granted 0|1, remaining, waitMs ('inf' when the bucket never refills)}.
 */
export const TAKE_TOKENS = new LuaScript(`
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local count = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'updatedAt')
local tokens = tonumber(state[1]) or capacity
local updatedAt = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - updatedAt) * rate / 1000)
local granted = 0
local wait = '0'
if tokens >= count then
  tokens = tokens - count
  granted = 1
elseif rate > 0 then
  wait = tostring(math.ceil((count - tokens) * 1000 / rate))
else
  wait = 'inf'
end
redis.call('HSET', KEYS[1], 'tokens', tokens, 'updatedAt', now)
-- An idle bucket vanishes once it would be full again: re-created full, it is the same bucket.
if rate > 0 then
  redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) * 1000 / rate) + 1000)
else
  redis.call('PERSIST', KEYS[1])
end
return {granted, string.format('%.17g', tokens), wait}
`);

/** ARGV: untilMs (integer epoch ms). Raises the mark, never lowers it; the key expires at the mark. */
export const PAUSE_UNTIL = new LuaScript(`
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[1])
  return 1
end
return 0
`);
