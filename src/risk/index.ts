export { scoreFinding, scoreAll, compareByRisk, riskContextFromConfig } from './score.js';
export {
  type RiskContext,
  type ExposureContext,
  type RepoExposure,
  type RiskWeights,
  type RuleInfo,
  type FactorName,
  DEFAULT_WEIGHTS,
  FACTOR_NAMES,
  SEVERITY_BANDS,
  RiskConfigError,
  resolveWeights,
  severityOf,
} from './types.js';
export { adviseFor, advisedIssuers } from './advice.js';
export { classifyScope, LEVEL_VALUE } from './privilege/index.js';
export { NHI_TITLES, CONTROL_TITLES } from './nhi.js';
export { issuerName, tokenTypeName } from './labels.js';
