/**
 * Load through the router, end to end, on loopback: `Pasarela.layer` with two merchants (one on
 * PlacetoPay, one on Autocore) against both simulators (`Sandbox.serve()`), and this app's webhook
 * endpoint (`WebhookEndpoint.router`) on a server of its own (`webhooks.publicBaseUrl`).
 *
 * 0. creates `--warmup` links (default 256; not counted) so layers, connections and the JIT are warm;
 * 1. creates `--links` links (default 10,000; even indexes PlacetoPay, odd Autocore) at
 *    `--concurrency` (default 64): throughput and create latency;
 * 2. pays every link through the simulators' controls, as a guest would, `--pay-concurrency` at a
 *    time (default: `--concurrency`), each payment waiting for its event at the endpoint (Autocore
 *    notifies in the background; without that wait its deliveries pile up unbounded);
 * 3. verifies: every link exists exactly once in the simulators' state (by reference), paid; one
 *    notification was sent per link; every event was handled exactly once (by dedupe key and by
 *    reference), verified, `payment.approved`. Deliveries the simulators gave up waiting on (no
 *    answer within their 10 s) are reported, not failed: the event count is the verdict.
 *
 * Bounded: past `--deadline` seconds (default 600) it stops and fails, saying how far it got.
 * Everything (simulators, router, endpoint) shares this process's one event loop.
 *
 *   pnpm exec tsx --conditions=@pasarela/source bench/load.ts --links 2000 --concurrency 64
 *   pnpm bench --load        (inside the full table)
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Money, type PaymentEvent, PaymentLinks, RoutedId } from "@pasarela/core"
import { PasarelaSetup, Sandbox } from "@pasarela/sandbox"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import { Pasarela, WebhookEndpoint } from "pasarela"
import { intFlag, isEntryPoint, type Measurement, percentile, progress, runAlone, sorted } from "./support.js"

const secrets = PasarelaSetup.env({ webhookSecret: "load-test-webhook-secret-cartagena" })

const PLACETOPAY = "hotel-bogota"
const AUTOCORE = "hotel-cartagena"

const configFor = (sandboxUrl: string, webhooksUrl: string) =>
  PasarelaSetup.config(sandboxUrl, { publicBaseUrl: webhooksUrl })

/** How long one payment waits for its event before the run moves on (and fails verification). */
const EVENT_TIMEOUT = Duration.seconds(30)

/** A test card the PlacetoPay simulator approves. */
const APPROVED_CARD = { number: "4110760000000081" }

export interface Options {
  readonly links: number
  readonly concurrency: number
  /** Payments in flight at once (each waits for its event). Default: `concurrency`. */
  readonly payConcurrency: number
  readonly deadlineSeconds: number
  /** Links created (not paid, not counted) before measuring, so JIT and lazy layers are warm. */
  readonly warmup: number
}

export const optionsFromArgs = (argv: ReadonlyArray<string> = process.argv): Options => ({
  links: intFlag("links", 10_000, argv),
  concurrency: intFlag("concurrency", 64, argv),
  payConcurrency: intFlag("pay-concurrency", intFlag("concurrency", 64, argv), argv),
  deadlineSeconds: intFlag("deadline", 600, argv),
  warmup: intFlag("warmup", 256, argv)
})

/** How far the run got: reported as it goes and when the deadline stops it. */
interface Progress {
  phase: string
  created: number
  paid: number
  handled: number
}

