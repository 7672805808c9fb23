/**
 * The names of settings whose value is a credential, shared by the
 * detectors (secrets.ts) and the pre-check of src/service/_secret-guard.ts.
 * A module of its own so that the pre-check, which `store` runs on every
 * write, does not load the detectors (secrets.ts, ~25 KB) with it.
 */

/** Names of settings whose value is a credential (`.env`, YAML, JSON, shell), as a regex source. */
export const SECRET_KEY_NAME =
  /(?:[A-Za-z0-9]+[_.-])*(?:api[_-]?key|apikey|secret(?:[_-]?key)?|client[_-]?secret|access[_-]?key(?:[_-]?id)?|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|bearer[_-]?token|token|passwd|password|pwd|credentials?)(?:[_-][A-Za-z0-9]+)*/
    .source;
