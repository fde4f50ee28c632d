#!/usr/bin/env node
import { serve } from './serve'
import { runSim } from './sim/cli'
import { runDemo } from './sim/demo'

// `kanade-console <command>`: serve (headless console), sim (fleet simulator), demo, bench.

const USAGE = `usage: kanade-console <command> [options]

commands:
  serve    run the console headless (HTTP dashboard + /api)
           --nats-url URL[,URL]  --bind HOST:PORT  --data-dir DIR  --db FILE
           --config backend.toml  --review FILE (read-only offline review)
  demo     the quick start: console + embedded nats-server + 25 simulated agents + samples
           (serve's flags, plus --agents N --seed N --heartbeat 30s)
  sim      simulated kanade 0.30 agents against a broker (sim --help)
           --agents N  --nats URL  --groups canary,wave1,wave2  --heartbeat 30s  --seed 1
  bench    projection benchmark on a fresh embedded nats-server
           [projection] --count 100000  --out bench/results/projection.json
           fanout --agents 5000  --exec-ms 0,500  (exec to all; POST → all results via /api)
  soak     long run: 2,000 agents heartbeating every 5 s, an exec every 30 s; RSS, event loop
           --minutes 10  --agents 2000  --out bench/results/soak.json  (exit 1 if RSS keeps growing)
`

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2)
  switch (command) {
    case 'serve':
      return serve(rest)
    case 'sim':
      return runSim(rest)
    case 'demo':
      return runDemo(rest)
    case 'bench':
      // Loaded on demand: benchmarks are not part of the console itself.
      if (rest[0] === 'fanout') return (await import('../../bench/fanout')).fanoutBenchCli(rest)
      return (await import('../../bench/projection')).projectionBenchCli(rest)
    case 'soak':
      // Loaded on demand, like bench: the long-run memory and event-loop check (issue 10).
      return (await import('../../bench/soak')).soakCli(rest)
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