const describe = (p: Progress, total: number) =>
  `${p.phase}: created ${p.created}/${total}, paid ${p.paid}/${total}, events handled ${p.handled}/${total}`

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`

const loadTest = (options: Options, state: Progress) =>
  Effect.gen(function* () {
    const total = options.links
    const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`
    const referenceOf = (i: number) => `LD-${runId}-${i}`
    const merchantOf = (i: number) => (i % 2 === 0 ? PLACETOPAY : AUTOCORE)

    state.phase = "starting"
    const sandbox = yield* Sandbox.serve()
    const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" })
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0

    // What the application saw: each event by dedupe key and by (merchant, reference).
    const byKey = new Map<string, number>()
    const byReference = new Map<string, number>()
    const unexpected: Array<string> = []
    /** A payment waits for its event here, so no more than `payConcurrency` notifications are ever in flight. */
    const waiters = new Map<string, Deferred.Deferred<void>>()
    let lastEventAt = 0
    const handler = (event: PaymentEvent.PaymentEvent) =>
      Effect.sync(() => {
        byKey.set(event.dedupeKey, (byKey.get(event.dedupeKey) ?? 0) + 1)
        const key = `${event.merchantId}/${event.reference}`
        byReference.set(key, (byReference.get(key) ?? 0) + 1)
        if (event.type !== "payment.approved" || !event.verified) {
          unexpected.push(`${key}: ${event.type}${event.verified ? "" : " (unverified)"}`)
        }
        state.handled++
        lastEventAt = performance.now()
        return waiters.get(key)
      }).pipe(Effect.flatMap((waiter) => (waiter === undefined ? Effect.void : Deferred.succeed(waiter, undefined))))
    const pasarela = yield* Layer.build(
      Pasarela.layer(configFor(sandbox.baseUrl, `http://127.0.0.1:${port}/webhooks`), { onEvent: handler })
    ).pipe(Effect.withConfigProvider(ConfigProvider.fromJson(secrets)))
    yield* server.serve(WebhookEndpoint.router().pipe(Effect.provide(pasarela)))

    const links = yield* Effect.provide(PaymentLinks, pasarela)
    const amount = Money.make("120000", "COP")
    const providerIds: Array<string> = new Array(total)
    const latencies = new Float64Array(total)

    const createOne = (reference: string, merchantId: string) =>
      links.create({
        merchantId,
        reference,
        description: "2 nights, double room",
        amount,
        payer: { name: "Laura", surname: "Pelaez", email: "laura@example.com" },
        expiresIn: "24 hours"
      })

    // 0. Warm-up: builds each merchant's layer, opens connections, lets the JIT see the path.
    state.phase = "warming up"
    yield* Effect.forEach(
      Array.from({ length: options.warmup }, (_, i) => i),
      (i) => createOne(`LW-${runId}-${i}`, merchantOf(i)),
      { concurrency: options.concurrency, discard: true }
    )

    // 1. Create.
    state.phase = "creating"
    const started = performance.now()
    yield* Effect.forEach(
      Array.from({ length: total }, (_, i) => i),
      (i) =>
        Effect.suspend(() => {
          const start = performance.now()
          return Effect.map(createOne(referenceOf(i), merchantOf(i)), (link) => {
            latencies[i] = performance.now() - start
            providerIds[i] = Option.getOrThrow(RoutedId.decode(link.id)).id
            state.created++
          })
        }),
      { concurrency: options.concurrency, discard: true }
    )
    const createdAt = performance.now()

    // 2. Pay, as guests would, through the simulators' controls; each payment then waits for its
    //    event at the webhook endpoint (Autocore notifies in the background: without this wait,
    //    deliveries would pile up unbounded).
    state.phase = "paying"
    const notifyLatencies = new Float64Array(total)
    yield* Effect.forEach(
      Array.from({ length: total }, (_, i) => i),
      (i) =>
        Effect.gen(function* () {
          const key = `${merchantOf(i)}/${referenceOf(i)}`
          const waiter = yield* Deferred.make<void>()
          waiters.set(key, waiter)
          const start = performance.now()
          yield* merchantOf(i) === PLACETOPAY
            ? sandbox.placetopay.payLink(Number(providerIds[i]), APPROVED_CARD)
            : sandbox.autocore.payLink(providerIds[i]!)
          state.paid++
          // A lost notification is reported by the verification below, not waited for forever.
          const arrived = yield* Deferred.await(waiter).pipe(Effect.timeout(EVENT_TIMEOUT), Effect.option)
          notifyLatencies[i] = Option.isSome(arrived) ? performance.now() - start : Number.NaN
          waiters.delete(key)
        }),
      { concurrency: options.payConcurrency, discard: true }
    )
    const paidAt = performance.now()

    // 3. Any event still missing gets a last chance; the verification reports what never came.
    state.phase = "waiting for notifications"
    const giveUpAt = performance.now() + Duration.toMillis(EVENT_TIMEOUT)
    while (state.handled < total && performance.now() < giveUpAt) yield* Effect.sleep("20 millis")
    const doneAt = Math.max(lastEventAt, paidAt)

    // 4. Verify.
    state.phase = "verifying"
    const problems: Array<string> = []
    const expectOnce = (what: string, counts: ReadonlyMap<string, number>, expected: ReadonlyArray<string>) => {
      const missing = expected.filter((key) => !counts.has(key))
      const repeated = [...counts].filter(([, n]) => n !== 1)
      const expectedSet = new Set(expected)
      const stray = [...counts.keys()].filter((key) => !expectedSet.has(key))
      if (missing.length > 0) problems.push(`${what}: ${missing.length} missing (e.g. ${missing[0]})`)
      if (repeated.length > 0) problems.push(`${what}: ${repeated.length} not exactly once (e.g. ${repeated[0]![0]})`)
      if (stray.length > 0) problems.push(`${what}: ${stray.length} unexpected (e.g. ${stray[0]})`)
    }
    const count = (keys: Iterable<string>) => {
      const counts = new Map<string, number>()
      for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
      return counts
    }
    const indexes = Array.from({ length: total }, (_, i) => i)
    const placetopayRefs = indexes.filter((i) => merchantOf(i) === PLACETOPAY).map(referenceOf)
    const autocoreRefs = indexes.filter((i) => merchantOf(i) === AUTOCORE).map(referenceOf)

    const placetopayLinks = (yield* sandbox.placetopay.links).filter((l) => l.reference.startsWith(`LD-${runId}-`))
    expectOnce("PlacetoPay links", count(placetopayLinks.map((l) => l.reference)), placetopayRefs)
    const unpaid = placetopayLinks.filter((l) => l.payments.length !== 1 || l.payments[0]!.status !== "APPROVED")
    if (unpaid.length > 0) problems.push(`PlacetoPay links: ${unpaid.length} without exactly one approved payment`)

    const autocoreLinks = (yield* sandbox.autocore.state).links.filter((l) =>
      (l.externalRefId ?? "").startsWith(`LD-${runId}-`)
    )
    expectOnce("Autocore links", count(autocoreLinks.map((l) => l.externalRefId!)), autocoreRefs)
    const notPaid = autocoreLinks.filter((l) => l.status !== "paid")
    if (notPaid.length > 0) problems.push(`Autocore links: ${notPaid.length} not paid`)

    // Deliveries: one per link. One the simulator gave up on (no answer within its 10 s) may still
    // have been handled; that is reported, not failed: the events' own count is the verdict.
    const placetopayDeliveries = yield* sandbox.placetopay.notifications
    if (placetopayDeliveries.length !== placetopayRefs.length) {
      problems.push(`PlacetoPay notifications: ${placetopayDeliveries.length} sent for ${placetopayRefs.length} links`)
    }
    // The event is handled before the simulator has read the endpoint's answer: let the last ones land.
    const autocoreDeliveries = yield* Effect.gen(function* () {
      const giveUpAt = performance.now() + 15_000
      for (;;) {
        const deliveries = yield* sandbox.autocore.webhookDeliveries
        if (deliveries.length >= autocoreRefs.length || performance.now() > giveUpAt) return deliveries
        yield* Effect.sleep("20 millis")
      }
    })
    if (autocoreDeliveries.length !== autocoreRefs.length) {
      problems.push(`Autocore webhooks: ${autocoreDeliveries.length} attempts for ${autocoreRefs.length} links`)
    }
    const unanswered = [
      ...placetopayDeliveries.filter((d) => d.responseStatus !== 200).map((d) => d.error ?? `HTTP ${d.responseStatus}`),
      ...autocoreDeliveries.filter((d) => d.status !== 200).map((d) => d.error ?? `HTTP ${d.status}`)
    ]

    expectOnce("events by dedupe key", byKey, [...byKey.keys()])
    if (byKey.size !== total) problems.push(`events: ${byKey.size} distinct dedupe keys for ${total} links`)
    expectOnce("events by reference", byReference, [
      ...placetopayRefs.map((r) => `${PLACETOPAY}/${r}`),
      ...autocoreRefs.map((r) => `${AUTOCORE}/${r}`)
    ])
    if (unexpected.length > 0) problems.push(`events: ${unexpected.length} unexpected (e.g. ${unexpected[0]})`)

    const ascending = sorted(latencies)
    const split = (merchant: string) =>
      sorted(indexes.filter((i) => merchantOf(i) === merchant).map((i) => latencies[i]!))
    const figures = {
      throughput: (total * 1000) / (createdAt - started),
      p50: percentile(ascending, 50),
      p99: percentile(ascending, 99),
      max: ascending[ascending.length - 1]!,
      placetopayP50: percentile(split(PLACETOPAY), 50),
      autocoreP50: percentile(split(AUTOCORE), 50),
      payRate: (total * 1000) / (paidAt - createdAt),
      notifyP50: percentile(sorted(notifyLatencies.filter((n) => !Number.isNaN(n))), 50),
      notifyP99: percentile(sorted(notifyLatencies.filter((n) => !Number.isNaN(n))), 99),
      drainMs: doneAt - paidAt,
      endToEndMs: doneAt - started
    }
    const summary =
      `${total} links at concurrency ${options.concurrency}: create ${seconds(createdAt - started)}, ` +
      `pay ${seconds(paidAt - createdAt)}, last event ${seconds(figures.drainMs)} after the last payment`
    if (problems.length > 0) {
      return yield* Effect.fail(new Error(`load test failed verification (${summary}):\n- ${problems.join("\n- ")}`))
    }
    const verified = `verified: ${total} links once each in the simulators, paid; ${total} events handled once (by dedupe key and by reference)`
    const late =
      unanswered.length === 0
        ? "every delivery answered 200 in time"
        : `${unanswered.length} deliveries not answered within the simulators' 10 s (${unanswered[0]}), though handled`
    if (unanswered.length > 0) progress(`load: warning: ${late}`)
    const rows: ReadonlyArray<Measurement> = [
      {
        name: "load: create links through the router",
        value: figures.throughput,
        unit: "links/s",
        notes: `${total} links (half PlacetoPay, half Autocore), concurrency ${options.concurrency}, ${seconds(createdAt - started)}, after ${options.warmup} warm-up links`
      },
      {
        name: "load: create latency p50",
        value: figures.p50,
        unit: "ms",
        notes: `PlacetoPay ${figures.placetopayP50.toFixed(1)} ms, Autocore ${figures.autocoreP50.toFixed(1)} ms`
      },
      { name: "load: create latency p99", value: figures.p99, unit: "ms", notes: `max ${figures.max.toFixed(1)} ms` },
      {
        name: "load: pay every link → its event handled",
        value: figures.payRate,
        unit: "payments/s",
        notes: `simulator controls; concurrency ${options.payConcurrency}, ${seconds(paidAt - createdAt)}`
      },
      {
        name: "load: payment → event handled latency p50",
        value: figures.notifyP50,
        unit: "ms",
        notes: `p99 ${figures.notifyP99.toFixed(1)} ms; POSTed by the simulator, verified, deduplicated, handled; ${late}`
      },
      {
        name: "load: end to end (create → pay → every event handled)",
        value: figures.endToEndMs / 1000,
        unit: "s",
        notes: verified
      }
    ]
    return rows
  }).pipe(Effect.scoped)

