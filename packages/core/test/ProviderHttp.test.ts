import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { CallOptions, PaymentError, ProviderHttp } from "@pasarela/core"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Random from "effect/Random"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"

const NOW = Date.parse("2026-01-27T15:15:00Z")

describe("ProviderHttp.errorCode", () => {
  it("finds the code however the HTTP client wrapped it", () => {
    expect(ProviderHttp.errorCode({ code: "ECONNREFUSED" })).toBe("ECONNREFUSED")
    expect(ProviderHttp.errorCode(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }))).toBe(
      "ECONNREFUSED"
    )
    expect(ProviderHttp.errorCode({ errors: [{ message: "x" }, { code: "ECONNREFUSED" }] })).toBe("ECONNREFUSED")
    expect(ProviderHttp.errorCode(new Error("other side closed"))).toBeUndefined()
    expect(ProviderHttp.errorCode(undefined)).toBeUndefined()
  })
})

describe("ProviderHttp.retryAfterMillis", () => {
  it("reads seconds and HTTP dates", () => {
    expect(ProviderHttp.retryAfterMillis("120", NOW)).toBe(120_000)
    expect(ProviderHttp.retryAfterMillis(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0)
    expect(ProviderHttp.retryAfterMillis("soon", NOW)).toBeUndefined()
    expect(ProviderHttp.retryAfterMillis(undefined, NOW)).toBeUndefined()
  })
})

describe("ProviderHttp.transportFailure", () => {
  it("only a request error with a never-connected code proves nothing was sent", () => {
    expect(ProviderHttp.transportFailure({ _tag: "RequestError", cause: { code: "ECONNREFUSED" } })).toEqual({
      _tag: "NotSent",
      code: "ECONNREFUSED"
    })
    expect(ProviderHttp.transportFailure({ _tag: "RequestError", cause: { code: "ECONNRESET" } })).toEqual({
      _tag: "Lost",
      code: "ECONNRESET"
    })
    // A never-connected code while reading an answer means an answer was on its way: not proof.
    expect(ProviderHttp.transportFailure({ _tag: "ResponseError", cause: { code: "ECONNREFUSED" } })._tag).toBe("Lost")
    expect(ProviderHttp.transportFailure({ _tag: "RequestError", cause: new Error("other side closed") })).toEqual({
      _tag: "Lost",
      code: undefined
    })
  })

  it("a URL the HTTP client refused is InvalidUrl; a request it would not send is Refused", () => {
    expect(
      ProviderHttp.transportFailure({ _tag: "RequestError", reason: "InvalidUrl", cause: new TypeError("x") })
    ).toEqual({ _tag: "InvalidUrl" })
    for (const code of ["UND_ERR_INVALID_ARG", "ERR_INVALID_CHAR", "ERR_HTTP_INVALID_HEADER_VALUE"]) {
      const cause = Object.assign(new TypeError("invalid secret_key header"), { code })
      expect(ProviderHttp.transportFailure({ _tag: "RequestError", reason: "Transport", cause })).toEqual({
        _tag: "Refused",
        code
      })
      // While reading an answer, the request had gone out: not a refusal.
      expect(ProviderHttp.transportFailure({ _tag: "ResponseError", reason: "Decode", cause })._tag).toBe("Lost")
    }
    expect(ProviderHttp.transportFailure({ _tag: "RequestError", reason: "Encode", cause: new Error("x") })).toEqual({
      _tag: "Refused",
      code: undefined
    })
  })
})

describe("ProviderHttp.transportReason: one answer per situation, whichever the adapter", () => {
  const create = { displayName: "Gateway", readOnly: false, advice: "look for reference R-1" }
  const query = { ...create, readOnly: true }

  it("a create sent without an answer is OutcomeUnknown with the advice; a query is Timeout or ProviderUnavailable", () => {
    expect(ProviderHttp.transportReason({ _tag: "TimedOut", afterMillis: 250 }, create)).toEqual(
      new PaymentError.OutcomeUnknown({
        detail: "no answer within 250 ms after the request was sent",
        advice: create.advice
      })
    )
    expect(ProviderHttp.transportReason({ _tag: "Lost", code: "ECONNRESET" }, create)).toEqual(
      new PaymentError.OutcomeUnknown({
        detail: "the connection failed after the request was sent (ECONNRESET)",
        advice: create.advice
      })
    )
    expect(ProviderHttp.transportReason({ _tag: "TimedOut", afterMillis: 250 }, query)).toEqual(
      new PaymentError.Timeout({ afterMillis: 250 })
    )
    expect(ProviderHttp.transportReason({ _tag: "Lost", code: undefined }, query)._tag).toBe("ProviderUnavailable")
  })

  it("a connection never made is ProviderUnavailable; a refused URL or request a Configuration issue", () => {
    for (const situation of [create, query]) {
      expect(ProviderHttp.transportReason({ _tag: "NotSent", code: "ENOTFOUND" }, situation)).toEqual(
        new PaymentError.ProviderUnavailable({ detail: "could not connect to Gateway (ENOTFOUND); nothing was sent" })
      )
      const invalid = ProviderHttp.transportReason({ _tag: "InvalidUrl" }, situation)
      expect(invalid._tag === "Configuration" && invalid.issues[0]?.path).toBe("baseUrl")
      const refused = ProviderHttp.transportReason({ _tag: "Refused", code: "ERR_INVALID_CHAR" }, situation)
      expect(refused._tag === "Configuration" && refused.issues[0]?.message).toBe(
        "refused to send the request (ERR_INVALID_CHAR); nothing was sent"
      )
    }
  })

  it("an aborted call: OutcomeUnknown for a create on its way, else Aborted, or Timeout for the call's time limit", () => {
    const limit = new CallOptions.CallTimeLimit({ afterMillis: 900 })
    expect(ProviderHttp.abortReason(new Error("user"), create, true)._tag).toBe("OutcomeUnknown")
    expect(ProviderHttp.abortReason(limit, create, true)).toEqual(
      new PaymentError.OutcomeUnknown({
        detail: "no answer within the call's 900 ms after the request was sent",
        advice: create.advice
      })
    )
    expect(ProviderHttp.abortReason(new Error("user"), create, false)._tag).toBe("Aborted")
    expect(ProviderHttp.abortReason(new Error("user"), query, true)._tag).toBe("Aborted")
    expect(ProviderHttp.abortReason(limit, create, false)).toEqual(new PaymentError.Timeout({ afterMillis: 900 }))
    expect(ProviderHttp.abortReason(limit, query, true)).toEqual(new PaymentError.Timeout({ afterMillis: 900 }))
  })
})

describe("ProviderHttp.isWorthRetrying and retrySchedule", () => {
  const policy: ProviderHttp.RetryPolicy = {
    maxAttempts: 3,
    baseDelay: Duration.millis(100),
    maxRetryAfter: Duration.seconds(5)
  }
  const failed = (
    reason: PaymentError.PaymentError["reason"],
    neverConnected = false
  ): ProviderHttp.AttemptFailure => ({
    error: new PaymentError.PaymentError({ provider: "gateway", operation: "op", reason }),
    neverConnected
  })
  const unavailable = new PaymentError.ProviderUnavailable({ status: 503, detail: "down" })
  const refused = new PaymentError.ProviderUnavailable({ detail: "could not connect (ECONNREFUSED); nothing was sent" })
  const unknown = new PaymentError.OutcomeUnknown({ detail: "reset", advice: "look" })

  it("a query is retried on unavailability, rate limits and timeouts; never on answers a retry cannot change", () => {
    for (const reason of [
      unavailable,
      new PaymentError.RateLimited({}),
      new PaymentError.Timeout({ afterMillis: 1 })
    ]) {
      expect(ProviderHttp.isWorthRetrying(policy, true, failed(reason))).toBe(true)
    }
    for (const reason of [
      new PaymentError.Authentication({ code: "102", detail: "Authentication failed 102" }),
      new PaymentError.NotFound({ detail: "no such link" }),
      new PaymentError.ProtocolViolation({ status: 200, detail: "url: is missing" })
    ]) {
      expect(ProviderHttp.isWorthRetrying(policy, true, failed(reason))).toBe(false)
    }
  })

  it("a create is retried only when the connection was never made", () => {
    expect(ProviderHttp.isWorthRetrying(policy, false, failed(refused, true))).toBe(true)
    for (const reason of [
      unavailable,
      new PaymentError.RateLimited({ retryAfterMillis: 0 }),
      new PaymentError.Timeout({ afterMillis: 1 }),
      unknown
    ]) {
      expect(ProviderHttp.isWorthRetrying(policy, false, failed(reason))).toBe(false)
    }
  })

  it("a Retry-After beyond maxRetryAfter is not waited for", () => {
    expect(
      ProviderHttp.isWorthRetrying(policy, true, failed(new PaymentError.RateLimited({ retryAfterMillis: 5000 })))
    ).toBe(true)
    expect(
      ProviderHttp.isWorthRetrying(policy, true, failed(new PaymentError.RateLimited({ retryAfterMillis: 5001 })))
    ).toBe(false)
  })

  /** The waits the schedule decides for a run of failures, jitter drawn from `randoms`. */
  /**
   * The waits the schedule decides for failures that end in one it stops at (that step's own
   * output, 0, left out), jitter drawn from `randoms`.
   */
  const delays = (
    readOnly: boolean,
    failures: ReadonlyArray<ProviderHttp.AttemptFailure>,
    randoms: readonly [number, ...Array<number>],
    retry = policy
  ) =>
    Effect.map(Schedule.run(Schedule.delays(ProviderHttp.retrySchedule(retry, readOnly)), NOW, failures), (chunk) =>
      Chunk.toReadonlyArray(chunk).slice(0, -1).map(Duration.toMillis)
    ).pipe(Effect.withRandom(Random.fixed([...randoms])))

  it.effect("waits a full-jitter exponential delay, at most maxAttempts - 1 times", () =>
    Effect.gen(function* () {
      const down = failed(unavailable)
      // Retry n waits random × 100 ms × 2ⁿ⁻¹; maxAttempts 3 counts the first attempt.
      expect(yield* delays(true, [down, down, down, down], [0.5, 0.5, 0.5])).toEqual([50, 100])
      expect(yield* delays(true, [down, down, down], [0, 0.99])).toEqual([0, 198])
    })
  )

  it.effect("waits Retry-After when it is longer than the backoff; stops at the first failure not worth retrying", () =>
    Effect.gen(function* () {
      const limited = (ms: number) => failed(new PaymentError.RateLimited({ retryAfterMillis: ms }))
      expect(yield* delays(true, [limited(2000), limited(0), limited(0)], [0.5, 0.5])).toEqual([2000, 100])
      expect(yield* delays(true, [limited(6000)], [0.5])).toEqual([])
      expect(yield* delays(false, [failed(refused, true), failed(unknown)], [0.5, 0.5])).toEqual([50])
      expect(yield* delays(false, [failed(unavailable)], [0.5])).toEqual([])
    })
  )

  it.effect("maxAttempts 1 turns retries off", () =>
    Effect.gen(function* () {
      expect(yield* delays(true, [failed(unavailable)], [0.5], { ...policy, maxAttempts: 1 })).toEqual([])
    })
  )
})

describe("ProviderHttp.jsonDecoder", () => {
  const decode = ProviderHttp.jsonDecoder(Schema.Struct({ id: Schema.Number, url: Schema.String }))

  it("decodes JSON of the schema, and says what is wrong without quoting values", () => {
    expect(decode('{"id":1,"url":"https://x"}')).toEqual(Either.right({ id: 1, url: "https://x" }))
    expect(decode("<html>")).toEqual(Either.left("the body is not JSON"))
    const wrong = decode('{"id":"4111111111111111"}')
    expect(Either.isLeft(wrong) && wrong.left).toMatch(/^id: expected number/)
    expect(JSON.stringify(wrong)).not.toContain("4111")
  })
})

// ---- over real HTTP, on the platform's fetch client ----

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly body: string
}

