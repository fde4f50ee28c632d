import { op } from './op'

// Operations of the "config" domain (filled in by its owner).
export const configOps = {} as const satisfies Record<string, ReturnType<typeof op>>
