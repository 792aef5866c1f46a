/**
 * The fault matrix: every operation of a provider against every fault its simulator injects, and
 * against connections that never happen (refused, unresolvable host), as tables of expected cells.
 * The tables are the provider's facts; the checks every provider shares are here, once: never two
 * records for one call, and never an error that claims "nothing happened" (`mayHaveTakenEffect`,
 * `Router.provesNothingHappened`) when something did.
 *
 * ```ts
 * FaultMatrix.register("my gateway × simulator faults", layer, {
 *   provider: "my-gateway",
 *   operations: [create],
 *   simulator: Effect.map(Simulator, (simulator) => simulator.faults),
 *   faults: [{ fault: "HTTP 503", rule: serverError(503), cells: { create: fails("ProviderUnavailable", 1, false) } }]
 * })
 * ```
 *
 * `checkFault` and `checkConnection` are pure: they return what did not match, so a runner that
 * would pass a wrong cell can itself be tested.
 */
import { expect, layer } from "@effect/vitest"
import { CallOptions, type PaymentError, Router } from "@pasarela/core"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as Layer from "effect/Layer"
import type { ConnectionPlan, ConnectivityShape } from "./Connectivity.js"

/** What one cell expects of one call. */
export interface Cell {
  readonly outcome: "ok" | PaymentError.Reason["_tag"]
  /** Requests that reached the simulator on the operation's route; in the connection table, the client's attempts. */
  readonly attempts: number
  /** The simulator holds a record of the call afterwards (checked for operations that record). */
  readonly happened: boolean
  /** More about the reason, matched as a subset (as `toMatchObject` does). */
  readonly reason?: Record<string, unknown>
}

/** A success after `attempts` requests; the call took effect. */
export const ok = (attempts: number): Cell => ({ outcome: "ok", attempts, happened: true })

/** A failure with `outcome` after `attempts` requests; `happened`: the simulator holds a record anyway. */
export const fails = (
  outcome: PaymentError.Reason["_tag"],
  attempts: number,
  happened: boolean,
  reason?: Record<string, unknown>
): Cell => (reason === undefined ? { outcome, attempts, happened } : { outcome, attempts, happened, reason })

/** A column's cells, one per operation; `null`: the fault does not apply to that operation. */
export type Cells<Op extends string> = { readonly [K in Op]: Cell | null }

/** A fault rule as a simulator takes it, without its route (`@pasarela/sandbox`'s `Faults.Rule` is one). */
export interface FaultRule {
  /** How many matching requests get the fault (default 1). */
  readonly times?: number
  readonly fault: unknown
}

/** The fault controls of a simulator (`@pasarela/sandbox`'s `Faults.Controls` is one); logs are oldest first. */
export interface Simulator<Rule extends FaultRule> {
  /** Drops pending rules and empties the request and fired logs. */
  readonly clear: Effect.Effect<void>
  readonly inject: (rule: Rule & { readonly route: string }) => Effect.Effect<unknown, unknown>
  /** Every API request received since `clear`. */
  readonly requests: Effect.Effect<ReadonlyArray<{ readonly route: string }>>
  /** Faults that fired since `clear`. */
  readonly fired: Effect.Effect<ReadonlyArray<{ readonly route: string; readonly fault: unknown }>>
}

/** One call, set up and not yet made. */
export interface Call<R> {
  /** The reference the call carries: an ambiguous outcome's advice names it. */
  readonly reference: string
  /** The path the request goes to, as the HTTP client sees it (counted for the connection table). */
  readonly path: string
  /** The call; checks of a success's value belong in it. */
  readonly run: Effect.Effect<unknown, PaymentError.PaymentError, R>
  /** Records of the call's effect the simulator holds, read after it; absent for a call that only reads. */
  readonly recorded?: Effect.Effect<number, never, R>
}

