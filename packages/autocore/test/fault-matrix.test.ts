/**
 * The fault matrix: every Autocore operation (links, card charges, cash orders, gift cards, hotel
 * listing) against every fault the simulator injects, through the real adapter over loopback
 * against `AutocoreSandbox.serve`. Each cell asserts the outcome (success after a retry where one
 * is allowed, else the `PaymentError` reason), how many requests reached the simulator on that
 * route, and what the simulator holds afterwards for the call's reference (`external_ref_id`):
 * never two records, one only where the request was processed, and an error that never claims
 * "nothing happened" (`mayHaveTakenEffect`, `Router.provesNothingHappened`) when something did.
 *
 * A second table covers failures the simulator cannot produce because they happen before a
 * connection exists (refused, unresolvable host); attempts there are counted at the HTTP client.
 * The tables are Autocore's facts; `FaultMatrix` from `@pasarela/testing` runs them and checks
 * every cell the same way for every adapter.
 *
 * Rules fire once (`times` 1) unless a column says otherwise, so a retried call meets a healthy
 * simulator on its second attempt. Retries use a 1 ms backoff base to stay fast. A declined card
 * (a 400 that is a result, not an error) is checked apart from the fault columns, at the end.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { Charges, GiftCards, Money, type PaymentError, PaymentLinks, PaymentOrders } from "@pasarela/core"
import { UndiciHttpClient } from "@pasarela/node"
import { AutocoreSandbox, type Faults } from "@pasarela/sandbox"
import { Connectivity, FaultMatrix, type RecordedSpan, recordingTracer } from "@pasarela/testing"
import { steeredHttpClient } from "@pasarela/testing/node"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import * as Autocore from "../src/Autocore.js"
import { AutocoreHotels } from "../src/Autocore.js"
import { giftCardInput, orderInput } from "./fixtures.js"
import { account, options, sandboxCard } from "./support.js"

type Operation = "links.create" | "charges.create" | "orders.create" | "giftCards.create" | "hotels.list"
const operations: ReadonlyArray<Operation> = [
  "links.create",
  "charges.create",
  "orders.create",
  "giftCards.create",
  "hotels.list"
]

/** The path each operation is sent to (the simulator names its routes like the operations). */
const pathOf: Readonly<Record<Operation, string>> = {
  "links.create": "/v2/links/schedule/",
  "charges.create": "/v2/virtual-terminal/credit-card",
  "orders.create": "/v2/apms/cash",
  "giftCards.create": "/v1/gift-cards",
  "hotels.list": "/v2/hotels"
}

const { ok, fails } = FaultMatrix
type Cell = FaultMatrix.Cell
type Rule = Omit<Faults.Rule, "route">
type Column = FaultMatrix.FaultColumn<Operation, Rule>

const CALL_TIMEOUT_MS = 1_000
const callTimeout = Duration.millis(CALL_TIMEOUT_MS)
const MAX_ATTEMPTS = 3

/** One cell for the four creates (which share every rule) and one for hotel listing. */
const column = (
  fault: string,
  rule: Rule,
  creates: Cell,
  list: Cell,
  extra: { readonly callTimeout?: Duration.DurationInput } = {}
): Column => ({
  fault,
  rule,
  cells: {
    "links.create": creates,
    "charges.create": creates,
    "orders.create": creates,
    "giftCards.create": creates,
    "hotels.list": list
  },
  ...extra
})

/** Clock skew: only the auth-token routes (charges, cash orders, hotels) have a clock to skew. */
const tokenColumn = (fault: string, rule: Rule, cell: Cell): Column => ({
  fault,
  rule,
  cells: {
    "links.create": null,
    "charges.create": cell,
    "orders.create": cell,
    "giftCards.create": null,
    "hotels.list": cell
  }
})

const latency = (ms: number) => ({ fault: { kind: "latency", ms } }) as const
const status = (code: 500 | 502 | 503 | 504, times = 1) => ({ times, fault: { kind: "status", status: code } }) as const
const rateLimit = (retryAfterSeconds: number) => ({ fault: { kind: "rateLimit", retryAfterSeconds } }) as const
const fault = (
  kind: "resetBefore" | "resetAfter" | "truncatedBody" | "malformedJson" | "htmlPage" | "contractViolation",
  times = 1
) => ({ times, fault: { kind } }) as const
const clockSkew = (seconds: number) => ({ fault: { kind: "clockSkew", seconds } }) as const

/** The simulator holds the record (created), or not. */
const DONE = true
const NONE = false
const after60s = { retryAfterMillis: 60_000 }
const expired = { code: "401" }

