/**
 * The notifications service: a raw notification in (body exactly as received, so a framework's
 * JSON parsing cannot break signatures), a verified `PaymentEvent` out, plus how to answer.
 */
import { Context, Effect, Schema } from "effect"
import { operation } from "./internal/operation.js"
import { PaymentError, WebhookRejected } from "./PaymentError.js"
import type { PaymentEvent } from "./PaymentEvent.js"
import type { ProviderInfo } from "./Provider.js"

/** Bodies above this size are refused unread: no provider sends notifications this large. */
export const MAX_BODY_BYTES = 64 * 1024

export const RawNotification = Schema.Struct({
  /** The body exactly as received. */
  body: Schema.String.pipe(
    Schema.filter((b) => b.length <= MAX_BODY_BYTES || `must be at most ${MAX_BODY_BYTES} bytes`)
  ),
  /** The request URL as received (absolute, or path and query): some providers' tokens live there. */
  url: Schema.String,
  /** Header names in lower case. */
  headers: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  /** The merchant the notification is for, when the receiving endpoint knows (the router needs it). */
  merchantId: Schema.optional(Schema.String),
  /** The provider that sent it, when the receiving endpoint knows (to pick a merchant's fallback). */
  provider: Schema.optional(Schema.String)
})
export type RawNotification = typeof RawNotification.Type

/** The HTTP answer a provider expects. */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export interface WebhooksService {
  readonly provider: ProviderInfo
  /** Verifies authenticity in constant time, decodes and maps; anything doubtful is `WebhookRejected`. */
  readonly verify: (notification: RawNotification) => Effect.Effect<PaymentEvent, PaymentError>
  /** The answer for a notification that was accepted (and one that was rejected). */
  readonly replies: { readonly accepted: Reply; readonly rejected: Reply }
}

export const jsonReply = (status: number, body: unknown): Reply => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body)
})

/** 200 for an accepted notification, 400 for a rejected one. */
export const defaultReplies: WebhooksService["replies"] = {
  accepted: jsonReply(200, { ok: true }),
  rejected: jsonReply(400, { ok: false })
}

/**
 * Builds the service from a provider's implementation (also `Webhooks.make`).
 */
export const makeWebhooks = (
  provider: ProviderInfo,
  implementation: {
    readonly verify?: (notification: RawNotification) => Effect.Effect<PaymentEvent, PaymentError>
    readonly replies?: WebhooksService["replies"]
  }
): WebhooksService => {
  const verify = operation(provider, "webhooks.verify", RawNotification, implementation.verify)
  return {
    provider,
    // A notification that does not even have the right envelope is rejected like a forged one.
    verify: (notification) =>
      verify(notification).pipe(
        Effect.catchIf(
          (error) => error.reason._tag === "InvalidRequest",
          (error) =>
            Effect.fail(
              new PaymentError({
                provider: error.provider,
                operation: error.operation,
                reason: new WebhookRejected({ detail: error.reason.description })
              })
            )
        )
      ),
    replies: implementation.replies ?? defaultReplies
  }
}

export class Webhooks extends Context.Tag("@pasarela/core/Webhooks")<Webhooks, WebhooksService>() {
  static readonly make = makeWebhooks
}
