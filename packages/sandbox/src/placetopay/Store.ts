/**
 * Sandbox state and its transitions as pure functions `(state, …) → [result, state]`, so the engine
 * applies each one atomically with `Ref.modify`. No I/O, no clock reads: times come in as arguments.
 * The state is persistent (`HashMap`): a transition costs the same with ten links or a million, so
 * a long test run or a load test does not slow the simulator down as it goes.
 */
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import { refused, type SandboxError } from "../SandboxError.js"
import type { Brand, CardOutcome } from "./Cards.js"
import type { Link, Payer, Payment, SiteConfig } from "./Model.js"
import { approvedCount, isEnglish, isExhausted } from "./Model.js"
import type { CreateLinkRequest } from "./Wire.js"

export interface State {
  /** By id; ids run from 1 to `nextLinkId - 1` and links are never removed. */
  readonly links: HashMap.HashMap<number, Link>
  readonly nextLinkId: number
  readonly nextPaymentId: number
  readonly nextRequestId: number
  readonly nextInternalReference: number
  /** Added to real time for link expiry, payment and notification dates. */
  readonly clockOffsetMs: number
  /** Added to real time for auth seed checks only. */
  readonly authSkewMs: number
  /**
   * No ACTIVE link expires before this time (a lower bound: it may be earlier than the real first
   * expiry, never later), so the expiry sweep before each request looks at no link until then.
   */
  readonly nextExpiryMs: number
  /** Spent nonces (`login:hexNonce`) → auth-clock time after which a replay fails on its seed anyway. */
  readonly nonces: HashMap.HashMap<string, number>
  /** Size of `nonces` after its last pruning: pruning again once it has doubled keeps spending O(1) amortised. */
  readonly noncesPrunedSize: number
  /** Checkout session (payment `requestId`) → the link it was made on, so a session's page finds its payment. */
  readonly sessions: HashMap.HashMap<number, number>
}

export const initialState = (authSkewMs: number): State => ({
  links: HashMap.empty(),
  nextLinkId: 1,
  // Checkout request ids and internal references in PlacetoPay's test environment are large
  // numbers; starting high makes a client that confuses them with link ids fail visibly.
  nextPaymentId: 1,
  nextRequestId: 84_001,
  nextInternalReference: 434_901,
  clockOffsetMs: 0,
  authSkewMs,
  nextExpiryMs: Number.POSITIVE_INFINITY,
  nonces: HashMap.empty(),
  noncesPrunedSize: 0,
  sessions: HashMap.empty()
})

export const linkOf = (state: State, id: number): Link | undefined =>
  Option.getOrUndefined(HashMap.get(state.links, id))

/** Every link, oldest first. */
export const allLinks = (state: State): ReadonlyArray<Link> =>
  Array.from({ length: state.nextLinkId - 1 }, (_, i) => linkOf(state, i + 1)!)

const withLink = (state: State, link: Link): State => ({ ...state, links: HashMap.set(state.links, link.id, link) })

/** Below this many entries the nonce map is never pruned (a sweep would cost more than it saves). */
const NONCE_PRUNE_FLOOR = 1_024

/**
 * Records a nonce as spent. Returns false when it was already spent (a replay). An entry whose seed
 * window has passed no longer counts (replaying it fails the seed check, 103, instead); such entries
 * are dropped whenever the map has doubled since it was last pruned.
 */
export const spendNonce = (state: State, key: string, until: number, authNowMs: number): [boolean, State] => {
  const spentUntil = HashMap.get(state.nonces, key)
  if (Option.isSome(spentUntil) && spentUntil.value >= authNowMs) return [false, state]
  const grown = HashMap.size(state.nonces) >= Math.max(NONCE_PRUNE_FLOOR, 2 * state.noncesPrunedSize)
  const live = grown ? HashMap.filter(state.nonces, (expiry) => expiry >= authNowMs) : state.nonces
  const nonces = HashMap.set(live, key, until)
  return [true, { ...state, nonces, noncesPrunedSize: grown ? HashMap.size(nonces) : state.noncesPrunedSize }]
}

/** A link whose allowed payments are all approved is complete: it stays ACTIVE and never expires. */
const fullyPaid = (link: Link): boolean => link.capacity !== null && approvedCount(link) >= link.capacity

const mayExpire = (link: Link): boolean => link.status === "ACTIVE" && !fullyPaid(link)

