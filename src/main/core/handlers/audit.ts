import type { DomainHandlers } from './types'
import type { auditOps } from '../../../shared/api/audit'

export const auditHandlers: DomainHandlers<typeof auditOps> = {}
