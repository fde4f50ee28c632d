#!/usr/bin/env node
import { serve } from './serve'

// `kanade-console <command>`: serve (headless console), sim (fleet simulator), demo, bench.

const USAGE = `usage: kanade-console <command> [options]

commands:
  serve    run the console headless (HTTP dashboard + /api)
           --nats-url URL[,URL]  --bind HOST:PORT  --data-dir DIR  --db FILE
           --config backend.toml  --review FILE (read-only offline review)
`

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2)
  switch (command) {
    case 'serve':
      return serve(rest)
    case undefined:
    case 'help':
    case '--help':
      console.log(USAGE)
      return
    default:
      console.error(`kanade-console: unknown command "${command}"\n\n${USAGE}`)
      process.exit(2)
  }
}

main().catch((e) => {
  console.error(`kanade-console: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
