/**
 * Helpers for adversarial and property-based tests of a provider, with vitest's `expect`: run its
 * notification verifier synchronously and classify the outcome, and check that a call ended in a
 * typed error (never a defect) without reaching the provider when it should not. (Absurdly nested
 * values, which need no test runner, are in `Values.ts`.)
 */
import { expect } from "@effect/vitest"
import { PaymentError, type PaymentEvent, type RawNotification, Webhooks } from "@pasarela/core"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"

export type Verdict =
  | { readonly _tag: "Verified"; readonly event: PaymentEvent.PaymentEvent }
  | { readonly _tag: "Rejected"; readonly detail: string }

/**
 * The `Webhooks` service in context as a synchronous function: `Verified` with the event, or
 * `Rejected` with the reason. Anything else — another error reason, a defect — throws, failing the
 * property.
 */
export const verifier: Effect.Effect<(notification: unknown) => Verdict, never, Webhooks> = Effect.gen(function* () {
  const webhooks = yield* Webhooks
  const runtime = yield* Effect.runtime<never>()
  return (notification: unknown): Verdict => {
    const exit = Runtime.runSyncExit(runtime)(webhooks.verify(notification as RawNotification))
    if (Exit.isSuccess(exit)) return { _tag: "Verified", event: exit.value }
    const failure = Cause.failureOption(exit.cause)
    if (Option.isNone(failure) || !Cause.isFailType(exit.cause)) {
      throw new Error(`expected WebhookRejected, got: ${Cause.pretty(exit.cause).slice(0, 2000)}`)
    }
    const error = failure.value
    expect(error).toBeInstanceOf(PaymentError.PaymentError)
    expect(error).toMatchObject({ provider: webhooks.provider.name, operation: "webhooks.verify" })
    if (error.reason._tag !== "WebhookRejected") throw new Error(`expected WebhookRejected, got ${error.reason._tag}`)
    return { _tag: "Rejected", detail: error.reason.detail }
  }
})

/** The rejection's detail; fails the test when the notification was accepted. */
export const expectRejected = (verdict: Verdict): string => {
  if (verdict._tag === "Verified") throw new Error(`accepted: ${JSON.stringify(verdict.event.raw).slice(0, 500)}`)
  return verdict.detail
}

/**
 * For a call against a provider that refuses every request: the reason it failed with. A refusal
 * before I/O (`InvalidRequest`, `Unsupported`) must have sent nothing; anything that was sent must
 * come back as `expectedAfterSending` (e.g. `Authentication` from a provider given bad keys). A
 * success or a defect fails the test.
 */
export const expectTypedOutcome = (
  exit: Exit.Exit<unknown, PaymentError.PaymentError>,
  requestsSent: number,
  expectedAfterSending: PaymentError.PaymentError["reason"]["_tag"]
): PaymentError.PaymentError["reason"]["_tag"] => {
  if (Exit.isSuccess(exit)) throw new Error("the provider refuses everything: a success is impossible")
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure) || !Cause.isFailType(exit.cause)) {
    throw new Error(`expected a PaymentError, got: ${Cause.pretty(exit.cause).slice(0, 2000)}`)
  }
  const reason = failure.value.reason._tag
  if (reason === "InvalidRequest" || reason === "Unsupported") expect(requestsSent).toBe(0)
  else {
    expect(reason).toBe(expectedAfterSending)
    expect(requestsSent).toBeGreaterThan(0)
  }
  return reason
}
