export { hashPassword, verifyPassword } from './password'
export {
  createUser,
  validateNewUser,
  MIN_PASSWORD_LENGTH,
  type CreateUserOptions,
  type NewUser,
} from './create-user'
export {
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
  IDENTITY_CHANNEL,
  type IdentityChange,
  type SessionResolver,
} from './session-cache'
