/**
 * Recovers notifications that never arrived. PlacetoPay sends each notification once and never
 * again: if the app was deploying, down, or answered 500, the payment is never seen. The journal
 * knows which links are still open; the reconciler reads each back from its provider and puts the
 * events its state implies (a paid link's approval, an expired link's expiry) into the inbox under
 * the very dedupe keys the notifications carry — so a lost notification is recovered, and one that
 * did arrive is not doubled.
 *
 * Providers that cannot read a link back (Autocore) are not reconciled: their unknown outcomes are
 * listed instead (`pasarela operations --unknown`).
 */
import { PaymentLinks, Router, Webhooks } from "@pasarela/core"
import { type Operation, Store, type StoreError } from "@pasarela/store"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { Inbox, type InboxShape, routedIdOf } from "./Inbox.js"

export interface Summary {
  /** Open links read back. */
  readonly checked: number
  /** Events put into the inbox (not already there). */
  readonly recovered: number
  /** Links no longer open (paid, expired, disabled, or their provider cannot read them back). */
  readonly closed: number
  /** Links that could not be read this time (the provider failed); tried again next round. */
  readonly failed: number
}

const closedStatuses = new Set(["paid", "expired", "disabled"])

/** One round over at most `limit` open links, least recently looked at first. */
export const runOnce = (limit = 500): Effect.Effect<Summary, StoreError, Store | Inbox | Router.Router> =>
  Effect.gen(function* () {
    const store = yield* Store
    const inbox = yield* Inbox
    const router = yield* Router.Router
    const summary = { checked: 0, recovered: 0, closed: 0, failed: 0 }
    for (const op of yield* store.openLinks(limit)) {
      const at = new Date(yield* Clock.currentTimeMillis)
      const open = yield* reconcileLink(op, router, inbox, at).pipe(
        Effect.catchTag("PaymentError", (error) =>
          Effect.as(
            Effect.logWarning("a link could not be read back; trying again next round", error.message).pipe(
              Effect.annotateLogs({ merchant: op.merchantId, reference: op.reference })
            ),
            { open: true, recovered: 0, failed: true }
          )
        )
      )
      summary.checked++
      summary.recovered += open.recovered
      if (open.failed) summary.failed++
      if (!open.open) summary.closed++
      yield* store.touchLink(op, open.open, at)
    }
    return summary
  })

const reconcileLink = (op: Operation, router: Router.RouterShape, inbox: InboxShape, at: Date) =>
  Effect.gen(function* () {
    const routedId = routedIdOf(op)
    if (routedId === undefined) return { open: false, recovered: 0, failed: false }
    // The route that made the link: a fallback may be another site of the same provider.
    const { id, services } = yield* router.servicesForId(routedId)
    const links = Context.get(services, PaymentLinks)
    if (!links.provider.capabilities.has("links.get")) return { open: false, recovered: 0, failed: false }
    const link = yield* links.get(id.id)
    let recovered = 0
    for (const event of Context.get(services, Webhooks).eventsOf(link, op.merchantId, at)) {
      const stamped = Router.stampEvent(event, op.merchantId, id.route ?? "primary")
      if ((yield* inbox.accept(stamped)) !== "duplicate") recovered++
    }
    return { open: !closedStatuses.has(link.status), recovered, failed: false }
  })

/** Runs a round every `interval` for the layer's lifetime. */
export const layer = (interval: Duration.DurationInput): Layer.Layer<never, never, Store | Inbox | Router.Router> =>
  Layer.scopedDiscard(
    runOnce().pipe(
      Effect.tap((summary) =>
        summary.recovered > 0 ? Effect.logInfo("reconciler recovered events", summary) : Effect.void
      ),
      Effect.catchAll((error) => Effect.logError("reconciliation round failed", error)),
      Effect.repeat(Schedule.spaced(Duration.decode(interval))),
      Effect.forkScoped
    )
  )