// biome-ignore format: the matrix reads as a table
const matrix: ReadonlyArray<Column> = [
  //     fault                                 rule                        each create (links, charges, cash orders, gift cards)   hotels.list
  column("latency past the per-call timeout",  latency(10_000),            fails("OutcomeUnknown", 1, DONE),                         ok(2), { callTimeout }),
  column("latency within the timeout",         latency(50),                ok(1),                                                    ok(1)),
  column("HTTP 500",                           status(500),                fails("OutcomeUnknown", 1, NONE),                         ok(2)),
  column("HTTP 502",                           status(502),                fails("OutcomeUnknown", 1, NONE),                         ok(2)),
  column("HTTP 503",                           status(503),                fails("ProviderUnavailable", 1, NONE, { status: 503 }),   ok(2)),
  column("HTTP 504",                           status(504),                fails("OutcomeUnknown", 1, NONE),                         ok(2)),
  column("HTTP 503 on every attempt",          status(503, 5),             fails("ProviderUnavailable", 1, NONE),                    fails("ProviderUnavailable", MAX_ATTEMPTS, NONE, { status: 503 })),
  column("429, Retry-After 0 s",               rateLimit(0),               fails("RateLimited", 1, NONE, { retryAfterMillis: 0 }),   ok(2)),
  column("429, Retry-After 60 s (> 5 s)",      rateLimit(60),              fails("RateLimited", 1, NONE, after60s),                  fails("RateLimited", 1, NONE, after60s)),
  column("reset before processing",            fault("resetBefore"),       fails("OutcomeUnknown", 1, NONE),                         ok(2)),
  column("reset after processing",             fault("resetAfter"),        fails("OutcomeUnknown", 1, DONE),                         ok(2)),
  column("reset on every attempt",             fault("resetAfter", 5),     fails("OutcomeUnknown", 1, DONE),                         fails("ProviderUnavailable", MAX_ATTEMPTS, NONE)),
  column("truncated body",                     fault("truncatedBody"),     fails("OutcomeUnknown", 1, DONE),                         fails("ProtocolViolation", 1, NONE)),
  column("malformed JSON",                     fault("malformedJson"),     fails("OutcomeUnknown", 1, DONE),                         fails("ProtocolViolation", 1, NONE)),
  column("text/html page",                     fault("htmlPage"),          fails("OutcomeUnknown", 1, DONE),                         fails("ProtocolViolation", 1, NONE)),
  column("contract violation",                 fault("contractViolation"), fails("OutcomeUnknown", 1, DONE),                         fails("ProtocolViolation", 1, NONE)),
  // −32 s rather than −31 s: a token built just before a second boundary would be judged 30 s old.
  tokenColumn("auth clock 31 s ahead",         clockSkew(31),              fails("Authentication", 1, NONE, expired)),
  tokenColumn("auth clock 32 s behind",        clockSkew(-32),             fails("Authentication", 1, NONE, expired))
]

// ---- before any connection: counted at the client ----

/** One cell for every operation (creates and hotels.list alike). */
const everyOperation = (cell: Cell): FaultMatrix.Cells<Operation> => ({
  "links.create": cell,
  "charges.create": cell,
  "orders.create": cell,
  "giftCards.create": cell,
  "hotels.list": cell
})

/** `attempts` here are the adapter's attempts; the simulator sees only the one not refused, if any. */
// biome-ignore format: the matrix reads as a table
const transport: ReadonlyArray<FaultMatrix.ConnectionColumn<Operation>> = [
  //  failure                                 plan                    every operation
  { failure: "connection refused once",       plan: "refuseFirst",    cells: everyOperation(ok(2)) },
  { failure: "connection refused every time", plan: "refuseAll",      cells: everyOperation(fails("ProviderUnavailable", MAX_ATTEMPTS, NONE)) },
  { failure: "host does not resolve",         plan: "unresolvable",   cells: everyOperation(fails("ProviderUnavailable", MAX_ATTEMPTS, NONE)) }
]

// ---- the simulator, and connectivity it cannot fake: the adapter's HTTP client is steered per test ----

class Sandbox extends Context.Tag("test/FaultMatrixSandbox")<Sandbox, AutocoreSandbox.AutocoreSandbox>() {}

const sandboxLayer = Layer.scoped(
  Sandbox,
  AutocoreSandbox.serve({ accounts: AutocoreSandbox.defaultAccounts, maxWebhookAttempts: 1 })
).pipe(Layer.orDie)

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
    Autocore.layer(
      options(sandbox.baseUrl, {
        merchantId: "hotel-abc",
        timeout: "10 seconds",
        retry: { maxAttempts: MAX_ATTEMPTS, baseDelay: "1 millis" }
      })
    )
  )
)

// Every failing cell logs "autocore call failed" (checked in logs.test): kept out of the test output.
const live = (http: Layer.Layer<HttpClient.HttpClient>) =>
  adapter.pipe(
    Layer.provideMerge(Layer.merge(sandboxLayer, steeredHttpClient.pipe(Layer.provide(http)))),
    Layer.provideMerge(Logger.minimumLogLevel(LogLevel.Error))
  )

