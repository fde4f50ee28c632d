import type { DomainHandlers } from './types'
import type { executionsOps } from '../../../shared/api/executions'

export const executionsHandlers: DomainHandlers<typeof executionsOps> = {}
