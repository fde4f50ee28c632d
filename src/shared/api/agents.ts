import { op } from './op'

// Operations of the "agents" domain (filled in by its owner).
export const agentsOps = {} as const satisfies Record<string, ReturnType<typeof op>>
