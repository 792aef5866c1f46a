/**
 * Fault injection, shared by both simulators: rules that make the next requests to a route (or to
 * any route) misbehave the way real gateways and the networks in front of them do, plus a log of
 * every API request and of the faults that fired, so a test can count attempts and prove what
 * happened on the server side.
 *
 * A rule is `{ route?, times?, fault }`: `route` is a route name of the simulator (PlacetoPay:
 * `links.create`, `links.get`, `links.disable`; Autocore: `links.create`, `charges.create`,
 * `orders.create`, `giftCards.create`, `hotels.list`) or `"*"` / absent for any; `times` is how many
 * matching requests it applies to (default 1). Rules are matched in the order they were injected,
 * one fault per request; a rule is dropped once spent. Nothing is random and everything is bounded
 * (counts, latency, skew, pending rules and log sizes), so a test gets the same outcome every run.
 *
 * Faults, and whether the request is processed (its side effect — a link or charge created —
 * happens) before the fault:
 *
 * | `kind` | processed | what the client sees |
 * |---|---|---|
 * | `latency` `{ ms }` | yes | the normal answer, `ms` later (with a shorter client timeout: a timeout after the effect happened) |
 * | `status` `{ status: 500 \| 502 \| 503 \| 504 }` | no | that status in the provider's error envelope |
 * | `rateLimit` `{ retryAfterSeconds }` | no | 429 in the provider's envelope with `Retry-After` |
 * | `resetBefore` | no | the connection reset before anything was read (ECONNRESET) |
 * | `resetAfter` | yes | the connection reset instead of the answer (ECONNRESET): the ambiguous case |
 * | `truncatedBody` | yes | the real status and content type, the body cut in half |
 * | `malformedJson` | yes | the real status and content type, a body that is not JSON (first key unquoted) |
 * | `htmlPage` | yes | the real status with a `text/html` error page instead of JSON |
 * | `contractViolation` | yes | the real status with valid JSON whose every top-level field has the wrong type |
 * | `clockSkew` `{ seconds }` | yes | authentication judged by a clock shifted by `seconds` (may be negative) |
 *
 * Connection resets need the Node HTTP server the simulators' `serve` functions use: they reach
 * the request's socket through `NodeHttpServerRequest.toIncomingMessage` and send a TCP RST.
 */
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"

/** Longest latency a rule may add. */
export const MAX_LATENCY_MS = 60_000
/** Largest `Retry-After` a rule may announce (one day). */
export const MAX_RETRY_AFTER_SECONDS = 86_400
/** Largest auth clock shift, either way (one year). */
export const MAX_CLOCK_SKEW_SECONDS = 366 * 86_400
/** Most requests one rule may apply to. */
export const MAX_TIMES = 1_000
/** Most rules pending at once. */
export const MAX_PENDING_RULES = 100
/** The request and fired logs keep this many newest entries. */
export const MAX_LOG_ENTRIES = 1_000

/** The route name that matches any route. */
export const ANY_ROUTE = "*"

const int = (min: number, max: number) => Schema.Int.pipe(Schema.between(min, max))

export const Latency = Schema.Struct({ kind: Schema.Literal("latency"), ms: int(0, MAX_LATENCY_MS) })
export const ServerError = Schema.Struct({ kind: Schema.Literal("status"), status: Schema.Literal(500, 502, 503, 504) })
export const RateLimit = Schema.Struct({
  kind: Schema.Literal("rateLimit"),
  retryAfterSeconds: int(0, MAX_RETRY_AFTER_SECONDS)
})
export const ResetBefore = Schema.Struct({ kind: Schema.Literal("resetBefore") })
export const ResetAfter = Schema.Struct({ kind: Schema.Literal("resetAfter") })
export const TruncatedBody = Schema.Struct({ kind: Schema.Literal("truncatedBody") })
export const MalformedJson = Schema.Struct({ kind: Schema.Literal("malformedJson") })
export const HtmlPage = Schema.Struct({ kind: Schema.Literal("htmlPage") })
export const ContractViolation = Schema.Struct({ kind: Schema.Literal("contractViolation") })
export const ClockSkew = Schema.Struct({
  kind: Schema.Literal("clockSkew"),
  seconds: int(-MAX_CLOCK_SKEW_SECONDS, MAX_CLOCK_SKEW_SECONDS)
})

