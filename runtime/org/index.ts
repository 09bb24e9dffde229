export { assertOrgAdmin, isOrgAdmin } from './assert-org-admin'
export {
  createDepartment,
  deleteDepartment,
  listDepartments,
  updateDepartment,
  type Department,
  type DepartmentPatch,
  type NewDepartment,
} from './departments'
export {
  createOrgUser,
  getOrgUser,
  listOrgUsers,
  resetUserPassword,
  setDepartment,
  setDisabled,
  setManager,
  setRoles,
  updateOrgUser,
  type NewOrgUser,
} from './org-users'
export type { OrgUser } from './org-user-row'
export { parseUserPatch, type UserPatch } from './user-patch'
export {
  createPosition,
  deletePosition,
  listPositions,
  updatePosition,
  type Position,
} from './positions'
export {
  listDirectoryDepartments,
  listDirectoryUsers,
  type DirectoryDepartment,
  type DirectoryUser,
} from './directory'
export { rebuildClosures } from './rebuild-closures'
