/**
 * Quality checks of handoffs: rules and score (`checkHandoff`), credential
 * detection and redaction (`findSecrets`, `redactSecrets`), token counting
 * (`countTokens`). Importing this module loads neither secretlint nor the
 * tokenizer: both are imported on first use. It does load the rules and
 * their word lists (~15 ms); hot paths that only count tokens import
 * `./tokens.js` directly.
 */
export {
  type CheckInput,
  type CheckOptions,
  type CheckResult,
  checkHandoff,
  DEFAULT_LENGTH_BUDGET,
  DEFAULT_PROFILE,
  type Finding,
} from './check.js';
export { EMPTY_ANSWERS, RATIONALE_MARKERS, STATUS_WORDS, VAGUE_PHRASES } from './lexicon.js';
export {
  PLACEHOLDER_PATTERNS as TEMPLATE_PLACEHOLDERS,
  PROFILES,
  RULES,
  type Rule,
  type RuleContext,
  type RuleFinding,
  SEVERITY_WEIGHTS,
  type Severity,
} from './rules.js';
export {
  type FindSecretsOptions,
  findSecrets,
  isPlaceholder,
  PLACEHOLDER_PATTERNS as SECRET_PLACEHOLDERS,
  redactSecrets,
  SECRET_DETECTORS,
  type SecretDetector,
  type SecretFinding,
} from './secrets.js';
export { countTokens, countTokensCached, tokenUpperBound, withinTokenLimit } from './tokens.js';
