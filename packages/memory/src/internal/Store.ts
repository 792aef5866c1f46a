/**
 * The memory provider's state and its rules, as pure transitions `(state, …, now) → Step`: the
 * result, the next state, and what to emit, as data. No I/O and no clock reads: `Memory` holds the
 * state in a ref, applies one transition at a time at the current `Clock` time (so tests drive
 * time with `TestClock`) and publishes what it emitted. The state is persistent (`HashMap`,
 * `SortedMap`): a transition costs the same with ten links or a million.
 */
import {
  Card,
  type Charge,
  type GiftCard,
  Money,
  PaymentError,
  type PaymentEvent,
  PaymentLink,
  type PaymentOrder,
  type Provider,
  type RawNotification,
  Validation
} from "@pasarela/core"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Order from "effect/Order"
import * as Redacted from "effect/Redacted"
import * as SortedMap from "effect/SortedMap"
import type { MemoryOrder, PayLinkOptions } from "../MemoryControl.js"
import * as Notification from "../Notification.js"
import * as TestCards from "../TestCards.js"

export interface Settings {
  readonly provider: Provider.ProviderInfo
  readonly webhookSecret: Redacted.Redacted<string>
  readonly merchantId: string | undefined
  readonly idPrefix: string
  readonly baseUrl: string
}

/** A link's lifetime when the input sets none. */
const DEFAULT_LIFETIME = Duration.hours(24)

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
  readonly payments: ReadonlyArray<PaymentLink.LinkPayment>
  readonly expiresAt: number
  readonly approved: number
  readonly disabled: boolean
  readonly expiryNotified: boolean
}

interface ChargeRecord {
  readonly charge: Charge.Charge
  /** Set while pending: what the test card settles to. The card number itself is never kept. */
  readonly settlesTo: { readonly outcome: "approved" | "declined"; readonly reason: string | undefined } | undefined
  readonly notificationUrl: string | undefined
}

interface OrderRecord {
  readonly order: MemoryOrder
  readonly notificationUrl: string | undefined
}

/** One emission: the signed notification and the event `Webhooks.verify` makes of it. */
export interface Delivery {
  readonly notification: RawNotification
  readonly event: PaymentEvent.PaymentEvent
}

type Kind = "lnk" | "pay" | "ch" | "ord" | "gc"

export interface State {
  readonly settings: Settings
  readonly requests: number
  /** Ids of each kind run from 1 to their counter, and nothing is ever removed. */
  readonly counters: { readonly [K in Kind]: number }
  readonly links: HashMap.HashMap<string, LinkRecord>
  readonly charges: HashMap.HashMap<string, ChargeRecord>
  readonly orders: HashMap.HashMap<string, OrderRecord>
  readonly giftCards: HashMap.HashMap<string, GiftCard.GiftCard>
  readonly failures: { readonly [O in Provider.Operation]?: ReadonlyArray<PaymentError.Reason> }
  /**
   * Scheduled expiries by (deadline, link number), so equal deadlines expire in creation order.
   * A link paid, disabled or expired early keeps its entry, skipped when it comes due.
   */
  readonly expiries: SortedMap.SortedMap<readonly [number, number], string>
  /** Every delivery, re-deliveries included, oldest first. */
  readonly log: Chunk.Chunk<Delivery>
  /** Each fact's delivery by notification id, for `redeliver`. */
  readonly delivered: HashMap.HashMap<string, Delivery>
}

export const make = (settings: Settings): State => ({
  settings,
  requests: 0,
  counters: { lnk: 0, pay: 0, ch: 0, ord: 0, gc: 0 },
  links: HashMap.empty(),
  charges: HashMap.empty(),
  orders: HashMap.empty(),
  giftCards: HashMap.empty(),
  failures: {},
  expiries: SortedMap.empty(Order.tuple(Order.number, Order.number)),
  log: Chunk.empty(),
  delivered: HashMap.empty()
})

