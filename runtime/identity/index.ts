export { hashPassword, verifyPassword } from './password'
export {
  createUser,
  validateNewUser,
  MIN_PASSWORD_LENGTH,
  type CreateUserOptions,
  type NewUser,
} from './create-user'
export { currentUserColumns, toCurrentUser, type CurrentUserRow } from './current-user-row'
export {
  endUserSessions,
  hashToken,
  login,
  logout,
  resolveSession,
  resolveSessionByHash,
  SESSION_TTL_MS,
} from './sessions'
export {
  announceIdentityChange,
  createSessionResolver,
  forgetInThisProcess,
  IDENTITY_CHANNEL,
  type IdentityChange,
  type SessionResolver,
} from './session-cache'
export {
  API_TOKEN_PREFIX,
  createApiToken,
  isApiToken,
  listApiTokens,
  resolveApiTokenByHash,
  revokeApiToken,
  touchApiToken,
  type ApiTokenInfo,
  type NewApiToken,
} from './api-tokens'
export { changeOwnPassword, setUserPassword, validateNewPassword } from './change-password'
export { setOwnPreferences, toOwnPreferences, type OwnPreferences } from './own-preferences'
export {
  countLoginAttempt,
  forgiveLoginAttempt,
  LOGIN_MAX_FAILURES,
  LOGIN_MAX_PER_ADDRESS,
  LOGIN_MAX_PER_USERNAME,
  LOGIN_WINDOW_MS,
  loginThrottleKeys,
  passwordThrottleKeys,
  sweepLoginAttempts,
  type CountedAttempt,
  type LoginThrottleOptions,
  type ThrottleKey,
} from './login-throttle'
export { ACCESS_REFUSAL_TEXTS, administratorsOnly, signInFirst } from './access-refusal-texts'
