/**
 * The memory provider's state and rules. Every method is synchronous and is called with the
 * current `Clock` time, so one call is atomic (nothing interleaves with it) and tests drive time
 * with `TestClock`. Results are `Either`s, which are also `Effect`s.
 */
import {
  Card,
  type Charge,
  Conflict,
  type GiftCard,
  Money,
  NotFound,
  PaymentError,
  type PaymentEvent,
  PaymentLink,
  type PaymentOrder,
  type Provider,
  type RawNotification,
  type Reason,
  Validation
} from "@pasarela/core"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import type * as PubSub from "effect/PubSub"
import type * as Queue from "effect/Queue"
import * as Redacted from "effect/Redacted"
import type { MemoryOrder, PayLinkOptions } from "../MemoryControl.js"
import * as Notification from "../Notification.js"
import * as TestCards from "../TestCards.js"
import { DeadlineHeap } from "./DeadlineHeap.js"

export interface Settings {
  readonly provider: Provider.ProviderInfo
  readonly webhookSecret: Redacted.Redacted<string>
  readonly merchantId: string | undefined
  readonly idPrefix: string
  readonly baseUrl: string
}

/** Where emitted events and notifications go. */
export interface Outlets {
  readonly eventQueue: Queue.Queue<PaymentEvent.PaymentEvent>
  readonly eventHub: PubSub.PubSub<PaymentEvent.PaymentEvent>
  readonly notificationQueue: Queue.Queue<RawNotification>
  readonly notificationHub: PubSub.PubSub<RawNotification>
  /** Called when a link expires earlier than every link before it: the scheduler must look again. */
  readonly wakeScheduler: () => void
}

/** A link's lifetime when the input sets none. */
export const DEFAULT_LIFETIME = Duration.hours(24)

interface LinkRecord {
  readonly id: string
  readonly url: string
  readonly merchantId: string | undefined
  readonly reference: string
  readonly description: string
  readonly amount: Money.Money
  readonly maxPayments: number
  readonly notificationUrl: string | undefined
  readonly giftCardCode: string | undefined
  readonly payments: Array<PaymentLink.LinkPayment>
  expiresAt: number
  approved: number
  disabled: boolean
  expiryNotified: boolean
}

interface ChargeRecord {
  charge: Charge.Charge
  /** Set while pending: what the test card settles to. The card number itself is never kept. */
  settlesTo: { readonly outcome: "approved" | "declined"; readonly reason: string | undefined } | undefined
  readonly notificationUrl: string | undefined
}

interface OrderRecord {
  order: MemoryOrder
  readonly notificationUrl: string | undefined
}

/** `paid` wins, as on PlacetoPay (its spec §3.4): a link used up by approved payments stays paid. */
// ---- the memory provider's own rules on inputs (run by core beside the shared schema too) ----

/** Memory has no vendor options; any given under its name would be silently ignored, so refuse them. */
const providerOptionIssues = (providerOptions: { readonly [key: string]: unknown } | undefined) => {
  const own = providerOptions?.memory
  return own === undefined ||
    (typeof own === "object" && own !== null && !Array.isArray(own) && Object.keys(own).length === 0)
    ? []
    : [{ path: "providerOptions.memory", message: "the memory provider has no provider options" }]
}

/** The link's expiry at `now`: the input's, else the default lifetime. */
const expiryAt = (input: Validation.Salvaged<PaymentLink.CreatePaymentLink>, now: number): number =>
  PaymentLink.expiryOf(input, new Date(now))?.getTime() ?? now + Duration.toMillis(DEFAULT_LIFETIME)

export const linkRules: Validation.InputRules<PaymentLink.CreatePaymentLink> = (input, now) => [
  ...(expiryAt(input, now) <= now ? [{ path: "expiresAt", message: "must be in the future" }] : []),
  ...providerOptionIssues(input.providerOptions)
]

