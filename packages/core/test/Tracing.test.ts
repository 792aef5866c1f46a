import { describe, expect, it } from "@effect/vitest"
import { NotFound, PaymentError, PaymentLinks, Provider, Retry } from "@pasarela/core"
import { Effect, Either, Option, Tracer } from "effect"

interface Recorded {
  readonly name: string
  readonly parent: string | undefined
  readonly attributes: Map<string, unknown>
}

/** A tracer that keeps every span: what `@effect/opentelemetry` or DevTools would install. */
const recording = (spans: Array<Recorded>): Tracer.Tracer =>
  Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const record: Recorded = {
        name,
        parent: Option.isSome(parent) && parent.value._tag === "Span" ? parent.value.name : undefined,
        attributes: new Map()
      }
      spans.push(record)
      return {
        _tag: "Span",
        name,
        spanId: `span-${spans.length}`,
        traceId: "trace-1",
        parent,
        context,
        status: { _tag: "Started", startTime },
        attributes: record.attributes,
        links: [...links],
        sampled: true,
        kind,
        end: () => {},
        attribute: (key, value) => void record.attributes.set(key, value),
        event: () => {},
        addLinks: () => {}
      }
    },
    context: (f) => f()
  })

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

describe("spans", () => {
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
      const spans: Array<Recorded> = []
      const error = yield* Effect.flip(
        lookupSeeingItsSpan(seen)
          .get("L1")
          .pipe(Effect.withTracer(recording(spans)))
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
      const spans: Array<Recorded> = []
      const plain = yield* Effect.flip(links.disable("L1"))
      const traced = yield* Effect.flip(links.disable("L1").pipe(Effect.withTracer(recording(spans))))
      expect(plain.reason._tag).toBe("Unsupported")
      expect(traced).toEqual(plain)
      expect(spans.map((s) => s.name)).toEqual(["pasarela.links.disable"])
      yield* Effect.flip(links.create({ merchantId: "hotel-1" } as never).pipe(Effect.withTracer(recording(spans))))
      expect(Object.fromEntries(spans[1]!.attributes)).toEqual({
        "pasarela.provider": "test",
        "pasarela.operation": "links.create",
        "pasarela.merchant": "hotel-1"
      })
    })
  )
})