export interface Operation<Op extends string, R> {
  /** The operation's name in the tables and in test names. */
  readonly name: Op
  /** The `operation` every error of the call carries (default `name`). */
  readonly operation?: string
  /** The simulator's route for the operation's requests. */
  readonly route: string
  /** Other routes the call may reach (e.g. a disable that reads the link back); any other is a failure. */
  readonly alsoReaches?: ReadonlyArray<string>
  /** Sets one call up, before any fault is armed (e.g. makes the link a `get` reads). */
  readonly prepare: Effect.Effect<Call<R>, unknown, R>
  /** What an `OutcomeUnknown`'s advice must contain for the call's reference. */
  readonly advice?: (reference: string) => ReadonlyArray<string>
}

export interface FaultColumn<Op extends string, Rule extends FaultRule> {
  readonly fault: string
  /** The rule injected on the operation's route just before the call. */
  readonly rule: Rule
  /** A per-call timeout (`CallOptions.withTimeout`), for faults that outlast the provider's own. */
  readonly callTimeout?: Duration.DurationInput
  readonly cells: Cells<Op>
}

export interface ConnectionColumn<Op extends string> {
  readonly failure: string
  readonly plan: ConnectionPlan
  readonly cells: Cells<Op>
}

export interface Matrix<Op extends string, Rule extends FaultRule, R> {
  /** The `provider` every error carries. */
  readonly provider: string
  readonly operations: ReadonlyArray<Operation<Op, R>>
  /** The simulator's fault controls, e.g. `Effect.map(Sandbox, (sandbox) => sandbox.faults)`. */
  readonly simulator: Effect.Effect<Simulator<Rule>, never, R>
  readonly faults?: ReadonlyArray<FaultColumn<Op, NoInfer<Rule>>>
  /** Failures before any connection, from `steeredHttpClient` (`@pasarela/testing/node`) under the provider. */
  readonly connections?: {
    readonly connectivity: Effect.Effect<ConnectivityShape, never, R>
    readonly columns: ReadonlyArray<ConnectionColumn<Op>>
  }
}

// ---- checks: pure, each returns what did not match ----

/** The call a cell is about, as its `Operation` describes it (`advice` for the call's reference). */
export interface Subject {
  readonly provider: string
  readonly operation: string
  readonly route: string
  readonly alsoReaches: ReadonlyArray<string>
  readonly advice: ReadonlyArray<string>
}

/** What one call showed: `recorded` is `undefined` for a call that only reads; `routes` are oldest first. */
export interface Observed {
  readonly result: Either.Either<unknown, PaymentError.PaymentError>
  readonly recorded: number | undefined
  readonly routes: ReadonlyArray<string>
}

/** `actual` has every property of `expected`, recursively (`toMatchObject`'s rule, without vitest). */
export const matches = (actual: unknown, expected: unknown): boolean => {
  if (Object.is(actual, expected)) return true
  if (typeof actual !== "object" || actual === null || typeof expected !== "object" || expected === null) return false
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e))
  }
  return Object.entries(expected).every(([key, value]) => matches((actual as Record<string, unknown>)[key], value))
}

const show = (value: unknown) => JSON.stringify(value)

/** The outcome, the records, and what the error claims about them. */
const checkOutcome = (cell: Cell, subject: Subject, { recorded, result }: Observed): Array<string> => {
  const problems: Array<string> = []
  if (recorded !== undefined) {
    if (recorded > 1) problems.push(`the simulator holds ${recorded} records of one call (never two)`)
    if (recorded > 0 !== cell.happened) {
      problems.push(
        cell.happened ? "the simulator holds no record of the call" : "the simulator holds a record of the call"
      )
    }
  }
  if (Either.isRight(result)) {
    if (cell.outcome !== "ok") problems.push(`expected ${cell.outcome}, the call succeeded`)
    return problems
  }
  const error = result.left
  if (cell.outcome === "ok") return [...problems, `expected a success, the call failed: ${error.message}`]
  if (error.reason._tag !== cell.outcome)
    problems.push(`expected ${cell.outcome}, got ${error.reason._tag}: ${error.message}`)
  if (error.provider !== subject.provider) {
    problems.push(`error from provider ${show(error.provider)}, expected ${show(subject.provider)}`)
  }
  if (error.operation !== subject.operation) {
    problems.push(`error for operation ${show(error.operation)}, expected ${show(subject.operation)}`)
  }
  if (cell.reason !== undefined && !matches(error.reason, cell.reason)) {
    problems.push(`reason ${show(error.reason)} does not match ${show(cell.reason)}`)
  }
  // Never claim nothing happened when the simulator shows it did (`Router.provesNothingHappened`,
  // which lets a router fail over, needs `mayHaveTakenEffect` false).
  if (recorded !== undefined && recorded > 0 && !error.mayHaveTakenEffect) {
    problems.push("the call took effect, the error says it did not (mayHaveTakenEffect)")
  }
  if (error.reason._tag === "OutcomeUnknown") {
    if (recorded !== undefined && error.isRetrySafe)
      problems.push("an ambiguous outcome of a call with an effect says a retry is safe")
    for (const text of subject.advice) {
      if (!error.reason.advice.includes(text))
        problems.push(`the advice does not say ${show(text)}: ${error.reason.advice}`)
    }
  }
  return problems
}

