/**
 * Durability across real processes on a real PostgreSQL server: three application processes share
 * one store behind a "load balancer" (deliveries spread over them), one is killed mid-handling, and
 * one is killed after sending a create and before recording its answer.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { MemoryNotification } from "@pasarela/memory"
import { Sandbox } from "@pasarela/sandbox"
import { dropTables, postgres } from "@pasarela/store/testing"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import pg from "pg"
import { configFor, secrets } from "./support/durable.js"

const server = await postgres()
const root = fileURLToPath(new URL("../../..", import.meta.url))
const workerScript = fileURLToPath(new URL("./support/worker.ts", import.meta.url))

interface Worker {
  readonly name: string
  readonly process: ChildProcess
  /** The endpoint's port (`serve`). */
  readonly port: number
  /** Lines printed so far. */
  readonly output: Array<string>
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>
}

/** Starts a worker; resolves once it prints `ready <port>` (`serve`) or at once (`create`). */
const spawnWorker = (mode: "serve" | "create", name: string, env: Record<string, string>): Promise<Worker> => {
  const child = spawn(process.execPath, ["--conditions=@pasarela/source", "--import", "tsx", workerScript, mode], {
    cwd: root,
    env: { ...process.env, ...env, WORKER_NAME: name },
    stdio: ["ignore", "pipe", "pipe"]
  })
  const output: Array<string> = []
  const errors: Array<string> = []
  child.stderr!.on("data", (chunk) => errors.push(String(chunk)))
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  const worker = (port: number): Worker => ({ name, process: child, port, output, exited })
  return new Promise<Worker>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on("line", (line) => output.push(line))
    if (mode === "create") return resolve(worker(0))
    const timer = setTimeout(() => reject(new Error(`${name} did not start: ${errors.join("").slice(-2000)}`)), 60_000)
    lines.on("line", (line) => {
      const ready = /^ready (\d+)$/.exec(line)
      if (ready === null) return
      clearTimeout(timer)
      resolve(worker(Number(ready[1])))
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited (${code}) before it was ready: ${errors.join("").slice(-2000)}`))
    })
  })
}

const stop = async (worker: Worker) => {
  if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill("SIGTERM")
  await worker.exited
}

if (!server.available) {
  describe("durability across processes", () => {
    it.skip(`skipped: ${server.reason}`, () => {})
  })
} else {
  const url = server.url
  const db = new pg.Pool({ connectionString: url, max: 4 })
  const prefixes: Array<string> = []
  const newPrefix = (label: string) => {
    const prefix = `pp_${label}_${process.pid}_${Date.now().toString(36)}_`
    prefixes.push(prefix)
    return prefix
  }
  afterAll(async () => {
    await db.end()
    for (const prefix of prefixes) await dropTables(url, prefix)
  })

  const WEBHOOK_SECRET = "multi-process-webhook-secret"
  const memoryConfig = (prefix: string, handlerTimeoutSeconds: number) => ({
    merchants: { "hotel-mp": { provider: "memory", secrets: { webhookSecret: "MP_WEBHOOK_SECRET" } } },
    store: { type: "postgres", secrets: { url: "DATABASE_URL" }, tablePrefix: prefix },
    // A lease just past the handler's time limit, so a dead worker's events move on quickly.
    events: {
      concurrency: 8,
      pollInterval: "50 millis",
      retryBase: "100 millis",
      lease: `${handlerTimeoutSeconds + 1} seconds`
    },
    webhooks: { handlerTimeout: `${handlerTimeoutSeconds} seconds` },
    reconcile: false
  })

  /** The journal rows the events belong to (as if Pasarela had created the links), and the handled table. */
  const prepare = async (prefix: string, count: number) => {
    await db.query(
      `CREATE TABLE "${prefix}handled" (key text NOT NULL, worker text NOT NULL, at timestamptz DEFAULT now())`
    )
    // The store's own tables come from the first worker's migration; wait for them.
    for (let i = 0; i < 600; i++) {
      const { rows } = await db.query("select to_regclass($1) as t", [`${prefix}operations`])
      if (rows[0].t !== null) break
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const now = new Date()
    for (let start = 0; start < count; start += 500) {
      const values: Array<unknown> = []
      const rows: Array<string> = []
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const n = values.length
        values.push("hotel-mp", `MP-${i}`, `lnk_${i}`, now)
        rows.push(
          `($${n + 1}, 'link', $${n + 2}, '120000.00', 'COP', 'succeeded', 1, 'memory', $${n + 3}, false, $${n + 4}, $${n + 4})`
        )
      }
      await db.query(
        `INSERT INTO "${prefix}operations" (merchant_id, kind, reference, amount, currency, status, attempt, provider, provider_id, open, started_at, updated_at) VALUES ${rows.join(", ")}`,
        values
      )
    }
  }

  const notification = (i: number) =>
    JSON.stringify(
      MemoryNotification.signed(Redacted.make(WEBHOOK_SECRET), {
        id: `pay_${i}.APPROVED`,
        type: "payment.approved",
        subject: { kind: "link", id: `lnk_${i}` },
        reference: `MP-${i}`,
        amount: { amount: "120000", currency: "COP" },
        status: "APPROVED",
        merchantId: "hotel-mp",
        occurredAt: "2026-12-05T10:00:00.000Z"
      })
    )

  /** POSTs every delivery, `parallel` at a time, spread over the workers round-robin. */
  const deliver = async (workers: ReadonlyArray<Worker>, bodies: ReadonlyArray<string>, parallel = 48) => {
    let next = 0
    const statuses: Array<number> = []
    const lane = async () => {
      while (next < bodies.length) {
        const i = next++
        const target = workers[i % workers.length]!
        const response = await fetch(`http://127.0.0.1:${target.port}/webhooks/hotel-mp/memory`, {
          method: "POST",
          body: bodies[i]!
        })
        statuses.push(response.status)
        await response.arrayBuffer()
      }
    }
    await Promise.all(Array.from({ length: parallel }, lane))
    return statuses
  }

  const waitFor = async (query: string, params: Array<unknown>, done: (value: number) => boolean, seconds = 90) => {
    for (let i = 0; i < seconds * 10; i++) {
      const { rows } = await db.query(query, params)
      if (done(Number(rows[0].n))) return Number(rows[0].n)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`gave up waiting: ${query}`)
  }

  const workerEnv = (prefix: string, handler: { delayMs?: number; timeoutSeconds?: number } = {}) => ({
    DATABASE_URL: url,
    PREFIX: prefix,
    MP_WEBHOOK_SECRET: WEBHOOK_SECRET,
    CONFIG: JSON.stringify(memoryConfig(prefix, handler.timeoutSeconds ?? 1)),
    HANDLER_DELAY_MS: String(handler.delayMs ?? 0)
  })

  describe("durability across processes (PostgreSQL)", () => {
    it("three workers, 2,000 events delivered 3 times each, concurrently: each handled exactly once", async () => {
      const prefix = newPrefix("once")
      // Time limits as an application would set them: nothing here is meant to run out.
      const workers = await Promise.all(
        ["a", "b", "c"].map((name) => spawnWorker("serve", name, workerEnv(prefix, { timeoutSeconds: 20 })))
      )
      try {
        const count = 2_000
        await prepare(prefix, count)
        const bodies = Array.from({ length: count * 3 }, (_, i) => notification(i % count))
        const statuses = await deliver(workers, bodies)
        expect(statuses.filter((s) => s !== 200)).toEqual([])
        await waitFor(`SELECT count(*) AS n FROM "${prefix}inbox" WHERE status = 'done'`, [], (n) => n === count)
        const { rows } = await db.query(
          `SELECT count(*) AS handled, count(DISTINCT key) AS keys, count(DISTINCT worker) AS workers FROM "${prefix}handled"`
        )
        expect({ handled: Number(rows[0].handled), keys: Number(rows[0].keys) }).toEqual({
          handled: count,
          keys: count
        })
        // The work was shared, not done by one process.
        expect(Number(rows[0].workers)).toBeGreaterThan(1)
      } finally {
        await Promise.all(workers.map(stop))
      }
    }, 240_000)

    it("a worker killed mid-handling: its events are handled by the others after the lease, none lost or doubled", async () => {
      const prefix = newPrefix("kill")
      const [victim, ...others] = await Promise.all([
        // The victim takes 5 s per event, well within its 15 s limit: killed while it handles.
        spawnWorker("serve", "victim", workerEnv(prefix, { delayMs: 5000, timeoutSeconds: 15 })),
        spawnWorker("serve", "b", workerEnv(prefix, { timeoutSeconds: 15 })),
        spawnWorker("serve", "c", workerEnv(prefix, { timeoutSeconds: 15 }))
      ])
      try {
        const count = 300
        await prepare(prefix, count)
        // Everything goes through the victim's endpoint first; it claims what it can and sits on it.
        const statuses = await deliver(
          [victim!],
          Array.from({ length: count }, (_, i) => notification(i))
        )
        expect(statuses.filter((s) => s !== 200)).toEqual([])
        await waitFor(
          `SELECT count(*) AS n FROM "${prefix}inbox" WHERE owner = $1 AND lease_until > now()`,
          ["victim"],
          (n) => n > 0
        )
        victim!.process.kill("SIGKILL")
        await victim!.exited
        // What the victim held when it died (on a slow machine it may have finished a few before).
        const held = await db.query(`SELECT key FROM "${prefix}inbox" WHERE owner = 'victim' AND status <> 'done'`)
        const heldKeys: Array<string> = held.rows.map((row) => row.key)
        expect(heldKeys.length).toBeGreaterThan(0)
        await waitFor(`SELECT count(*) AS n FROM "${prefix}inbox" WHERE status = 'done'`, [], (n) => n === count)
        const { rows } = await db.query(
          `SELECT count(*) AS handled, count(DISTINCT key) AS keys FROM "${prefix}handled"`
        )
        expect({ handled: Number(rows[0].handled), keys: Number(rows[0].keys) }).toEqual({
          handled: count,
          keys: count
        })
        // Every event the victim died holding was handled once, by another worker, after its lease.
        const takenOver = await db.query(
          `SELECT worker, count(*) AS n FROM "${prefix}handled" WHERE key = ANY($1) GROUP BY worker ORDER BY worker`,
          [heldKeys]
        )
        const byWorker = Object.fromEntries(takenOver.rows.map((row) => [row.worker, Number(row.n)]))
        expect(byWorker.victim).toBeUndefined()
        expect((byWorker.b ?? 0) + (byWorker.c ?? 0)).toBe(heldKeys.length)
      } finally {
        await Promise.all([victim!, ...others].map(stop))
      }
    }, 240_000)

    it("a process killed after sending a create: after restart the operation is unknown and not sent again", async () => {
      const prefix = newPrefix("crash")
      const scope = Effect.runSync(Scope.make())
      try {
        // The sandbox takes the create, then holds its answer long enough for the kill.
        const sandbox = await Effect.runPromise(Scope.extend(Sandbox.serve(), scope))
        await Effect.runPromise(
          sandbox.placetopay.faults.inject({ route: "links.create", fault: { kind: "latency", ms: 20_000 } })
        )
        const config = JSON.stringify({
          ...configFor(sandbox.baseUrl, "http://127.0.0.1:9/webhooks"),
          store: { type: "postgres", secrets: { url: "DATABASE_URL" }, tablePrefix: prefix }
        })
        const env = { DATABASE_URL: url, PREFIX: prefix, CONFIG: config, REFERENCE: "BK-CRASH-1", ...secrets }
        const first = await spawnWorker("create", "first", env)
        const creates = () =>
          Effect.runPromise(sandbox.placetopay.faults.requests).then((all) =>
            all.filter((r) => r.route === "links.create")
          )
        for (let i = 0; i < 600 && (await creates()).length === 0; i++) await new Promise((r) => setTimeout(r, 100))
        expect(await creates()).toHaveLength(1)
        // Killed with the request sent and its answer not yet recorded.
        expect(first.process.exitCode).toBeNull()
        const { rows } = await db.query(`SELECT status FROM "${prefix}operations" WHERE reference = 'BK-CRASH-1'`)
        expect(rows).toEqual([{ status: "in-flight" }])
        first.process.kill("SIGKILL")
        await first.exited
        const second = await spawnWorker("create", "second", env)
        await second.exited
        const answer = JSON.parse(second.output.at(-1)!)
        expect(answer.reason).toBe("OutcomeUnknown")
        expect(answer.message).toContain("nothing was sent again")
        expect(await creates()).toHaveLength(1)
      } finally {
        await Effect.runPromise(Scope.close(scope, Exit.void))
      }
    }, 120_000)
  })
}
