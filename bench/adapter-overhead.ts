/**
 * What the adapters cost over a hand-written client: the same create (PlacetoPay link, Autocore
 * link, Autocore card charge) through the adapter's Effect layer on `UndiciHttpClient` (what
 * `Pasarela.layer` uses), and through raw `undici` with body and auth built with node:crypto
 * (`raw.ts`), against the same sandbox endpoint. Figures, not assertions.
 *
 *   pnpm build && node bench/dist/adapter-overhead.js
 *
 * Compiled, on plain node, as applications run the packages: under tsx's loader the adapters'
 * Effect code runs markedly slower while the raw client barely changes, which would overstate the
 * overhead.
 *
 * Method. The simulators run in a child process (`fixtures/sandbox-server.ts`), so the measured
 * client has its event loop to itself. The sandbox keeps every spent nonce and every link, and some
 * of its work grows with them, so each measured run gets an empty sandbox and both clients make the
 * same number of requests. Runs go adapter, raw, raw, adapter (ABBA), so drift on a noisy machine
 * weighs on both alike; the two runs of each are pooled. Each run warms up first, and every case
 * starts with a long warm-up of both clients (`CASE_WARMUP` requests each): V8 needs thousands of
 * calls to settle the Effect runtime's code, and a server's steady state is what matters. Adapter
 * calls go through `ManagedRuntime.runPromise`, as `createPasarela` does. Client CPU per request
 * (process.cpuUsage) is the client's own cost, whatever the server's. Concurrency 1 is measured
 * three ways: against the simulator as it is (it answers in about a millisecond, so the client's
 * own cost weighs heavily), ABBA as above; the same with the two clients taking turns request by
 * request, so that drift cannot favour either (but each then runs after the other's work, as in an
 * application that does more than call one gateway); and with every answer 20 ms later (the
 * simulator's latency fault), still quicker than the real gateways' 50–300 ms. Last, both clients
 * run without network, on an undici `MockAgent` that answers at once: the adapter's own CPU per call
 * next to the raw client's, free of network and server noise, back to back and with the caches
 * evicted before each call (at concurrency 1 a client waits on the network between calls and
 * comes back to cold caches: that, more than the hot figure, is what its latency pays). And the
 * floor under all of it: what running one waiting effect costs cold, next to a plain promise.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { Autocore } from "@pasarela/autocore"
import { Card, Charges, Money, PaymentLinks } from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import { PlacetoPay } from "@pasarela/placetopay"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"

import { Agent, MockAgent } from "undici"
import { samples } from "./decode.js"
import * as Raw from "./raw.js"
import {
  isEntryPoint,
  type Measurement,
  mean,
  percentile,
  progress,
  runAlone,
  type SandboxProcess,
  sorted,
  withSandboxProcess
} from "./support.js"

/** How a run drives its client; `delayMs`: the simulator answers that much later (its latency fault). */
interface Mode {
  readonly concurrency: number
  /** Requests per measured run (there are two runs per client and mode), and warm-up requests before each. */
  readonly requests: number
  readonly warmup: number
  readonly delayMs?: number
}

const C1: Mode = { concurrency: 1, requests: 300, warmup: 50 }
const C32: Mode = { concurrency: 32, requests: 1_000, warmup: 160 }
/** Concurrency 1 against a simulator answering 20 ms later: still faster than the real gateways (50–300 ms). */
const C1_DELAYED: Mode = { concurrency: 1, requests: 100, warmup: 10, delayMs: 20 }
/** Requests each client makes before a case is measured (JIT warm-up). */
const CASE_WARMUP = 2_000
/** Each run stops here even if unfinished (its figures then cover what completed). */
const RUN_DEADLINE_MS = 30_000

interface Target {
  readonly create: (i: number) => Promise<void>
  readonly close: () => Promise<void>
}

