export {
  FAKE_SLACK_TOKEN,
  type FakeSlack,
  type FakeSlackExchange,
  type FakeSlackOptions,
  startFakeSlack,
} from './fake-slack.js';
export type { FakeSlackFailOptions, FakeSlackFaultOptions } from './faults.js';
export {
  defaultSlackSeed,
  type FakeSlackChannel,
  type FakeSlackMessage,
  type FakeSlackSeed,
  type FakeSlackUser,
  SEED_IDS as SLACK_SEED_IDS,
} from './seed.js';