/** What a transition returns. */
export interface Step<A, E = PaymentError.PaymentError> {
  readonly result: Either.Either<A, E>
  readonly state: State
  /** Published in this order once the transition is applied. */
  readonly emitted: ReadonlyArray<Delivery>
  /** A link now expires before every other one: the scheduler must look again. */
  readonly wake: boolean
}

export const step = <A, E = never>(
  state: State,
  result: Either.Either<A, E>,
  emitted: ReadonlyArray<Delivery> = [],
  wake = false
): Step<A, E> => ({ result, state, emitted, wake })

/** `next` applied to the state `first` left; what both emitted, in order, and `next`'s result. */
export const andThen = <A, E>(first: Step<unknown, never>, next: (state: State) => Step<A, E>): Step<A, E> => {
  const second = next(first.state)
  return first.emitted.length === 0 && !first.wake
    ? second
    : { ...second, emitted: [...first.emitted, ...second.emitted], wake: first.wake || second.wake }
}

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

/** The rules of an input with nothing of its own to check (orders, gift cards). */
export const optionRules = (input: { readonly providerOptions?: { readonly [key: string]: unknown } | undefined }) =>
  providerOptionIssues(input.providerOptions)

/** `paid` wins, as on PlacetoPay (its spec §3.4): a link used up by approved payments stays paid. */
const statusOf = (link: LinkRecord, now: number): PaymentLink.LinkStatus =>
  link.approved >= link.maxPayments ? "paid" : link.disabled ? "disabled" : now >= link.expiresAt ? "expired" : "active"

const providerStatus = { approved: "APPROVED", pending: "PENDING", declined: "DECLINED" } as const

const wireAmount = (money: Money.Money) => ({ amount: Money.toFixed(money), currency: money.currency })

const merchant = (merchantId: string | undefined): { merchantId?: string } =>
  merchantId === undefined ? {} : { merchantId }

const idOf = (state: State, kind: Kind, n: number): string =>
  kind === "gc" ? `${state.settings.idPrefix}GC${String(n).padStart(8, "0")}` : `${state.settings.idPrefix}${kind}_${n}`

/** The next id of `kind`, the state that has used it, and its number. */
const count = (state: State, kind: Kind): [string, State, number] => {
  const n = state.counters[kind] + 1
  return [idOf(state, kind, n), { ...state, counters: { ...state.counters, [kind]: n } }, n]
}

/** Every record of `kind`, oldest first. */
const numbered = <V>(state: State, map: HashMap.HashMap<string, V>, kind: Kind): Array<V> =>
  Array.from({ length: state.counters[kind] }, (_, i) => HashMap.unsafeGet(map, idOf(state, kind, i + 1)))

const failed = (state: State, operation: string, reason: PaymentError.Reason, merchantId: string | undefined) =>
  step(state, Either.left(PaymentError.make(state.settings.provider.name, operation, reason, merchantId)))

const merchantOf = (state: State, input: { readonly merchantId?: string | undefined }): string | undefined =>
  input.merchantId ?? state.settings.merchantId

// ---- time -------------------------------------------------------------------------------

/** The earliest expiry still scheduled (some may turn out paid or disabled by then). */
export const nextDeadline = (state: State): number | undefined =>
  Option.getOrUndefined(Option.map(SortedMap.headOption(state.expiries), ([[deadline]]) => deadline))

/**
 * Emits `link.expired` for every link whose expiry has passed, in expiry order. Run before every
 * call and by the scheduler, so what callers observe never depends on when the scheduler ran.
 */
