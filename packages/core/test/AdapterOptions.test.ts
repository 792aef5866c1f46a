import { describe, expect, it } from "@effect/vitest"
import { AdapterOptions, Fields, ProviderHttp } from "@pasarela/core"
import * as Config from "effect/Config"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"

/** The shared options as an adapter's options schema spreads them. */
const decode = AdapterOptions.decoder(Schema.Struct(AdapterOptions.fields))

describe("AdapterOptions.fields: the timeout and retry options every adapter takes", () => {
  it("defaults what is left out, and reports every wrong option at its path", () => {
    expect(Either.map(decode({}), (options) => options.retry)).toEqual(Either.right(ProviderHttp.defaultPolicy))
    expect(
      Either.map(decode({ retry: { maxAttempts: 1, baseDelay: "0 millis" } }), (options) => options.retry)
    ).toEqual(Either.right({ ...ProviderHttp.defaultPolicy, maxAttempts: 1, baseDelay: Duration.zero }))
    const wrong = decode({
      retry: { maxAttempts: 11, baseDelay: "soon" as Duration.DurationInput, maxRetryAfter: Duration.infinity }
    })
    expect(Either.isLeft(wrong) && wrong.left.map((issue) => issue.path)).toEqual([
      "retry.maxAttempts",
      "retry.baseDelay",
      "retry.maxRetryAfter"
    ])
  })

  it("timeout: a positive, finite duration as text, milliseconds or a Duration; 30 seconds by default", () => {
    const timeoutOf = (timeout: Duration.DurationInput | undefined) =>
      Either.map(decode({ timeout }), (options) => Duration.toMillis(options.timeout))
    expect(timeoutOf(undefined)).toEqual(Either.right(30_000))
    expect(timeoutOf("5 seconds")).toEqual(Either.right(5_000))
    expect(timeoutOf(250)).toEqual(Either.right(250))
    expect(timeoutOf(Duration.minutes(1))).toEqual(Either.right(60_000))
    for (const timeout of ["soon", 0, Duration.infinity, "-1 seconds"] as const) {
      expect(timeoutOf(timeout as Duration.DurationInput), String(timeout)).toEqual(
        Either.left([{ path: "timeout", message: 'must be a positive duration such as "30 seconds"' }])
      )
    }
  })

  it("a secret is Redacted readable text, or one issue saying what is wrong, never its value", () => {
    const check = AdapterOptions.decoder(Schema.Struct({ key: AdapterOptions.SecretCredential }))
    expect(Either.isRight(check({ key: Redacted.make("abc") }))).toBe(true)
    const messages = (key: unknown) =>
      Either.match(check({ key } as never), { onLeft: (issues) => issues.map((i) => i.message), onRight: () => [] })
    expect(messages(Redacted.make(""))).toEqual(["must not be empty"])
    expect(messages(Redacted.make("s3cr3t-value\n"))).toEqual([Fields.credentialRule])
    expect(messages("plain-text-secret")).toEqual([
      "must be a Redacted value: wrap it with Redacted.make(…) or read it with Config.redacted(…)"
    ])
    expect(JSON.stringify(check({ key: Redacted.make("s3cr3t-value\n") }))).not.toContain("s3cr3t")
  })

  it("baseUrl: a preset's name or an https URL (http on loopback) without query or fragment; no trailing slash", () => {
    const check = AdapterOptions.decoder(
      Schema.Struct({ baseUrl: AdapterOptions.baseUrl({ live: "https://pay.example/api" }, "https://pay.example") })
    )
    const baseUrlOf = (baseUrl: string) =>
      Either.match(check({ baseUrl }), {
        onLeft: (issues) => issues.map((i) => `${i.path}: ${i.message}`),
        onRight: (options) => options.baseUrl
      })
    expect(baseUrlOf("live")).toBe("https://pay.example/api")
    expect(baseUrlOf("https://pay.example/api//")).toBe("https://pay.example/api")
    expect(baseUrlOf("https://pay.example")).toBe("https://pay.example")
    expect(baseUrlOf("http://[::1]:8080/")).toBe("http://[::1]:8080")
    expect(baseUrlOf("https://pay.example/api?x=1")).toEqual(["baseUrl: must not have a query or fragment"])
    expect(baseUrlOf("https://pay.example/api#f")).toEqual(["baseUrl: must not have a query or fragment"])
    expect(baseUrlOf("toString")).toEqual(["baseUrl: must be an absolute URL such as https://pay.example"])
    expect(baseUrlOf("http://pay.example")).toEqual([
      "baseUrl: must use https (plain http only for loopback: 127.0.0.1, ::1, localhost)"
    ])
    expect(baseUrlOf("https://user:pw@pay.example")).toEqual(["baseUrl: must not carry credentials (user:password@)"])
  })

  it.effect("reads RETRY_* under the adapter's prefix; nothing set is undefined", () =>
    Effect.gen(function* () {
      const read = (entries: ReadonlyArray<readonly [string, string]>) =>
        Effect.withConfigProvider(
          Config.nested(AdapterOptions.retryConfig, "GATEWAY"),
          ConfigProvider.fromMap(new Map(entries), { pathDelim: "_" })
        )
      expect(yield* read([])).toBeUndefined()
      expect(yield* read([["GATEWAY_RETRY_MAX_ATTEMPTS", "5"]])).toEqual({ maxAttempts: 5 })
    })
  )
})
