import type { DomainHandlers } from './types'
import type { schedulesOps } from '../../../shared/api/schedules'

export const schedulesHandlers: DomainHandlers<typeof schedulesOps> = {}
