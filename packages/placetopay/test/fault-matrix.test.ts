/**
 * The fault matrix: every PlacetoPay operation (create, get, disable) against every fault the
 * sandbox injects, through the real adapter over loopback. Each cell asserts the outcome (success
 * after a retry where one is allowed, else the `PaymentError` reason), how many requests reached
 * the simulator, and what happened there — never two links for one reference, a link only where
 * the request was processed — and that the error never claims "nothing happened" when something did.
 *
 * A second table covers failures the simulator cannot produce because they happen before a
 * connection exists (refused, unresolvable host); attempts there are counted at the HTTP client.
 *
 * Rules fire once (`times` 1) unless a column says otherwise, so a retried call meets a healthy
 * simulator on its second attempt. Retries use a 1 ms backoff base to stay fast.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import {
  CallOptions,
  Money,
  type PaymentError,
  type PaymentLink,
  PaymentLinks,
  type Reason,
  Router
} from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import type { Faults } from "@pasarela/sandbox"
import { type ConnectionPlan, Connectivity } from "@pasarela/testing"
import { steeredHttpClient } from "@pasarela/testing/node"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import { PlacetoPay } from "../src/index.js"
import { Sandbox, sandboxLayer, site1, siteOptions } from "./support.js"

type Operation = "create" | "get" | "disable"
const operations: ReadonlyArray<Operation> = ["create", "get", "disable"]
const routeOf = { create: "links.create", get: "links.get", disable: "links.disable" } as const

/** What one cell expects. `happened`: the simulator processed the request (a link created, a link disabled). */
interface Cell {
  readonly outcome: "ok" | Reason["_tag"]
  /** Requests that reached the simulator on the operation's route. */
  readonly attempts: number
  readonly happened: boolean
  /** More about the reason, matched with `toMatchObject`. */
  readonly reason?: Record<string, unknown>
}

const ok = (attempts: number): Cell => ({ outcome: "ok", attempts, happened: true })
const fails = (outcome: Reason["_tag"], attempts: number, happened: boolean, reason?: Record<string, unknown>): Cell =>
  reason === undefined ? { outcome, attempts, happened } : { outcome, attempts, happened, reason }

interface Column {
  readonly fault: string
  readonly rule: Omit<Faults.Rule, "route">
  /** A per-call timeout (`CallOptions.withTimeout`), shorter than the adapter's own 10 s. */
  readonly callTimeout?: Duration.DurationInput
  readonly create: Cell
  readonly get: Cell
  readonly disable: Cell
}

const CALL_TIMEOUT_MS = 500
const callTimeout = Duration.millis(CALL_TIMEOUT_MS)

const column = (
  fault: string,
  rule: Column["rule"],
  create: Cell,
  get: Cell,
  disable: Cell,
  extra: { readonly callTimeout?: Duration.DurationInput } = {}
): Column => ({ fault, rule, create, get, disable, ...extra })

const latency = (ms: number) => ({ fault: { kind: "latency", ms } }) as const
const status = (code: 500 | 502 | 503 | 504, times = 1) => ({ times, fault: { kind: "status", status: code } }) as const
const rateLimit = (retryAfterSeconds: number) => ({ fault: { kind: "rateLimit", retryAfterSeconds } }) as const
const fault = (
  kind: "resetBefore" | "resetAfter" | "truncatedBody" | "malformedJson" | "htmlPage" | "contractViolation",
  times = 1
) => ({ times, fault: { kind } }) as const
const clockSkew = (seconds: number) => ({ fault: { kind: "clockSkew", seconds } }) as const

/** The request was processed by the simulator (`happened`), or not. */
const DONE = true
const NONE = false
const timedOut = { detail: `no answer within ${CALL_TIMEOUT_MS} ms after the request was sent` }
const after60s = { retryAfterMillis: 60_000 }
const code103 = { code: "103" }

