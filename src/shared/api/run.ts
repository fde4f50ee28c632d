import { op } from './op'

// Operations of the "run" domain (filled in by its owner).
export const runOps = {} as const satisfies Record<string, ReturnType<typeof op>>
