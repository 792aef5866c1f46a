/**
 * Pasarela's spans into OpenTelemetry, for the Promise API (`pasarela/opentelemetry`, a separate
 * entry so that apps without OpenTelemetry never load or bundle it). Needs `@effect/opentelemetry`
 * and `@opentelemetry/api` installed:
 *
 * ```ts
 * createPasarela(config, { tracer: openTelemetryTracer(trace.getTracer("hotel-app")) })
 * ```
 */
import * as OtelTracer from "@effect/opentelemetry/Tracer"
import type { Tracer as OpenTelemetryApiTracer } from "@opentelemetry/api"
import * as Effect from "effect/Effect"
import type * as Tracer from "effect/Tracer"

/** An Effect tracer that records Pasarela's spans with an OpenTelemetry tracer. */
export const openTelemetryTracer = (tracer: OpenTelemetryApiTracer): Tracer.Tracer =>
  Effect.runSync(Effect.provideService(OtelTracer.make, OtelTracer.OtelTracer, tracer))