/** A loopback server answering each request with `answer(n, seen)` (n from 1), recording what it saw. */
const server = (answer: (n: number, seen: Seen, response: ServerResponse) => void) =>
  Effect.acquireRelease(
    Effect.async<{ readonly baseUrl: string; readonly seen: Array<Seen>; readonly close: () => void }>((resume) => {
      const seen: Array<Seen> = []
      const http = createServer((request, response) => {
        const chunks: Array<Buffer> = []
        request.on("data", (chunk: Buffer) => chunks.push(chunk))
        request.on("end", () => {
          const one = {
            method: request.method ?? "",
            url: request.url ?? "",
            headers: request.headers,
            body: Buffer.concat(chunks).toString()
          }
          seen.push(one)
          answer(seen.length, one, response)
        })
      })
      http.listen(0, "127.0.0.1", () =>
        resume(
          Effect.succeed({
            baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
            seen,
            close: () => {
              http.closeAllConnections()
              http.close()
            }
          })
        )
      )
    }),
    (s) => Effect.sync(s.close)
  )

const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  response.writeHead(status, { "content-type": "application/json", ...headers })
  response.end(JSON.stringify(body))
}

const Created = ProviderHttp.jsonDecoder(Schema.Struct({ id: Schema.Number }))

/** A gateway's classify: 200 is the result, 503 unavailability, anything else a protocol violation. */
const classify = (answer: ProviderHttp.Answer) =>
  answer.status === 200
    ? Either.mapLeft(Created(answer.body), (detail) => new PaymentError.ProtocolViolation({ status: 200, detail }))
    : answer.status === 503
      ? Either.left(new PaymentError.ProviderUnavailable({ status: 503, detail: "down" }))
      : Either.left(new PaymentError.ProtocolViolation({ status: answer.status, detail: "unexpected" }))