interface Case {
  readonly name: string
  /** The simulator's control routes (`/__sandbox/…`), where faults such as latency are injected. */
  readonly controlPrefix: string
  /** The adapter's call, over undici (default) or the given `HttpClient`. */
  readonly adapter: (baseUrl: string, prefix: string, http?: HttpLayer) => Promise<Target>
  readonly raw: (prefix: string) => Raw.RawBuilder
  /** The endpoint's path and a success answer as the simulator sends it, for the run without network. */
  readonly answer: { readonly path: string; readonly status: number; readonly body: string }
}

const amount = Money.make("120000", "COP")
const neutral = (prefix: string, i: number) => ({ ...Raw.linkInput(prefix, i), amount })

const rawTarget = (baseUrl: string, build: Raw.RawBuilder): Target => {
  const agent = new Agent()
  const client = Raw.client(agent, baseUrl, build)
  return { create: client.create, close: () => agent.close() }
}

/** A layer's services in a runtime of their own; `use` picks the call to make per request. */
const adapterTarget = async <S>(
  layer: Layer.Layer<S, unknown>,
  use: (context: ManagedRuntime.ManagedRuntime<S, unknown>) => Promise<(i: number) => Effect.Effect<unknown, unknown>>
): Promise<Target> => {
  const runtime = ManagedRuntime.make(layer)
  const call = await use(runtime)
  return { create: async (i) => void (await runtime.runPromise(call(i))), close: () => runtime.dispose() }
}

type HttpLayer = Layer.Layer<HttpClient.HttpClient>

const placetopayLayer = (baseUrl: string, http: HttpLayer = UndiciHttpClient.layer) =>
  PlacetoPay.layer({
    login: Raw.credentials.placetopay.login,
    secretKey: Redacted.make(Raw.credentials.placetopay.secretKey),
    baseUrl
  }).pipe(Layer.provide(http))

const autocoreLayer = (baseUrl: string, http: HttpLayer = UndiciHttpClient.layer) =>
  Autocore.layer({
    accessKey: Raw.credentials.autocore.accessKey,
    secretKey: Redacted.make(Raw.credentials.autocore.secretKey),
    cardEncryptionKey: Redacted.make(Raw.credentials.autocore.cardEncryptionKey),
    webhookSecret: Redacted.make("bench-webhook-secret-not-used-here"),
    hotelId: Raw.credentials.autocore.hotelId,
    baseUrl
  }).pipe(Layer.provide(http))

const card = Card.make({
  number: Raw.testCard.number,
  cvv: Raw.testCard.cvv,
  expiryMonth: Number(Raw.testCard.month),
  expiryYear: Number(Raw.testCard.year),
  holderName: Raw.testCard.holder
})

const cases: ReadonlyArray<Case> = [
  {
    name: "PlacetoPay create link",
    controlPrefix: "/__sandbox/placetopay",
    adapter: (baseUrl, prefix, http) =>
      adapterTarget(placetopayLayer(baseUrl, http), async (runtime) => {
        const links = await runtime.runPromise(PaymentLinks)
        return (i) => links.create(neutral(prefix, i))
      }),
    raw: Raw.placetopayLinks,
    answer: { path: "/api/payment-link", status: 201, body: samples.placetopayCreated }
  },
  {
    name: "Autocore create link",
    controlPrefix: "/__sandbox/autocore",
    adapter: (baseUrl, prefix, http) =>
      adapterTarget(autocoreLayer(baseUrl, http), async (runtime) => {
        const links = await runtime.runPromise(PaymentLinks)
        return (i) => links.create(neutral(prefix, i))
      }),
    raw: Raw.autocoreLinks,
    answer: { path: "/v2/links/schedule/", status: 200, body: samples.autocoreLink }
  },
  {
    name: "Autocore card charge",
    controlPrefix: "/__sandbox/autocore",
    adapter: (baseUrl, prefix, http) =>
      adapterTarget(autocoreLayer(baseUrl, http), async (runtime) => {
        const charges = await runtime.runPromise(Charges)
        return (i) =>
          Effect.flatMap(charges.create({ ...neutral(prefix, i), card }), (charge) =>
            charge.outcome === "approved" ? Effect.void : Effect.fail(new Error(`charge ${charge.outcome}`))
          )
      }),
    raw: Raw.autocoreCharges,
    answer: { path: "/v2/virtual-terminal/credit-card", status: 200, body: samples.autocoreChargeApproved }
  }
]

