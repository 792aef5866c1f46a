/**
 * The fault matrix runner, against a tiny in-test gateway whose simulator honours fault rules and
 * whose client can be steered like `steeredHttpClient`. The right tables pass through `register`
 * as any adapter's would; a wrong cell, or a gateway that misreports what happened, must come back
 * from the checks as a mismatch (the checks return mismatches, so a failing check is observable
 * here without failing a test).
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { PaymentError } from "@pasarela/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Ref from "effect/Ref"
import type { ConnectionPlan, ConnectivityShape } from "../src/Connectivity.js"
import { FaultMatrix } from "../src/index.js"

// ---- the gateway: one create, one read; faults applied after its simulator logs the request ----

/** `misreported`: the request is processed, but the error says the gateway was unavailable. */
type Fault = { readonly kind: "unavailable" } | { readonly kind: "lost" } | { readonly kind: "misreported" }
interface Rule {
  readonly times?: number
  readonly fault: Fault
}

interface GatewayShape {
  readonly simulator: FaultMatrix.Simulator<Rule>
  readonly connectivity: ConnectivityShape
  readonly create: (reference: string) => Effect.Effect<void, PaymentError.PaymentError>
  readonly count: Effect.Effect<number, PaymentError.PaymentError>
  readonly records: (reference: string) => Effect.Effect<number>
}

class Gateway extends Context.Tag("test/FaultMatrix/Gateway")<Gateway, GatewayShape>() {}

interface State {
  readonly rules: ReadonlyArray<{ readonly route: string; readonly remaining: number; readonly fault: Fault }>
  readonly requests: ReadonlyArray<{ readonly route: string }>
  readonly fired: ReadonlyArray<{ readonly route: string; readonly fault: Fault }>
  readonly records: ReadonlyArray<string>
}

const fail = (operation: string, reason: PaymentError.Reason) =>
  new PaymentError.PaymentError({ provider: "fake", operation, reason })

const makeGateway = Effect.gen(function* () {
  const state = yield* Ref.make<State>({ rules: [], requests: [], fired: [], records: [] })
  const wire = yield* Ref.make<{ readonly plan: ConnectionPlan; readonly sent: ReadonlyArray<string> }>({
    plan: "normal",
    sent: []
  })

  /** Logs the request and takes the first matching rule, if any. */
  const receive = (route: string) =>
    Ref.modify(state, (s): [Fault | undefined, State] => {
      const requests = [...s.requests, { route }]
      const rule = s.rules.find((r) => r.route === route)
      if (rule === undefined) return [undefined, { ...s, requests }]
      const rules = s.rules
        .map((r) => (r === rule ? { ...r, remaining: r.remaining - 1 } : r))
        .filter((r) => r.remaining > 0)
      return [rule.fault, { ...s, requests, rules, fired: [...s.fired, { route, fault: rule.fault }] }]
    })

  /** One attempt through the steered wire: refused before the simulator, or received by it. */
  const attempt = <A>(path: string, operation: string, served: Effect.Effect<A, PaymentError.PaymentError>) =>
    Effect.flatMap(
      Ref.modify(wire, (w) => {
        const sent = [...w.sent, path]
        const refused =
          w.plan === "refuseAll" || w.plan === "unresolvable" || (w.plan === "refuseFirst" && sent.length === 1)
        return [refused, { ...w, sent }] as const
      }),
      (refused) =>
        refused
          ? Effect.fail(fail(operation, new PaymentError.ProviderUnavailable({ detail: "connection refused" })))
          : served
    )

  /** Two attempts at most, the second only after a connection that was never made. */
  const withRetry = <A>(path: string, operation: string, served: Effect.Effect<A, PaymentError.PaymentError>) =>
    Effect.catchIf(
      attempt(path, operation, served),
      (error) => error.reason._tag === "ProviderUnavailable" && error.reason.status === undefined,
      () => attempt(path, operation, served)
    )

  const create = (reference: string) =>
    withRetry(
      "/things",
      "things.create",
      Effect.gen(function* () {
        const fault = yield* receive("things.create")
        if (fault?.kind === "unavailable") {
          return yield* fail("things.create", new PaymentError.ProviderUnavailable({ status: 503, detail: "down" }))
        }
        yield* Ref.update(state, (s) => ({ ...s, records: [...s.records, reference] }))
        if (fault?.kind === "lost") {
          return yield* fail(
            "things.create",
            new PaymentError.OutcomeUnknown({ detail: "connection lost", advice: `look for reference "${reference}"` })
          )
        }
        if (fault?.kind === "misreported") {
          return yield* fail(
            "things.create",
            new PaymentError.ProviderUnavailable({ status: 503, detail: "down, it says" })
          )
        }
      })
    )

  const count = withRetry(
    "/things/count",
    "things.count",
    Effect.gen(function* () {
      const fault = yield* receive("things.count")
      if (fault === undefined) return (yield* Ref.get(state)).records.length
      return yield* fail(
        "things.count",
        fault.kind === "lost"
          ? new PaymentError.OutcomeUnknown({ detail: "connection lost", advice: "ask again" })
          : new PaymentError.ProviderUnavailable({ status: 503, detail: "down" })
      )
    })
  )

  const simulator: FaultMatrix.Simulator<Rule> = {
    clear: Ref.update(state, (s) => ({ ...s, rules: [], requests: [], fired: [] })),
    inject: (rule) =>
      Ref.update(state, (s) => ({
        ...s,
        rules: [...s.rules, { route: rule.route, remaining: rule.times ?? 1, fault: rule.fault }]
      })),
    requests: Effect.map(Ref.get(state), (s) => s.requests),
    fired: Effect.map(Ref.get(state), (s) => s.fired)
  }
  const connectivity: ConnectivityShape = {
    set: (plan) => Ref.set(wire, { plan, sent: [] }),
    sent: Effect.map(Ref.get(wire), (w) => w.sent)
  }
  const records = (reference: string) =>
    Effect.map(Ref.get(state), (s) => s.records.filter((r) => r === reference).length)
  return { simulator, connectivity, create, count, records } satisfies GatewayShape
})