export const chargeRules: Validation.InputRules<Charge.CreateCharge> = (input, now) => {
  const { expiryMonth, expiryYear } = input.card ?? {}
  const expired =
    expiryMonth !== undefined && expiryYear !== undefined && Card.isExpired({ expiryMonth, expiryYear }, new Date(now))
  return [
    ...(expired ? [{ path: "card.expiryYear", message: "the card has expired" }] : []),
    ...providerOptionIssues(input.providerOptions)
  ]
}

export const orderRules: Validation.InputRules<PaymentOrder.CreatePaymentOrder> = (input) =>
  providerOptionIssues(input.providerOptions)

export const giftCardRules: Validation.InputRules<GiftCard.CreateGiftCard> = (input) =>
  providerOptionIssues(input.providerOptions)

const statusOf = (link: LinkRecord, now: number): PaymentLink.LinkStatus =>
  link.approved >= link.maxPayments ? "paid" : link.disabled ? "disabled" : now >= link.expiresAt ? "expired" : "active"

const providerStatus = { approved: "APPROVED", pending: "PENDING", declined: "DECLINED" } as const

const wireAmount = (money: Money.Money) => ({ amount: Money.toFixed(money), currency: money.currency })

const merchant = (merchantId: string | undefined): { merchantId?: string } =>
  merchantId === undefined ? {} : { merchantId }

export class Engine {
  requests = 0
  private readonly counters = { lnk: 0, pay: 0, ch: 0, ord: 0, gc: 0 }
  private readonly links = new Map<string, LinkRecord>()
  private readonly charges = new Map<string, ChargeRecord>()
  private readonly orders = new Map<string, OrderRecord>()
  private readonly giftCards = new Map<string, GiftCard.GiftCard>()
  private readonly failures = new Map<Provider.Operation, Array<Reason>>()
  private readonly expiries = new DeadlineHeap()
  readonly events: Array<PaymentEvent.PaymentEvent> = []
  readonly notifications: Array<RawNotification> = []
  private readonly delivered = new Map<
    string,
    { readonly notification: RawNotification; readonly event: PaymentEvent.PaymentEvent }
  >()

  constructor(
    readonly settings: Settings,
    private readonly outlets: Outlets
  ) {}

  // ---- time -------------------------------------------------------------------------------

  /** The earliest expiry still scheduled (some may turn out paid or disabled by then). */
  nextDeadline(): number | undefined {
    return this.expiries.peek()
  }

  /**
   * Emits `link.expired` for every link whose expiry has passed, in expiry order. Run before every
   * call and by the scheduler, so what callers observe never depends on when the scheduler ran.
   */
  flush(now: number): void {
    const next = this.expiries.peek()
    if (next === undefined || next > now) return
    for (const id of this.expiries.popDue(now)) {
      const link = this.links.get(id)
      if (link === undefined || link.expiryNotified || statusOf(link, now) !== "expired") continue
      link.expiryNotified = true
      this.emitForLink(link, "link.expired", "EXPIRED", `${link.id}.EXPIRED`, link.expiresAt, undefined)
    }
  }

  // ---- requests ---------------------------------------------------------------------------

  failNext(operation: Provider.Operation, reason: Reason): void {
    const queued = this.failures.get(operation)
    if (queued === undefined) this.failures.set(operation, [reason])
    else queued.push(reason)
  }

  /**
   * One call reaching the provider: counted (unless it is local, like verifying a notification),
   * then failed if a failure was queued for it. A failure that may have taken effect is preceded
   * by the operation itself, whose own result is then lost, as over a dropped connection.
   */
  request<A>(
    operation: Provider.Operation,
    merchantId: string | undefined,
    perform: () => Either.Either<A, PaymentError>,
    options: { readonly counts: boolean } = { counts: true }
  ): Either.Either<A, PaymentError> {
    if (options.counts) this.requests++
    const reason = this.failures.get(operation)?.shift()
    if (reason === undefined) return perform()
    const error = new PaymentError({
      provider: this.settings.provider.name,
      operation,
      ...merchant(merchantId),
      reason
    })
    if (error.mayHaveTakenEffect) perform()
    return Either.left(error)
  }

