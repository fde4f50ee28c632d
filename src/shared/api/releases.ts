import { op } from './op'

// Operations of the "releases" domain (filled in by its owner).
export const releasesOps = {} as const satisfies Record<string, ReturnType<typeof op>>