/** Calls per client without network, after as many again to warm up; fewer with caches evicted (each sweep takes a while). */
const WITHOUT_NETWORK_CALLS = 3_000
const COLD_CALLS = 500

/** CPU per call of `create`, `calls` times in a row. */
const cpuPerCall = async (create: (i: number) => Promise<void>, from: number, calls: number) => {
  const cpu = process.cpuUsage()
  for (let i = from; i < from + calls; i++) await create(i)
  const used = process.cpuUsage(cpu)
  return (used.user + used.system) / calls
}

/** More than the CPU's caches hold (allocated on first use): sweeping it leaves them holding nothing of the client's. */
let sweep: Uint8Array | undefined
const evictCaches = () => {
  sweep ??= new Uint8Array(64 * 1024 * 1024)
  for (let i = 0; i < sweep.length; i += 64) sweep[i]!++
}

/**
 * CPU per call of `create` with the caches evicted before each call (the sweep is not counted), as
 * after waiting on the network: what a call costs at concurrency 1 against a real server.
 */
const coldCpuPerCall = async (create: (i: number) => Promise<void>, from: number, calls: number) => {
  let total = 0
  for (let i = from; i < from + calls; i++) {
    evictCaches()
    const cpu = process.cpuUsage()
    await create(i)
    const used = process.cpuUsage(cpu)
    total += used.user + used.system
  }
  return total / calls
}

/**
 * Both clients without network: undici's `MockAgent` answers every request at once, so the figures
 * are each client's own CPU (building, sending through undici, reading, checking), free of the
 * sandbox and the loopback: hot (calls back to back) and cold (caches evicted before each call).
 * Adapter and raw alternate, twice each.
 */
const withoutNetwork = async (c: Case) => {
  const origin = "http://127.0.0.1:9"
  const agent = new MockAgent()
  agent.disableNetConnect()
  agent
    .get(origin)
    .intercept({ path: c.answer.path, method: "POST" })
    .reply(c.answer.status, c.answer.body, { headers: { "content-type": "application/json" } })
    .persist()
  const http = Layer.succeed(HttpClient.HttpClient, UndiciHttpClient.make(agent))
  const target = await c.adapter(origin, "NONET", http)
  const raw = Raw.client(agent, origin, c.raw("NONET"))
  const n = WITHOUT_NETWORK_CALLS
  try {
    await cpuPerCall(target.create, 0, n)
    await cpuPerCall(raw.create, 0, n)
    const a1 = await cpuPerCall(target.create, n, n)
    const r1 = await cpuPerCall(raw.create, n, n)
    const r2 = await cpuPerCall(raw.create, 2 * n, n)
    const a2 = await cpuPerCall(target.create, 2 * n, n)
    const coldA1 = await coldCpuPerCall(target.create, 3 * n, COLD_CALLS)
    const coldR1 = await coldCpuPerCall(raw.create, 3 * n, COLD_CALLS)
    const coldR2 = await coldCpuPerCall(raw.create, 3 * n + COLD_CALLS, COLD_CALLS)
    const coldA2 = await coldCpuPerCall(target.create, 3 * n + COLD_CALLS, COLD_CALLS)
    return {
      adapterMicros: (a1 + a2) / 2,
      rawMicros: (r1 + r2) / 2,
      coldAdapterMicros: (coldA1 + coldA2) / 2,
      coldRawMicros: (coldR1 + coldR2) / 2
    }
  } finally {
    await target.close()
    await agent.close()
  }
}

interface RunResult {
  readonly latencies: ReadonlyArray<number>
  readonly elapsedMs: number
  readonly cpuMicros: number
  readonly completed: number
}

