// `npm start` runs the hub. The hub package (@patchbay/hub) is not in this tree yet: say so
// plainly and fail, rather than start something that only looks like the hub.
import { existsSync } from 'node:fs';

const hubEntry = new URL('../packages/hub/src/main.ts', import.meta.url);
if (!existsSync(hubEntry)) {
  console.error('patchbay: the hub service (packages/hub) is not built yet; today this repository holds');
  console.error('the client kernel (@patchbay/core) and the test kit (@patchbay/testing). Run `npm test`.');
  process.exit(1);
}
await import('tsx/esm/api').then(({ register }) => register());
await import(hubEntry.href);
