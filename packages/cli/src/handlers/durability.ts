/** What the durable store's commands do. */
import type * as Command from "@effect/cli/Command"
import { PaymentError } from "@pasarela/core"
import { readConfigFile, UndiciHttpClient } from "@pasarela/node"
import { type InboxEntry, type InboxStatus, type Operation, Store, type StoreError } from "@pasarela/store"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Pasarela, Reconciler } from "pasarela"
import type {
  eventsOptions,
  migrateOptions,
  operationsOptions,
  pruneOptions,
  reconcileOptions,
  replayOptions
} from "../commands/durability.js"
import { grid, print, table } from "../Output.js"

/** A store failure said the way the CLI says every failure. */
const storeFailure = (operation: string) => (error: StoreError) =>
  PaymentError.configurationError("store", [{ path: "store", message: error.message }], operation)

/** Runs `effect` with the configuration's durable store, inbox and services. */
const withStore = <A, R>(
  configPath: string,
  effect: Effect.Effect<A, PaymentError.PaymentError, R | Pasarela.DurableServices>
) =>
  Effect.flatMap(readConfigFile(configPath), (settings) =>
    Effect.provide(effect, Pasarela.durableLayer(settings, { httpClient: UndiciHttpClient.layer }))
  ) as Effect.Effect<A, PaymentError.PaymentError, Exclude<R, Pasarela.DurableServices>>

export const migrate = (o: Command.Command.ParseConfig<typeof migrateOptions>) =>
  withStore(
    o.config,
    // Opening the store runs its migrations (under a lock, so several processes may start at once).
    Console.log("the store's tables are up to date")
  )

export const prune = (o: Command.Command.ParseConfig<typeof pruneOptions>) =>
  withStore(
    o.config,
    Effect.gen(function* () {
      const age = yield* Option.match(Duration.decodeUnknown(o.olderThan), {
        onNone: () =>
          Effect.fail(
            PaymentError.configurationError(
              "cli",
              [{ path: "--older-than", message: 'must be a duration such as "90 days"' }],
              "store.prune"
            )
          ),
        onSome: Effect.succeed
      })
      const now = yield* Clock.currentTimeMillis
      const pruned = yield* Effect.flatMap(Store, (s) => s.prune(new Date(now - Duration.toMillis(age)))).pipe(
        Effect.mapError(storeFailure("store.prune"))
      )
      yield* print(o.json, pruned, () =>
        table([
          ["events deleted", pruned.events],
          ["operations deleted", pruned.operations]
        ])
      )
    })
  )

const entryRows = (entries: ReadonlyArray<InboxEntry>) =>
  grid(
    ["key", "merchant", "status", "attempts", "received", "last error / held because"],
    entries.map((e) => [e.key, e.merchantId, e.status, e.attempts, e.receivedAt, e.heldReason ?? e.lastError])
  )

export const replay = (o: Command.Command.ParseConfig<typeof replayOptions>) =>
  withStore(
    o.config,
    Effect.gen(function* () {
      const done = yield* Effect.flatMap(Store, (s) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => s.replay(o.key, new Date(now)))
      ).pipe(Effect.mapError(storeFailure("events.replay")))
      if (!done) {
        return yield* Effect.fail(
          PaymentError.configurationError(
            "cli",
            [{ path: "key", message: `no dead or held event has the key "${o.key}"` }],
            "events.replay"
          )
        )
      }
      yield* Console.log(`replaying ${o.key}: the application's dispatcher hands it over next`)
    })
  )

export const events = (o: Command.Command.ParseConfig<typeof eventsOptions>) =>
  withStore(
    o.config,
    Effect.gen(function* () {
      const status: InboxStatus = o.failed
        ? "dead"
        : o.held
          ? "held"
          : Option.getOrElse(o.status, () => "pending" as const)
      const entries = yield* Effect.flatMap(Store, (s) => s.entries(status, o.limit)).pipe(
        Effect.mapError(storeFailure("events.list"))
      )
      yield* print(o.json, entries, () => (entries.length === 0 ? `no ${status} events` : entryRows(entries)))
    })
  )

const operationRows = (operations: ReadonlyArray<Operation>) =>
  grid(
    ["merchant", "kind", "reference", "amount", "status", "started", "provider"],
    operations.map((op) => [
      op.merchantId,
      op.kind,
      op.reference,
      `${op.amount} ${op.currency}`,
      op.status,
      op.startedAt,
      op.provider
    ])
  )

export const operations = (o: Command.Command.ParseConfig<typeof operationsOptions>) =>
  withStore(
    o.config,
    Effect.gen(function* () {
      const age = Option.getOrElse(Duration.decodeUnknown(o.olderThan), () => Duration.minutes(2))
      const now = yield* Clock.currentTimeMillis
      const unknown = yield* Effect.flatMap(Store, (s) =>
        s.unknownOperations(new Date(now - Duration.toMillis(age)))
      ).pipe(Effect.mapError(storeFailure("operations.list")))
      yield* print(o.json, unknown, () =>
        unknown.length === 0
          ? "no operations with an unknown outcome"
          : `${operationRows(unknown)}\n\nEach may have happened at the gateway: check there (Autocore: its dashboard, by reference) before creating it again, or use a new reference.`
      )
    })
  )

export const reconcile = (o: Command.Command.ParseConfig<typeof reconcileOptions>) =>
  withStore(
    o.config,
    Effect.gen(function* () {
      const summary = yield* Reconciler.runOnce().pipe(Effect.mapError(storeFailure("reconcile")))
      yield* print(o.json, summary, () =>
        table([
          ["open links read back", summary.checked],
          ["events recovered", summary.recovered],
          ["links closed", summary.closed],
          ["could not be read", summary.failed]
        ])
      )
    })
  )