/** Expires every ACTIVE link whose expiration date has passed; returns those links. */
export const sweepExpired = (state: State, nowMs: number): [ReadonlyArray<Link>, State] => {
  if (nowMs < state.nextExpiryMs) return [[], state]
  const expired: Array<Link> = []
  let nextExpiryMs = Number.POSITIVE_INFINITY
  for (const link of HashMap.values(state.links)) {
    if (!mayExpire(link)) continue
    if (nowMs >= link.expiresAt) expired.push({ ...link, status: "EXPIRED" })
    else nextExpiryMs = Math.min(nextExpiryMs, link.expiresAt)
  }
  expired.sort((a, b) => a.id - b.id)
  const links = HashMap.mutate(state.links, (m) => {
    for (const link of expired) HashMap.set(m, link.id, link)
  })
  return [expired, { ...state, links, nextExpiryMs }]
}

export interface NewLink {
  readonly site: SiteConfig
  readonly request: CreateLinkRequest
  readonly expiresAt: number
  readonly baseUrl: string
  readonly code: string
  readonly nowMs: number
}

/**
 * Capacity: `paymentsAllowed` when sent; otherwise one payment (single use) unless `isGeneric`,
 * which then means unlimited (spec §3.4).
 */
export const createLink = (state: State, input: NewLink): [Link, State] => {
  const { request } = input
  const id = state.nextLinkId
  const isGeneric = request.isGeneric ?? false
  const link: Link = {
    id,
    siteId: input.site.id,
    url: `${input.baseUrl}/link/show?genid=${id}&code=${input.code}`,
    baseUrl: input.baseUrl,
    code: input.code,
    name: request.name,
    reference: request.reference,
    description: request.description,
    expirationDate: request.expirationDate,
    expiresAt: input.expiresAt,
    paymentExpiration: request.paymentExpiration,
    capacity: request.paymentsAllowed ?? (isGeneric ? null : 1),
    isGeneric,
    skipResult: request.skipResult ?? false,
    currency: request.payment.amount.currency,
    total: request.payment.amount.total,
    taxes: request.payment.amount.taxes ?? [],
    modifiers: request.payment.modifiers ?? [],
    notificationUrl: request.notificationUrl ?? null,
    locale: request.locale ?? "es_CO",
    allowedPaymentMethods: request.paymentMethod ?? [],
    recipients: request.recipients ?? request.receiverEmails?.map((email) => ({ email })) ?? [],
    additional: request.additional ?? [],
    status: "ACTIVE",
    createdAt: input.nowMs,
    payments: []
  }
  const nextExpiryMs = Math.min(state.nextExpiryMs, link.expiresAt)
  return [link, withLink({ ...state, nextLinkId: id + 1, nextExpiryMs }, link)]
}

export type DisableResult =
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "OtherSite" }
  | { readonly _tag: "AlreadyDisabled" }
  | { readonly _tag: "Expired" }
  | { readonly _tag: "Disabled"; readonly link: Link }

export const disableLink = (state: State, siteId: number, id: number): [DisableResult, State] => {
  const link = linkOf(state, id)
  if (link === undefined) return [{ _tag: "NotFound" }, state]
  if (link.siteId !== siteId) return [{ _tag: "OtherSite" }, state]
  if (link.status === "INACTIVE") return [{ _tag: "AlreadyDisabled" }, state]
  if (link.status === "EXPIRED") return [{ _tag: "Expired" }, state]
  const disabled: Link = { ...link, status: "INACTIVE" }
  return [{ _tag: "Disabled", link: disabled }, withLink(state, disabled)]
}

const messages = {
  approved: ["La petición ha sido aprobada exitosamente", "The request has been successfully approved"],
  pending: ["La transacción se encuentra pendiente de validación", "The transaction is pending validation"],
  rejected: ["La transacción ha sido rechazada", "The transaction has been rejected"],
  unknownCard: [
    "Tarjeta no habilitada en el ambiente de pruebas, transacción rechazada",
    "Card not enabled in the test environment, transaction rejected"
  ],
  expiredCard: ["Tarjeta vencida, transacción rechazada", "Expired card, transaction rejected"]
} as const

const say = (link: Link, key: keyof typeof messages): string => messages[key][isEnglish(link) ? 1 : 0]

export interface CardAttempt {
  readonly lastDigits: string
  readonly brand: Brand
  readonly outcome: CardOutcome
  readonly expired: boolean
  readonly payer: Payer
  readonly sessionCode: string
}

const notFound = (state: State, id: number) => refused(state, "LinkNotFound", `No payment link ${id}`)

