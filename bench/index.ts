/**
 * Every benchmark, one table: `pnpm bench` (add `--load` for the slow router load test, which
 * takes `--links`, `--concurrency`, `--pay-concurrency`, `--warmup` and `--deadline` too;
 * `--only adapter-overhead,memory` runs some modules). It builds first and runs compiled, on plain
 * node, as applications run the packages. Each module also runs alone, compiled or from source:
 *
 *   pnpm build && node bench/dist/<module>.js
 *   pnpm exec tsx --conditions=@pasarela/source bench/<module>.ts   (slower: tsx's loader)
 *
 * Figures only; nothing asserts a timing. The machine line says how busy the host was: on a shared
 * machine, compare ratios measured in one run rather than absolute figures across runs.
 */
import { availableParallelism, loadavg } from "node:os"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { run as adapterOverhead } from "./adapter-overhead.js"
import { run as coldStart } from "./cold-start.js"
import { run as durability } from "./durability.js"
import { run as load } from "./load.js"
import { run as memory } from "./memory.js"
import { run as sandboxScaling } from "./sandbox-scaling.js"
import { hasFlag, type Measurement, progress, table } from "./support.js"

const all: ReadonlyArray<readonly [string, Effect.Effect<ReadonlyArray<Measurement>, unknown>]> = [
  ["memory", memory],
  ["adapter-overhead", adapterOverhead],
  ["cold-start", coldStart],
  ["cli", Effect.promise(() => import("./cli.js")).pipe(Effect.flatMap((cli) => cli.run))],
  ["sandbox-scaling", sandboxScaling],
  ["durability", durability],
  ["load", load]
]

/** `--only a,b` → those modules; otherwise every module, the load test only with `--load`. */
const selected = (argv: ReadonlyArray<string> = process.argv) => {
  const at = argv.findIndex((arg) => arg === "--only" || arg.startsWith("--only="))
  const list = at === -1 ? undefined : argv[at]!.startsWith("--only=") ? argv[at]!.slice(7) : argv[at + 1]
  if (list === undefined) return all.filter(([name]) => name !== "load" || hasFlag("load", argv))
  const names = list.split(",").map((name) => name.trim())
  const unknown = names.filter((name) => !all.some(([known]) => known === name))
  if (unknown.length > 0)
    throw new Error(`--only: no module ${unknown.join(", ")} (known: ${all.map(([n]) => n).join(", ")})`)
  return all.filter(([name]) => names.includes(name))
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error)

const machine = () => `load average ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores`

const main = Effect.gen(function* () {
  const modules = selected()
  const before = machine()
  const rows: Array<Measurement> = []
  let failed = false
  for (const [name, run] of modules) {
    progress(`${name}…`)
    const start = performance.now()
    // Each module in a root fiber of its own: one cannot leave services behind for the next.
    const exit = yield* Effect.promise(() => Effect.runPromiseExit(run))
    if (Exit.isSuccess(exit)) rows.push(...exit.value)
    else {
      failed = true
      const error = Cause.squash(exit.cause)
      rows.push({ name: `${name}: FAILED`, value: Number.NaN, unit: "", notes: describe(error).split("\n")[0]! })
    }
    progress(`${name} done in ${((performance.now() - start) / 1000).toFixed(1)} s`)
  }
  console.log(`Pasarela benchmarks — node ${process.version}; at start ${before}, at end ${machine()}\n`)
  console.log(table(rows))
  if (failed) process.exitCode = 1
})

Effect.runPromise(main).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