const request = (readOnly: boolean): ProviderHttp.Request<{ readonly id: number }> => ({
  operation: readOnly ? "things.get" : "things.create",
  method: "POST",
  path: "/things",
  urlParams: { page: "2" },
  body: { amount: "10.50" },
  readOnly,
  advice: "look for reference R-1",
  classify
})

const clientOn = (baseUrl: string, timeout: Duration.DurationInput = "2 seconds") => {
  let issued = 0
  return ProviderHttp.make({
    provider: "gateway",
    displayName: "Gateway",
    baseUrl,
    timeout: Duration.decode(timeout),
    retry: { maxAttempts: 3, baseDelay: Duration.millis(1), maxRetryAfter: Duration.seconds(1) },
    merchantId: "hotel-1",
    authenticate: () => Effect.sync(() => ({ headers: { "x-token": `token-${++issued}` }, body: { auth: issued } })),
    credentialHeaders: ["x-token"]
  })
}

describe("ProviderHttp.make: sending over real HTTP", () => {
  it.live("sends the credentials first in the JSON body and headers, built anew for every attempt", () =>
    Effect.gen(function* () {
      const s = yield* server((n, _, response) => (n < 3 ? json(response, 503, {}) : json(response, 200, { id: 7 })))
      const http = yield* clientOn(s.baseUrl)
      expect(yield* http.send(request(true))).toEqual({ id: 7 })
      expect(s.seen.map((r) => r.headers["x-token"])).toEqual(["token-1", "token-2", "token-3"])
      expect(s.seen[0]).toMatchObject({ method: "POST", url: "/things?page=2", body: '{"auth":1,"amount":"10.50"}' })
      expect(s.seen[0]?.headers["content-type"]).toBe("application/json")
      expect(s.seen[0]?.headers.accept).toBe("application/json")
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer))
  )

  it.live("a create answered 503 is sent once; errors name provider, operation and merchant", () =>
    Effect.gen(function* () {
      const s = yield* server((_, __, response) => json(response, 503, {}))
      const http = yield* clientOn(s.baseUrl)
      const error = yield* Effect.flip(http.send(request(false)))
      expect(error).toMatchObject({ provider: "gateway", operation: "things.create", merchantId: "hotel-1" })
      expect(error.reason._tag).toBe("ProviderUnavailable")
      expect(s.seen).toHaveLength(1)
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer))
  )

  it.live("a connection never made is retried for a create too, up to maxAttempts", () =>
    Effect.gen(function* () {
      const closed = yield* Effect.scoped(
        Effect.map(
          server(() => {}),
          (s) => s.baseUrl
        )
      )
      const http = yield* clientOn(closed)
      const error = yield* Effect.flip(http.send(request(false)))
      expect(error.reason._tag).toBe("ProviderUnavailable")
      expect(error.message).toContain("nothing was sent")
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer))
  )

  it.live(
    "no answer within the time limit: a create is OutcomeUnknown after one request, a query Timeout after three",
    () =>
      Effect.gen(function* () {
        const s = yield* server(() => {})
        const http = yield* clientOn(s.baseUrl, "50 millis")
        const create = yield* Effect.flip(http.send(request(false)))
        expect(create.reason).toEqual(
          new PaymentError.OutcomeUnknown({
            detail: "no answer within 50 ms after the request was sent",
            advice: "look for reference R-1"
          })
        )
        expect(s.seen).toHaveLength(1)
        const query = yield* Effect.flip(http.send(request(true)).pipe(CallOptions.withTimeout("30 millis")))
        expect(query.reason).toEqual(new PaymentError.Timeout({ afterMillis: 30 }))
        expect(s.seen).toHaveLength(4)
      }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer))
  )

  it.live("an aborted signal: nothing sent when aborted before; OutcomeUnknown for a create on its way", () =>
    Effect.gen(function* () {
      const s = yield* server(() => {})
      const http = yield* clientOn(s.baseUrl)
      const before = yield* Effect.flip(http.send(request(false)).pipe(CallOptions.withSignal(AbortSignal.abort())))
      expect(before.reason._tag).toBe("Aborted")
      expect(s.seen).toHaveLength(0)

      const controller = new AbortController()
      setTimeout(() => controller.abort(), 100)
      const onItsWay = yield* Effect.flip(http.send(request(false)).pipe(CallOptions.withSignal(controller.signal)))
      expect(onItsWay.reason).toEqual(
        new PaymentError.OutcomeUnknown({
          detail: "the call was aborted after the request was sent",
          advice: "look for reference R-1"
        })
      )
      expect(onItsWay.mayHaveTakenEffect).toBe(true)
      expect(s.seen).toHaveLength(1)

      const limited = new AbortController()
      setTimeout(() => limited.abort(new CallOptions.CallTimeLimit({ afterMillis: 100 })), 100)
      const query = yield* Effect.flip(http.send(request(true)).pipe(CallOptions.withSignal(limited.signal)))
      expect(query.reason).toEqual(new PaymentError.Timeout({ afterMillis: 100 }))
      expect(query.isRetrySafe).toBe(true)
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer))
  )
})

