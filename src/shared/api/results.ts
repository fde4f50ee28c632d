import { op } from './op'

// Operations of the "results" domain (filled in by its owner).
export const resultsOps = {} as const satisfies Record<string, ReturnType<typeof op>>