export const flush = (state: State, now: number): Step<void, never> => {
  let current = state
  const emitted: Array<Delivery> = []
  for (;;) {
    const due = SortedMap.headOption(current.expiries)
    if (Option.isNone(due) || due.value[0][0] > now) return step(current, Either.void, emitted)
    const [key, id] = due.value
    current = { ...current, expiries: SortedMap.remove(current.expiries, key) }
    const link = HashMap.unsafeGet(current.links, id)
    if (link.expiryNotified || statusOf(link, now) !== "expired") continue
    const notified = { ...link, expiryNotified: true }
    const [delivery, next] = emitExpired(withLink(current, notified), notified, link.expiresAt)
    emitted.push(delivery)
    current = next
  }
}

// ---- requests ---------------------------------------------------------------------------

export const failNext = (state: State, operation: Provider.Operation, reason: PaymentError.Reason): State => ({
  ...state,
  failures: { ...state.failures, [operation]: [...(state.failures[operation] ?? []), reason] }
})

/**
 * One call reaching the provider: counted (unless it is local, like verifying a notification),
 * then failed if a failure was queued for it. A failure that may have taken effect is preceded
 * by the operation itself, whose own result is then lost, as over a dropped connection.
 */
export const request = <A>(
  state: State,
  operation: Provider.Operation,
  merchantId: string | undefined,
  perform: (state: State) => Step<A>,
  options: { readonly counts: boolean } = { counts: true }
): Step<A> => {
  const counted = options.counts ? { ...state, requests: state.requests + 1 } : state
  const [reason, ...rest] = counted.failures[operation] ?? []
  if (reason === undefined) return perform(counted)
  const error = PaymentError.make(counted.settings.provider.name, operation, reason, merchantId)
  const failing = { ...counted, failures: { ...counted.failures, [operation]: rest } }
  return error.mayHaveTakenEffect
    ? { ...perform(failing), result: Either.left(error) }
    : step(failing, Either.left(error))
}

/** A create: refused on its own rules' issues (not a request), else a request that performs it. */
const create = <A>(
  state: State,
  operation: Provider.Operation,
  issues: ReadonlyArray<Validation.RuleIssue>,
  merchantId: string | undefined,
  perform: (state: State) => Step<A>
): Step<A> =>
  issues.length > 0
    ? step(state, Either.left(Validation.invalid({ provider: state.settings.provider.name, operation }, issues)))
    : request(state, operation, merchantId, perform)

// ---- links ------------------------------------------------------------------------------

export const createLink = (state: State, input: PaymentLink.CreatePaymentLink, now: number) => {
  const merchantId = merchantOf(state, input)
  return create(state, "links.create", linkRules(input, now), merchantId, (current) => {
    const [link, next, wake] = addLink(current, {
      merchantId,
      reference: input.reference,
      description: input.description,
      amount: input.amount,
      maxPayments: input.maxPayments ?? 1,
      notificationUrl: input.notificationUrl,
      giftCardCode: undefined,
      expiresAt: expiryAt(input, now)
    })
    return step(next, Either.right(view(next, link, now)), [], wake)
  })
}

const addLink = (
  state: State,
  fields: Omit<LinkRecord, "id" | "url" | "payments" | "approved" | "disabled" | "expiryNotified">
): [LinkRecord, State, boolean] => {
  const [id, counted, n] = count(state, "lnk")
  const link: LinkRecord = {
    ...fields,
    id,
    url: `${state.settings.baseUrl}/links/${id}`,
    payments: [],
    approved: 0,
    disabled: false,
    expiryNotified: false
  }
  const earliest = nextDeadline(state)
  const expiries = SortedMap.set(state.expiries, [link.expiresAt, n] as const, id)
  return [link, { ...withLink(counted, link), expiries }, earliest === undefined || link.expiresAt < earliest]
}

const withLink = (state: State, link: LinkRecord): State => ({
  ...state,
  links: HashMap.set(state.links, link.id, link)
})