describe("ProviderHttp hooks: what an application sees of each request", () => {
  it.live("onRequest, onResponse and onRetry per attempt, with no credential, body or query", () =>
    Effect.gen(function* () {
      const s = yield* server((n, _, response) => (n < 2 ? json(response, 503, {}) : json(response, 200, { id: 7 })))
      const http = yield* clientOn(s.baseUrl)
      const seen: Array<readonly [string, unknown]> = []
      const hooks: ProviderHttp.Hooks = {
        onRequest: (info) => Effect.sync(() => seen.push(["request", info])),
        onResponse: (info) => Effect.sync(() => seen.push(["response", { ...info, durationMillis: "n" }])),
        onRetry: (info) => Effect.sync(() => seen.push(["retry", { ...info, delayMillis: "n" }]))
      }
      yield* http.send(request(true)).pipe(Effect.provideService(ProviderHttp.CurrentHooks, hooks))
      const info = (attempt: number) => ({
        provider: "gateway",
        merchantId: "hotel-1",
        operation: "things.get",
        attempt,
        method: "POST",
        url: `${s.baseUrl}/things`
      })
      expect(seen).toEqual([
        ["request", info(1)],
        ["response", { ...info(1), status: 503, outcome: "ProviderUnavailable", durationMillis: "n" }],
        ["retry", { ...info(1), reason: "ProviderUnavailable", delayMillis: "n" }],
        ["request", info(2)],
        ["response", { ...info(2), status: 200, outcome: "ok", durationMillis: "n" }]
      ])
      expect(JSON.stringify(seen)).not.toMatch(/token|10\.50|page=2/)
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer))
  )

  it.live("an attempt without an answer is reported with no status", () =>
    Effect.gen(function* () {
      const s = yield* server(() => {})
      const http = yield* clientOn(s.baseUrl, "50 millis")
      const responses: Array<ProviderHttp.ResponseInfo> = []
      const hooks: ProviderHttp.Hooks = { onResponse: (info) => Effect.sync(() => responses.push(info)) }
      yield* Effect.flip(http.send(request(false)).pipe(Effect.provideService(ProviderHttp.CurrentHooks, hooks)))
      expect(responses.map((r) => [r.status, r.outcome])).toEqual([[undefined, "OutcomeUnknown"]])
    }).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer))
  )
})

describe("ProviderHttp on fetch: a port fetch will not connect to", () => {
  it("fetch's refusal of a blocked port is Refused: nothing was sent", () => {
    // What Node's fetch (undici) gives for a port on the Fetch standard's block list.
    const badPort = new TypeError("fetch failed", { cause: new Error("bad port") })
    expect(ProviderHttp.transportFailure({ _tag: "RequestError", reason: "Transport", cause: badPort })).toEqual({
      _tag: "Refused",
      code: "bad port"
    })
  })

  it.live("a create to such a base URL is a Configuration error, never OutcomeUnknown", () =>
    Effect.gen(function* () {
      // Port 1 is on the Fetch standard's list of blocked ports: fetch refuses before connecting.
      const http = yield* clientOn("http://127.0.0.1:1")
      const error = yield* Effect.flip(http.send(request(false)))
      expect(error.reason._tag).toBe("Configuration")
      expect(error.mayHaveTakenEffect).toBe(false)
    }).pipe(Effect.provide(FetchHttpClient.layer))
  )
})
