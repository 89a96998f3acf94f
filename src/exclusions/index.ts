export { loadExclusionsFile, parseExclusionsText } from './load.js';
export { ExclusionFileError, type ExclusionFileProblem } from './errors.js';
export { createExclusionEvaluator, createNoExclusionsEvaluator, isExpired, type ExclusionEvaluatorOptions } from './evaluator.js';
export { exclusionsForRule, unknownRuleNames, type RuleScope } from './scope.js';
export { exclusionFileSchema, type ExclusionEntry, type ExclusionFile, type Condition } from './schema.js';