/** `f` on the record `id` of `records`, or NotFound (`no ${what} with id …`). */
const onRecord = <V, A>(
  state: State,
  records: HashMap.HashMap<string, V>,
  operation: string,
  what: string,
  id: string,
  f: (record: V) => Step<A>
): Step<A> =>
  Option.match(HashMap.get(records, id), {
    onNone: () =>
      failed(
        state,
        operation,
        new PaymentError.NotFound({ detail: `no ${what} with id ${id}` }),
        state.settings.merchantId
      ),
    onSome: f
  })

/** `f` on link `id` while it is active; otherwise a Conflict saying why (`why` of its status). */
const onActiveLink = <A>(
  state: State,
  operation: string,
  id: string,
  now: number,
  f: (link: LinkRecord) => Step<A>,
  why = (status: PaymentLink.LinkStatus) => `is ${status}`
): Step<A> =>
  onRecord(state, state.links, operation, "link", id, (link) => {
    const status = statusOf(link, now)
    return status === "active"
      ? f(link)
      : failed(state, operation, new PaymentError.Conflict({ detail: `link ${id} ${why(status)}` }), link.merchantId)
  })

export const getLink = (state: State, id: string, now: number) =>
  request(state, "links.get", state.settings.merchantId, (current) =>
    onRecord(current, current.links, "links.get", "link", id, (link) =>
      step(current, Either.right(view(current, link, now)))
    )
  )

export const disableLink = (state: State, id: string, now: number) =>
  request(state, "links.disable", state.settings.merchantId, (current) =>
    onActiveLink(
      current,
      "links.disable",
      id,
      now,
      (link) => {
        const disabled = { ...link, disabled: true }
        return step(withLink(current, disabled), Either.right(view(current, disabled, now)))
      },
      (status) =>
        status === "disabled" ? "is already disabled" : status === "paid" ? "is already paid" : "has expired"
    )
  )

