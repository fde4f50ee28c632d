import { op } from './op'

// Operations of the "exec" domain (filled in by its owner).
export const execOps = {} as const satisfies Record<string, ReturnType<typeof op>>