const gateway = Layer.effect(Gateway, makeGateway)

// ---- its tables ----

type Operation = "create" | "count"

let counter = 0

const operations: ReadonlyArray<FaultMatrix.Operation<Operation, Gateway>> = [
  {
    name: "create",
    operation: "things.create",
    route: "things.create",
    prepare: Effect.map(Gateway, (g) => {
      const reference = `T-${counter++}`
      return { reference, path: "/things", run: g.create(reference), recorded: g.records(reference) }
    }),
    advice: (reference) => [`reference "${reference}"`]
  },
  {
    name: "count",
    operation: "things.count",
    route: "things.count",
    prepare: Effect.map(Gateway, (g) => ({ reference: "-", path: "/things/count", run: g.count }))
  }
]

const { ok, fails } = FaultMatrix
const unavailable: Rule = { fault: { kind: "unavailable" } }
const lost: Rule = { fault: { kind: "lost" } }

// biome-ignore format: the matrix reads as a table
const faults: ReadonlyArray<FaultMatrix.FaultColumn<Operation, Rule>> = [
  { fault: "unavailable",           rule: unavailable,                   cells: { create: fails("ProviderUnavailable", 1, false, { status: 503 }), count: fails("ProviderUnavailable", 1, false) } },
  { fault: "unavailable, twice",    rule: { ...unavailable, times: 2 },  cells: { create: fails("ProviderUnavailable", 1, false),                   count: fails("ProviderUnavailable", 1, false) } },
  { fault: "lost after processing", rule: lost,                          cells: { create: fails("OutcomeUnknown", 1, true),                         count: null } }
]

// biome-ignore format: the matrix reads as a table
const connections: ReadonlyArray<FaultMatrix.ConnectionColumn<Operation>> = [
  { failure: "refused once",        plan: "refuseFirst",  cells: { create: ok(2),                                   count: ok(2) } },
  { failure: "refused every time",  plan: "refuseAll",    cells: { create: fails("ProviderUnavailable", 2, false),  count: fails("ProviderUnavailable", 2, false) } }
]

const matrix: FaultMatrix.Matrix<Operation, Rule, Gateway> = {
  provider: "fake",
  operations,
  simulator: Effect.map(Gateway, (g) => g.simulator),
  faults,
  connections: { connectivity: Effect.map(Gateway, (g) => g.connectivity), columns: connections }
}

// The right tables, registered as an adapter's are: every cell passes.
FaultMatrix.register("a fake gateway", gateway, matrix)

// ---- wrong cells, run through the same checks ----

const create = operations[0]!
const column = (fault: string, rule: Rule): FaultMatrix.FaultColumn<Operation, Rule> => ({
  fault,
  rule,
  cells: { create: null, count: null }
})
const plan = (failure: string, connectionPlan: ConnectionPlan): FaultMatrix.ConnectionColumn<Operation> => ({
  failure,
  plan: connectionPlan,
  cells: { create: null, count: null }
})