const view = (state: State, link: LinkRecord, now: number): PaymentLink.PaymentLink => {
  const status = statusOf(link, now)
  return {
    id: link.id,
    provider: state.settings.provider.name,
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

export const allLinks = (state: State, now: number): ReadonlyArray<PaymentLink.PaymentLink> =>
  numbered(state, state.links, "lnk").map((link) => view(state, link, now))

export const payLink = (state: State, id: string, options: PayLinkOptions, now: number) =>
  onActiveLink(state, "control.payLink", id, now, (link) => {
    const outcome = options.outcome ?? "approved"
    const [paymentId, counted, n] = count(state, "pay")
    const reason = outcome === "declined" ? (options.reason ?? TestCards.insufficientFunds) : undefined
    const paid: LinkRecord = {
      ...link,
      payments: [
        ...link.payments,
        {
          id: paymentId,
          status: outcome,
          providerStatus: providerStatus[outcome],
          amount: link.amount,
          paidAt: new Date(now),
          method: options.method ?? "card",
          ...(outcome === "approved" ? { authorization: String(100000 + n).slice(-6), receipt: `R-${paymentId}` } : {}),
          lastDigits: options.lastDigits ?? "1111"
        }
      ],
      approved: link.approved + (outcome === "approved" ? 1 : 0)
    }
    const [delivery, next] = emitForLink(
      activateGiftCard(withLink(counted, paid), paid),
      paid,
      `payment.${outcome}`,
      providerStatus[outcome],
      `${paymentId}.${providerStatus[outcome]}`,
      now,
      reason
    )
    return step(next, Either.right(view(next, paid, now)), [delivery])
  })

export const expireLink = (state: State, id: string, now: number) =>
  onActiveLink(state, "control.expireLink", id, now, (link) => {
    // The scheduled expiry stays; `expiryNotified` makes it a no-op when it comes due.
    const expired = { ...link, expiresAt: now, expiryNotified: true }
    const [delivery, next] = emitExpired(withLink(state, expired), expired, now)
    return step(next, Either.right(view(next, expired, now)), [delivery])
  })

const emitExpired = (state: State, link: LinkRecord, at: number) =>
  emitForLink(state, link, "link.expired", "EXPIRED", `${link.id}.EXPIRED`, at, undefined)

const emitForLink = (
  state: State,
  link: LinkRecord,
  type: PaymentEvent.EventType,
  status: string,
  factId: string,
  at: number,
  detail: string | undefined
): [Delivery, State] =>
  emit(
    state,
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

// ---- charges ----------------------------------------------------------------------------

export const createCharge = (state: State, input: Charge.CreateCharge, now: number) => {
  const merchantId = merchantOf(state, input)
  return create(state, "charges.create", chargeRules(input, now), merchantId, (current) => {
    // The number is read once, here, to pick the outcome; only the last four digits are kept.
    const scenario = TestCards.scenarioOf(Redacted.value(input.card.number))
    const [id, counted] = count(current, "ch")
    const outcome = scenario._tag === "Approved" ? "approved" : scenario._tag === "Declined" ? "declined" : "pending"
    const declineReason = scenario._tag === "Declined" ? scenario.reason : undefined
    const charge: Charge.Charge = {
      id,
      provider: current.settings.provider.name,
      ...merchant(merchantId),
      reference: input.reference,
      amount: input.amount,
      outcome,
      providerStatus: providerStatus[outcome],
      ...(declineReason === undefined ? {} : { declineReason }),
      ...(outcome === "approved" ? { voucherUrl: voucherUrl(current, id) } : {}),
      lastDigits: Card.lastFour(input.card),
      processedAt: new Date(now)
    }
    const record: ChargeRecord = {
      charge,
      settlesTo: scenario._tag === "Pending" ? { outcome: scenario.settlesTo, reason: scenario.reason } : undefined,
      notificationUrl: input.notificationUrl
    }
    return emitForCharge(withCharge(counted, record), record, now)
  })
}

export const settleCharge = (state: State, id: string, now: number): Step<Charge.Charge> =>
  onRecord(state, state.charges, "control.settleCharge", "charge", id, (record) => {
    const settlesTo = record.settlesTo
    if (settlesTo === undefined) {
      const detail = `charge ${id} is ${record.charge.outcome}, not pending`
      return failed(state, "control.settleCharge", new PaymentError.Conflict({ detail }), record.charge.merchantId)
    }
    const { declineReason: _, voucherUrl: __, ...rest } = record.charge
    const settled: ChargeRecord = {
      ...record,
      charge: {
        ...rest,
        outcome: settlesTo.outcome,
        providerStatus: providerStatus[settlesTo.outcome],
        ...(settlesTo.outcome === "approved"
          ? { voucherUrl: voucherUrl(state, id) }
          : { declineReason: settlesTo.reason ?? TestCards.insufficientFunds }),
        processedAt: new Date(now)
      },
      settlesTo: undefined
    }
    return emitForCharge(withCharge(state, settled), settled, now)
  })

const withCharge = (state: State, record: ChargeRecord): State => ({
  ...state,
  charges: HashMap.set(state.charges, record.charge.id, record)
})

const voucherUrl = (state: State, chargeId: string): string => `${state.settings.baseUrl}/vouchers/${chargeId}`

const emitForCharge = (state: State, { charge, notificationUrl }: ChargeRecord, at: number): Step<Charge.Charge> => {
  const [delivery, next] = emit(
    state,
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
  return step(next, Either.right(charge), [delivery])
}

export const allCharges = (state: State): ReadonlyArray<Charge.Charge> =>
  numbered(state, state.charges, "ch").map((record) => record.charge)

// ---- payment orders ---------------------------------------------------------------------

export const createOrder = (state: State, input: PaymentOrder.CreatePaymentOrder) => {
  const merchantId = merchantOf(state, input)
  return create(state, "orders.create", optionRules(input), merchantId, (current) => {
    const [id, counted] = count(current, "ord")
    const order: PaymentOrder.PaymentOrder = {
      id,
      provider: current.settings.provider.name,
      ...merchant(merchantId),
      reference: input.reference,
      amount: input.amount,
      status: "pending",
      checkoutUrl: `${current.settings.baseUrl}/checkout/${id}`
    }
    const orders = HashMap.set(counted.orders, id, { order, notificationUrl: input.notificationUrl })
    return step({ ...counted, orders }, Either.right(order))
  })
}

export const payOrder = (state: State, id: string, outcome: "approved" | "declined", now: number) =>
  onRecord(state, state.orders, "control.payOrder", "payment order", id, (record): Step<MemoryOrder> => {
    if (record.order.status !== "pending") {
      const detail = `payment order ${id} is ${record.order.status}, not pending`
      return failed(state, "control.payOrder", new PaymentError.Conflict({ detail }), record.order.merchantId)
    }
    const order: MemoryOrder = { ...record.order, status: outcome }
    const [delivery, next] = emit(
      { ...state, orders: HashMap.set(state.orders, id, { ...record, order }) },
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
    return step(next, Either.right(order), [delivery])
  })

export const allOrders = (state: State): ReadonlyArray<MemoryOrder> =>
  numbered(state, state.orders, "ord").map((record) => record.order)

// ---- gift cards -------------------------------------------------------------------------

export const createGiftCard = (state: State, input: GiftCard.CreateGiftCard, now: number) => {
  const merchantId = merchantOf(state, input)
  return create(state, "giftCards.create", optionRules(input), merchantId, (current) => {
    const [code, counted] = count(current, "gc")
    const [link, next, wake] = addLink(counted, {
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
      provider: current.settings.provider.name,
      ...merchant(merchantId),
      reference: input.reference,
      amount: input.amount,
      status: "pending_payment",
      paymentLink: { id: link.id, url: link.url }
    }
    return step({ ...next, giftCards: HashMap.set(next.giftCards, code, giftCard) }, Either.right(giftCard), [], wake)
  })
}

const activateGiftCard = (state: State, link: LinkRecord): State =>
  link.giftCardCode === undefined || link.approved < link.maxPayments
    ? state
    : {
        ...state,
        giftCards: HashMap.modify(state.giftCards, link.giftCardCode, (card) => ({ ...card, status: "active" }))
      }

export const allGiftCards = (state: State): ReadonlyArray<GiftCard.GiftCard> => numbered(state, state.giftCards, "gc")

// ---- notifications ----------------------------------------------------------------------

const emit = (state: State, fields: Notification.Unsigned, notificationUrl: string | undefined): [Delivery, State] => {
  const payload = Notification.signed(state.settings.webhookSecret, fields)
  // The event is what `Webhooks.verify` makes of this very notification, so the two never differ.
  const event = Either.getOrThrowWith(
    Notification.toEvent(payload),
    (detail) => new Error(`memory provider emitted an unreadable notification: ${detail}`)
  )
  const notification: RawNotification = {
    body: JSON.stringify(payload),
    url: notificationUrl ?? `${state.settings.baseUrl}/notifications`,
    headers: { "content-type": "application/json" },
    ...merchant(payload.merchantId)
  }
  const delivery: Delivery = { notification, event }
  return [
    delivery,
    { ...state, log: Chunk.append(state.log, delivery), delivered: HashMap.set(state.delivered, payload.id, delivery) }
  ]
}

export const redeliver = (state: State, notificationId: string): Step<RawNotification> =>
  onRecord(state, state.delivered, "control.redeliver", "notification", notificationId, (earlier) =>
    step({ ...state, log: Chunk.append(state.log, earlier) }, Either.right(earlier.notification), [earlier])
  )

export const events = (state: State): ReadonlyArray<PaymentEvent.PaymentEvent> =>
  Array.from(state.log, (delivery) => delivery.event)

export const notifications = (state: State): ReadonlyArray<RawNotification> =>
  Array.from(state.log, (delivery) => delivery.notification)
