/**
 * Error codes of the gateway (all prefixed GW_). Config problems are refused before anything
 * serves; proxy failures become 502/504 JSON answers, never thrown to the client.
 */
export const GatewayErrorCode = {
  /** The config file is valid YAML/JSON but breaks a rule the schema cannot say (unknown upstream, duplicate id…). */
  CONFIG: 'GW_CONFIG',
  /** The admin API would listen beyond loopback without a token. */
  ADMIN_UNSAFE: 'GW_ADMIN_UNSAFE',
  /** A TLS certificate or key file cannot be read. */
  TLS_FILE: 'GW_TLS_FILE',
  /** An admin change names a route that does not exist or a value out of range. */
  ADMIN_CHANGE: 'GW_ADMIN_CHANGE',
  /** The diff store cannot be opened or written. */
  DIFF_STORE: 'GW_DIFF_STORE',
  /** Admin API: the bearer token is missing or wrong. */
  ADMIN_AUTH: 'GW_ADMIN_AUTH',
  /** Admin API: a query or body it cannot take (validation, bad JSON, wrong media type). */
  ADMIN_REQUEST: 'GW_ADMIN_REQUEST',
  /** Admin API: no such route or endpoint. */
  ADMIN_NOT_FOUND: 'GW_ADMIN_NOT_FOUND',
  /** The rollout state file cannot be read or is not one. */
  ROLLOUT_STATE: 'GW_ROLLOUT_STATE',
  /** A rollout action (pause, resume, promote, abort) names a route without a rollout or does not apply in its phase. */
  ROLLOUT_ACTION: 'GW_ROLLOUT_ACTION',
  /** Admin API: a bug, logged with the request id and answered without detail. */
  ADMIN_INTERNAL: 'GW_ADMIN_INTERNAL',
  /** Replay: the records cannot be read (no such file or folder, a line that is not a DiffRecord, a bad Postgres URL). Exit 2. */
  REPLAY_INPUT: 'GW_REPLAY_INPUT',
  /** Replay: an option it cannot use (target or baseline not an http(s) URL, a bad header, concurrency or rate out of range). Exit 2. */
  REPLAY_OPTION: 'GW_REPLAY_OPTION',
} as const;

export type GatewayErrorCodeValue = (typeof GatewayErrorCode)[keyof typeof GatewayErrorCode];