// ---- the calls, and what each leaves at the simulator ----

let counter = 0
const newReference = () => `FM-${Date.now().toString(36)}-${counter++}`

const payer = {
  name: "Jhon",
  surname: "Doe",
  email: "jhon@example.com",
  phone: { callingCode: "+57", number: "3012105687" },
  document: { type: "CC", number: "123456789" },
  address: "Calle 1",
  ip: "181.204.153.195"
}

const chargeInput = (reference: string, number = "4111111111111111") => ({
  reference,
  description: "fault matrix",
  amount: Money.make("1000", "COP"),
  payer,
  card: sandboxCard(number)
})

/** Calls `operation` with a fresh reference; a success is reduced to `true` (only whether it worked matters). */
const call = (
  operation: Operation,
  reference: string
): Effect.Effect<true, PaymentError.PaymentError, Autocore.Services> => {
  switch (operation) {
    case "links.create":
      return Effect.flatMap(PaymentLinks, (links) =>
        links.create({
          reference,
          description: "fault matrix",
          amount: Money.make("1000", "COP"),
          payer: { name: payer.name, surname: payer.surname, email: payer.email, phone: payer.phone }
        })
      ).pipe(Effect.as(true as const))
    case "charges.create":
      return Effect.flatMap(Charges, (charges) => charges.create(chargeInput(reference))).pipe(
        Effect.tap((charge) => expect(charge.outcome).toBe("approved")),
        Effect.as(true as const)
      )
    case "orders.create":
      return Effect.flatMap(PaymentOrders, (orders) => orders.create(orderInput({ reference }))).pipe(
        Effect.as(true as const)
      )
    case "giftCards.create":
      return Effect.flatMap(GiftCards, (giftCards) =>
        giftCards.create(giftCardInput({ reference, notificationUrl: "https://hooks.example.com/autocore" }))
      ).pipe(Effect.as(true as const))
    case "hotels.list":
      return Effect.flatMap(AutocoreHotels, (hotels) => hotels.list({ offset: 0, limit: 10 })).pipe(
        Effect.tap((page) => expect(page.hotels.map((h) => h.id)).toContain(5)),
        Effect.as(true as const)
      )
  }
}

/** Records the simulator holds for `reference` on the operation's route (0 for hotel listing: it creates nothing). */
const recordsFor = (operation: Operation, reference: string) =>
  Effect.flatMap(Sandbox, (sandbox) =>
    Effect.map(sandbox.state, (state) => {
      switch (operation) {
        case "links.create":
          return state.links.filter((l) => l.kind === "link" && l.externalRefId === reference).length
        case "charges.create":
          return state.charges.filter((c) => c.externalRefId === reference).length
        case "orders.create":
          return state.orders.filter((o) => o.externalRefId === reference).length
        case "giftCards.create":
          return state.giftCards.filter((g) => g.externalRefId === reference).length
        case "hotels.list":
          return 0
      }
    })
  )

/** Each operation as the matrix runs it: a fresh reference, and the records it leaves at the simulator. */
const matrixOperations: ReadonlyArray<FaultMatrix.Operation<Operation, Autocore.Services | Sandbox>> = operations.map(
  (operation) => ({
    name: operation,
    route: operation,
    prepare: Effect.sync(() => {
      const reference = newReference()
      const run = call(operation, reference)
      const path = pathOf[operation]
      // Hotel listing creates nothing: there is no record to read.
      return operation === "hotels.list"
        ? { reference, path, run }
        : { reference, path, run, recorded: recordsFor(operation, reference) }
    }),
    // An ambiguous create says which reference to wait for or look up: Autocore has no lookup.
    advice: (reference) => [`external_ref_id "${reference}"`, "webhook", "dashboard"]
  })
)

const faultControls = Effect.map(Sandbox, (sandbox) => sandbox.faults)