/** A payment through the link's checkout, decided by the test card (spec §5). */
export const payLink = (
  state: State,
  id: number,
  attempt: CardAttempt,
  nowMs: number
): [Either.Either<{ readonly payment: Payment; readonly link: Link }, SandboxError>, State] => {
  const link = linkOf(state, id)
  if (link === undefined) return notFound(state, id)
  if (link.status !== "ACTIVE") return refused(state, "LinkNotPayable", `Payment link ${id} is ${link.status}`)
  if (isExhausted(link)) {
    const message = `Payment link ${id} has no payments available (approved or pending ones use them all)`
    return refused(state, "LinkNotPayable", message)
  }
  const requestId = state.nextRequestId
  const internalReference = state.nextInternalReference
  const [status, settlesTo, message]: [Payment["status"], Payment["settlesTo"], string] = attempt.expired
    ? ["REJECTED", "REJECTED", say(link, "expiredCard")]
    : attempt.outcome === "APPROVED"
      ? ["APPROVED", "APPROVED", say(link, "approved")]
      : attempt.outcome === "PENDING_APPROVED"
        ? ["PENDING", "APPROVED", say(link, "pending")]
        : attempt.outcome === "PENDING_REJECTED"
          ? ["PENDING", "REJECTED", say(link, "pending")]
          : attempt.outcome === "REJECTED"
            ? ["REJECTED", "REJECTED", say(link, "rejected")]
            : ["REJECTED", "REJECTED", say(link, "unknownCard")]
  const payment: Payment = {
    id: state.nextPaymentId,
    requestId,
    status,
    settlesTo,
    message,
    processUrl: `${link.baseUrl}/spa/session/${requestId}/${attempt.sessionCode}`,
    currency: link.currency,
    total: link.total,
    receipt: status === "PENDING" ? null : receiptOf(internalReference),
    franchise: attempt.brand.franchise,
    paymentMethod: attempt.brand.paymentMethod,
    paymentDate: nowMs,
    internalReference,
    authorization: status === "APPROVED" ? "000000" : null,
    issuerName: attempt.brand.issuerName,
    installments: 1,
    lastDigits: attempt.lastDigits,
    payer: attempt.payer
  }
  const updated: Link = { ...link, payments: [...link.payments, payment] }
  return [
    Either.right({ payment, link: updated }),
    withLink(
      {
        ...state,
        nextPaymentId: state.nextPaymentId + 1,
        nextRequestId: requestId + 1,
        nextInternalReference: internalReference + 1,
        sessions: HashMap.set(state.sessions, requestId, link.id)
      },
      updated
    )
  ]
}

/** The payment made in checkout session `requestId`, with its link. */
export const sessionOf = (
  state: State,
  requestId: number
): { readonly link: Link; readonly payment: Payment } | undefined => {
  const linkId = Option.getOrUndefined(HashMap.get(state.sessions, requestId))
  const link = linkId === undefined ? undefined : linkOf(state, linkId)
  const payment = link?.payments.find((p) => p.requestId === requestId)
  return link === undefined || payment === undefined ? undefined : { link, payment }
}

const receiptOf = (internalReference: number): string => String(99_000_000 + internalReference)

/**
 * Resolves the link's PENDING payments to what their test cards decide. A pending payment settles
 * even if the link expired or was disabled meanwhile: it was made while the link was open.
 */
export const settlePending = (
  state: State,
  id: number,
  nowMs: number
): [Either.Either<{ readonly settled: ReadonlyArray<Payment>; readonly link: Link }, SandboxError>, State] => {
  const link = linkOf(state, id)
  if (link === undefined) return notFound(state, id)
  const settled: Array<Payment> = []
  const payments = link.payments.map((p) => {
    if (p.status !== "PENDING") return p
    const done: Payment = {
      ...p,
      status: p.settlesTo,
      message: say(link, p.settlesTo === "APPROVED" ? "approved" : "rejected"),
      receipt: receiptOf(p.internalReference),
      authorization: p.settlesTo === "APPROVED" ? "000000" : null,
      paymentDate: nowMs
    }
    settled.push(done)
    return done
  })
  const updated: Link = { ...link, payments }
  return [Either.right({ settled, link: updated }), settled.length === 0 ? state : withLink(state, updated)]
}

/** Forces an ACTIVE link to EXPIRED now, whatever its expiration date. */
export const forceExpire = (state: State, id: number): [Either.Either<Link, SandboxError>, State] => {
  const link = linkOf(state, id)
  if (link === undefined) return notFound(state, id)
  if (link.status !== "ACTIVE") return refused(state, "LinkNotActive", `Payment link ${id} is already ${link.status}`)
  const expired: Link = { ...link, status: "EXPIRED" }
  return [Either.right(expired), withLink(state, expired)]
}
