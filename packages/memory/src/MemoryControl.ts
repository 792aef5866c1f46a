/**
 * Test controls of the memory provider: act as the payer (pay, decline), as time and the gateway
 * (expire, settle, fail the next call), and watch what the provider emitted (events and the raw
 * notifications a webhook endpoint would receive). Provided by `Memory.layer` next to the services.
 */
import type {
  Charge,
  GiftCard,
  PaymentError,
  PaymentEvent,
  PaymentLink,
  PaymentOrder,
  Provider,
  RawNotification
} from "@pasarela/core"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import type * as Stream from "effect/Stream"

/** How `payLink` pays: approved by default. */
export interface PayLinkOptions {
  readonly outcome?: "approved" | "declined"
  /** Payment method reported on the payment (default `card`). */
  readonly method?: string
  /** Last four digits of the card reported on the payment (default `1111`). */
  readonly lastDigits?: string
  /** Why it was declined (default "Fondos insuficientes."). Only for `declined`. */
  readonly reason?: string
}

/** A payment order as the memory provider holds it: `pending` until `payOrder`. */
export interface MemoryOrder extends Omit<PaymentOrder.PaymentOrder, "status"> {
  readonly status: "pending" | "approved" | "declined"
}

export interface MemoryControlService {
  /** Pays the link as a payer would (approved unless `outcome: "declined"`); the link must be active. */
  readonly payLink: (
    id: string,
    options?: PayLinkOptions
  ) => Effect.Effect<PaymentLink.PaymentLink, PaymentError.PaymentError>
  /** A declined payment attempt on the link; the link stays active. */
  readonly declineLink: (
    id: string,
    reason?: string
  ) => Effect.Effect<PaymentLink.PaymentLink, PaymentError.PaymentError>
  /** Expires an active link now and emits `link.expired`, as if its expiry had passed. */
  readonly expireLink: (id: string) => Effect.Effect<PaymentLink.PaymentLink, PaymentError.PaymentError>
  /** Settles a pending charge to the final outcome of its test card, emitting that event. */
  readonly settleCharge: (id: string) => Effect.Effect<Charge.Charge, PaymentError.PaymentError>
  /** The buyer completes (or fails) a pending payment order. */
  readonly payOrder: (
    id: string,
    outcome?: "approved" | "declined"
  ) => Effect.Effect<MemoryOrder, PaymentError.PaymentError>
  /**
   * The next call of `operation` fails with `reason`. When the reason says the request may have
   * taken effect (`OutcomeUnknown`), the operation IS
   * performed first: that is what makes such failures ambiguous. Calls queue up per operation.
   */
  readonly failNext: (operation: Provider.Operation, reason: PaymentError.Reason) => Effect.Effect<void>
  /** Every event emitted from the moment the stream is run (a PubSub subscription). */
  readonly events: Stream.Stream<PaymentEvent.PaymentEvent>
  /** A subscription that starts now: nothing emitted after this call is missed. */
  readonly subscribe: Effect.Effect<Queue.Dequeue<PaymentEvent.PaymentEvent>, never, Scope.Scope>
  /** The oldest event not taken yet (waits for one). Independent of `events` and `takeNotification`. */
  readonly takeEvent: Effect.Effect<PaymentEvent.PaymentEvent>
  /** Every event emitted so far, oldest first. */
  readonly eventsSoFar: Effect.Effect<ReadonlyArray<PaymentEvent.PaymentEvent>>
  /** The raw notifications, signed, as a webhook endpoint receives them (from the moment the stream runs). */
  readonly notifications: Stream.Stream<RawNotification>
  /** The oldest notification not taken yet (waits for one): feed it to `Webhooks.verify` or your own handler. */
  readonly takeNotification: Effect.Effect<RawNotification>
  readonly notificationsSoFar: Effect.Effect<ReadonlyArray<RawNotification>>
  /** Delivers an earlier notification again (providers re-deliver): same body, same `dedupeKey`. */
  readonly redeliver: (notificationId: string) => Effect.Effect<RawNotification, PaymentError.PaymentError>
  /**
   * API calls that reached the provider, including ones `failNext` failed. Invalid input,
   * unsupported operations, `Webhooks.verify` (local work) and these controls never count.
   */
  readonly requestCount: Effect.Effect<number>
  /** Snapshots, with statuses as of the current `Clock` time. Reading them is not a request. */
  readonly links: Effect.Effect<ReadonlyArray<PaymentLink.PaymentLink>>
  readonly charges: Effect.Effect<ReadonlyArray<Charge.Charge>>
  readonly orders: Effect.Effect<ReadonlyArray<MemoryOrder>>
  readonly giftCards: Effect.Effect<ReadonlyArray<GiftCard.GiftCard>>
}

export class MemoryControl extends Context.Tag("@pasarela/memory/MemoryControl")<
  MemoryControl,
  MemoryControlService
>() {}
