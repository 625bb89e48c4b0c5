export {
  type FakeTransactions,
  type FakeTransactionsOptions,
  startFakeTransactions,
} from './fake-transactions.js';
export type { FakeDraft, FakeTransaction, FakeTransactionSeed } from './payments-records.js';
export type { SignatureRejection } from './signature-check.js';
