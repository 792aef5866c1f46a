/**
 * The simulator's state and its transitions (creating links, gift cards, charges and cash orders,
 * and the payments that follow) as pure functions `(state, …) → [result, state]`, so the engine
 * applies each one atomically with `Ref.modify`. No I/O, no clock reads: times come in as arguments,
 * fresh identifiers from the `Ids` given, and webhooks to send are returned as data. Records never
 * contain card data. The state is persistent (`Table`, `HashMap`): a transition costs the same
 * however many records a long run has made, so a long test or load run does not slow it down.
 */
import * as Chunk from "effect/Chunk"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Option from "effect/Option"
import { refused, type SandboxError } from "../SandboxError.js"
import type { Scenario } from "./Cards.js"
import { insufficientFunds } from "./Cards.js"
import type {
  Account,
  ChargeRecord,
  ChargeSnapshot,
  DeliveryOptions,
  GiftCardRecord,
  Hotel,
  LinkPaymentOutcome,
  LinkRecord,
  LinkSnapshot,
  OrderRecord,
  OrderSnapshot,
  Outcome,
  PaymentAttempt,
  StateSnapshot
} from "./Model.js"
import { iso } from "./Time.js"
import type { CashRequest, ChargeRequest, GiftCardRequest, LinkRequest, PaymentNotice } from "./Wire.js"
import { chargeNotice, paymentComments, webhookBody } from "./Wire.js"

/**
 * A persistent map that remembers the order its keys were first added in: records are never removed
 * and are listed oldest first. Adding or replacing a record costs the same however many there are.
 */
export interface Table<K, V> {
  readonly byKey: HashMap.HashMap<K, V>
  readonly order: Chunk.Chunk<K>
}

export const Table = {
  empty: <K, V>(): Table<K, V> => ({ byKey: HashMap.empty(), order: Chunk.empty() }),
  get: <K, V>(table: Table<K, V>, key: K): V | undefined => Option.getOrUndefined(HashMap.get(table.byKey, key)),
  has: <K, V>(table: Table<K, V>, key: K): boolean => HashMap.has(table.byKey, key),
  /** Adds `value` under `key`, or replaces it keeping its place. */
  set: <K, V>(table: Table<K, V>, key: K, value: V): Table<K, V> => ({
    byKey: HashMap.set(table.byKey, key, value),
    order: HashMap.has(table.byKey, key) ? table.order : Chunk.append(table.order, key)
  }),
  /** Every value, oldest key first. */
  values: <K, V>(table: Table<K, V>): Array<V> =>
    Chunk.toReadonlyArray(table.order).map((key) => Option.getOrThrow(HashMap.get(table.byKey, key)))
}

export interface State {
  readonly links: Table<string, LinkRecord>
  /** By voucher number (`id`). */
  readonly charges: Table<number, ChargeRecord>
  /** Transaction id → voucher number, for the charges that have one. */
  readonly chargeIds: HashMap.HashMap<string, number>
  readonly orders: Table<string, OrderRecord>
  /** By payment-link code (`GC_…`), which is how payments find them. */
  readonly giftCards: Table<string, GiftCardRecord>
  readonly giftCardCodes: HashSet.HashSet<string>
  readonly nextVoucher: number
  readonly nextReceipt: number
  readonly nextApmDetail: number
}

export const initialState: State = {
  links: Table.empty(),
  charges: Table.empty(),
  chargeIds: HashMap.empty(),
  orders: Table.empty(),
  giftCards: Table.empty(),
  giftCardCodes: HashSet.empty(),
  nextVoucher: 481,
  nextReceipt: 703242,
  nextApmDetail: 75
}

/** Where fresh identifiers come from (the engine draws them at random). */
export type Ids = Readonly<
  Record<"linkCode" | "giftCardCode" | "giftCardLinkCode" | "cashTransactionId" | "uuid", () => string>
>

const unique = (make: () => string, taken: (id: string) => boolean): string => {
  for (let id = make(); ; id = make()) if (!taken(id)) return id
}