export const Fault = Schema.Union(
  Latency,
  ServerError,
  RateLimit,
  ResetBefore,
  ResetAfter,
  TruncatedBody,
  MalformedJson,
  HtmlPage,
  ContractViolation,
  ClockSkew
)
export type Fault = typeof Fault.Type
export type FaultKind = Fault["kind"]

export const Rule = Schema.Struct({
  /** A route name of the simulator, or `"*"` (the default) for any route. */
  route: Schema.optionalWith(Schema.String, { exact: true }),
  /** The next `times` matching requests get the fault. Default 1. */
  times: Schema.optionalWith(int(1, MAX_TIMES), { exact: true }),
  fault: Fault
})
export type Rule = typeof Rule.Type

/** A rule waiting for requests: `remaining` of its `times` are left. */
export interface PendingRule {
  readonly id: number
  readonly route: string
  readonly remaining: number
  readonly fault: Fault
}

/** One API request the simulator received, numbered from 1, with the fault it got if any. */
export interface ApiRequest {
  readonly seq: number
  readonly route: string
  readonly fault?: FaultKind
}

/** A fault that fired: on which request (`seq` in the request log), which route, what fault. */
export interface FiredFault {
  readonly seq: number
  readonly route: string
  readonly ruleId: number
  readonly fault: Fault
}

/** An injected rule was refused (unknown route, value out of bounds, too many rules pending). */
export class FaultRuleError extends Schema.TaggedError<FaultRuleError>("@pasarela/sandbox/Faults/FaultRuleError")(
  "FaultRuleError",
  { message: Schema.String }
) {}

/** What tests drive faults with (also the `…/faults` control endpoints). */
export interface Controls {
  /** Route names this simulator accepts in rules (besides `"*"`). */
  readonly routes: ReadonlyArray<string>
  /** Adds a rule after the pending ones; returns it as pending. */
  readonly inject: (rule: Rule) => Effect.Effect<PendingRule, FaultRuleError>
  /** Adds several rules at once, all or none. */
  readonly injectAll: (rules: ReadonlyArray<Rule>) => Effect.Effect<ReadonlyArray<PendingRule>, FaultRuleError>
  /** Drops every pending rule and empties the request and fired logs. */
  readonly clear: Effect.Effect<void>
  readonly pending: Effect.Effect<ReadonlyArray<PendingRule>>
  /** Faults that fired, oldest first. */
  readonly fired: Effect.Effect<ReadonlyArray<FiredFault>>
  /** Every API request received (control endpoints and pages excluded), oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<ApiRequest>>
}

/** The fault machinery of one simulator: its controls, and the wrapper its API routes go through. */
export interface Injector extends Controls {
  /** Runs `handler` for a request to `route`, applying the next matching fault. */
  readonly wrap: <E, R>(
    route: string,
    handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest>
}

/** The injector, for routers built as constants (PlacetoPay's). */
export class InjectorService extends Context.Tag("@pasarela/sandbox/Faults/Injector")<InjectorService, Injector>() {}

/** `handler` for `route` through the injector in context. */
export const wrap =
  (route: string) =>
  <E, R>(
    handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
  ): Effect.Effect<
    HttpServerResponse.HttpServerResponse,
    E,
    R | InjectorService | HttpServerRequest.HttpServerRequest
  > =>
    Effect.flatMap(InjectorService, (injector) => injector.wrap(route, handler))

/**
 * Milliseconds the current request's authentication clock is shifted by (a `clockSkew` fault).
 * Simulators add it to whatever clock they judge auth seeds or tokens against.
 */
export class AuthClockShift extends Context.Reference<AuthClockShift>()("@pasarela/sandbox/Faults/AuthClockShift", {
  defaultValue: (): number => 0
}) {}

export interface Options {
  /** The simulator's route names. */
  readonly routes: ReadonlyArray<string>
  /** Routes whose authentication depends on a clock; a `clockSkew` rule naming another is refused. Default: all. */
  readonly clockRoutes?: ReadonlyArray<string>
  /** The provider's error answer for `status` (5xx, 429), in its usual envelope. */
  readonly errorResponse: (status: number) => Effect.Effect<HttpServerResponse.HttpServerResponse>
}

interface State {
  readonly rules: ReadonlyArray<PendingRule>
  readonly nextRuleId: number
  readonly seq: number
  readonly requests: ReadonlyArray<ApiRequest>
  readonly fired: ReadonlyArray<FiredFault>
}

const initial: State = { rules: [], nextRuleId: 1, seq: 0, requests: [], fired: [] }

const bounded = <A>(entries: ReadonlyArray<A>, entry: A): ReadonlyArray<A> =>
  entries.length >= MAX_LOG_ENTRIES
    ? [...entries.slice(entries.length - MAX_LOG_ENTRIES + 1), entry]
    : [...entries, entry]

/** Decodes a rule (or a JSON array of rules) from a control request body. */
export const decodeRules = (body: unknown): Either.Either<ReadonlyArray<Rule>, string> =>
  Schema.decodeUnknownEither(Schema.Union(Rule, Schema.Array(Rule)), { errors: "all", onExcessProperty: "error" })(
    body
  ).pipe(
    Either.map((decoded) => (Array.isArray(decoded) ? (decoded as ReadonlyArray<Rule>) : [decoded as Rule])),
    Either.mapLeft((error) => ParseResult.TreeFormatter.formatErrorSync(error))
  )

// ---- what the faults do to an answer ----

const bodyText = (response: HttpServerResponse.HttpServerResponse): string =>
  response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : ""

const withText = (response: HttpServerResponse.HttpServerResponse, text: string, contentType?: string) =>
  HttpServerResponse.setBody(
    response,
    HttpBody.text(
      text,
      contentType ?? (response.body._tag === "Uint8Array" ? response.body.contentType : "application/json")
    )
  )

/** The JSON cut in half (by characters): a complete HTTP answer whose body ends mid-value. */
export const truncate = (text: string): string => text.slice(0, Math.floor(text.length / 2))

/** The first key unquoted, as a careless serializer writes it: `{status:{…}}`. Never valid JSON. */
export const malform = (text: string): string => {
  const unquoted = text.replace(/"((?:[^"\\]|\\.)*)"\s*:/, "$1:")
  return unquoted === text ? `{${text}` : unquoted
}