/** The load test with `options` (from the command line by default), stopped at its deadline. */
export const runWith = (options: Options): Effect.Effect<ReadonlyArray<Measurement>, unknown> =>
  Effect.suspend(() => {
    const state: Progress = { phase: "starting", created: 0, paid: 0, handled: 0 }
    const report = Effect.sync(() => progress(`load: ${describe(state, options.links)}`))
    return Effect.gen(function* () {
      progress(
        `load: ${options.links} links at concurrency ${options.concurrency}, deadline ${options.deadlineSeconds} s`
      )
      const reporter = yield* Effect.forkDaemon(
        Effect.repeat(report, Schedule.spaced("5 seconds")).pipe(Effect.delay("5 seconds"))
      )
      return yield* loadTest(options, state).pipe(
        Effect.timeoutFail({
          duration: Duration.seconds(options.deadlineSeconds),
          onTimeout: () =>
            new Error(
              `load test stopped at its ${options.deadlineSeconds} s deadline (${describe(state, options.links)})`
            )
        }),
        Effect.ensuring(Fiber.interrupt(reporter))
      )
    })
  })

export const run: Effect.Effect<ReadonlyArray<Measurement>, unknown> = Effect.suspend(() => runWith(optionsFromArgs()))

if (isEntryPoint(import.meta.url)) runAlone(run)