export interface Context {
  /** Origin the request came in on (`http://host:port`); voucher URLs are built from it. */
  readonly apiBaseUrl: string
  /** Base of hosted pages: the configured `appBaseUrl`, or the sandbox's own page routes. */
  readonly appBaseUrl: string
}

/** A decrypted, validated card reduced to what may be kept: last four digits and its scenario. */
export interface CardFacts {
  readonly last4: string
  readonly scenario: Scenario
}

/** Who a record is created for: the account, its hotel, and where the request came in. */
export interface Who {
  readonly account: Account
  readonly hotel: Hotel
  readonly context: Context
}

/** What a create transition needs besides its request. */
export type Origin = Who & { readonly nowMs: number }

/** A payment transition's result: the updated record's snapshot and the webhooks to send (`body` POSTed to `url`). */
export interface Notified<A> {
  readonly record: A
  readonly deliveries: ReadonlyArray<{ readonly url: string; readonly body: unknown }>
}

type Transition<A> = [Either.Either<Notified<A>, SandboxError>, State]

const notified = <A extends { readonly tempWebhookUrl: string | null }>(
  record: A,
  notice: PaymentNotice,
  options: DeliveryOptions
): Notified<A> => ({
  record,
  deliveries:
    record.tempWebhookUrl === null
      ? []
      : [{ url: record.tempWebhookUrl, body: webhookBody(notice, options.legacy === true) }]
})

const linkSnapshot = ({ apiBaseUrl: _, ...link }: LinkRecord, nowMillis: number): LinkSnapshot => ({
  ...link,
  status:
    link.status === "active" && link.expiresAt !== null && Date.parse(link.expiresAt) < nowMillis
      ? "expired"
      : link.status
})

const chargeSnapshot = ({ apiBaseUrl: _, ...charge }: ChargeRecord): ChargeSnapshot => charge
const orderSnapshot = ({ apiBaseUrl: _, ...order }: OrderRecord): OrderSnapshot => order

export const findLink = (s: State, code: string, nowMs: number): LinkSnapshot | undefined =>
  Option.getOrUndefined(Option.map(HashMap.get(s.links.byKey, code), (link) => linkSnapshot(link, nowMs)))

export const findOrder = (s: State, transactionId: string): OrderSnapshot | undefined =>
  Option.getOrUndefined(Option.map(HashMap.get(s.orders.byKey, transactionId), orderSnapshot))

export const findGiftCard = (s: State, paymentLinkCode: string): GiftCardRecord | undefined =>
  Table.get(s.giftCards, paymentLinkCode)

export const snapshot = (s: State, nowMs: number): StateSnapshot => ({
  links: Table.values(s.links).map((link) => linkSnapshot(link, nowMs)),
  charges: Table.values(s.charges).map(chargeSnapshot),
  orders: Table.values(s.orders).map(orderSnapshot),
  giftCards: Table.values(s.giftCards)
})

const hourMillis = 60 * 60 * 1000

/** A link record of `kind` for a link request; a gift card's link is described as one. */
const linkRecord = (
  { account, hotel, context, nowMs }: Origin,
  code: string,
  kind: LinkRecord["kind"],
  request: LinkRequest
): LinkRecord => ({
  code,
  kind,
  url: `${context.appBaseUrl}/payment/${hotel.slug}/${code}`,
  hotelId: hotel.id,
  hotelName: hotel.name,
  company: account.company,
  amount: request.amount,
  currency: request.currency,
  description: request.description,
  guestName: request.guest_name,
  email: request.email,
  source: request.source ?? null,
  externalRefId: request.external_ref_id ?? null,
  reservationId: request.reservation_id ?? null,
  tempWebhookUrl: request.temp_webhook_url ?? null,
  availableHours: request.available_hours ?? null,
  installments: request.installments ?? 1,
  allowedPaymentOptions: request.allowed_payment_options ?? null,
  bookingDates: request.booking_dates ?? null,
  successUrl: request.redirect?.success_url ?? null,
  failureUrl: request.redirect?.failure_url ?? null,
  createdAt: iso(nowMs),
  expiresAt: request.available_hours === undefined ? null : iso(nowMs + request.available_hours * hourMillis),
  status: "active",
  paidAt: null,
  apiBaseUrl: context.apiBaseUrl,
  attempts: []
})

