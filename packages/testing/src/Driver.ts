/**
 * What the conformance suite needs from a provider besides its services: how to make things happen
 * on the provider's side (pay, expire, settle), where its notifications arrive, and how to count
 * the requests it received (to prove invalid input never reached it).
 */
import type { Charge, Money, PaymentLink, RawNotification } from "@pasarela/core"
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"

export interface DriverShape {
  /** An amount the provider accepts for links and charges (e.g. whole COP). */
  readonly amount: Money.Money
  /** Fields the provider requires on a link beyond the neutral minimum (payer email, notification URL…). */
  readonly linkDefaults: Partial<PaymentLink.CreatePaymentLinkInput>
  /** Makes an approved payment on the link, as a payer would. */
  readonly payLink: (link: PaymentLink.PaymentLink) => Effect.Effect<void, unknown>
  /** Makes the link expire now on the provider's side. Absent: the provider cannot be made to. */
  readonly expireLink?: (link: PaymentLink.PaymentLink) => Effect.Effect<void, unknown>
  /** True when the provider notifies expiry (PlacetoPay does; Autocore does not). */
  readonly notifiesExpiry: boolean
  /** The next notification the provider delivered, raw, as a webhook endpoint receives it. */
  readonly takeNotification: Effect.Effect<RawNotification, unknown>
  /**
   * A copy of a genuine notification altered the way an attacker would: content changed without
   * the provider's secret (e.g. status or id changed, signature or token kept).
   */
  readonly forge: (notification: RawNotification) => RawNotification
  /** How many API requests the provider has received so far. */
  readonly requestCount: Effect.Effect<number, unknown>
  /** Card charges, when the provider has them: an input per outcome, and how to settle a pending one. */
  readonly charges?: {
    readonly approved: Charge.CreateChargeInput
    readonly declined: Charge.CreateChargeInput
    readonly pendingThenApproved: Charge.CreateChargeInput
    readonly settle: (chargeId: string) => Effect.Effect<void, unknown>
  }
}

export class Driver extends Context.Tag("@pasarela/testing/Driver")<Driver, DriverShape>() {}
