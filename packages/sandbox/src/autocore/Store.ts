/**
 * The simulator's state and every transition on it: creating links, gift cards, charges and cash
 * orders, and the simulated payments that follow (each of which may notify by webhook).
 * One `Ref`, updated atomically; records never contain card data. The state is persistent (`Table`,
 * `HashMap`), so a transition costs the same however many records a long run has made.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as HashSet from "effect/HashSet"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"
import { SandboxError } from "../SandboxError.js"
import * as Ids from "./Ids.js"
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
  StateSnapshot,
  WebhookDelivery
} from "./Model.js"
import { absoluteVoucherUrl, type PaymentNotice, paymentComments, webhookBody } from "./Responses.js"
import * as Table from "./Table.js"
import type { Scenario } from "./TestCards.js"
import { insufficientFunds } from "./TestCards.js"
import { iso } from "./Time.js"
import type { Webhooks } from "./Webhooks.js"
import type { CashRequest, ChargeRequest, GiftCardRequest, LinkRequest } from "./Wire.js"

interface State {
  readonly links: Table.Table<string, LinkRecord>
  /** By voucher number (`id`). */
  readonly charges: Table.Table<number, ChargeRecord>
  /** Transaction id → voucher number, for the charges that have one. */
  readonly chargeIds: HashMap.HashMap<string, number>
  readonly orders: Table.Table<string, OrderRecord>
  /** By payment-link code (`GC_…`), which is how payments find them. */
  readonly giftCards: Table.Table<string, GiftCardRecord>
  readonly giftCardCodes: HashSet.HashSet<string>
  readonly nextVoucher: number
  readonly nextReceipt: number
  readonly nextApmDetail: number
}

