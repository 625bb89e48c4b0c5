import { RedisStore } from '@patchbay/core';

/** A RedisStore that answered within 2 s, or undefined (benches then skip their Redis parts). */
export async function connectRedis(url: string, keyPrefix: string): Promise<RedisStore | undefined> {
  const store = new RedisStore({ url, keyPrefix });
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(resolve, 2_000, 'timeout').unref());
  const answer = await Promise.race([
    store.now().then(
      () => 'ok' as const,
      () => 'error' as const,
    ),
    timeout,
  ]);
  if (answer === 'ok') return store;
  await store.close().catch(() => {});
  return undefined;
}
