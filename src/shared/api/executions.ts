import { op } from './op'

// Operations of the "executions" domain (filled in by its owner).
export const executionsOps = {} as const satisfies Record<string, ReturnType<typeof op>>