// biome-ignore format: the matrix reads as a table
const matrix: ReadonlyArray<Column> = [
  //     fault                             rule                      create                                        get                                        disable
  column("latency past the call timeout",  latency(10_000),          fails("OutcomeUnknown", 1, DONE, timedOut),   ok(2),                                     fails("OutcomeUnknown", 1, DONE, timedOut), { callTimeout }),
  column("latency within the timeout",     latency(50),              ok(1),                                        ok(1),                                     ok(1)),
  column("HTTP 500",                       status(500),              fails("OutcomeUnknown", 1, NONE),             ok(2),                                     fails("OutcomeUnknown", 1, NONE)),
  column("HTTP 502",                       status(502),              fails("OutcomeUnknown", 1, NONE),             ok(2),                                     fails("OutcomeUnknown", 1, NONE)),
  column("HTTP 503",                       status(503),              fails("ProviderUnavailable", 1, NONE),        ok(2),                                     fails("ProviderUnavailable", 1, NONE)),
  column("HTTP 504",                       status(504),              fails("OutcomeUnknown", 1, NONE),             ok(2),                                     fails("OutcomeUnknown", 1, NONE)),
  column("HTTP 503 on every attempt",      status(503, 5),           fails("ProviderUnavailable", 1, NONE),        fails("ProviderUnavailable", 3, NONE),     fails("ProviderUnavailable", 1, NONE)),
  column("429, Retry-After 0 s",           rateLimit(0),             fails("RateLimited", 1, NONE),                ok(2),                                     fails("RateLimited", 1, NONE)),
  column("429, Retry-After 60 s (> 5 s)",  rateLimit(60),            fails("RateLimited", 1, NONE, after60s),      fails("RateLimited", 1, NONE, after60s),   fails("RateLimited", 1, NONE, after60s)),
  column("reset before processing",        fault("resetBefore"),     fails("OutcomeUnknown", 1, NONE),             ok(2),                                     fails("OutcomeUnknown", 1, NONE)),
  column("reset after processing",         fault("resetAfter"),      fails("OutcomeUnknown", 1, DONE),             ok(2),                                     fails("OutcomeUnknown", 1, DONE)),
  column("reset on every attempt",         fault("resetAfter", 5),   fails("OutcomeUnknown", 1, DONE),             fails("ProviderUnavailable", 3, NONE),     fails("OutcomeUnknown", 1, DONE)),
  column("truncated body",                 fault("truncatedBody"),   fails("OutcomeUnknown", 1, DONE),             fails("ProtocolViolation", 1, NONE),       fails("OutcomeUnknown", 1, DONE)),
  column("malformed JSON",                 fault("malformedJson"),   fails("OutcomeUnknown", 1, DONE),             fails("ProtocolViolation", 1, NONE),       fails("OutcomeUnknown", 1, DONE)),
  column("text/html page",                 fault("htmlPage"),        fails("OutcomeUnknown", 1, DONE),             fails("ProtocolViolation", 1, NONE),       fails("OutcomeUnknown", 1, DONE)),
  column("contract violation",             fault("contractViolation"), fails("OutcomeUnknown", 1, DONE),           fails("ProtocolViolation", 1, NONE),       fails("OutcomeUnknown", 1, DONE)),
  column("auth clock 10 min ahead",        clockSkew(600),           fails("Authentication", 1, NONE, code103),    fails("Authentication", 1, NONE, code103), fails("Authentication", 1, NONE, code103))
]

// ---- connectivity the simulator cannot fake: the adapter's HTTP client is steered per test ----

/**
 * The matrix runs on both HTTP clients an application may give the adapter: Pasarela's
 * `UndiciHttpClient` (the default) and the platform's `NodeHttpClient.layerUndici`, each
 * steerable into refused connections and DNS failures.
 */
const httpClients = [
  ["UndiciHttpClient", UndiciHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici]
] as const

const adapter = Layer.unwrapEffect(
  Effect.map(Sandbox, (sandbox) =>
    PlacetoPay.layer({
      ...siteOptions(site1, sandbox.baseUrl),
      timeout: "10 seconds",
      retry: { maxAttempts: 3, baseDelay: "1 millis" }
    })
  )
)

