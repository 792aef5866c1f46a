/**
 * The notifications service: a raw notification in (body exactly as received, so a framework's
 * JSON parsing cannot break signatures), a verified `PaymentEvent` out, plus how to answer.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { operation } from "./internal/operation.js"
import { PaymentError, WebhookRejected } from "./PaymentError.js"
import type { PaymentEvent } from "./PaymentEvent.js"
import type { PaymentLink } from "./PaymentLink.js"
import type { ProviderInfo } from "./Provider.js"

/** Bodies above this size are refused unread: no provider sends notifications this large. */
export const MAX_BODY_BYTES = 64 * 1024

/** UTF-8 size of `text` without encoding it (a lone surrogate counts as the 3 bytes of U+FFFD). */
const utf8Length = (text: string): number => {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) bytes += 1
    else if (unit < 0x800) bytes += 2
    else if (unit >= 0xd800 && unit < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}

/** At most `MAX_BODY_BYTES` once UTF-8 encoded; the common cases are decided from `length` alone. */
const withinBodyLimit = (body: string): boolean =>
  body.length <= MAX_BODY_BYTES && (body.length * 3 <= MAX_BODY_BYTES || utf8Length(body) <= MAX_BODY_BYTES)

export const RawNotification = Schema.Struct({
  /** The body exactly as received. */
  body: Schema.String.pipe(Schema.filter((b) => withinBodyLimit(b) || `must be at most ${MAX_BODY_BYTES} bytes`)),
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
  /**
   * The events this provider's notifications report for a link in the state `link` shows (its
   * approval once paid, its expiry once expired), with the same dedupe keys: how a reconciler
   * recovers a notification that never arrived without doubling one that did. Empty for a
   * provider whose links cannot be read back.
   */
  readonly eventsOf: (link: PaymentLink, merchantId: string | undefined, now: Date) => ReadonlyArray<PaymentEvent>
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
    readonly eventsOf?: WebhooksService["eventsOf"]
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
    replies: implementation.replies ?? defaultReplies,
    eventsOf: implementation.eventsOf ?? (() => [])
  }
}

export class Webhooks extends Context.Tag("@pasarela/core/Webhooks")<Webhooks, WebhooksService>() {
  static readonly make = makeWebhooks
}