const mismatchesOf = (rule: Rule, cell: FaultMatrix.Cell, on = matrix) =>
  FaultMatrix.runFault(on, column("a fault", rule), create, cell)

layer(gateway)("the fault matrix runner against wrong cells", (it) => {
  it.effect("the right cell has no mismatch (so the ones below come from the cell)", () =>
    Effect.gen(function* () {
      expect(yield* mismatchesOf(unavailable, fails("ProviderUnavailable", 1, false, { status: 503 }))).toEqual([])
    })
  )

  it.effect("a success expected where the call fails", () =>
    Effect.gen(function* () {
      const problems = yield* mismatchesOf(unavailable, ok(1))
      expect(problems).toContain(
        "expected a success, the call failed: fake things.create: provider unavailable (HTTP 503): down"
      )
      expect(problems).toContain("the simulator holds no record of the call")
    })
  )

  it.effect("another reason", () =>
    Effect.gen(function* () {
      const problems = yield* mismatchesOf(unavailable, fails("RateLimited", 1, false))
      expect(problems).toEqual([
        "expected RateLimited, got ProviderUnavailable: fake things.create: provider unavailable (HTTP 503): down"
      ])
    })
  )

  it.effect("another number of requests", () =>
    Effect.gen(function* () {
      const problems = yield* mismatchesOf(unavailable, fails("ProviderUnavailable", 2, false))
      expect(problems).toEqual(["1 request(s) reached things.create, expected 2"])
    })
  )

  it.effect("a record expected where there is none, and the other way round", () =>
    Effect.gen(function* () {
      expect(yield* mismatchesOf(unavailable, fails("ProviderUnavailable", 1, true))).toEqual([
        "the simulator holds no record of the call"
      ])
      expect(yield* mismatchesOf(lost, fails("OutcomeUnknown", 1, false))).toEqual([
        "the simulator holds a record of the call"
      ])
    })
  )

  it.effect("reason details that do not match", () =>
    Effect.gen(function* () {
      const problems = yield* mismatchesOf(unavailable, fails("ProviderUnavailable", 1, false, { status: 500 }))
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatch(/^reason .*"status":503.* does not match \{"status":500\}$/)
    })
  )

  it.effect("an error that says nothing happened when the simulator shows it did, whatever the cell says", () =>
    Effect.gen(function* () {
      const problems = yield* mismatchesOf({ fault: { kind: "misreported" } }, fails("ProviderUnavailable", 1, true))
      expect(problems).toEqual(["the call took effect, the error says it did not (mayHaveTakenEffect)"])
    })
  )

  it.effect("an ambiguous outcome's advice without what the operation says it must name", () =>
    Effect.gen(function* () {
      const vague = { ...create, advice: () => ["the dashboard"] }
      const problems = yield* FaultMatrix.runFault(
        matrix,
        column("lost", lost),
        vague,
        fails("OutcomeUnknown", 1, true)
      )
      expect(problems).toHaveLength(1)
      expect(problems[0]).toMatch(/^the advice does not say "the dashboard": look for reference "T-\d+"$/)
    })
  )

  it.effect("an error from another provider or operation than the table's", () =>
    Effect.gen(function* () {
      const problems = yield* FaultMatrix.runFault(
        { ...matrix, provider: "other" },
        column("unavailable", unavailable),
        { ...create, operation: "links.create" },
        fails("ProviderUnavailable", 1, false)
      )
      expect(problems).toEqual([
        'error from provider "fake", expected "other"',
        'error for operation "things.create", expected "links.create"'
      ])
    })
  )

  it.effect("the connection table: other attempts, or a refused call said to have got through", () =>
    Effect.gen(function* () {
      const connectivity = matrix.connections!.connectivity
      const run = (connectionPlan: ConnectionPlan, cell: FaultMatrix.Cell) =>
        FaultMatrix.runConnection(matrix, connectivity, plan(connectionPlan, connectionPlan), create, cell)
      expect(yield* run("refuseAll", fails("ProviderUnavailable", 2, false))).toEqual([])
      expect(yield* run("refuseAll", fails("ProviderUnavailable", 3, false))).toEqual(["2 attempt(s) made, expected 3"])
      expect(yield* run("refuseFirst", ok(1))).toEqual(["2 attempt(s) made, expected 1"])
      const problems = yield* run("refuseAll", ok(2))
      expect(problems).toContain("the simulator holds no record of the call")
      expect(problems).toContain("0 request(s) reached things.create, expected 1")
    })
  )
})

