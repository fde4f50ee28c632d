import { op } from './op'

// Operations of the "health" domain (filled in by its owner).
export const healthOps = {} as const satisfies Record<string, ReturnType<typeof op>>
