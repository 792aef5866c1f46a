/**
 * Spans only where a tracer keeps them. Effect's built-in tracer keeps spans nowhere (it is there
 * so code can read its current span), and an operation's two spans cost about a third of an
 * adapter's own CPU per call, so under it operations and attempts make none. With any tracer
 * installed (`@effect/opentelemetry`, Effect's DevTools, a test's recording tracer) every span is
 * made as before.
 */
import { Effect, type Tracer } from "effect"

/** The tracer of a runtime nobody installed one in: one object, shared by every default runtime. */
const builtIn: Tracer.Tracer = Effect.runSync(Effect.tracer)

/** `Effect.withSpan` under an installed tracer (`options` computed then); `self` unchanged under the built-in one. */
export const withSpan =
  (name: string, options: () => Tracer.SpanOptions) =>
  <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.tracerWith((tracer) => (tracer === builtIn ? self : Effect.withSpan(self, name, options())))

/** Sets an attribute on the span, when there is one. */
export type Annotate = (key: string, value: unknown) => void

const ignore: Annotate = () => {}

/** `Effect.useSpan` under an installed tracer (`use` annotates that span); no span under the built-in one. */
export const useSpan = <A, E, R>(
  name: string,
  options: Tracer.SpanOptions,
  use: (annotate: Annotate) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.tracerWith((tracer) =>
    tracer === builtIn
      ? use(ignore)
      : Effect.useSpan(name, options, (span) => use((key, value) => span.attribute(key, value)))
  )
