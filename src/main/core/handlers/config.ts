import type { DomainHandlers } from './types'
import type { configOps } from '../../../shared/api/config'

export const configHandlers: DomainHandlers<typeof configOps> = {}
