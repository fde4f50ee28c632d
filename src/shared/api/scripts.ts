import { op } from './op'

// Operations of the "scripts" domain (filled in by its owner).
export const scriptsOps = {} as const satisfies Record<string, ReturnType<typeof op>>
