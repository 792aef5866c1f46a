/**
 * Durability, measured (figures, not assertions):
 *
 * - inbox throughput: three worker processes on one PostgreSQL, events delivered concurrently
 *   across them, each handled exactly once (checked) — events handled per second;
 * - webhook answer latency while the handler takes 2 s: with the inbox the endpoint answers at once;
 *   without a durable store it answers after the handler;
 * - journal overhead per create: memory-provider links created with no store, embedded (PGlite) and
 *   PostgreSQL.
 *
 * Needs PostgreSQL (`PASARELA_TEST_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/test)
 * for the first two; without one they are reported as skipped.
 *
 *   pnpm build && node bench/dist/durability.js
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { Money, PaymentLinks } from "@pasarela/core"
import { MemoryNotification } from "@pasarela/memory"
import type { Store, StoreError } from "@pasarela/store"
import { EmbeddedStore, PostgresStore } from "@pasarela/store/backends"
import { DEFAULT_URL, dropTables, postgres as postgresServer } from "@pasarela/store/testing"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import { Pasarela } from "pasarela"
import pg from "pg"
import {
  benchModuleArgs,
  isEntryPoint,
  type Measurement,
  mean,
  percentile,
  progress,
  repoRoot,
  runAlone,
  sorted
} from "./support.js"

const URL = process.env.PASARELA_TEST_DATABASE_URL ?? DEFAULT_URL
const SECRET = "bench-webhook-secret"
const EVENTS = 3_000
const SLOW_DELIVERIES = 200

const available = async () => (await postgresServer()).available

const config = (prefix: string, store: boolean) => ({
  merchants: { "hotel-bench": { provider: "memory", secrets: { webhookSecret: "BENCH_WEBHOOK_SECRET" } } },
  ...(store ? { store: { type: "postgres", secrets: { url: "DATABASE_URL" }, tablePrefix: prefix } } : {}),
  events: { concurrency: 16, pollInterval: "50 millis" },
  webhooks: { handlerTimeout: "10 seconds" },
  reconcile: false
})

interface Worker {
  readonly child: ChildProcess
  readonly port: number
}

const spawnWorker = (name: string, env: Record<string, string>) =>
  new Promise<Worker>((resolve, reject) => {
    const child = spawn(process.execPath, benchModuleArgs("fixtures/inbox-worker.ts"), {
      cwd: repoRoot,
      env: { ...process.env, ...env, WORKER_NAME: name, BENCH_WEBHOOK_SECRET: SECRET, DATABASE_URL: URL },
      stdio: ["ignore", "pipe", "inherit"]
    })
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), 60_000)
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const ready = /^ready (\d+)$/.exec(line)
      if (ready === null) return
      clearTimeout(timer)
      resolve({ child, port: Number(ready[1]) })
    })
    child.once("exit", (code) => reject(new Error(`${name} exited (${code})`)))
  })

const stopAll = (workers: ReadonlyArray<Worker>) =>
  Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          if (w.child.exitCode !== null) return resolve()
          w.child.once("exit", () => resolve())
          w.child.kill("SIGTERM")
        })
    )
  )

const notification = (i: number) =>
  JSON.stringify(
    MemoryNotification.signed(Redacted.make(SECRET), {
      id: `pay_${i}.APPROVED`,
      type: "payment.approved",
      subject: { kind: "link", id: `lnk_${i}` },
      reference: `B-${i}`,
      amount: { amount: "120000", currency: "COP" },
      status: "APPROVED",
      merchantId: "hotel-bench",
      occurredAt: "2026-12-05T10:00:00.000Z"
    })
  )

/** POSTs every body, `parallel` at a time, round-robin over the workers; each answer's latency in ms. */
const deliver = async (workers: ReadonlyArray<Worker>, bodies: ReadonlyArray<string>, parallel: number) => {
  const latencies: Array<number> = []
  let next = 0
  const lane = async () => {
    while (next < bodies.length) {
      const i = next++
      const started = performance.now()
      const response = await fetch(
        `http://127.0.0.1:${workers[i % workers.length]!.port}/webhooks/hotel-bench/memory`,
        {
          method: "POST",
          body: bodies[i]!
        }
      )
      await response.arrayBuffer()
      if (response.status !== 200) throw new Error(`delivery answered ${response.status}`)
      latencies.push(performance.now() - started)
    }
  }
  await Promise.all(Array.from({ length: parallel }, lane))
  return latencies
}