  private merchantOf(input: { readonly merchantId?: string | undefined }): string | undefined {
    return input.merchantId ?? this.settings.merchantId
  }

  private nextId(kind: keyof Engine["counters"]): string {
    this.counters[kind] += 1
    return `${this.settings.idPrefix}${kind}_${this.counters[kind]}`
  }

  private error(operation: string, reason: Reason, merchantId: string | undefined): PaymentError {
    return new PaymentError({ provider: this.settings.provider.name, operation, ...merchant(merchantId), reason })
  }

  // ---- links ------------------------------------------------------------------------------

  createLink(input: PaymentLink.CreatePaymentLink, now: number): Either.Either<PaymentLink.PaymentLink, PaymentError> {
    const context = { provider: this.settings.provider.name, operation: "links.create" }
    const expiresAt = expiryAt(input, now)
    const issues = linkRules(input, now)
    if (issues.length > 0) return Either.left(Validation.invalid(context, issues))
    const merchantId = this.merchantOf(input)
    return this.request("links.create", merchantId, () =>
      Either.right(
        this.view(
          this.addLink({
            merchantId,
            reference: input.reference,
            description: input.description,
            amount: input.amount,
            maxPayments: input.maxPayments ?? 1,
            notificationUrl: input.notificationUrl,
            giftCardCode: undefined,
            expiresAt
          }),
          now
        )
      )
    )
  }

  private addLink(
    fields: Omit<LinkRecord, "id" | "url" | "payments" | "approved" | "disabled" | "expiryNotified">
  ): LinkRecord {
    const id = this.nextId("lnk")
    const link: LinkRecord = {
      ...fields,
      id,
      url: `${this.settings.baseUrl}/links/${id}`,
      payments: [],
      approved: 0,
      disabled: false,
      expiryNotified: false
    }
    this.links.set(id, link)
    const earliest = this.expiries.peek()
    this.expiries.push(link.expiresAt, id)
    if (earliest === undefined || link.expiresAt < earliest) this.outlets.wakeScheduler()
    return link
  }

  getLink(id: string, now: number): Either.Either<PaymentLink.PaymentLink, PaymentError> {
    return this.request("links.get", this.settings.merchantId, () =>
      Either.map(this.findLink("links.get", id), (link) => this.view(link, now))
    )
  }

  disableLink(id: string, now: number): Either.Either<PaymentLink.PaymentLink, PaymentError> {
    return this.request("links.disable", this.settings.merchantId, () =>
      Either.flatMap(this.findLink("links.disable", id), (link) => {
        const status = statusOf(link, now)
        if (status !== "active") {
          const why =
            status === "disabled" ? "is already disabled" : status === "paid" ? "is already paid" : "has expired"
          return Either.left(
            this.error("links.disable", new Conflict({ detail: `link ${id} ${why}` }), link.merchantId)
          )
        }
        link.disabled = true
        return Either.right(this.view(link, now))
      })
    )
  }

  private findLink(operation: string, id: string): Either.Either<LinkRecord, PaymentError> {
    const link = this.links.get(id)
    return link === undefined
      ? Either.left(this.error(operation, new NotFound({ detail: `no link with id ${id}` }), this.settings.merchantId))
      : Either.right(link)
  }

  private view(link: LinkRecord, now: number): PaymentLink.PaymentLink {
    const status = statusOf(link, now)
    return {
      id: link.id,
      provider: this.settings.provider.name,
      ...merchant(link.merchantId),
      url: link.url,
      reference: link.reference,
      description: link.description,
      amount: link.amount,
      status,
      providerStatus: status.toUpperCase(),
      expiresAt: new Date(link.expiresAt),
      maxPayments: link.maxPayments,
      payments: link.payments.slice()
    }
  }

  allLinks(now: number): ReadonlyArray<PaymentLink.PaymentLink> {
    return Array.from(this.links.values(), (link) => this.view(link, now))
  }