const initial: State = {
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

const unique = (make: () => string, taken: (id: string) => boolean): string => {
  for (;;) {
    const id = make()
    if (!taken(id)) return id
  }
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

export interface Store {
  readonly createLink: (
    account: Account,
    hotel: Hotel,
    request: LinkRequest,
    context: Context
  ) => Effect.Effect<LinkRecord>
  readonly createGiftCard: (
    account: Account,
    hotel: Hotel,
    request: GiftCardRequest,
    context: Context
  ) => Effect.Effect<GiftCardRecord>
  readonly createCharge: (
    account: Account,
    hotel: Hotel,
    request: ChargeRequest,
    card: CardFacts,
    context: Context
  ) => Effect.Effect<ChargeRecord>
  readonly createOrder: (
    account: Account,
    hotel: Hotel,
    request: CashRequest,
    context: Context
  ) => Effect.Effect<OrderRecord>
  readonly payLink: (
    code: string,
    outcome: LinkPaymentOutcome,
    options: DeliveryOptions
  ) => Effect.Effect<LinkSnapshot, SandboxError>
  /** Settles the link's payment in process to what its card decided. */
  readonly settleLink: (code: string, options: DeliveryOptions) => Effect.Effect<LinkSnapshot, SandboxError>
  readonly settleCharge: (
    transactionId: string,
    options: DeliveryOptions
  ) => Effect.Effect<ChargeSnapshot, SandboxError>
  readonly payOrder: (
    transactionId: string,
    outcome: Outcome,
    options: DeliveryOptions
  ) => Effect.Effect<OrderSnapshot, SandboxError>
  readonly findLink: (code: string) => Effect.Effect<LinkSnapshot | undefined>
  readonly findOrder: (transactionId: string) => Effect.Effect<OrderSnapshot | undefined>
  /** The gift card a `GC_…` link sells. */
  readonly findGiftCard: (paymentLinkCode: string) => Effect.Effect<GiftCardRecord | undefined>
  readonly state: Effect.Effect<StateSnapshot>
  readonly webhookDeliveries: Effect.Effect<ReadonlyArray<WebhookDelivery>>
}

const linkSnapshot = ({ apiBaseUrl: _, ...link }: LinkRecord, nowMillis: number): LinkSnapshot => ({
  ...link,
  status:
    link.status === "active" && link.expiresAt !== null && Date.parse(link.expiresAt) < nowMillis
      ? "expired"
      : link.status
})

const chargeSnapshot = ({ apiBaseUrl: _, ...charge }: ChargeRecord): ChargeSnapshot => charge
const orderSnapshot = ({ apiBaseUrl: _, ...order }: OrderRecord): OrderSnapshot => order

const hourMillis = 60 * 60 * 1000

export const make = (webhooks: Webhooks): Effect.Effect<Store> =>
  Effect.gen(function* () {
    const state = yield* Ref.make(initial)

    const notify = (url: string | null, notice: PaymentNotice, options: DeliveryOptions) =>
      url === null ? Effect.void : webhooks.deliver(url, webhookBody(notice, options.legacy === true))

    const createLink: Store["createLink"] = (account, hotel, request, context) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s) => {
          const code = unique(Ids.linkCode, (id) => Table.has(s.links, id))
          const link: LinkRecord = {
            code,
            kind: "link",
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
            createdAt: iso(now),
            expiresAt: request.available_hours === undefined ? null : iso(now + request.available_hours * hourMillis),
            status: "active",
            paidAt: null,
            apiBaseUrl: context.apiBaseUrl,
            attempts: []
          }
          return [link, { ...s, links: Table.set(s.links, code, link) }]
        })
      )

    const createGiftCard: Store["createGiftCard"] = (account, hotel, request, context) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s) => {
          const linkCode = unique(Ids.giftCardLinkCode, (id) => Table.has(s.links, id))
          const cardCode = unique(Ids.giftCardCode, (id) => HashSet.has(s.giftCardCodes, id))
          const url = `${context.appBaseUrl}/payment/${hotel.slug}/${linkCode}`
          const link: LinkRecord = {
            code: linkCode,
            kind: "gift_card",
            url,
            hotelId: hotel.id,
            hotelName: hotel.name,
            company: account.company,
            amount: request.amount,
            currency: request.currency,
            description: request.note,
            guestName: request.sender.name,
            email: request.sender.email,
            source: null,
            externalRefId: request.external_ref_id,
            reservationId: null,
            tempWebhookUrl: request.temp_webhook_url,
            availableHours: null,
            installments: 1,
            allowedPaymentOptions: null,
            bookingDates: null,
            successUrl: request.success_url,
            failureUrl: request.failure_url,
            createdAt: iso(now),
            expiresAt: null,
            status: "active",
            paidAt: null,
            apiBaseUrl: context.apiBaseUrl,
            attempts: []
          }
          const card: GiftCardRecord = {
            giftCardCode: cardCode,
            paymentLinkCode: linkCode,
            paymentLink: url,
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
            createdAt: iso(now),
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
        })
      )

    const createCharge: Store["createCharge"] = (account, hotel, { order }, card, context) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s) => {
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
            createdAt: iso(now)
          }
          const charge: ChargeRecord =
            scenario._tag === "Approved"
              ? {
                  ...base,
                  transactionId: `RB-${s.nextReceipt}`,
                  status: "applied",
                  settlesTo: null,
                  comments: paymentComments.approved(order.ref_number),
                  settledAt: iso(now)
                }
              : scenario._tag === "Pending"
                ? {
                    ...base,
                    transactionId: Ids.uuid(),
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
                    settledAt: iso(now)
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
        })
      )

    const createOrder: Store["createOrder"] = (account, hotel, { order, cash }, context) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s) => {
          const transactionId = unique(Ids.cashTransactionId, (id) => Table.has(s.orders, id))
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
            createdAt: iso(now),
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
        })
      )

    /**
     * Records what an attempt on a link came to (`in_process`, approved or declined) and the notice
     * that reports it. Approval pays the link and activates its gift card, if it has one.
     */
    const linkOutcome = (
      s: State,
      link: LinkRecord,
      attempt: PaymentAttempt,
      now: number
    ): readonly [LinkRecord, PaymentNotice, State] => {
      const approved = attempt.outcome === "approved"
      const attempts = link.attempts.some((a) => a.transactionId === attempt.transactionId)
        ? link.attempts.map((a) => (a.transactionId === attempt.transactionId ? attempt : a))
        : [...link.attempts, attempt]
      const updated: LinkRecord = {
        ...link,
        status: approved ? "paid" : "active",
        paidAt: approved ? iso(now) : null,
        attempts
      }
      const giftCard = Table.get(s.giftCards, link.code)
      const giftCards =
        approved && giftCard !== undefined
          ? Table.set(s.giftCards, link.code, {
              ...giftCard,
              status: "active" as const,
              balance: giftCard.amount,
              activatedAt: iso(now)
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
        amount: link.amount,
        company: link.company,
        hotel: link.hotelName,
        voucherUrl: absoluteVoucherUrl(link.apiBaseUrl, attempt.voucherNumber),
        transactionId: attempt.transactionId,
        externalRefId: link.externalRefId,
        payPlatform: "credit_card",
        atMillis: now
      }
      return [updated, notice, { ...s, links: Table.set(s.links, link.code, updated), giftCards }]
    }

    const inProcess = (link: LinkRecord): PaymentAttempt | undefined =>
      link.attempts.find((a) => a.outcome === "in_process")

    /** Runs a transition on a link and delivers the webhook it produced. */
    const onLink = (
      code: string,
      options: DeliveryOptions,
      transition: (
        s: State,
        link: LinkRecord,
        now: number
      ) => Either.Either<readonly [LinkRecord, PaymentNotice, State], SandboxError>
    ) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const result = yield* Ref.modify(
          state,
          (s): readonly [Either.Either<readonly [LinkRecord, PaymentNotice], SandboxError>, State] => {
            const link = Table.get(s.links, code)
            if (link === undefined) {
              return [Either.left(new SandboxError({ reason: "NotFound", message: `No existe el link ${code}` })), s]
            }
            return Either.match(transition(s, link, now), {
              onLeft: (error) => [Either.left(error), s],
              onRight: ([updated, notice, next]) => [Either.right([updated, notice] as const), next]
            })
          }
        )
        const [link, notice] = yield* result
        yield* notify(link.tempWebhookUrl, notice, options)
        return linkSnapshot(link, now)
      })

    const payLink: Store["payLink"] = (code, outcome, options) =>
      onLink(code, options, (s, link, now) => {
        const current = linkSnapshot(link, now).status
        if (current !== "active") {
          const message = current === "paid" ? `El link ${code} ya fue pagado` : `El link ${code} está vencido`
          return Either.left(new SandboxError({ reason: "Conflict", message }))
        }
        if (inProcess(link) !== undefined) {
          return Either.left(
            new SandboxError({ reason: "Conflict", message: `El link ${code} tiene un pago en proceso` })
          )
        }
        const attempt: PaymentAttempt =
          outcome === "pending_approved" || outcome === "pending_declined"
            ? {
                outcome: "in_process",
                settlesTo: outcome === "pending_approved" ? "approved" : "declined",
                transactionId: Ids.uuid(),
                voucherNumber: s.nextVoucher,
                at: iso(now)
              }
            : { outcome, settlesTo: null, transactionId: Ids.uuid(), voucherNumber: s.nextVoucher, at: iso(now) }
        return Either.right(linkOutcome({ ...s, nextVoucher: s.nextVoucher + 1 }, link, attempt, now))
      })

    // A payment in process settles even if the link expired meanwhile: it was made while it was open.
    const settleLink: Store["settleLink"] = (code, options) =>
      onLink(code, options, (s, link, now) => {
        const pending = inProcess(link)
        if (pending === undefined || pending.settlesTo === null) {
          return Either.left(
            new SandboxError({ reason: "Conflict", message: `El link ${code} no tiene pagos en proceso` })
          )
        }
        return Either.right(linkOutcome(s, link, { ...pending, outcome: pending.settlesTo, settlesTo: null }, now))
      })

    const settleCharge: Store["settleCharge"] = (transactionId, options) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const result = yield* Ref.modify(
          state,
          (s): readonly [Either.Either<readonly [ChargeRecord, PaymentNotice], SandboxError>, State] => {
            const id = Option.getOrUndefined(HashMap.get(s.chargeIds, transactionId))
            const charge = id === undefined ? undefined : Table.get(s.charges, id)
            if (charge === undefined) {
              const message = `No existe el cobro ${transactionId}`
              return [Either.left(new SandboxError({ reason: "NotFound", message })), s]
            }
            if (charge.status !== "in_process" || charge.settlesTo === null) {
              const message = `El cobro ${transactionId} no está en proceso (${charge.status})`
              return [Either.left(new SandboxError({ reason: "Conflict", message })), s]
            }
            const approved = charge.settlesTo === "approved"
            const updated: ChargeRecord = {
              ...charge,
              status: approved ? "applied" : "rejected",
              comments: approved ? paymentComments.approved(charge.refNumber) : insufficientFunds,
              settledAt: iso(now)
            }
            const notice: PaymentNotice = {
              type: "charge",
              id: charge.refNumber,
              statusCode: updated.status,
              comments: updated.comments,
              amount: charge.amount,
              company: charge.company,
              hotel: charge.hotelName,
              voucherUrl: absoluteVoucherUrl(charge.apiBaseUrl, charge.id),
              transactionId,
              externalRefId: charge.externalRefId,
              payPlatform: null,
              atMillis: now
            }
            return [
              Either.right([updated, notice] as const),
              { ...s, charges: Table.set(s.charges, charge.id, updated) }
            ]
          }
        )
        const [charge, notice] = yield* result
        yield* notify(charge.tempWebhookUrl, notice, options)
        return chargeSnapshot(charge)
      })

    const payOrder: Store["payOrder"] = (transactionId, outcome, options) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const result = yield* Ref.modify(
          state,
          (s): readonly [Either.Either<readonly [OrderRecord, PaymentNotice], SandboxError>, State] => {
            const order = Table.get(s.orders, transactionId)
            if (order === undefined) {
              const message = `No existe la orden ${transactionId}`
              return [Either.left(new SandboxError({ reason: "NotFound", message })), s]
            }
            if (order.status !== "pending") {
              const message = `La orden ${transactionId} ya fue procesada (${order.status})`
              return [Either.left(new SandboxError({ reason: "Conflict", message })), s]
            }
            const approved = outcome === "approved"
            const updated: OrderRecord = { ...order, status: approved ? "applied" : "rejected", paidAt: iso(now) }
            const notice: PaymentNotice = {
              type: "cash",
              id: order.refNumber,
              statusCode: approved ? "applied" : "rejected",
              comments: approved
                ? paymentComments.approved(order.refNumber)
                : paymentComments.rejected(order.refNumber),
              amount: order.amount,
              company: order.company,
              hotel: order.hotelName,
              voucherUrl: absoluteVoucherUrl(order.apiBaseUrl, order.voucherNumber),
              transactionId,
              externalRefId: order.externalRefId,
              payPlatform: order.paymentType,
              atMillis: now
            }
            return [
              Either.right([updated, notice] as const),
              { ...s, orders: Table.set(s.orders, transactionId, updated) }
            ]
          }
        )
        const [order, notice] = yield* result
        yield* notify(order.tempWebhookUrl, notice, options)
        return orderSnapshot(order)
      })

    const snapshot = Effect.gen(function* () {
      const now = yield* Clock.currentTimeMillis
      const s = yield* Ref.get(state)
      return {
        links: Table.values(s.links).map((link) => linkSnapshot(link, now)),
        charges: Table.values(s.charges).map(chargeSnapshot),
        orders: Table.values(s.orders).map(orderSnapshot),
        giftCards: Table.values(s.giftCards)
      } satisfies StateSnapshot
    })

    return {
      createLink,
      createGiftCard,
      createCharge,
      createOrder,
      payLink,
      settleLink,
      settleCharge,
      payOrder,
      findLink: (code) =>
        Effect.zipWith(Ref.get(state), Clock.currentTimeMillis, (s, now) => {
          const link = Table.get(s.links, code)
          return link === undefined ? undefined : linkSnapshot(link, now)
        }),
      findOrder: (transactionId) =>
        Effect.map(Ref.get(state), (s) => {
          const order = Table.get(s.orders, transactionId)
          return order === undefined ? undefined : orderSnapshot(order)
        }),
      findGiftCard: (paymentLinkCode) => Effect.map(Ref.get(state), (s) => Table.get(s.giftCards, paymentLinkCode)),
      state: snapshot,
      webhookDeliveries: webhooks.deliveries
    } satisfies Store
  })
