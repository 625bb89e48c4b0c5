export { loadApiContract } from './api-contract.js';
export { contractRequestOf } from './contract-request.js';
export type {
  ApiContract,
  ApiContractOptions,
  ContractRequest,
  ContractResponse,
  OperationMatch,
} from './types.js';
export { type ContractVendor, vendorContract } from './vendor-contracts.js';
