import type { DomainHandlers } from './types'
import type { inventoryOps } from '../../../shared/api/inventory'

export const inventoryHandlers: DomainHandlers<typeof inventoryOps> = {}