const live = (http: Layer.Layer<HttpClient.HttpClient>) =>
  adapter.pipe(Layer.provideMerge(Layer.merge(sandboxLayer(), steeredHttpClient.pipe(Layer.provide(http)))))

// ---- running one cell ----

let counter = 0
const newReference = () => `FM-${Date.now().toString(36)}-${counter++}`

const createInput = (reference: string) => ({
  reference,
  description: "fault matrix",
  amount: Money.make("1000", "COP")
})

/** A link made with no faults, and the simulator's logs cleared after it. */
const existingLink = Effect.gen(function* () {
  const links = yield* PaymentLinks
  const sandbox = yield* Sandbox
  const link = yield* links.create(createInput(newReference()))
  yield* sandbox.faults.clear
  return link
})

const linksWithReference = (reference: string) =>
  Effect.flatMap(Sandbox, (sandbox) =>
    Effect.map(sandbox.links, (all) => all.filter((link) => link.reference === reference).length)
  )

const statusOf = (id: string) =>
  Effect.flatMap(Sandbox, (sandbox) => Effect.map(sandbox.links, (all) => all.find((l) => String(l.id) === id)?.status))

interface Performed {
  readonly result: Either.Either<PaymentLink.PaymentLink, PaymentError>
  /** What the simulator shows: the link exists (create) or is disabled (disable); for get, the call succeeded. */
  readonly happened: boolean
  readonly reference: string
  /** The path the operation POSTs to. */
  readonly path: string
}

/**
 * Runs `operation` (with a link made first for get and disable), `arm` just before it (injecting
 * the fault), and returns its result and what the simulator shows happened.
 */
const perform = <R>(
  operation: Operation,
  arm: Effect.Effect<void, never, R>,
  wrap: <A>(effect: Effect.Effect<A, PaymentError>) => Effect.Effect<A, PaymentError> = (effect) => effect
) =>
  Effect.gen(function* () {
    const links = yield* PaymentLinks
    switch (operation) {
      case "create": {
        const reference = newReference()
        yield* arm
        const result = yield* Effect.either(wrap(links.create(createInput(reference))))
        const count = yield* linksWithReference(reference)
        expect(count, "never two links for one reference").toBeLessThanOrEqual(1)
        return { result, happened: count === 1, reference, path: "/api/payment-link" } satisfies Performed
      }
      case "get": {
        const link = yield* existingLink
        yield* arm
        const result = yield* Effect.either(wrap(links.get(link.id)))
        if (Either.isRight(result)) expect(result.right.id).toBe(link.id)
        return {
          result,
          happened: Either.isRight(result),
          reference: link.reference,
          path: `/api/payment-link/${link.id}`
        } satisfies Performed
      }
      case "disable": {
        const link = yield* existingLink
        yield* arm
        const result = yield* Effect.either(wrap(links.disable(link.id)))
        if (Either.isRight(result)) expect(result.right.status).toBe("disabled")
        return {
          result,
          happened: (yield* statusOf(link.id)) === "INACTIVE",
          reference: link.reference,
          path: `/api/payment-link/disable/${link.id}`
        } satisfies Performed
      }
    }
  })

const expectCell = (cell: Cell, operation: Operation, outcome: Performed) => {
  const { happened, result } = outcome
  if (cell.outcome === "ok") {
    expect(Either.isRight(result), Either.isLeft(result) ? result.left.message : "").toBe(true)
  } else {
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isRight(result)) return
    const error = result.left
    expect(error.reason._tag, error.message).toBe(cell.outcome)
    if (cell.reason !== undefined) expect(error.reason).toMatchObject(cell.reason)
    // Never claim nothing happened when the simulator shows it did; never fail over after it.
    if (happened) {
      expect(error.mayHaveTakenEffect).toBe(true)
      expect(Router.provesNothingHappened(error)).toBe(false)
    }
    if (error.reason._tag === "OutcomeUnknown" && operation === "create") {
      expect(error.reason.advice).toContain(`reference "${outcome.reference}"`)
    }
  }
  if (operation !== "get") expect(happened).toBe(cell.happened)
}

