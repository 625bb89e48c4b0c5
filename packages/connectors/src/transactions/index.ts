export { TRANSACTIONS_ENV, type TransactionsConfig, transactionsConfig } from './config.js';
export { Currency, MinorUnits } from './fields.js';
export { commitIdempotencyKey } from './operations/commit.js';
export {
  Draft as TransactionDraft,
  TransactionStatus,
  TransactionSummary,
} from './results.js';
export { transactionsIntegration } from './transactions.js';
export { explainPaymentsError } from './transactions-errors.js';