/** `count` creates from index `from`, `concurrency` at a time, until done or the deadline. */
const drive = async (
  target: Target,
  concurrency: number,
  from: number,
  count: number,
  deadline: number,
  latencies?: Array<number>
): Promise<number> => {
  let next = from
  let completed = 0
  let failure: unknown
  const worker = async () => {
    while (failure === undefined && next < from + count && performance.now() < deadline) {
      const i = next++
      const start = performance.now()
      try {
        await target.create(i)
      } catch (error) {
        failure ??= error
        return
      }
      latencies?.push(performance.now() - start)
      completed++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  if (failure !== undefined) throw failure
  return completed
}

let runNumber = 0

/** Makes every API request of the simulator at `baseUrl` answer `ms` later, for the next `times` requests. */
const delayAnswers = async (baseUrl: string, controlPrefix: string, ms: number, times: number) => {
  const response = await fetch(`${baseUrl}${controlPrefix}/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ route: "*", times, fault: { kind: "latency", ms } })
  })
  if (!response.ok) throw new Error(`injecting latency answered ${response.status}: ${await response.text()}`)
}

/** One measured run on an empty sandbox: warm-up, then `mode.requests` timed creates. */
const measuredRun = async (
  sandbox: SandboxProcess,
  make: (baseUrl: string, prefix: string) => Promise<Target> | Target,
  mode: Mode,
  controlPrefix?: string
): Promise<RunResult> => {
  const baseUrl = await sandbox.fresh()
  if (mode.delayMs !== undefined && controlPrefix !== undefined) {
    await delayAnswers(baseUrl, controlPrefix, mode.delayMs, mode.warmup + mode.requests)
  }
  const target = await make(baseUrl, `OVH-${process.pid}-${++runNumber}`)
  try {
    const deadline = performance.now() + RUN_DEADLINE_MS
    await drive(target, mode.concurrency, 0, mode.warmup, deadline)
    const latencies: Array<number> = []
    const cpu = process.cpuUsage()
    const start = performance.now()
    const completed = await drive(target, mode.concurrency, mode.warmup, mode.requests, deadline, latencies)
    const elapsedMs = performance.now() - start
    const used = process.cpuUsage(cpu)
    return { latencies, elapsedMs, cpuMicros: used.user + used.system, completed }
  } finally {
    await target.close()
  }
}

/**
 * Concurrency 1 with the two clients taking turns request by request (adapter first on even turns,
 * raw first on odd ones) against one sandbox: whatever slows the simulator or the machine meanwhile
 * slows both alike. The ratio is the median of each turn's adapter/raw latency.
 */
const interleaved = async (sandbox: SandboxProcess, c: Case, mode: Mode) => {
  const baseUrl = await sandbox.fresh()
  const adapter = await c.adapter(baseUrl, `OVH-${process.pid}-${++runNumber}`)
  const raw = rawTarget(baseUrl, c.raw(`OVH-${process.pid}-${++runNumber}`))
  const timed = async (target: Target, i: number) => {
    const start = performance.now()
    await target.create(i)
    return performance.now() - start
  }
  try {
    for (let i = 0; i < mode.warmup; i++) {
      await adapter.create(i)
      await raw.create(i)
    }
    const ratios: Array<number> = []
    const [adapterLatencies, rawLatencies]: [Array<number>, Array<number>] = [[], []]
    for (let i = mode.warmup; i < mode.warmup + 2 * mode.requests; i++) {
      const [first, second] = i % 2 === 0 ? [adapter, raw] : [raw, adapter]
      const a = await timed(first, i)
      const b = await timed(second, i)
      const [byAdapter, byRaw] = first === adapter ? [a, b] : [b, a]
      adapterLatencies.push(byAdapter)
      rawLatencies.push(byRaw)
      ratios.push(byAdapter / byRaw)
    }
    return {
      paired: percentile(sorted(ratios), 50),
      adapter: percentile(sorted(adapterLatencies), 50),
      raw: percentile(sorted(rawLatencies), 50)
    }
  } finally {
    await adapter.close()
    await raw.close()
  }
}

interface Pooled {
  readonly p50: number
  readonly mean: number
  readonly throughput: number
  readonly cpuPerRequest: number
  readonly completed: number
}

const pool = (runs: ReadonlyArray<RunResult>): Pooled => {
  const latencies = sorted(runs.flatMap((r) => r.latencies))
  const completed = runs.reduce((n, r) => n + r.completed, 0)
  return {
    p50: percentile(latencies, 50),
    mean: mean(latencies),
    throughput: (completed * 1000) / runs.reduce((t, r) => t + r.elapsedMs, 0),
    cpuPerRequest: runs.reduce((t, r) => t + r.cpuMicros, 0) / completed,
    completed
  }
}

/** Adapter, raw, raw, adapter; each pooled over its two runs. */
const abba = async (sandbox: SandboxProcess, c: Case, mode: Mode) => {
  const raw = (baseUrl: string, prefix: string) => rawTarget(baseUrl, c.raw(prefix))
  const adapter = (baseUrl: string, prefix: string) => c.adapter(baseUrl, prefix)
  const a1 = await measuredRun(sandbox, adapter, mode, c.controlPrefix)
  const r1 = await measuredRun(sandbox, raw, mode, c.controlPrefix)
  const r2 = await measuredRun(sandbox, raw, mode, c.controlPrefix)
  const a2 = await measuredRun(sandbox, adapter, mode, c.controlPrefix)
  return { adapter: pool([a1, a2]), raw: pool([r1, r2]) }
}

const ms = (n: number) => `${n.toFixed(3)} ms`
const us = (n: number) => `${Math.round(n)} µs`
const incomplete = (p: Pooled, mode: Mode) =>
  p.completed < 2 * mode.requests ? `; only ${p.completed} of ${2 * mode.requests} in time` : ""

const measureCase = async (sandbox: SandboxProcess, c: Case): Promise<ReadonlyArray<Measurement>> => {
  progress(`adapter-overhead: ${c.name}: warm-up`)
  const warm = { concurrency: 8, requests: CASE_WARMUP, warmup: 0 }
  await measuredRun(sandbox, (baseUrl, prefix) => c.adapter(baseUrl, prefix), warm)
  await measuredRun(sandbox, (baseUrl, prefix) => rawTarget(baseUrl, c.raw(prefix)), warm)
  progress(`adapter-overhead: ${c.name}: concurrency 1`)
  const c1 = await abba(sandbox, c, C1)
  progress(`adapter-overhead: ${c.name}: concurrency 1, taking turns`)
  const turns = await interleaved(sandbox, c, C1)
  progress(`adapter-overhead: ${c.name}: concurrency 1, answers ${C1_DELAYED.delayMs} ms later`)
  const delayed = await abba(sandbox, c, C1_DELAYED)
  progress(`adapter-overhead: ${c.name}: concurrency 32`)
  const c32 = await abba(sandbox, c, C32)
  progress(`adapter-overhead: ${c.name}: without I/O`)
  const noNetwork = await withoutNetwork(c)
  const latencyRatio = c1.adapter.p50 / c1.raw.p50
  const meanRatio = c1.adapter.mean / c1.raw.mean
  const delayedRatio = delayed.adapter.p50 / delayed.raw.p50
  const throughputRatio = c32.adapter.throughput / c32.raw.throughput
  const name = `overhead: ${c.name}`
  return [
    {
      name: `${name}, c=1 p50, adapter`,
      value: c1.adapter.p50,
      unit: "ms",
      notes: `mean ${ms(c1.adapter.mean)}; client CPU ${us(c1.adapter.cpuPerRequest)}/req${incomplete(c1.adapter, C1)}`
    },
    {
      name: `${name}, c=1 p50, raw undici`,
      value: c1.raw.p50,
      unit: "ms",
      notes: `mean ${ms(c1.raw.mean)}; client CPU ${us(c1.raw.cpuPerRequest)}/req${incomplete(c1.raw, C1)}`
    },
    {
      name: `${name}, c=1 latency adapter/raw`,
      value: latencyRatio,
      unit: "×",
      notes: `p50; mean ${meanRatio.toFixed(2)}×; goal ≤ 1.3×: ${latencyRatio <= 1.3 && meanRatio <= 1.3 ? "met" : "NOT met"}`
    },
    {
      name: `${name}, c=1 taking turns, adapter/raw`,
      value: turns.paired,
      unit: "×",
      notes: `median of each turn's ratio; p50 ${ms(turns.adapter)} vs ${ms(turns.raw)}`
    },
    {
      name: `${name}, c=1 answers ${C1_DELAYED.delayMs} ms later, adapter/raw`,
      value: delayedRatio,
      unit: "×",
      notes: `p50 ${ms(delayed.adapter.p50)} vs ${ms(delayed.raw.p50)}; the simulator's latency fault, as from a gateway a little way off${incomplete(delayed.adapter, C1_DELAYED)}`
    },
    {
      name: `${name}, c=32 throughput, adapter`,
      value: c32.adapter.throughput,
      unit: "req/s",
      notes: `client CPU ${us(c32.adapter.cpuPerRequest)}/req${incomplete(c32.adapter, C32)}`
    },
    {
      name: `${name}, c=32 throughput, raw undici`,
      value: c32.raw.throughput,
      unit: "req/s",
      notes: `client CPU ${us(c32.raw.cpuPerRequest)}/req${incomplete(c32.raw, C32)}`
    },
    {
      name: `${name}, c=32 throughput adapter/raw`,
      value: throughputRatio,
      unit: "×",
      notes: `goal ≥ 0.8×: ${throughputRatio >= 0.8 ? "met" : "NOT met"}`
    },
    {
      name: `${name}, CPU per call without network, adapter`,
      value: noNetwork.adapterMicros,
      unit: "µs",
      notes: `undici MockAgent answering at once; raw undici ${noNetwork.rawMicros.toFixed(0)} µs; the difference is the adapter's own work`
    },
    {
      name: `${name}, same with caches cold, adapter`,
      value: noNetwork.coldAdapterMicros,
      unit: "µs",
      notes: `caches evicted before each call, as after a wait on the network; raw undici ${noNetwork.coldRawMicros.toFixed(0)} µs`
    }
  ]
}

/**
 * What any adapter on Effect pays per call at concurrency 1 before doing anything: running one
 * effect that waits once, as a request does (`ManagedRuntime.runPromise`, as `createPasarela`
 * runs calls), with the caches evicted before each run, next to a plain promise that waits the same
 * way. Effect, promise, promise, effect.
 */
const runtimeFloor = async (): Promise<Measurement> => {
  progress("adapter-overhead: the Effect runtime's floor")
  const runtime = ManagedRuntime.make(Layer.empty)
  const wait = Effect.async<void>((resume) => void setImmediate(() => resume(Effect.void)))
  const effect = () => runtime.runPromise(wait)
  const promise = () => new Promise<void>((resolve) => setImmediate(resolve))
  try {
    await cpuPerCall(effect, 0, WITHOUT_NETWORK_CALLS)
    await cpuPerCall(promise, 0, WITHOUT_NETWORK_CALLS)
    const e1 = await coldCpuPerCall(effect, 0, COLD_CALLS)
    const p1 = await coldCpuPerCall(promise, 0, COLD_CALLS)
    const p2 = await coldCpuPerCall(promise, 0, COLD_CALLS)
    const e2 = await coldCpuPerCall(effect, 0, COLD_CALLS)
    return {
      name: "overhead: Effect runtime floor, one waiting effect run with caches cold",
      value: (e1 + e2) / 2,
      unit: "µs",
      notes: `ManagedRuntime.runPromise; a plain promise waiting the same way ${us((p1 + p2) / 2)}: the least an adapter on Effect adds per call at c=1`
    }
  } finally {
    await runtime.dispose()
  }
}

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = withSandboxProcess(async (sandbox) => {
  const rows: Array<Measurement> = []
  for (const c of cases) rows.push(...(await measureCase(sandbox, c)))
  rows.push(await runtimeFloor())
  return rows
})

if (isEntryPoint(import.meta.url)) runAlone(run)
