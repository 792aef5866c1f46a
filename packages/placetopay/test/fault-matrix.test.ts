/**
 * The fault matrix: every PlacetoPay operation (create, get, disable) against every fault the
 * sandbox injects, through the real adapter over loopback. Each cell asserts the outcome (success
 * after a retry where one is allowed, else the `PaymentError` reason), how many requests reached
 * the simulator, and what happened there — never two links for one reference, a link only where
 * the request was processed — and that the error never claims "nothing happened" when something did.
 *
 * A second table covers failures the simulator cannot produce because they happen before a
 * connection exists (refused, unresolvable host); attempts there are counted at the HTTP client.
 * The tables are PlacetoPay's facts; `FaultMatrix` from `@pasarela/testing` runs them and checks
 * every cell the same way for every adapter.
 *
 * Rules fire once (`times` 1) unless a column says otherwise, so a retried call meets a healthy
 * simulator on its second attempt. Retries use a 1 ms backoff base to stay fast.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect } from "@effect/vitest"
import { Money, PaymentLinks } from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import type { Faults } from "@pasarela/sandbox"
import { Connectivity, FaultMatrix } from "@pasarela/testing"
import { steeredHttpClient } from "@pasarela/testing/node"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { PlacetoPay } from "../src/index.js"
import { Sandbox, sandboxLayer, site1, siteOptions } from "./support.js"

type Operation = "create" | "get" | "disable"
/** The simulator's route for each operation, also the `operation` its errors carry. */
const routeOf = { create: "links.create", get: "links.get", disable: "links.disable" } as const

const { ok, fails } = FaultMatrix
type Cell = FaultMatrix.Cell
type Rule = Omit<Faults.Rule, "route">
type Column = FaultMatrix.FaultColumn<Operation, Rule>

const CALL_TIMEOUT_MS = 500
const callTimeout = Duration.millis(CALL_TIMEOUT_MS)

const column = (
  fault: string,
  rule: Rule,
  create: Cell,
  get: Cell,
  disable: Cell,
  extra: { readonly callTimeout?: Duration.DurationInput } = {}
): Column => ({ fault, rule, cells: { create, get, disable }, ...extra })

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

// ---- before any connection: counted at the client ----

/** `attempts` here are the adapter's attempts; the simulator sees only the one not refused, if any. */
// biome-ignore format: the matrix reads as a table
const transport: ReadonlyArray<FaultMatrix.ConnectionColumn<Operation>> = [
  //  failure                                 plan                    create                                         get                                            disable
  { failure: "connection refused once",       plan: "refuseFirst",    cells: { create: ok(2),                                 get: ok(2),                                    disable: ok(2) } },
  { failure: "connection refused every time", plan: "refuseAll",      cells: { create: fails("ProviderUnavailable", 3, NONE), get: fails("ProviderUnavailable", 3, NONE),    disable: fails("ProviderUnavailable", 3, NONE) } },
  { failure: "host does not resolve",         plan: "unresolvable",   cells: { create: fails("ProviderUnavailable", 3, NONE), get: fails("ProviderUnavailable", 3, NONE),    disable: fails("ProviderUnavailable", 3, NONE) } }
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

// ---- the calls, and what each leaves at the simulator ----

let counter = 0
const newReference = () => `FM-${Date.now().toString(36)}-${counter++}`

const createInput = (reference: string) => ({
  reference,
  description: "fault matrix",
  amount: Money.make("1000", "COP")
})

/** A link made with no faults (the matrix clears the simulator's logs after it). */
const existingLink = Effect.flatMap(PaymentLinks, (links) => links.create(createInput(newReference())))

const linksWithReference = (reference: string) =>
  Effect.flatMap(Sandbox, (sandbox) =>
    Effect.map(sandbox.links, (all) => all.filter((link) => link.reference === reference).length)
  )

const statusOf = (id: string) =>
  Effect.flatMap(Sandbox, (sandbox) => Effect.map(sandbox.links, (all) => all.find((l) => String(l.id) === id)?.status))

/**
 * Each operation as the matrix runs it (with a link made first for get and disable), and what the
 * simulator shows happened: the link exists (create) or is disabled (disable); get only reads.
 */
const matrixOperations: ReadonlyArray<FaultMatrix.Operation<Operation, PlacetoPay.Services | Sandbox>> = [
  {
    name: "create",
    operation: routeOf.create,
    route: routeOf.create,
    prepare: Effect.gen(function* () {
      const links = yield* PaymentLinks
      const reference = newReference()
      return {
        reference,
        path: "/api/payment-link",
        run: links.create(createInput(reference)),
        recorded: linksWithReference(reference)
      }
    }),
    advice: (reference) => [`reference "${reference}"`]
  },
  {
    name: "get",
    operation: routeOf.get,
    route: routeOf.get,
    prepare: Effect.gen(function* () {
      const links = yield* PaymentLinks
      const link = yield* existingLink
      return {
        reference: link.reference,
        path: `/api/payment-link/${link.id}`,
        run: links.get(link.id).pipe(Effect.tap((read) => expect(read.id).toBe(link.id)))
      }
    })
  },
  {
    name: "disable",
    operation: routeOf.disable,
    route: routeOf.disable,
    // The disable answer carries only the id: the adapter reads the link back.
    alsoReaches: [routeOf.get],
    prepare: Effect.gen(function* () {
      const links = yield* PaymentLinks
      const link = yield* existingLink
      return {
        reference: link.reference,
        path: `/api/payment-link/disable/${link.id}`,
        run: links.disable(link.id).pipe(Effect.tap((disabled) => expect(disabled.status).toBe("disabled"))),
        recorded: Effect.map(statusOf(link.id), (status) => (status === "INACTIVE" ? 1 : 0))
      }
    })
  }
]

const faultControls = Effect.map(Sandbox, (sandbox) => sandbox.faults)

for (const [client, http] of httpClients) {
  FaultMatrix.register(`PlacetoPay adapter × sandbox faults (on ${client})`, live(http), {
    provider: "placetopay",
    operations: matrixOperations,
    simulator: faultControls,
    faults: matrix
  })
  FaultMatrix.register(`connections that never happen (on ${client})`, live(http), {
    provider: "placetopay",
    operations: matrixOperations,
    simulator: faultControls,
    connections: { connectivity: Connectivity, columns: transport }
  })
}