export const createLink = (s: State, origin: Origin, request: LinkRequest, ids: Ids): [LinkRecord, State] => {
  const code = unique(ids.linkCode, (id) => Table.has(s.links, id))
  const link = linkRecord(origin, code, "link", request)
  return [link, { ...s, links: Table.set(s.links, code, link) }]
}

export const createGiftCard = (
  s: State,
  origin: Origin,
  request: GiftCardRequest,
  ids: Ids
): [GiftCardRecord, State] => {
  const { hotel, nowMs } = origin
  const linkCode = unique(ids.giftCardLinkCode, (id) => Table.has(s.links, id))
  const cardCode = unique(ids.giftCardCode, (id) => HashSet.has(s.giftCardCodes, id))
  const link = linkRecord(origin, linkCode, "gift_card", {
    hotel_id: hotel.id,
    guest_name: request.sender.name,
    email: request.sender.email,
    description: request.note,
    external_ref_id: request.external_ref_id,
    temp_webhook_url: request.temp_webhook_url,
    amount: request.amount,
    currency: request.currency,
    redirect: { success_url: request.success_url, failure_url: request.failure_url }
  })
  const card: GiftCardRecord = {
    giftCardCode: cardCode,
    paymentLinkCode: linkCode,
    paymentLink: link.url,
    hotelId: hotel.id,
    amount: request.amount,
    currency: request.currency,
    balance: 0,
    status: "pending_payment",
    senderName: request.sender.name,
    senderEmail: request.sender.email,
    recipientName: request.recipient.name,
    recipientEmail: request.recipient.email,
    note: request.note,
    externalRefId: request.external_ref_id,
    tempWebhookUrl: request.temp_webhook_url,
    successUrl: request.success_url,
    failureUrl: request.failure_url,
    createdAt: iso(nowMs),
    activatedAt: null
  }
  return [
    card,
    {
      ...s,
      links: Table.set(s.links, linkCode, link),
      giftCards: Table.set(s.giftCards, linkCode, card),
      giftCardCodes: HashSet.add(s.giftCardCodes, cardCode)
    }
  ]
}

export const createCharge = (
  s: State,
  { account, hotel, context, nowMs }: Origin,
  { order }: ChargeRequest,
  card: CardFacts,
  ids: Ids
): [ChargeRecord, State] => {
  const { scenario } = card
  const base = {
    id: s.nextVoucher,
    refNumber: order.ref_number,
    externalRefId: order.external_ref_id ?? null,
    hotelId: hotel.id,
    hotelName: hotel.name,
    company: account.company,
    amount: order.amount,
    currency: order.currency ?? null,
    installments: order.installments,
    source: order.source ?? null,
    tempWebhookUrl: order.temp_webhook_url ?? null,
    cardLast4: card.last4,
    apiBaseUrl: context.apiBaseUrl,
    createdAt: iso(nowMs)
  }
  const charge: ChargeRecord =
    scenario._tag === "Approved"
      ? {
          ...base,
          transactionId: `RB-${s.nextReceipt}`,
          status: "applied",
          settlesTo: null,
          comments: paymentComments.approved(order.ref_number),
          settledAt: iso(nowMs)
        }
      : scenario._tag === "Pending"
        ? {
            ...base,
            transactionId: ids.uuid(),
            status: "in_process",
            settlesTo: scenario.settlesTo,
            comments: paymentComments.pending(order.ref_number),
            settledAt: null
          }
        : {
            ...base,
            transactionId: null,
            status: scenario._tag === "Declined" ? "rejected" : "invalid_card",
            settlesTo: null,
            comments: scenario.comments,
            settledAt: iso(nowMs)
          }
  return [
    charge,
    {
      ...s,
      charges: Table.set(s.charges, charge.id, charge),
      chargeIds:
        charge.transactionId === null ? s.chargeIds : HashMap.set(s.chargeIds, charge.transactionId, charge.id),
      nextVoucher: s.nextVoucher + 1,
      nextReceipt: scenario._tag === "Approved" ? s.nextReceipt + 1 : s.nextReceipt
    }
  ]
}

