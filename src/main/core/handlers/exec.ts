import type { DomainHandlers } from './types'
import type { execOps } from '../../../shared/api/exec'

export const execHandlers: DomainHandlers<typeof execOps> = {}