/** `expected` requests on the call's route, and none on routes the call has no business with. */
const checkRoutes = (subject: Subject, routes: ReadonlyArray<string>, expected: number): Array<string> => {
  const reached = routes.filter((route) => route === subject.route).length
  const stray = routes.filter((route) => route !== subject.route && !subject.alsoReaches.includes(route))
  return [
    ...(reached === expected ? [] : [`${reached} request(s) reached ${subject.route}, expected ${expected}`]),
    ...(stray.length === 0 ? [] : [`requests on other routes: ${stray.join(", ")}`])
  ]
}

/** A cell of the simulator's faults against what the call showed and the faults that fired. */
export const checkFault = (
  cell: Cell,
  subject: Subject,
  rule: FaultRule,
  observed: Observed & { readonly fired: ReadonlyArray<{ readonly route: string; readonly fault: unknown }> }
): ReadonlyArray<string> => {
  const problems = [...checkOutcome(cell, subject, observed), ...checkRoutes(subject, observed.routes, cell.attempts)]
  // The fault fired on the first attempt, as many times as the rule allows.
  const first = observed.fired[0]
  if (first === undefined || first.route !== subject.route || !matches(first.fault, rule.fault)) {
    problems.push(`the first fault fired was ${show(first)}, expected ${show(rule.fault)} on ${subject.route}`)
  }
  const firings = Math.min(rule.times ?? 1, cell.attempts)
  if (observed.fired.length !== firings)
    problems.push(`the fault fired ${observed.fired.length} time(s), expected ${firings}`)
  return problems
}

/** A cell of the connection table against what the call showed; `sent`: the client's attempts on its path. */
export const checkConnection = (
  cell: Cell,
  subject: Subject,
  observed: Observed & { readonly sent: number }
): ReadonlyArray<string> => {
  const problems = checkOutcome(cell, subject, observed)
  if (observed.sent !== cell.attempts) problems.push(`${observed.sent} attempt(s) made, expected ${cell.attempts}`)
  // Provably unsent: nothing happened, so a router may fail over to another provider.
  if (Either.isLeft(observed.result) && !Router.provesNothingHappened(observed.result.left)) {
    problems.push("a call never sent does not prove nothing happened (Router.provesNothingHappened)")
  }
  // The simulator saw only the attempt that got through, if any, and holds its record alone.
  const through = cell.outcome === "ok" ? 1 : 0
  problems.push(...checkRoutes(subject, observed.routes, through))
  if (observed.recorded !== undefined && observed.recorded !== through) {
    problems.push(`the simulator holds ${observed.recorded} record(s), expected ${through}`)
  }
  return problems
}

// ---- running one cell: what did not match ----

/** Sets one call up on a cleared simulator (no rule left from another test), then clears its requests. */
const setUp = <Op extends string, Rule extends FaultRule, R>(
  matrix: Matrix<Op, Rule, R>,
  operation: Operation<Op, R>
) =>
  Effect.gen(function* () {
    const simulator = yield* matrix.simulator
    yield* simulator.clear
    const call = yield* operation.prepare
    yield* simulator.clear
    const subject: Subject = {
      provider: matrix.provider,
      operation: operation.operation ?? operation.name,
      route: operation.route,
      alsoReaches: operation.alsoReaches ?? [],
      advice: operation.advice?.(call.reference) ?? []
    }
    return { simulator, call, subject }
  })

