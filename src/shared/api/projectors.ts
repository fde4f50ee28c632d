import { op } from './op'

// Operations of the "projectors" domain (filled in by its owner).
export const projectorsOps = {} as const satisfies Record<string, ReturnType<typeof op>>
