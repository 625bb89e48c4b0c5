import { MemoryStore } from './memory-store.js';
import { stateStoreContract } from './state-store.contract.js';

// A fake clock shared by every store the contract makes: `wait` moves it, nothing really sleeps.
let now = Date.UTC(2030, 0, 1);

stateStoreContract('MemoryStore', () => new MemoryStore(() => now), {
  wait: async (ms) => {
    now += ms;
  },
});
