import { hubSuite } from './hub.suite.js';

hubSuite('SQLite', async () => ({}));