/** Every top-level field of a JSON object retyped: strings → numbers, numbers → strings, the rest → null. */
export const violate = (text: string): string => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return "{}"
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return "{}"
  const retyped: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(json)) {
    retyped[key] = typeof value === "string" ? value.length : typeof value === "number" ? String(value) : null
  }
  return JSON.stringify(retyped)
}

export const HTML_PAGE =
  "<!doctype html><html><head><title>Service unavailable</title></head>" +
  "<body><h1>Service temporarily unavailable</h1><p>Please try again later.</p></body></html>"

/**
 * Resets the request's TCP connection (RST, no answer). The server interrupts the handler once the
 * socket has closed, so this never returns.
 */
const resetConnection: Effect.Effect<never, never, HttpServerRequest.HttpServerRequest> = Effect.flatMap(
  HttpServerRequest.HttpServerRequest,
  (request) => {
    const socket = (NodeHttpServerRequest.toIncomingMessage(request) as { socket?: unknown } | undefined)?.socket as
      | { resetAndDestroy?: () => void; destroy: () => void }
      | undefined
    if (socket === undefined) {
      return Effect.dieMessage("Connection faults need the Node HTTP server (the simulators' serve functions)")
    }
    if (typeof socket.resetAndDestroy === "function") socket.resetAndDestroy()
    else socket.destroy()
    return Effect.never
  }
)

// ---- the injector ----

