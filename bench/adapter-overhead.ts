/**
 * What the adapters cost a user over a hand-written client: the same create (PlacetoPay link,
 * Autocore link, Autocore card charge) through the adapter's layer, and by hand (`raw.ts`: body and
 * auth built with crypto-js), on the same transport — the adapter on `FetchHttpClient` against
 * `fetch`, the adapter on `UndiciHttpClient` against an undici `Agent` — against simulators that
 * answer every request `DELAY_MS` later (their latency fault), as a gateway a little way off does.
 * Reported: p50 latency at concurrency 1, throughput at concurrency 64, and the client's CPU per
 * call (a figure, not a goal). Figures, not assertions.
 *
 *   pnpm build && node bench/dist/adapter-overhead.js
 *
 * Method. The simulators run in a child process (`fixtures/sandbox-server.ts`), so the measured
 * client has its event loop and its CPU time to itself, and each measured run gets an empty
 * sandbox. Runs go adapter, hand-written, hand-written, adapter (ABBA), so drift on a noisy machine
 * weighs on both alike; the two runs of each are pooled. Each client warms up (without the delay)
 * before a case is measured, and each run again before its timed requests. Adapter calls go
 * through `ManagedRuntime.runPromise`, as `createPasarela` runs them.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import { Autocore } from "@pasarela/autocore"
import { Card, Charges, Money, PaymentLinks } from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import { PlacetoPay } from "@pasarela/placetopay"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Raw from "./raw.js"
import {
  isEntryPoint,
  type Measurement,
  percentile,
  progress,
  runAlone,
  type SandboxProcess,
  sorted,
  withSandboxProcess
} from "./support.js"

/** Every answer comes this much later: still quicker than the real gateways (50–300 ms). */
const DELAY_MS = 20

interface Mode {
  readonly concurrency: number
  /** Timed requests per run (two runs per client), after `warmup` untimed ones. */
  readonly requests: number
  readonly warmup: number
}

const LATENCY: Mode = { concurrency: 1, requests: 100, warmup: 10 }
const THROUGHPUT: Mode = { concurrency: 64, requests: 2_000, warmup: 128 }
/** Requests each client makes, without the delay, before a case is measured (JIT warm-up). */
const CASE_WARMUP: Mode = { concurrency: 16, requests: 1_000, warmup: 0 }
/** Each run stops here even if unfinished (its figures then cover what completed). */
const RUN_DEADLINE_MS = 60_000
/** The simulators' limit on one fault rule's `times`. */
const MAX_TIMES_PER_RULE = 1_000

interface Target {
  readonly create: Raw.Create
  readonly close: () => Promise<void>
}

type HttpLayer = Layer.Layer<HttpClient.HttpClient>

/** The adapter's client and the hand-written one on the same transport. */
interface Transport {
  readonly name: string
  readonly http: HttpLayer
  readonly raw: () => Raw.Transport
}

const transports: ReadonlyArray<Transport> = [
  { name: "FetchHttpClient vs fetch", http: FetchHttpClient.layer, raw: Raw.fetchTransport },
  { name: "UndiciHttpClient vs undici Agent", http: UndiciHttpClient.layer, raw: Raw.undiciTransport }
]

interface Case {
  readonly name: string
  /** The simulator's control routes (`/__sandbox/…`), where the latency fault is injected. */
  readonly controlPrefix: string
  readonly adapter: (baseUrl: string, prefix: string, http: HttpLayer) => Promise<Target>
  readonly raw: (prefix: string) => Raw.RawBuilder
}

const amount = Money.make("120000", "COP")
const neutral = (prefix: string, i: number) => ({ ...Raw.linkInput(prefix, i), amount })

/** A layer's services in a runtime of their own; `use` picks the call to make per request. */
const adapterTarget = async <S>(
  layer: Layer.Layer<S, unknown>,
  use: (runtime: ManagedRuntime.ManagedRuntime<S, unknown>) => Promise<(i: number) => Effect.Effect<unknown, unknown>>
): Promise<Target> => {
  const runtime = ManagedRuntime.make(layer)
  const call = await use(runtime)
  return { create: async (i) => void (await runtime.runPromise(call(i))), close: () => runtime.dispose() }
}

