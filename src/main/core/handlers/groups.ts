import type { DomainHandlers } from './types'
import type { groupsOps } from '../../../shared/api/groups'

export const groupsHandlers: DomainHandlers<typeof groupsOps> = {}