for (const [client, http] of httpClients) {
  FaultMatrix.register(`Autocore adapter × simulator faults (on ${client})`, live(http), {
    provider: "autocore",
    operations: matrixOperations,
    simulator: faultControls,
    faults: matrix
  })

  // Autocore's facts beside the matrix, reported under its title.
  layer(live(http), { excludeTestServices: true })(
    `fault matrix: Autocore adapter × simulator faults (on ${client})`,
    (it) => {
      it.effect("clock skew does not apply to the API-key routes (links, gift cards): they have no clock", () =>
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          yield* sandbox.faults.clear
          for (const route of ["links.create", "giftCards.create"]) {
            const refused = yield* Effect.either(sandbox.faults.inject({ route, ...clockSkew(31) }))
            expect(Either.isLeft(refused)).toBe(true)
          }
          expect(yield* sandbox.faults.pending).toHaveLength(0)
        })
      )

      it.effect("a declined card is a declined Charge (a 400 that is a result), sent once, not an error", () =>
        Effect.gen(function* () {
          const sandbox = yield* Sandbox
          yield* sandbox.faults.clear
          const reference = newReference()
          const charge = yield* Effect.flatMap(Charges, (charges) =>
            charges.create(chargeInput(reference, "1111111111111111"))
          )
          expect(charge.outcome).toBe("declined")
          expect(charge.reference).toBe(reference)
          const requests = yield* sandbox.faults.requests
          expect(requests.filter((r) => r.route === "charges.create")).toHaveLength(1)
          const records = (yield* sandbox.state).charges.filter((c) => c.externalRefId === reference)
          expect(records.map((c) => c.status)).toEqual(["rejected"])
        })
      )
    }
  )

  FaultMatrix.register(`connections that never happen (on ${client})`, live(http), {
    provider: "autocore",
    operations: matrixOperations,
    simulator: faultControls,
    connections: { connectivity: Connectivity, columns: transport }
  })
}

// ---- spans: one per attempt ----

const spanAttributes = (spans: ReadonlyArray<RecordedSpan>, name: string) =>
  spans.filter((s) => s.name === name).map((s) => Object.fromEntries(s.attributes))

for (const [client, http] of httpClients)
  layer(live(http), { excludeTestServices: true })(`fault matrix: every attempt is a span (on ${client})`, (it) => {
    it.effect("a charge refused once, then sent: two spans, attempt 1 ProviderUnavailable, attempt 2 ok", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        const connectivity = yield* Connectivity
        yield* sandbox.faults.clear
        yield* connectivity.set("refuseFirst")
        const spans: Array<RecordedSpan> = []
        const reference = newReference()
        yield* call("charges.create", reference).pipe(Effect.withTracer(recordingTracer(spans)))
        yield* connectivity.set("normal")
        const attempts = spanAttributes(spans, "autocore.charges.create")
        expect(attempts).toHaveLength(2)
        expect(attempts).toMatchObject([
          {
            "pasarela.provider": "autocore",
            "pasarela.merchant": "hotel-abc",
            "pasarela.operation": "charges.create",
            "pasarela.attempt": 1,
            "http.request.method": "POST",
            "pasarela.outcome": "ProviderUnavailable"
          },
          {
            "pasarela.provider": "autocore",
            "pasarela.merchant": "hotel-abc",
            "pasarela.operation": "charges.create",
            "pasarela.attempt": 2,
            "http.request.method": "POST",
            "http.response.status_code": 200,
            "pasarela.outcome": "ok"
          }
        ])
        expect(attempts[0]).not.toHaveProperty("http.response.status_code")
        expect(yield* recordsFor("charges.create", reference)).toBe(1)
        // The attempt spans are the only spans of the call (the HTTP client's own is off), and no
        // credential, token, card datum or ciphertext is in any of them.
        expect(spans.map((s) => s.name).sort()).toEqual([
          "autocore.charges.create",
          "autocore.charges.create",
          "pasarela.charges.create"
        ])
        // Each attempt is a child of the call's span.
        expect(spans.filter((s) => s.name === "autocore.charges.create").map((s) => s.parent)).toEqual([
          "pasarela.charges.create",
          "pasarela.charges.create"
        ])
        const text = JSON.stringify(spans.map((s) => ({ name: s.name, attributes: Object.fromEntries(s.attributes) })))
        for (const secret of [
          account.secretKey,
          account.cardEncryptionKey,
          "VEVTVEFDQ0VTU0tFWTAw",
          "4111111111111111"
        ]) {
          expect(text).not.toContain(secret)
        }
        expect(Redacted.value(options("x").secretKey)).toBe(account.secretKey)
      })
    )

    it.effect("hotel listing answered 503 once: two GET spans, statuses 503 then 200", () =>
      Effect.gen(function* () {
        const sandbox = yield* Sandbox
        yield* sandbox.faults.clear
        yield* Effect.orDie(sandbox.faults.inject({ route: "hotels.list", ...status(503) }))
        const spans: Array<RecordedSpan> = []
        yield* call("hotels.list", newReference()).pipe(Effect.withTracer(recordingTracer(spans)))
        expect(spanAttributes(spans, "autocore.hotels.list")).toMatchObject([
          {
            "pasarela.attempt": 1,
            "http.request.method": "GET",
            "http.response.status_code": 503,
            "pasarela.outcome": "ProviderUnavailable"
          },
          {
            "pasarela.attempt": 2,
            "http.request.method": "GET",
            "http.response.status_code": 200,
            "pasarela.outcome": "ok"
          }
        ])
      })
    )
  })