/** Journal rows for the events, as if Pasarela had created the links; and the handled table. */
const prepare = async (db: pg.Pool, prefix: string, count: number) => {
  await db.query(`CREATE TABLE IF NOT EXISTS "${prefix}handled" (key text NOT NULL)`)
  for (let i = 0; i < 600; i++) {
    const { rows } = await db.query("select to_regclass($1) as t", [`${prefix}operations`])
    if (rows[0].t !== null) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  for (let start = 0; start < count; start += 500) {
    const values: Array<unknown> = []
    const rows: Array<string> = []
    for (let i = start; i < Math.min(count, start + 500); i++) {
      values.push(`B-${i}`, `lnk_${i}`)
      rows.push(
        `('hotel-bench', 'link', $${values.length - 1}, '120000.00', 'COP', 'succeeded', 1, 'memory', $${values.length}, false, now(), now())`
      )
    }
    await db.query(
      `INSERT INTO "${prefix}operations" (merchant_id, kind, reference, amount, currency, status, attempt, provider, provider_id, open, started_at, updated_at) VALUES ${rows.join(", ")} ON CONFLICT DO NOTHING`,
      values
    )
  }
}

const inbox = async (): Promise<ReadonlyArray<Measurement>> => {
  if (!(await available())) {
    return [{ name: "inbox on PostgreSQL", value: Number.NaN, unit: "", notes: `skipped: no PostgreSQL at ${URL}` }]
  }
  const db = new pg.Pool({ connectionString: URL, max: 4 })
  const prefix = `bench_${process.pid}_`
  const rows: Array<Measurement> = []
  try {
    // Throughput: three processes, every event once, handled exactly once (checked).
    const env = { PREFIX: prefix, CONFIG: JSON.stringify(config(prefix, true)), HANDLER_DELAY_MS: "0" }
    let workers = await Promise.all(["a", "b", "c"].map((name) => spawnWorker(name, env)))
    await prepare(db, prefix, EVENTS)
    progress(`inbox: ${EVENTS} events over 3 workers`)
    const started = performance.now()
    await deliver(
      workers,
      Array.from({ length: EVENTS }, (_, i) => notification(i)),
      48
    )
    for (;;) {
      const { rows: done } = await db.query(`SELECT count(*) AS n FROM "${prefix}inbox" WHERE status = 'done'`)
      if (Number(done[0].n) >= EVENTS) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const seconds = (performance.now() - started) / 1000
    const { rows: handled } = await db.query(
      `SELECT count(*) AS n, count(DISTINCT key) AS keys FROM "${prefix}handled"`
    )
    const once = Number(handled[0].n) === EVENTS && Number(handled[0].keys) === EVENTS
    rows.push({
      name: "inbox on PostgreSQL, 3 worker processes: events handled",
      value: EVENTS / seconds,
      unit: "events/s",
      notes: `${EVENTS} events delivered, stored, claimed and handled in ${seconds.toFixed(1)} s; ${once ? "each exactly once" : "NOT exactly once"}`
    })
    await stopAll(workers)

    // Answer latency with a handler that takes 2 s: the inbox answers before the handler runs.
    const slow = { PREFIX: prefix, CONFIG: JSON.stringify(config(prefix, true)), HANDLER_DELAY_MS: "2000" }
    workers = await Promise.all(["a", "b", "c"].map((name) => spawnWorker(name, slow)))
    const offset = EVENTS
    await prepare(db, prefix, offset + SLOW_DELIVERIES)
    const inboxLatency = sorted(
      await deliver(
        workers,
        Array.from({ length: SLOW_DELIVERIES }, (_, i) => notification(offset + i)),
        16
      )
    )
    await stopAll(workers)
    // The same deliveries without a durable store: the answer waits for the handler.
    const direct = { PREFIX: prefix, CONFIG: JSON.stringify(config(prefix, false)), HANDLER_DELAY_MS: "2000" }
    workers = [await spawnWorker("direct", direct)]
    const directLatency = sorted(
      await deliver(
        workers,
        Array.from({ length: 32 }, (_, i) => notification(offset + SLOW_DELIVERIES + i)),
        16
      )
    )
    await stopAll(workers)
    for (const [label, latency] of [
      ["with the inbox", inboxLatency],
      ["without a store (handler before the answer)", directLatency]
    ] as const) {
      rows.push({
        name: `webhook answer while the handler takes 2 s, ${label}: p50`,
        value: percentile(latency, 50),
        unit: "ms",
        notes: `p99 ${percentile(latency, 99).toFixed(1)} ms over ${latency.length} deliveries`
      })
    }
  } finally {
    await dropTables(URL, prefix)
    await db.end()
  }
  return rows
}

const CREATES = 300

/** Mean time per memory-provider link create, through `Pasarela.layer` with `store`. */
const createLatency = (store: Layer.Layer<Store, StoreError> | undefined) =>
  Effect.gen(function* () {
    const links = yield* PaymentLinks
    const input = (i: number) => ({
      merchantId: "hotel-bench",
      reference: `J-${Date.now()}-${i}`,
      description: "2 nights",
      amount: Money.make("120000", "COP")
    })
    for (let i = 0; i < 30; i++) yield* links.create(input(-i - 1))
    const samples: Array<number> = []
    for (let i = 0; i < CREATES; i++) {
      const started = performance.now()
      yield* links.create(input(i))
      samples.push(performance.now() - started)
    }
    return mean(samples)
  }).pipe(
    Effect.provide(
      Pasarela.layer(
        { merchants: { "hotel-bench": { provider: "memory" } }, reconcile: false },
        store === undefined ? {} : { store }
      )
    ),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map()))
  )

const journal = Effect.gen(function* () {
  const none = yield* createLatency(undefined)
  const embedded = yield* createLatency(EmbeddedStore.layer({}))
  const rows: Array<Measurement> = [
    { name: "link create, memory provider, no store", value: none * 1000, unit: "µs", notes: `mean of ${CREATES}` },
    {
      name: "link create, memory provider, journal on embedded (PGlite)",
      value: embedded * 1000,
      unit: "µs",
      notes: `+${((embedded - none) * 1000).toFixed(0)} µs per create: two statements`
    }
  ]
  if (yield* Effect.promise(available)) {
    const prefix = `benchj_${process.pid}_`
    const postgres = yield* createLatency(PostgresStore.layer({ url: Redacted.make(URL), tablePrefix: prefix }))
    yield* Effect.promise(() => dropTables(URL, prefix))
    rows.push({
      name: "link create, memory provider, journal on PostgreSQL",
      value: postgres * 1000,
      unit: "µs",
      notes: `+${((postgres - none) * 1000).toFixed(0)} µs per create: two statements over loopback`
    })
  }
  return rows
})

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = Effect.gen(function* () {
  const rows = yield* Effect.tryPromise(inbox)
  return [...rows, ...(yield* journal)]
})

if (isEntryPoint(import.meta.url)) runAlone(run)
