import { op } from './op'

// Operations of the "inventory" domain (filled in by its owner).
export const inventoryOps = {} as const satisfies Record<string, ReturnType<typeof op>>
