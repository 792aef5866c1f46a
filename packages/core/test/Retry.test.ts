import { describe, expect, it } from "@effect/vitest"
import {
  Authentication,
  Deadline,
  LeanClient,
  NotFound,
  OutcomeUnknown,
  PaymentError,
  ProtocolViolation,
  ProviderUnavailable,
  RateLimited,
  Retry,
  Timeout
} from "@pasarela/core"
import { Duration, Effect, Either } from "effect"

const NOW = Date.parse("2026-01-27T15:15:00Z")

describe("Retry.errorCode", () => {
  it("finds the code however the HTTP client wrapped it", () => {
    expect(Retry.errorCode({ code: "ECONNREFUSED" })).toBe("ECONNREFUSED")
    expect(Retry.errorCode(new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } }))).toBe("ECONNREFUSED")
    expect(Retry.errorCode({ errors: [{ message: "x" }, { code: "ECONNREFUSED" }] })).toBe("ECONNREFUSED")
    expect(Retry.errorCode(new Error("other side closed"))).toBeUndefined()
    expect(Retry.errorCode(undefined)).toBeUndefined()
  })
})

describe("Retry.retryAfterMillis", () => {
  it("reads seconds and HTTP dates", () => {
    expect(Retry.retryAfterMillis("120", NOW)).toBe(120_000)
    expect(Retry.retryAfterMillis(new Date(NOW - 5000).toUTCString(), NOW)).toBe(0)
    expect(Retry.retryAfterMillis("soon", NOW)).toBeUndefined()
    expect(Retry.retryAfterMillis(undefined, NOW)).toBeUndefined()
  })
})

describe("Retry.decide", () => {
  const policy: Retry.RetryPolicy = {
    maxAttempts: 3,
    baseDelay: Duration.millis(100),
    maxRetryAfter: Duration.seconds(5)
  }
  const failed = (operation: string, reason: PaymentError["reason"], notSent = false) => ({
    error: new PaymentError({ provider: "placetopay", operation, reason }),
    notSent
  })
  const unavailable = new ProviderUnavailable({ status: 503, detail: "down" })
  const refused = new ProviderUnavailable({ detail: "could not connect (ECONNREFUSED); nothing was sent" })
  const timeout = new Timeout({ afterMillis: 100, mayHaveTakenEffect: true })
  const unknown = new OutcomeUnknown({ detail: "reset", advice: "look" })

  it("retries a query on unavailability, rate limits and timeouts, with full-jitter exponential backoff", () => {
    for (const reason of [
      unavailable,
      new RateLimited({}),
      new Timeout({ afterMillis: 1, mayHaveTakenEffect: false })
    ]) {
      expect(Retry.decide(policy, true, failed("links.get", reason), 1, 0.5)).toEqual({
        _tag: "Retry",
        delayMillis: 50
      })
      expect(Retry.decide(policy, true, failed("links.get", reason), 2, 0.5)).toEqual({
        _tag: "Retry",
        delayMillis: 100
      })
      expect(Retry.decide(policy, true, failed("links.get", reason), 2, 0)).toEqual({
        _tag: "Retry",
        delayMillis: 0
      })
      // maxAttempts counts the first: after attempt 3 there is no 4th.
      expect(Retry.decide(policy, true, failed("links.get", reason), 3, 0.5)._tag).toBe("GiveUp")
    }
  })

  it("never retries a query on answers a retry cannot change", () => {
    for (const reason of [
      new Authentication({ code: "102", detail: "Authentication failed 102" }),
      new NotFound({ detail: "no such link" }),
      new ProtocolViolation({ status: 200, detail: "url: is missing" })
    ]) {
      expect(Retry.decide(policy, true, failed("links.get", reason), 1, 0.5)._tag).toBe("GiveUp")
    }
  })

  it("retries a create or a disable only when the request provably never left", () => {
    for (const operation of ["links.create", "links.disable"] as const) {
      expect(Retry.decide(policy, false, failed(operation, refused, true), 1, 0.99)).toEqual({
        _tag: "Retry",
        delayMillis: 99
      })
      expect(Retry.decide(policy, false, failed(operation, refused, true), 3, 0.5)._tag).toBe("GiveUp")
      for (const reason of [unavailable, new RateLimited({ retryAfterMillis: 0 }), timeout, unknown]) {
        expect(Retry.decide(policy, false, failed(operation, reason), 1, 0.5)._tag).toBe("GiveUp")
      }
    }
  })

  it("waits Retry-After when it is within maxRetryAfter, and gives up at once when it is longer", () => {
    const limited = (ms: number) => failed("links.get", new RateLimited({ retryAfterMillis: ms }))
    expect(Retry.decide(policy, true, limited(2000), 1, 0.5)).toEqual({
      _tag: "Retry",
      delayMillis: 2000
    })
    // The backoff still applies when it is longer than what the server asked.
    expect(Retry.decide(policy, true, limited(0), 2, 0.5)).toEqual({ _tag: "Retry", delayMillis: 100 })
    expect(Retry.decide(policy, true, limited(5000), 1, 0.5)._tag).toBe("Retry")
    expect(Retry.decide(policy, true, limited(5001), 1, 0.5)._tag).toBe("GiveUp")
  })

  it("maxAttempts 1 turns retries off", () => {
    const once = { ...policy, maxAttempts: 1 }
    expect(Retry.decide(once, true, failed("links.get", unavailable), 1, 0.5)._tag).toBe("GiveUp")
    expect(Retry.decide(once, false, failed("links.create", refused, true), 1, 0.5)._tag).toBe("GiveUp")
  })
})