  payLink(id: string, options: PayLinkOptions, now: number): Either.Either<PaymentLink.PaymentLink, PaymentError> {
    return Either.flatMap(this.findLink("control.payLink", id), (link) => {
      const status = statusOf(link, now)
      if (status !== "active") {
        return Either.left(
          this.error("control.payLink", new Conflict({ detail: `link ${id} is ${status}` }), link.merchantId)
        )
      }
      const outcome = options.outcome ?? "approved"
      const paymentId = this.nextId("pay")
      const reason = outcome === "declined" ? (options.reason ?? TestCards.insufficientFunds) : undefined
      link.payments.push({
        id: paymentId,
        status: outcome,
        providerStatus: providerStatus[outcome],
        amount: link.amount,
        paidAt: new Date(now),
        method: options.method ?? "card",
        ...(outcome === "approved"
          ? { authorization: String(100000 + this.counters.pay).slice(-6), receipt: `R-${paymentId}` }
          : {}),
        lastDigits: options.lastDigits ?? "1111"
      })
      if (outcome === "approved") {
        link.approved += 1
        this.activateGiftCard(link)
      }
      this.emitForLink(
        link,
        `payment.${outcome}`,
        providerStatus[outcome],
        `${paymentId}.${providerStatus[outcome]}`,
        now,
        reason
      )
      return Either.right(this.view(link, now))
    })
  }

  expireLink(id: string, now: number): Either.Either<PaymentLink.PaymentLink, PaymentError> {
    return Either.flatMap(this.findLink("control.expireLink", id), (link) => {
      const status = statusOf(link, now)
      if (status !== "active") {
        return Either.left(
          this.error("control.expireLink", new Conflict({ detail: `link ${id} is ${status}` }), link.merchantId)
        )
      }
      // The scheduled expiry stays in the heap; `expiryNotified` makes it a no-op when it comes due.
      link.expiresAt = now
      link.expiryNotified = true
      this.emitForLink(link, "link.expired", "EXPIRED", `${link.id}.EXPIRED`, now, undefined)
      return Either.right(this.view(link, now))
    })
  }

  private emitForLink(
    link: LinkRecord,
    type: PaymentEvent.EventType,
    status: string,
    factId: string,
    at: number,
    detail: string | undefined
  ): void {
    this.emit(
      {
        id: factId,
        type,
        // A gift card's purchase link reports on the gift card: that is what the merchant tracks.
        subject:
          link.giftCardCode === undefined ? { kind: "link", id: link.id } : { kind: "giftCard", id: link.giftCardCode },
        reference: link.reference,
        amount: wireAmount(link.amount),
        status,
        ...(detail === undefined ? {} : { detail }),
        ...merchant(link.merchantId),
        occurredAt: new Date(at).toISOString()
      },
      link.notificationUrl
    )
  }

  // ---- charges ----------------------------------------------------------------------------

  createCharge(input: Charge.CreateCharge, now: number): Either.Either<Charge.Charge, PaymentError> {
    const context = { provider: this.settings.provider.name, operation: "charges.create" }
    const issues = chargeRules(input, now)
    if (issues.length > 0) return Either.left(Validation.invalid(context, issues))
    const merchantId = this.merchantOf(input)
    return this.request("charges.create", merchantId, () => {
      // The number is read once, here, to pick the outcome; only the last four digits are kept.
      const scenario = TestCards.scenarioOf(Redacted.value(input.card.number))
      const id = this.nextId("ch")
      const outcome = scenario._tag === "Approved" ? "approved" : scenario._tag === "Declined" ? "declined" : "pending"
      const declineReason = scenario._tag === "Declined" ? scenario.reason : undefined
      const charge: Charge.Charge = {
        id,
        provider: this.settings.provider.name,
        ...merchant(merchantId),
        reference: input.reference,
        amount: input.amount,
        outcome,
        providerStatus: providerStatus[outcome],
        ...(declineReason === undefined ? {} : { declineReason }),
        ...(outcome === "approved" ? { voucherUrl: this.voucherUrl(id) } : {}),
        lastDigits: Card.lastFour(input.card),
        processedAt: new Date(now)
      }
      this.charges.set(id, {
        charge,
        settlesTo: scenario._tag === "Pending" ? { outcome: scenario.settlesTo, reason: scenario.reason } : undefined,
        notificationUrl: input.notificationUrl
      })
      this.emitForCharge(charge, input.notificationUrl, now)
      return Either.right(charge)
    })
  }

