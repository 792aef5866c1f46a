import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import { PaymentError, PaymentLinks, Provider, ProviderHttp } from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import { type RecordedSpan, recordingTracer } from "../src/index.js"

const provider = Provider.make({ name: "test", displayName: "Test", capabilities: ["links.get"] })

/** An HTTP client that answers every request 404, in process: these tests are about spans, not HTTP. */
const answering404 = HttpClient.make((request) =>
  Effect.succeed(HttpClientResponse.fromWeb(request, new Response("{}", { status: 404 })))
)

/** `links.get` whose implementation reports the span it runs in, then sends one request through `ProviderHttp`. */
const lookupSeeingItsSpan = (seen: Array<string | undefined>) =>
  Effect.map(
    ProviderHttp.make({
      provider: "test",
      displayName: "Test",
      baseUrl: "https://provider.test",
      timeout: Duration.seconds(5),
      authenticate: () => Effect.succeed({})
    }),
    (http) =>
      PaymentLinks.make(provider, {
        get: ({ id }) =>
          Effect.flatMap(Effect.option(Effect.currentSpan), (span) => {
            seen.push(Option.getOrUndefined(Option.map(span, (s) => s.name)))
            return http.send({
              operation: "links.get",
              method: "GET",
              path: `/links/${id}`,
              readOnly: true,
              advice: "",
              classify: () => Either.left(new PaymentError.NotFound({ detail: `no link ${id}` }))
            })
          })
      })
  ).pipe(Effect.provideService(HttpClient.HttpClient, answering404))

// Core's spans, seen through this kit's recording tracer.
describe("recordingTracer and Pasarela's spans", () => {
  it.effect("with a tracer installed: the operation's span, and each attempt's client span under it", () =>
    Effect.gen(function* () {
      const seen: Array<string | undefined> = []
      const spans: Array<RecordedSpan> = []
      const links = yield* lookupSeeingItsSpan(seen)
      const error = yield* Effect.flip(links.get("L1").pipe(Effect.withTracer(recordingTracer(spans))))
      expect(error.reason._tag).toBe("NotFound")
      expect(seen).toEqual(["pasarela.links.get"])
      expect(spans.map((s) => [s.name, s.parent])).toEqual([
        ["pasarela.links.get", undefined],
        ["test.links.get", "pasarela.links.get"]
      ])
      expect(Object.fromEntries(spans[0]!.attributes)).toEqual({
        "pasarela.provider": "test",
        "pasarela.operation": "links.get"
      })
      expect(Object.fromEntries(spans[1]!.attributes)).toEqual({
        "pasarela.provider": "test",
        "pasarela.operation": "links.get",
        "pasarela.attempt": 1,
        "http.request.method": "GET",
        "server.address": "provider.test",
        "url.path": "/links/L1",
        "http.response.status_code": 404,
        "pasarela.outcome": "NotFound"
      })
      expect(spans[1]!.kind).toBe("client")
    })
  )

  it.effect("an unsupported operation fails alike with or without a tracer", () =>
    Effect.gen(function* () {
      const links = PaymentLinks.make(provider, {})
      const spans: Array<RecordedSpan> = []
      const plain = yield* Effect.flip(links.disable("L1"))
      const traced = yield* Effect.flip(links.disable("L1").pipe(Effect.withTracer(recordingTracer(spans))))
      expect(plain.reason._tag).toBe("Unsupported")
      expect(traced).toEqual(plain)
      expect(spans.map((s) => s.name)).toEqual(["pasarela.links.disable"])
      yield* Effect.flip(
        links.create({ merchantId: "hotel-1" } as never).pipe(Effect.withTracer(recordingTracer(spans)))
      )
      expect(Object.fromEntries(spans[1]!.attributes)).toEqual({
        "pasarela.provider": "test",
        "pasarela.operation": "links.create",
        "pasarela.merchant": "hotel-1"
      })
    })
  )
})