describe("Retry.transportFailure", () => {
  it("only a request error with a never-connected code proves nothing was sent", () => {
    expect(Retry.transportFailure({ _tag: "RequestError", cause: { code: "ECONNREFUSED" } })).toEqual({
      _tag: "NotSent",
      code: "ECONNREFUSED"
    })
    expect(Retry.transportFailure({ _tag: "RequestError", cause: { code: "ECONNRESET" } })).toEqual({
      _tag: "Lost",
      code: "ECONNRESET"
    })
    // A never-connected code while reading an answer means an answer was on its way: not proof.
    expect(Retry.transportFailure({ _tag: "ResponseError", cause: { code: "ECONNREFUSED" } })._tag).toBe("Lost")
    expect(Retry.transportFailure({ _tag: "RequestError", cause: new Error("other side closed") })).toEqual({
      _tag: "Lost",
      code: undefined
    })
  })

  it("a URL the HTTP client refused is InvalidUrl (nothing was sent)", () => {
    expect(Retry.transportFailure({ _tag: "RequestError", reason: "InvalidUrl", cause: new TypeError("x") })).toEqual({
      _tag: "InvalidUrl"
    })
    expect(Retry.transportFailure({ _tag: "RequestError", reason: "Transport", cause: new TypeError("x") })._tag).toBe(
      "Lost"
    )
  })

  it("a request the HTTP client refused to send (a header, an argument, a body) is Refused: nothing was sent", () => {
    for (const code of ["UND_ERR_INVALID_ARG", "ERR_INVALID_CHAR", "ERR_HTTP_INVALID_HEADER_VALUE"]) {
      const cause = Object.assign(new TypeError("invalid secret_key header"), { code })
      expect(Retry.transportFailure({ _tag: "RequestError", reason: "Transport", cause })).toEqual({
        _tag: "Refused",
        code
      })
      // While reading an answer, the request had gone out: not a refusal.
      expect(Retry.transportFailure({ _tag: "ResponseError", reason: "Decode", cause })._tag).toBe("Lost")
    }
    expect(Retry.transportFailure({ _tag: "RequestError", reason: "Encode", cause: new Error("x") })).toEqual({
      _tag: "Refused",
      code: undefined
    })
  })
})