  settleCharge(id: string, now: number): Either.Either<Charge.Charge, PaymentError> {
    const record = this.charges.get(id)
    if (record === undefined) {
      return Either.left(
        this.error(
          "control.settleCharge",
          new NotFound({ detail: `no charge with id ${id}` }),
          this.settings.merchantId
        )
      )
    }
    const settlesTo = record.settlesTo
    if (settlesTo === undefined) {
      return Either.left(
        this.error(
          "control.settleCharge",
          new Conflict({ detail: `charge ${id} is ${record.charge.outcome}, not pending` }),
          record.charge.merchantId
        )
      )
    }
    const { declineReason: _, voucherUrl: __, ...rest } = record.charge
    const charge: Charge.Charge = {
      ...rest,
      outcome: settlesTo.outcome,
      providerStatus: providerStatus[settlesTo.outcome],
      ...(settlesTo.outcome === "approved"
        ? { voucherUrl: this.voucherUrl(id) }
        : { declineReason: settlesTo.reason ?? TestCards.insufficientFunds }),
      processedAt: new Date(now)
    }
    record.charge = charge
    record.settlesTo = undefined
    this.emitForCharge(charge, record.notificationUrl, now)
    return Either.right(charge)
  }

  private voucherUrl(chargeId: string): string {
    return `${this.settings.baseUrl}/vouchers/${chargeId}`
  }

  private emitForCharge(charge: Charge.Charge, notificationUrl: string | undefined, at: number): void {
    this.emit(
      {
        id: `${charge.id}.${charge.providerStatus}`,
        type: `payment.${charge.outcome}`,
        subject: { kind: "charge", id: charge.id },
        reference: charge.reference,
        amount: wireAmount(charge.amount),
        status: charge.providerStatus,
        ...(charge.declineReason === undefined ? {} : { detail: charge.declineReason }),
        ...merchant(charge.merchantId),
        occurredAt: new Date(at).toISOString()
      },
      notificationUrl
    )
  }

  allCharges(): ReadonlyArray<Charge.Charge> {
    return Array.from(this.charges.values(), (record) => record.charge)
  }

  // ---- payment orders ---------------------------------------------------------------------

  createOrder(
    input: PaymentOrder.CreatePaymentOrder,
    now: number
  ): Either.Either<PaymentOrder.PaymentOrder, PaymentError> {
    const issues = orderRules(input, now)
    if (issues.length > 0) {
      return Either.left(
        Validation.invalid({ provider: this.settings.provider.name, operation: "orders.create" }, issues)
      )
    }
    const merchantId = this.merchantOf(input)
    return this.request("orders.create", merchantId, () => {
      const id = this.nextId("ord")
      const order: PaymentOrder.PaymentOrder = {
        id,
        provider: this.settings.provider.name,
        ...merchant(merchantId),
        reference: input.reference,
        amount: input.amount,
        status: "pending",
        checkoutUrl: `${this.settings.baseUrl}/checkout/${id}`
      }
      this.orders.set(id, { order, notificationUrl: input.notificationUrl })
      return Either.right(order)
    })
  }

  payOrder(id: string, outcome: "approved" | "declined", now: number): Either.Either<MemoryOrder, PaymentError> {
    const record = this.orders.get(id)
    if (record === undefined) {
      return Either.left(
        this.error(
          "control.payOrder",
          new NotFound({ detail: `no payment order with id ${id}` }),
          this.settings.merchantId
        )
      )
    }
    if (record.order.status !== "pending") {
      return Either.left(
        this.error(
          "control.payOrder",
          new Conflict({ detail: `payment order ${id} is ${record.order.status}, not pending` }),
          record.order.merchantId
        )
      )
    }
    const order: MemoryOrder = { ...record.order, status: outcome }
    record.order = order
    this.emit(
      {
        id: `${id}.${providerStatus[outcome]}`,
        type: `payment.${outcome}`,
        subject: { kind: "order", id },
        reference: order.reference,
        amount: wireAmount(order.amount),
        status: providerStatus[outcome],
        ...(outcome === "declined" ? { detail: TestCards.insufficientFunds } : {}),
        ...merchant(order.merchantId),
        occurredAt: new Date(now).toISOString()
      },
      record.notificationUrl
    )
    return Either.right(order)
  }

