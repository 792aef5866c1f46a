/**
 * The application's handler for verified events, given once (`Pasarela.layer(config, { onEvent })`,
 * `createPasarela(config, { onEvent })`) and run by whichever part delivers events: the webhook
 * endpoint itself, or — with a durable store — the dispatcher. Either way it runs under a time limit,
 * and whatever it fails with is caught and reported, never thrown.
 */
import type { PaymentEvent } from "@pasarela/core"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Layer from "effect/Layer"

/** Handles one verified event; a failure means "not handled": it is delivered again later. */
export type Handler<R = never> = (event: PaymentEvent.PaymentEvent) => Effect.Effect<void, unknown, R>

export class EventHandler extends Context.Tag("pasarela/EventHandler")<EventHandler, Handler>() {}

/** The handler, its requirements provided from the layer's context. */
export const layer = <R>(handler: Handler<R>): Layer.Layer<EventHandler, never, R> =>
  Layer.effect(
    EventHandler,
    Effect.map(
      Effect.context<R>(),
      (context): Handler =>
        (event) =>
          Effect.provide(
            Effect.suspend(() => handler(event)),
            context
          )
    )
  )

/** A handler that does nothing: events are verified, recorded and answered, and that is all. */
export const ignore: Handler = () => Effect.void

/** The handler ran past its time limit. */
export class HandlerTimeout extends Data.TaggedError("HandlerTimeout")<{ readonly after: string }> {
  override get message() {
    return `the handler did not finish within ${this.after}`
  }
}

/**
 * Runs `handler` on `event` within `timeout` (interrupting it then). Right when it succeeded; Left
 * with what went wrong — a failure, a defect, a timeout — which this never fails with.
 */
export const run = (
  handler: Handler,
  event: PaymentEvent.PaymentEvent,
  timeout: Duration.Duration
): Effect.Effect<Either.Either<void, Cause.Cause<unknown>>> =>
  Effect.suspend(() => handler(event)).pipe(
    Effect.timeoutFail({ duration: timeout, onTimeout: () => new HandlerTimeout({ after: Duration.format(timeout) }) }),
    Effect.sandbox,
    Effect.either
  )

/** One line about what went wrong, for a record (`lastError`). */
export const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.squash(cause)
  return (failure instanceof Error ? failure.message : String(failure)).slice(0, 1000)
}