export const createOrder = (
  s: State,
  { account, hotel, context, nowMs }: Origin,
  { order, cash }: CashRequest,
  ids: Ids
): [OrderRecord, State] => {
  const transactionId = unique(ids.cashTransactionId, (id) => Table.has(s.orders, id))
  const record: OrderRecord = {
    transactionId,
    apmDetailId: s.nextApmDetail,
    voucherNumber: s.nextVoucher,
    refNumber: order.ref_number,
    externalRefId: order.external_ref_id ?? null,
    hotelId: hotel.id,
    hotelName: hotel.name,
    company: account.company,
    amount: order.amount,
    detail: order.detail,
    paymentType: cash.payment_type,
    userType: cash.user_type,
    fiscalNumberType: cash.fiscal_number_type,
    responseUrl: cash.response_url,
    checkoutUrl: `${context.appBaseUrl}/checkout/cash/${transactionId}`,
    tempWebhookUrl: order.temp_webhook_url ?? null,
    status: "pending",
    apiBaseUrl: context.apiBaseUrl,
    createdAt: iso(nowMs),
    paidAt: null
  }
  return [
    record,
    {
      ...s,
      orders: Table.set(s.orders, transactionId, record),
      nextVoucher: s.nextVoucher + 1,
      nextApmDetail: s.nextApmDetail + 1
    }
  ]
}

/**
 * Records what an attempt on a link came to (`in_process`, approved or declined) and the notice
 * that reports it. Approval pays the link and activates its gift card, if it has one.
 */
const linkOutcome = (
  s: State,
  link: LinkRecord,
  attempt: PaymentAttempt,
  nowMs: number,
  options: DeliveryOptions
): Transition<LinkSnapshot> => {
  const approved = attempt.outcome === "approved"
  const attempts = link.attempts.some((a) => a.transactionId === attempt.transactionId)
    ? link.attempts.map((a) => (a.transactionId === attempt.transactionId ? attempt : a))
    : [...link.attempts, attempt]
  const updated: LinkRecord = {
    ...link,
    status: approved ? "paid" : "active",
    paidAt: approved ? iso(nowMs) : null,
    attempts
  }
  const giftCard = Table.get(s.giftCards, link.code)
  const giftCards =
    approved && giftCard !== undefined
      ? Table.set(s.giftCards, link.code, {
          ...giftCard,
          status: "active" as const,
          balance: giftCard.amount,
          activatedAt: iso(nowMs)
        })
      : s.giftCards
  // A gift card's payment is reported under the card's code; a link's under its own code.
  const id = giftCard?.giftCardCode ?? link.code
  const notice: PaymentNotice = {
    type: link.kind,
    id,
    statusCode: attempt.outcome === "in_process" ? "in_process" : approved ? "applied" : "rejected",
    comments:
      attempt.outcome === "in_process"
        ? paymentComments.pending(id)
        : approved
          ? paymentComments.approved(id)
          : insufficientFunds,
    of: link,
    voucherNumber: attempt.voucherNumber,
    transactionId: attempt.transactionId,
    payPlatform: "credit_card",
    atMillis: nowMs
  }
  return [
    Either.right(notified(linkSnapshot(updated, nowMs), notice, options)),
    { ...s, links: Table.set(s.links, link.code, updated), giftCards }
  ]
}

const inProcess = (link: LinkRecord): PaymentAttempt | undefined =>
  link.attempts.find((a) => a.outcome === "in_process")

const noLink = (code: string, s: State) => refused(s, "NotFound", `No existe el link ${code}`)

