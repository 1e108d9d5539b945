export { advisedIssuers, adviseFor } from './advice.js';
export { issuerName, tokenTypeName } from './labels.js';
export { CONTROL_TITLES, NHI_TITLES } from './nhi.js';
export { classifyScope, LEVEL_VALUE } from './privilege/index.js';
export { compareByRisk, riskContextFromConfig, scoreAll, scoreFinding } from './score.js';
export {
  DEFAULT_WEIGHTS,
  type ExposureContext,
  FACTOR_NAMES,
  type FactorName,
  type RepoExposure,
  RiskConfigError,
  type RiskContext,
  type RiskWeights,
  type RuleInfo,
  resolveWeights,
  SEVERITY_BANDS,
  severityOf,
} from './types.js';