  allOrders(): ReadonlyArray<MemoryOrder> {
    return Array.from(this.orders.values(), (record) => record.order)
  }

  // ---- gift cards -------------------------------------------------------------------------

  createGiftCard(input: GiftCard.CreateGiftCard, now: number): Either.Either<GiftCard.GiftCard, PaymentError> {
    const issues = giftCardRules(input, now)
    if (issues.length > 0) {
      return Either.left(
        Validation.invalid({ provider: this.settings.provider.name, operation: "giftCards.create" }, issues)
      )
    }
    const merchantId = this.merchantOf(input)
    return this.request("giftCards.create", merchantId, () => {
      this.counters.gc += 1
      const code = `${this.settings.idPrefix}GC${String(this.counters.gc).padStart(8, "0")}`
      const link = this.addLink({
        merchantId,
        reference: input.reference,
        description: input.note,
        amount: input.amount,
        maxPayments: 1,
        notificationUrl: input.notificationUrl,
        giftCardCode: code,
        expiresAt: now + Duration.toMillis(DEFAULT_LIFETIME)
      })
      const giftCard: GiftCard.GiftCard = {
        code,
        provider: this.settings.provider.name,
        ...merchant(merchantId),
        reference: input.reference,
        amount: input.amount,
        status: "pending_payment",
        paymentLink: { id: link.id, url: link.url }
      }
      this.giftCards.set(code, giftCard)
      return Either.right(giftCard)
    })
  }

  private activateGiftCard(link: LinkRecord): void {
    const giftCard = link.giftCardCode === undefined ? undefined : this.giftCards.get(link.giftCardCode)
    if (giftCard !== undefined && link.approved >= link.maxPayments) {
      this.giftCards.set(giftCard.code, { ...giftCard, status: "active" })
    }
  }

  allGiftCards(): ReadonlyArray<GiftCard.GiftCard> {
    return Array.from(this.giftCards.values())
  }

  // ---- notifications ----------------------------------------------------------------------

  private emit(fields: Notification.Unsigned, notificationUrl: string | undefined): void {
    const payload = Notification.signed(this.settings.webhookSecret, fields)
    // The event is what `Webhooks.verify` makes of this very notification, so the two never differ.
    const event = Either.getOrThrowWith(
      Notification.toEvent(payload),
      (detail) => new Error(`memory provider emitted an unreadable notification: ${detail}`)
    )
    const notification: RawNotification = {
      body: JSON.stringify(payload),
      url: notificationUrl ?? `${this.settings.baseUrl}/notifications`,
      headers: { "content-type": "application/json" },
      ...merchant(payload.merchantId)
    }
    this.delivered.set(payload.id, { notification, event })
    this.deliver(notification, event)
  }

  private deliver(notification: RawNotification, event: PaymentEvent.PaymentEvent): void {
    this.events.push(event)
    this.notifications.push(notification)
    this.outlets.eventQueue.unsafeOffer(event)
    this.outlets.eventHub.unsafeOffer(event)
    this.outlets.notificationQueue.unsafeOffer(notification)
    this.outlets.notificationHub.unsafeOffer(notification)
  }

  redeliver(notificationId: string): Either.Either<RawNotification, PaymentError> {
    const earlier = this.delivered.get(notificationId)
    if (earlier === undefined) {
      return Either.left(
        this.error(
          "control.redeliver",
          new NotFound({ detail: `no notification with id ${notificationId}` }),
          this.settings.merchantId
        )
      )
    }
    this.deliver(earlier.notification, earlier.event)
    return Either.right(earlier.notification)
  }
}