export const payLink = (
  s: State,
  code: string,
  outcome: LinkPaymentOutcome,
  options: DeliveryOptions,
  nowMs: number,
  ids: Ids
): Transition<LinkSnapshot> => {
  const link = Table.get(s.links, code)
  if (link === undefined) return noLink(code, s)
  const current = linkSnapshot(link, nowMs).status
  if (current !== "active")
    return refused(s, "Conflict", current === "paid" ? `El link ${code} ya fue pagado` : `El link ${code} está vencido`)
  if (inProcess(link) !== undefined) return refused(s, "Conflict", `El link ${code} tiene un pago en proceso`)
  const attempt: PaymentAttempt =
    outcome === "pending_approved" || outcome === "pending_declined"
      ? {
          outcome: "in_process",
          settlesTo: outcome === "pending_approved" ? "approved" : "declined",
          transactionId: ids.uuid(),
          voucherNumber: s.nextVoucher,
          at: iso(nowMs)
        }
      : { outcome, settlesTo: null, transactionId: ids.uuid(), voucherNumber: s.nextVoucher, at: iso(nowMs) }
  return linkOutcome({ ...s, nextVoucher: s.nextVoucher + 1 }, link, attempt, nowMs, options)
}

/** Settles the link's payment in process to what its card decided, even if the link expired meanwhile: it was made while it was open. */
export const settleLink = (
  s: State,
  code: string,
  options: DeliveryOptions,
  nowMs: number
): Transition<LinkSnapshot> => {
  const link = Table.get(s.links, code)
  if (link === undefined) return noLink(code, s)
  const pending = inProcess(link)
  if (pending === undefined || pending.settlesTo === null)
    return refused(s, "Conflict", `El link ${code} no tiene pagos en proceso`)
  return linkOutcome(s, link, { ...pending, outcome: pending.settlesTo, settlesTo: null }, nowMs, options)
}

export const settleCharge = (
  s: State,
  transactionId: string,
  options: DeliveryOptions,
  nowMs: number
): Transition<ChargeSnapshot> => {
  const id = Option.getOrUndefined(HashMap.get(s.chargeIds, transactionId))
  const charge = id === undefined ? undefined : Table.get(s.charges, id)
  if (charge === undefined) return refused(s, "NotFound", `No existe el cobro ${transactionId}`)
  if (charge.status !== "in_process" || charge.settlesTo === null)
    return refused(s, "Conflict", `El cobro ${transactionId} no está en proceso (${charge.status})`)
  const approved = charge.settlesTo === "approved"
  const updated: ChargeRecord = {
    ...charge,
    status: approved ? "applied" : "rejected",
    comments: approved ? paymentComments.approved(charge.refNumber) : insufficientFunds,
    settledAt: iso(nowMs)
  }
  return [
    Either.right(notified(chargeSnapshot(updated), chargeNotice(updated, nowMs), options)),
    { ...s, charges: Table.set(s.charges, charge.id, updated) }
  ]
}

export const payOrder = (
  s: State,
  transactionId: string,
  outcome: Outcome,
  options: DeliveryOptions,
  nowMs: number
): Transition<OrderSnapshot> => {
  const order = Table.get(s.orders, transactionId)
  if (order === undefined) return refused(s, "NotFound", `No existe la orden ${transactionId}`)
  if (order.status !== "pending")
    return refused(s, "Conflict", `La orden ${transactionId} ya fue procesada (${order.status})`)
  const approved = outcome === "approved"
  const updated: OrderRecord = { ...order, status: approved ? "applied" : "rejected", paidAt: iso(nowMs) }
  const notice: PaymentNotice = {
    type: "cash",
    id: order.refNumber,
    statusCode: approved ? "applied" : "rejected",
    comments: approved ? paymentComments.approved(order.refNumber) : paymentComments.rejected(order.refNumber),
    of: order,
    voucherNumber: order.voucherNumber,
    transactionId,
    payPlatform: order.paymentType,
    atMillis: nowMs
  }
  return [
    Either.right(notified(orderSnapshot(updated), notice, options)),
    { ...s, orders: Table.set(s.orders, transactionId, updated) }
  ]
}