// ---- the checks alone, on what no working gateway shows ----

const subject: FaultMatrix.Subject = {
  provider: "fake",
  operation: "things.create",
  route: "things.create",
  alsoReaches: [],
  advice: []
}
const unavailableError = fail("things.create", new PaymentError.ProviderUnavailable({ status: 503, detail: "down" }))
const failed = Either.left(unavailableError)

describe("the fault matrix checks", () => {
  it("never two records of one call", () => {
    const observed = {
      result: failed,
      recorded: 2,
      routes: ["things.create"],
      fired: [{ route: "things.create", fault: unavailable.fault }]
    }
    expect(FaultMatrix.checkFault(fails("ProviderUnavailable", 1, true), subject, unavailable, observed)).toContain(
      "the simulator holds 2 records of one call (never two)"
    )
  })

  it("requests on routes the call has no business with, unless the operation says it reaches them", () => {
    const observed = {
      result: failed,
      recorded: 0,
      routes: ["things.create", "things.count"],
      fired: [{ route: "things.create", fault: unavailable.fault }]
    }
    const cell = fails("ProviderUnavailable", 1, false)
    expect(FaultMatrix.checkFault(cell, subject, unavailable, observed)).toEqual([
      "requests on other routes: things.count"
    ])
    expect(FaultMatrix.checkFault(cell, { ...subject, alsoReaches: ["things.count"] }, unavailable, observed)).toEqual(
      []
    )
  })

  it("the fault fired on the first attempt, as many times as the rule allows", () => {
    const cell = fails("ProviderUnavailable", 1, false)
    const observed = (fired: ReadonlyArray<{ route: string; fault: unknown }>) => ({
      result: failed,
      recorded: 0,
      routes: ["things.create"],
      fired
    })
    expect(FaultMatrix.checkFault(cell, subject, unavailable, observed([]))).toEqual([
      `the first fault fired was undefined, expected {"kind":"unavailable"} on things.create`,
      "the fault fired 0 time(s), expected 1"
    ])
    expect(
      FaultMatrix.checkFault(cell, subject, unavailable, observed([{ route: "things.create", fault: lost.fault }]))
    ).toEqual([
      `the first fault fired was {"route":"things.create","fault":{"kind":"lost"}}, expected {"kind":"unavailable"} on things.create`
    ])
  })

  it("an ambiguous outcome of a call with an effect may not say a retry is safe", () => {
    // A read-only operation's ambiguous outcome is retry-safe; a create's is not.
    const error = new PaymentError.PaymentError({
      provider: "fake",
      operation: "links.get",
      reason: new PaymentError.OutcomeUnknown({ detail: "lost", advice: "look" })
    })
    const observed = {
      result: Either.left(error),
      recorded: 1,
      routes: ["things.create"],
      fired: [{ route: "things.create", fault: lost.fault }]
    }
    expect(
      FaultMatrix.checkFault(fails("OutcomeUnknown", 1, true), { ...subject, operation: "links.get" }, lost, observed)
    ).toEqual(["an ambiguous outcome of a call with an effect says a retry is safe"])
  })

  it("a call never sent must prove nothing happened: not an ambiguous outcome, nor a reason a router does not fail over on", () => {
    const unsent = (reason: PaymentError.Reason) => {
      const observed = { result: Either.left(fail("things.create", reason)), recorded: 0, routes: [], sent: 2 }
      return FaultMatrix.checkConnection(fails(reason._tag, 2, false), subject, observed)
    }
    const notProven = ["a call never sent does not prove nothing happened (Router.provesNothingHappened)"]
    expect(unsent(new PaymentError.OutcomeUnknown({ detail: "lost", advice: "look" }))).toEqual(notProven)
    expect(unsent(new PaymentError.ProtocolViolation({ detail: "no answer" }))).toEqual(notProven)
    expect(unsent(new PaymentError.ProviderUnavailable({ detail: "connection refused" }))).toEqual([])
  })

  it("matches reason details as a subset, recursively", () => {
    expect(FaultMatrix.matches({ a: 1, b: { c: [1, 2], d: 3 } }, { b: { c: [1, 2] } })).toBe(true)
    expect(FaultMatrix.matches({ a: 1 }, { a: 2 })).toBe(false)
    expect(FaultMatrix.matches({ a: [1, 2] }, { a: [1] })).toBe(false)
    expect(FaultMatrix.matches(null, { a: 1 })).toBe(false)
  })
})