describe("Retry.send", () => {
  const request = () => ({ url: "https://provider.test/x" })
  const refused = { _tag: "RequestError", reason: "Transport", cause: { code: "ECONNREFUSED" } }

  it.live("passes the answer through and classifies the client's failure", () =>
    Effect.gen(function* () {
      expect(yield* Retry.send({}, request(), () => Effect.succeed("answer"), 1_000)).toBe("answer")
      expect(yield* Effect.flip(Retry.send({}, request(), () => Effect.fail(refused), 1_000))).toEqual({
        _tag: "NotSent",
        code: "ECONNREFUSED"
      })
    })
  )

  it.live("is TimedOut when the time passes, whether the client is lean (its DeadlineExceeded) or not", () =>
    Effect.gen(function* () {
      const exceeded = {
        _tag: "RequestError",
        reason: "Transport",
        cause: new Deadline.DeadlineExceeded({ afterMillis: 20 })
      }
      const lean = LeanClient.mark({})
      expect(yield* Effect.flip(Retry.send(lean, request(), () => Effect.fail(exceeded), 20))).toEqual({
        _tag: "TimedOut"
      })
      expect(yield* Effect.flip(Retry.send({}, request(), () => Effect.never, 20))).toEqual({ _tag: "TimedOut" })
    })
  )
})

describe("Retry.run", () => {
  const policy: Retry.RetryPolicy = {
    maxAttempts: 3,
    baseDelay: Duration.millis(1),
    maxRetryAfter: Duration.seconds(1)
  }
  const unavailable = new PaymentError({
    provider: "placetopay",
    operation: "links.create",
    reason: new ProviderUnavailable({ detail: "could not connect" })
  })
  const unknown = new PaymentError({
    provider: "placetopay",
    operation: "links.create",
    reason: new OutcomeUnknown({ detail: "reset after sending", advice: "look it up" })
  })

  /** The attempt numbers a create that always fails with `failure` goes through, and its final error. */
  const attemptsOf = (failure: Retry.AttemptFailure) =>
    Effect.gen(function* () {
      const attempts: Array<number> = []
      const error = yield* Effect.flip(
        Retry.run(
          policy,
          false,
          (n) =>
            Effect.zipRight(
              Effect.sync(() => attempts.push(n)),
              Effect.fail(failure)
            ),
          "test create"
        )
      )
      return { attempts, error }
    })

  it.live("tries again while the request provably never left, numbering attempts, up to maxAttempts", () =>
    Effect.gen(function* () {
      const { attempts, error } = yield* attemptsOf({ error: unavailable, notSent: true })
      expect(attempts).toEqual([1, 2, 3])
      expect(error).toBe(unavailable)
    })
  )

  it.live("never tries a create again once it may have reached the provider", () =>
    Effect.gen(function* () {
      const { attempts, error } = yield* attemptsOf({ error: unknown, notSent: false })
      expect(attempts).toEqual([1])
      expect(error).toBe(unknown)
    })
  )

  it.live("returns the first success", () =>
    Effect.gen(function* () {
      const result = yield* Retry.run(
        policy,
        true,
        (n) => (n < 2 ? Effect.fail({ error: unavailable, notSent: false }) : Effect.succeed(`attempt ${n}`)),
        "test query"
      )
      expect(result).toBe("attempt 2")
    })
  )
})

describe("Retry.attempt", () => {
  const error = new PaymentError({
    provider: "placetopay",
    operation: "links.create",
    reason: new ProviderUnavailable({ detail: "could not connect" })
  })
  const attempt = <S extends { readonly status: number }>(send: Effect.Effect<S, { readonly _tag: string }>) =>
    Retry.attempt({
      span: "test.links.create",
      attributes: {},
      send,
      onFailure: () => error,
      onAnswer: (answer: S) => (answer.status === 201 ? Either.right("created") : Either.left(error)),
      label: "test"
    })

  it.effect("reads an answer, and says a transport failure was never sent only when tagged NotSent", () =>
    Effect.gen(function* () {
      expect(yield* attempt(Effect.succeed({ status: 201 }))).toBe("created")
      expect(yield* Effect.flip(attempt(Effect.succeed({ status: 500 })))).toEqual({ error, notSent: false })
      expect(yield* Effect.flip(attempt(Effect.fail({ _tag: "NotSent" })))).toEqual({ error, notSent: true })
      expect(yield* Effect.flip(attempt(Effect.fail({ _tag: "Lost" })))).toEqual({ error, notSent: false })
    })
  )
})