for (const [client, http] of httpClients)
  layer(live(http), { excludeTestServices: true })(
    `fault matrix: PlacetoPay adapter × sandbox faults (on ${client})`,
    (it) => {
      for (const column of matrix) {
        for (const operation of operations) {
          const cell = column[operation]
          const expected = cell.outcome === "ok" ? "succeeds" : `fails ${cell.outcome}`
          it.effect(`${column.fault} × ${operation}: ${expected} after ${cell.attempts} request(s)`, () =>
            Effect.gen(function* () {
              const sandbox = yield* Sandbox
              yield* sandbox.faults.clear
              const route = routeOf[operation]
              const wrap = <A>(effect: Effect.Effect<A, PaymentError>) =>
                column.callTimeout === undefined ? effect : effect.pipe(CallOptions.withTimeout(column.callTimeout))
              const arm = Effect.orDie(sandbox.faults.inject({ ...column.rule, route }))
              const outcome = yield* perform(operation, arm, wrap)
              expectCell(cell, operation, outcome)
              const requests = yield* sandbox.faults.requests
              expect(requests.filter((r) => r.route === route)).toHaveLength(cell.attempts)
              // The fault fired on the first attempt, as many times as the rule allows.
              const fired = yield* sandbox.faults.fired
              expect(fired[0]).toMatchObject({ route, fault: column.rule.fault })
              expect(fired).toHaveLength(Math.min(column.rule.times ?? 1, cell.attempts))
            })
          )
        }
      }
    }
  )

// ---- before any connection: counted at the client ----

interface TransportColumn {
  readonly failure: string
  readonly plan: ConnectionPlan
  /** Requests the adapter attempted on the operation's path. */
  readonly create: Cell
  readonly get: Cell
  readonly disable: Cell
}

/** `attempts` here are the adapter's attempts; the simulator sees only the one not refused, if any. */
// biome-ignore format: the matrix reads as a table
const transport: ReadonlyArray<TransportColumn> = [
  //  failure                                 plan                    create                                         get                                            disable
  { failure: "connection refused once",       plan: "refuseFirst",    create: ok(2),                                 get: ok(2),                                    disable: ok(2) },
  { failure: "connection refused every time", plan: "refuseAll",      create: fails("ProviderUnavailable", 3, NONE), get: fails("ProviderUnavailable", 3, NONE),    disable: fails("ProviderUnavailable", 3, NONE) },
  { failure: "host does not resolve",         plan: "unresolvable",   create: fails("ProviderUnavailable", 3, NONE), get: fails("ProviderUnavailable", 3, NONE),    disable: fails("ProviderUnavailable", 3, NONE) }
]

for (const [client, http] of httpClients)
  layer(live(http), { excludeTestServices: true })(
    `fault matrix: connections that never happen (on ${client})`,
    (it) => {
      for (const column of transport) {
        for (const operation of operations) {
          const cell = column[operation]
          const expected = cell.outcome === "ok" ? "succeeds" : `fails ${cell.outcome}`
          it.effect(`${column.failure} × ${operation}: ${expected} after ${cell.attempts} attempt(s)`, () =>
            Effect.gen(function* () {
              const sandbox = yield* Sandbox
              const connectivity = yield* Connectivity
              yield* connectivity.set("normal")
              yield* sandbox.faults.clear
              const outcome = yield* perform(operation, connectivity.set(column.plan))
              const sent = yield* connectivity.sent
              yield* connectivity.set("normal")
              expectCell(cell, operation, outcome)
              expect(sent.filter((path) => path === outcome.path)).toHaveLength(cell.attempts)
              if (Either.isLeft(outcome.result)) {
                // Provably unsent: nothing happened, so a router may fail over to another provider.
                expect(outcome.result.left.mayHaveTakenEffect).toBe(false)
                expect(Router.provesNothingHappened(outcome.result.left)).toBe(true)
              }
              // The simulator saw only the attempt that got through, if any.
              const reached = (yield* sandbox.faults.requests).filter((r) => r.route === routeOf[operation])
              expect(reached).toHaveLength(cell.outcome === "ok" ? 1 : 0)
            })
          )
        }
      }
    }
  )
