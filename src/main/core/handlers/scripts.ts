import type { DomainHandlers } from './types'
import type { scriptsOps } from '../../../shared/api/scripts'

export const scriptsHandlers: DomainHandlers<typeof scriptsOps> = {}
