/**
 * Whether the simulators slow down as their state grows: creates `SCALING_LINKS` links on each
 * (hand-written undici clients, `CONCURRENCY` at a time, the simulators in a child process as in
 * `adapter-overhead.ts`) and compares the time per create of the first and the last
 * `WINDOW` creates. A ratio near 1 means a create costs the same with an empty sandbox and with
 * thousands of links, spent nonces and records in it: what a long test run or the load test needs.
 *
 *   pnpm build && node bench/dist/sandbox-scaling.js
 */
import type * as Effect from "effect/Effect"
import * as Raw from "./raw.js"
import {
  isEntryPoint,
  type Measurement,
  progress,
  runAlone,
  type SandboxProcess,
  withSandboxProcess
} from "./support.js"

const SCALING_LINKS = 12_000
const WINDOW = 1_000
const CONCURRENCY = 8

/** Milliseconds per create (wall time over the window, `CONCURRENCY` at a time), for creates `from` to `from + count`. */
const timePerCreate = async (create: (i: number) => Promise<void>, from: number, count: number) => {
  let next = from
  const start = performance.now()
  const worker = async () => {
    while (next < from + count) await create(next++)
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  return (performance.now() - start) / count
}

/** `use` with a create function on an empty sandbox. */
const onFreshSandbox = async <A>(
  sandbox: SandboxProcess,
  build: Raw.RawBuilder,
  use: (create: (i: number) => Promise<void>) => Promise<A>
): Promise<A> => {
  const transport = Raw.undiciTransport()
  try {
    return await use(Raw.client(transport, await sandbox.fresh(), build))
  } finally {
    await transport.close()
  }
}

const measure = async (sandbox: SandboxProcess, name: string, build: Raw.RawBuilder): Promise<Measurement> => {
  progress(`sandbox-scaling: ${name}`)
  // JIT warm-up on a sandbox of its own, so the first window is not the simulator's cold start.
  await onFreshSandbox(sandbox, build, (create) => timePerCreate(create, 0, 2 * WINDOW))
  return onFreshSandbox(sandbox, build, async (create) => {
    const first = await timePerCreate(create, 0, WINDOW)
    await timePerCreate(create, WINDOW, SCALING_LINKS - 2 * WINDOW)
    const last = await timePerCreate(create, SCALING_LINKS - WINDOW, WINDOW)
    return {
      name: `simulator scaling: ${name}, last/first ${WINDOW} creates`,
      value: last / first,
      unit: "×",
      notes: `${first.toFixed(3)} → ${last.toFixed(3)} ms per create with ${SCALING_LINKS.toLocaleString("en")} links made; ~1× = flat`
    }
  })
}

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = withSandboxProcess(async (sandbox) => [
  await measure(sandbox, "PlacetoPay create link", Raw.placetopayLinks("SCALE")),
  await measure(sandbox, "Autocore create link", Raw.autocoreLinks("SCALE"))
])

if (isEntryPoint(import.meta.url)) runAlone(run)
