import { describe, expect, it } from "@effect/vitest"
import { NotFound, PaymentError, PaymentLinks, Provider, Retry } from "@pasarela/core"
import { Effect, Either, Option } from "effect"
import { type RecordedSpan, recordingTracer } from "../src/index.js"

const provider = Provider.make({ name: "test", displayName: "Test", capabilities: ["links.get"] })
const notFound = new PaymentError({
  provider: "test",
  operation: "links.get",
  reason: new NotFound({ detail: "no link L1" })
})

/** `links.get` whose implementation reports the span it runs in, then attempts one request. */
const lookupSeeingItsSpan = (seen: Array<string | undefined>) =>
  PaymentLinks.make(provider, {
    get: () =>
      Effect.flatMap(Effect.option(Effect.currentSpan), (span) => {
        seen.push(Option.getOrUndefined(Option.map(span, (s) => s.name)))
        return Retry.attempt({
          span: "test.links.get",
          attributes: { "pasarela.provider": "test" },
          send: Effect.succeed({ status: 404 }),
          onFailure: () => notFound,
          onAnswer: () => Either.left(notFound),
          label: "test"
        }).pipe(Effect.mapError((failure) => failure.error))
      })
  })

// Core's rule, seen through this kit's recording tracer: spans only where a tracer keeps them.
describe("recordingTracer and Pasarela's spans", () => {
  it.effect("are made only where a tracer keeps them: none under Effect's built-in tracer", () =>
    Effect.gen(function* () {
      const seen: Array<string | undefined> = []
      const error = yield* Effect.flip(lookupSeeingItsSpan(seen).get("L1"))
      expect(error.reason._tag).toBe("NotFound")
      expect(seen).toEqual([undefined])
    })
  )

  it.effect("with a tracer installed: the operation's span, and each attempt's client span under it", () =>
    Effect.gen(function* () {
      const seen: Array<string | undefined> = []
      const spans: Array<RecordedSpan> = []
      const error = yield* Effect.flip(
        lookupSeeingItsSpan(seen)
          .get("L1")
          .pipe(Effect.withTracer(recordingTracer(spans)))
      )
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
        "http.response.status_code": 404,
        "pasarela.outcome": "NotFound"
      })
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