const rawTarget = (transport: Transport, baseUrl: string, build: Raw.RawBuilder): Target => {
  const raw = transport.raw()
  return { create: Raw.client(raw, baseUrl, build), close: raw.close }
}

const placetopayLayer = (baseUrl: string, http: HttpLayer) =>
  PlacetoPay.layer({
    login: Raw.credentials.placetopay.login,
    secretKey: Redacted.make(Raw.credentials.placetopay.secretKey),
    baseUrl
  }).pipe(Layer.provide(http))

const autocoreLayer = (baseUrl: string, http: HttpLayer) =>
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
    raw: Raw.placetopayLinks
  },
  {
    name: "Autocore create link",
    controlPrefix: "/__sandbox/autocore",
    adapter: (baseUrl, prefix, http) =>
      adapterTarget(autocoreLayer(baseUrl, http), async (runtime) => {
        const links = await runtime.runPromise(PaymentLinks)
        return (i) => links.create(neutral(prefix, i))
      }),
    raw: Raw.autocoreLinks
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
    raw: Raw.autocoreCharges
  }
]

/** `count` creates from index `from`, `concurrency` at a time, until done or the deadline; how many completed. */
const drive = async (
  create: Raw.Create,
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
        await create(i)
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

/** Makes the next `count` API requests to the simulator under `controlPrefix` answer `DELAY_MS` later. */
const delayAnswers = async (baseUrl: string, controlPrefix: string, count: number) => {
  for (let left = count; left > 0; left -= MAX_TIMES_PER_RULE) {
    const response = await fetch(`${baseUrl}${controlPrefix}/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        route: "*",
        times: Math.min(left, MAX_TIMES_PER_RULE),
        fault: { kind: "latency", ms: DELAY_MS }
      })
    })
    if (!response.ok) throw new Error(`injecting latency answered ${response.status}: ${await response.text()}`)
  }
}

interface RunResult {
  readonly latencies: ReadonlyArray<number>
  readonly elapsedMs: number
  readonly cpuMicros: number
  readonly completed: number
}

let runNumber = 0

/** One run on an empty sandbox: `mode.warmup` creates, then `mode.requests` timed ones, answered late when `delayed`. */
const measuredRun = async (
  sandbox: SandboxProcess,
  c: Case,
  make: (baseUrl: string, prefix: string) => Promise<Target> | Target,
  mode: Mode,
  delayed = true
): Promise<RunResult> => {
  const baseUrl = await sandbox.fresh()
  if (delayed) await delayAnswers(baseUrl, c.controlPrefix, mode.warmup + mode.requests)
  const target = await make(baseUrl, `OVH-${process.pid}-${++runNumber}`)
  try {
    const deadline = performance.now() + RUN_DEADLINE_MS
    await drive(target.create, mode.concurrency, 0, mode.warmup, deadline)
    const latencies: Array<number> = []
    const cpu = process.cpuUsage()
    const start = performance.now()
    const completed = await drive(target.create, mode.concurrency, mode.warmup, mode.requests, deadline, latencies)
    const elapsedMs = performance.now() - start
    const used = process.cpuUsage(cpu)
    return { latencies, elapsedMs, cpuMicros: used.user + used.system, completed }
  } finally {
    await target.close()
  }
}

interface Pooled {
  readonly p50: number
  readonly throughput: number
  readonly cpuPerCall: number
  readonly completed: number
}

const pool = (runs: ReadonlyArray<RunResult>): Pooled => {
  const completed = runs.reduce((n, r) => n + r.completed, 0)
  return {
    p50: percentile(sorted(runs.flatMap((r) => r.latencies)), 50),
    throughput: (completed * 1000) / runs.reduce((t, r) => t + r.elapsedMs, 0),
    cpuPerCall: runs.reduce((t, r) => t + r.cpuMicros, 0) / completed,
    completed
  }
}

/** Adapter, hand-written, hand-written, adapter; each pooled over its two runs. */
const abba = async (sandbox: SandboxProcess, c: Case, transport: Transport, mode: Mode) => {
  const adapter = (baseUrl: string, prefix: string) => c.adapter(baseUrl, prefix, transport.http)
  const raw = (baseUrl: string, prefix: string) => rawTarget(transport, baseUrl, c.raw(prefix))
  const a1 = await measuredRun(sandbox, c, adapter, mode)
  const r1 = await measuredRun(sandbox, c, raw, mode)
  const r2 = await measuredRun(sandbox, c, raw, mode)
  const a2 = await measuredRun(sandbox, c, adapter, mode)
  return { adapter: pool([a1, a2]), raw: pool([r1, r2]) }
}

const ms = (n: number) => `${n.toFixed(1)} ms`
const us = (n: number) => `${Math.round(n)} µs`
const perSecond = (n: number) => `${Math.round(n).toLocaleString("en")} req/s`
const verdict = (met: boolean) => (met ? "met" : "NOT met")
/** A note when a run stopped at its deadline: its figures cover fewer requests. */
const incomplete = (mode: Mode, ...pooled: ReadonlyArray<Pooled>) =>
  pooled.some((p) => p.completed < 2 * mode.requests) ? "; some runs stopped at the deadline" : ""

const measure = async (sandbox: SandboxProcess, c: Case, transport: Transport): Promise<ReadonlyArray<Measurement>> => {
  const name = `${c.name}, ${transport.name}`
  progress(`adapter-overhead: ${name}: warm-up`)
  await measuredRun(sandbox, c, (baseUrl, prefix) => c.adapter(baseUrl, prefix, transport.http), CASE_WARMUP, false)
  await measuredRun(sandbox, c, (baseUrl, prefix) => rawTarget(transport, baseUrl, c.raw(prefix)), CASE_WARMUP, false)
  progress(`adapter-overhead: ${name}: concurrency ${LATENCY.concurrency}`)
  const latency = await abba(sandbox, c, transport, LATENCY)
  progress(`adapter-overhead: ${name}: concurrency ${THROUGHPUT.concurrency}`)
  const throughput = await abba(sandbox, c, transport, THROUGHPUT)
  const latencyRatio = latency.adapter.p50 / latency.raw.p50
  const throughputRatio = throughput.adapter.throughput / throughput.raw.throughput
  return [
    {
      name: `${name}: c=${LATENCY.concurrency} p50, adapter/hand-written`,
      value: latencyRatio,
      unit: "×",
      notes: `${ms(latency.adapter.p50)} vs ${ms(latency.raw.p50)}; goal ≤ 1.05×: ${verdict(latencyRatio <= 1.05)}${incomplete(LATENCY, latency.adapter, latency.raw)}`
    },
    {
      name: `${name}: c=${THROUGHPUT.concurrency} throughput, adapter/hand-written`,
      value: throughputRatio,
      unit: "×",
      notes: `${perSecond(throughput.adapter.throughput)} vs ${perSecond(throughput.raw.throughput)}; goal ≥ 0.95×: ${verdict(throughputRatio >= 0.95)}${incomplete(THROUGHPUT, throughput.adapter, throughput.raw)}`
    },
    {
      name: `${name}: client CPU per call, adapter`,
      value: latency.adapter.cpuPerCall,
      unit: "µs",
      notes: `at c=${LATENCY.concurrency}; hand-written ${us(latency.raw.cpuPerCall)}; at c=${THROUGHPUT.concurrency} ${us(throughput.adapter.cpuPerCall)} vs ${us(throughput.raw.cpuPerCall)}`
    }
  ]
}

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = withSandboxProcess(async (sandbox) => {
  const rows: Array<Measurement> = []
  for (const c of cases) for (const transport of transports) rows.push(...(await measure(sandbox, c, transport)))
  return rows
})

if (isEntryPoint(import.meta.url)) runAlone(run)