/** What the simulator shows after the call. */
const observe = <R>(
  simulator: Pick<Simulator<FaultRule>, "requests">,
  call: Call<R>,
  result: Observed["result"]
): Effect.Effect<Observed, never, R> =>
  Effect.gen(function* () {
    const recorded = call.recorded === undefined ? undefined : yield* call.recorded
    const routes = (yield* simulator.requests).map((request) => request.route)
    return { result, recorded, routes }
  })

/** Runs `operation` with `column`'s fault armed on its route; returns what did not match the cell. */
export const runFault = <Op extends string, Rule extends FaultRule, R>(
  matrix: Matrix<Op, Rule, R>,
  column: FaultColumn<Op, Rule>,
  operation: Operation<Op, R>,
  cell: Cell
): Effect.Effect<ReadonlyArray<string>, unknown, R> =>
  Effect.gen(function* () {
    const { simulator, call, subject } = yield* setUp(matrix, operation)
    yield* Effect.orDie(simulator.inject({ ...column.rule, route: operation.route }))
    const timeout = column.callTimeout
    const result = yield* Effect.either(
      timeout === undefined ? call.run : call.run.pipe(CallOptions.withTimeout(timeout))
    )
    const observed = yield* observe(simulator, call, result)
    return checkFault(cell, subject, column.rule, { ...observed, fired: yield* simulator.fired })
  })

/** Runs `operation` with the client steered as `column` says; returns what did not match the cell. */
export const runConnection = <Op extends string, Rule extends FaultRule, R>(
  matrix: Matrix<Op, Rule, R>,
  connectivity: Effect.Effect<ConnectivityShape, never, R>,
  column: ConnectionColumn<Op>,
  operation: Operation<Op, R>,
  cell: Cell
): Effect.Effect<ReadonlyArray<string>, unknown, R> =>
  Effect.gen(function* () {
    const client = yield* connectivity
    yield* client.set("normal")
    const { simulator, call, subject } = yield* setUp(matrix, operation)
    yield* client.set(column.plan)
    const result = yield* Effect.either(call.run)
    const sent = (yield* client.sent).filter((path) => path === call.path).length
    yield* client.set("normal")
    return checkConnection(cell, subject, { ...(yield* observe(simulator, call, result)), sent })
  })

// ---- the tests ----

const expected = (cell: Cell) => (cell.outcome === "ok" ? "succeeds" : `fails ${cell.outcome}`)

/**
 * Registers the matrix under `fault matrix: ${name}`: one test per column and operation, faults
 * first, then connections. The layer provides the provider under test and whatever the matrix
 * reads (its simulator, `Connectivity`); tests run on the real clock (servers, timeouts).
 */
export const register = <Op extends string, Rule extends FaultRule, R, E>(
  name: string,
  providerLayer: Layer.Layer<R, E>,
  matrix: Matrix<Op, Rule, NoInfer<R>>
): void =>
  layer(providerLayer, { excludeTestServices: true })(`fault matrix: ${name}`, (it) => {
    for (const column of matrix.faults ?? []) {
      for (const operation of matrix.operations) {
        const cell = column.cells[operation.name]
        if (cell === null) continue
        const title = `${column.fault} × ${operation.name}: ${expected(cell)} after ${cell.attempts} request(s)`
        it.effect(title, () =>
          Effect.map(runFault(matrix, column, operation, cell), (problems) => expect(problems).toEqual([]))
        )
      }
    }
    const connections = matrix.connections
    if (connections === undefined) return
    for (const column of connections.columns) {
      for (const operation of matrix.operations) {
        const cell = column.cells[operation.name]
        if (cell === null) continue
        const title = `${column.failure} × ${operation.name}: ${expected(cell)} after ${cell.attempts} attempt(s)`
        it.effect(title, () =>
          Effect.map(runConnection(matrix, connections.connectivity, column, operation, cell), (problems) =>
            expect(problems).toEqual([])
          )
        )
      }
    }
  })