export const make = (options: Options): Effect.Effect<Injector> =>
  Effect.gen(function* () {
    const state = yield* Ref.make(initial)
    const routes = new Set(options.routes)
    const clockRoutes = new Set(options.clockRoutes ?? options.routes)

    const check = (rule: Rule): string | undefined => {
      const route = rule.route ?? ANY_ROUTE
      if (route !== ANY_ROUTE && !routes.has(route)) {
        return `unknown route "${route}": use one of ${[...routes].join(", ")} or "${ANY_ROUTE}"`
      }
      if (rule.fault.kind === "clockSkew" && route !== ANY_ROUTE && !clockRoutes.has(route)) {
        return `route "${route}" authenticates without a clock: clockSkew applies to ${[...clockRoutes].join(", ")}`
      }
      return undefined
    }

    const injectAll = (rules: ReadonlyArray<Rule>) =>
      Effect.gen(function* () {
        const decoded: Array<Rule> = []
        for (const rule of rules) {
          // Programmatic rules get the same checks as JSON ones.
          const valid = Schema.decodeUnknownEither(Rule, { errors: "all" })(rule)
          if (Either.isLeft(valid)) {
            return yield* new FaultRuleError({ message: ParseResult.TreeFormatter.formatErrorSync(valid.left) })
          }
          const problem = check(valid.right)
          if (problem !== undefined) return yield* new FaultRuleError({ message: problem })
          decoded.push(valid.right)
        }
        return yield* Ref.modify(state, (s): [Either.Either<ReadonlyArray<PendingRule>, string>, State] => {
          if (s.rules.length + decoded.length > MAX_PENDING_RULES) {
            return [Either.left(`at most ${MAX_PENDING_RULES} rules may be pending`), s]
          }
          const added = decoded.map(
            (rule, i): PendingRule => ({
              id: s.nextRuleId + i,
              route: rule.route ?? ANY_ROUTE,
              remaining: rule.times ?? 1,
              fault: rule.fault
            })
          )
          return [Either.right(added), { ...s, rules: [...s.rules, ...added], nextRuleId: s.nextRuleId + added.length }]
        }).pipe(
          Effect.flatMap(
            Either.match({ onLeft: (message) => new FaultRuleError({ message }), onRight: Effect.succeed })
          )
        )
      })

    /** Logs the request and takes the first matching rule's fault, spending one of its uses. */
    const take = (route: string) =>
      Ref.modify(state, (s): [Fault | undefined, State] => {
        const seq = s.seq + 1
        const index = s.rules.findIndex((r) => r.route === ANY_ROUTE || r.route === route)
        if (index < 0) return [undefined, { ...s, seq, requests: bounded(s.requests, { seq, route }) }]
        const rule = s.rules[index]!
        const rules =
          rule.remaining > 1
            ? s.rules.map((r, i) => (i === index ? { ...r, remaining: r.remaining - 1 } : r))
            : s.rules.filter((_, i) => i !== index)
        return [
          rule.fault,
          {
            ...s,
            seq,
            rules,
            requests: bounded(s.requests, { seq, route, fault: rule.fault.kind }),
            fired: bounded(s.fired, { seq, route, ruleId: rule.id, fault: rule.fault })
          }
        ]
      })

    const wrap = <E, R>(route: string, handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
      Effect.gen(function* () {
        const fault = yield* take(route)
        if (fault === undefined) return yield* handler
        // Once a fault says the request is processed, it is processed in full even if the client
        // gives up meanwhile: the side effect must not depend on timing.
        const processed = Effect.uninterruptible(handler)
        switch (fault.kind) {
          case "latency": {
            const response = yield* processed
            yield* Effect.sleep(Duration.millis(fault.ms))
            return response
          }
          case "status":
            return yield* options.errorResponse(fault.status)
          case "rateLimit":
            return HttpServerResponse.setHeader(
              yield* options.errorResponse(429),
              "retry-after",
              String(fault.retryAfterSeconds)
            )
          case "resetBefore":
            return yield* resetConnection
          case "resetAfter":
            yield* processed
            return yield* resetConnection
          case "truncatedBody": {
            const response = yield* processed
            return withText(response, truncate(bodyText(response)))
          }
          case "malformedJson": {
            const response = yield* processed
            return withText(response, malform(bodyText(response)))
          }
          case "htmlPage":
            return withText(yield* processed, HTML_PAGE, "text/html; charset=utf-8")
          case "contractViolation": {
            const response = yield* processed
            return withText(response, violate(bodyText(response)), "application/json")
          }
          case "clockSkew":
            return yield* Effect.provideService(handler, AuthClockShift, fault.seconds * 1000)
        }
      })

    return {
      routes: options.routes,
      inject: (rule) => Effect.map(injectAll([rule]), (added) => added[0]!),
      injectAll,
      clear: Ref.set(state, initial),
      pending: Effect.map(Ref.get(state), (s) => s.rules),
      fired: Effect.map(Ref.get(state), (s) => s.fired),
      requests: Effect.map(Ref.get(state), (s) => s.requests),
      wrap
    } satisfies Injector
  })

/** The controls alone (what a simulator's `Controls.faults` exposes). */
export const controls = ({ wrap: _, ...controls }: Injector): Controls => controls
