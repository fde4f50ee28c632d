import type { DomainHandlers } from './types'
import type { healthOps } from '../../../shared/api/health'

export const healthHandlers: DomainHandlers<typeof healthOps> = {}
