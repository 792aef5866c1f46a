/**
 * The durable store from the command line: `store migrate`, `events` (list, `replay <key>`),
 * `operations --unknown` and `reconcile`. Each needs a configuration naming a durable store.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { Configuration, FieldIssue, PaymentError } from "@pasarela/core"
import { readConfigFile, UndiciHttpClient } from "@pasarela/node"
import { type InboxEntry, type InboxStatus, type Operation, Store, type StoreError } from "@pasarela/store"
import * as Clock from "effect/Clock"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Pasarela, Reconciler } from "pasarela"
import { grid, print, table } from "../Output.js"
import { config, json } from "../Shared.js"

/** A store failure said the way the CLI says every failure. */
const storeFailure = (operation: string) => (error: StoreError) =>
  new PaymentError({
    provider: "store",
    operation,
    reason: new Configuration({ issues: [new FieldIssue({ path: "store", message: error.message })] })
  })

/** Runs `effect` with the configuration's durable store, inbox and services. */
const withStore = <A, R>(configPath: string, effect: Effect.Effect<A, PaymentError, R | Pasarela.DurableServices>) =>
  Effect.flatMap(readConfigFile(configPath), (settings) =>
    Effect.provide(effect, Pasarela.durableLayer(settings, { httpClient: UndiciHttpClient.layer }))
  ) as Effect.Effect<A, PaymentError, Exclude<R, Pasarela.DurableServices>>

const migrate = Command.make("migrate", { config }, (o) =>
  withStore(
    o.config,
    // Opening the store runs its migrations (under a lock, so several processes may start at once).
    Console.log("the store's tables are up to date")
  )
).pipe(Command.withDescription("create or update the store's tables (also done by every process at start)"))

const prune = Command.make(
  "prune",
  {
    config,
    json,
    olderThan: Options.text("older-than").pipe(
      Options.withDescription('delete handled events and finished operations older than this, e.g. "90 days"')
    )
  },
  (o) =>
    withStore(
      o.config,
      Effect.gen(function* () {
        const age = yield* Option.match(Duration.decodeUnknown(o.olderThan), {
          onNone: () =>
            Effect.fail(
              new PaymentError({
                provider: "cli",
                operation: "store.prune",
                reason: new Configuration({
                  issues: [new FieldIssue({ path: "--older-than", message: 'must be a duration such as "90 days"' })]
                })
              })
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
).pipe(
  Command.withDescription(
    "delete handled events and finished operations older than --older-than (a deleted operation's reference is no longer an idempotency key)"
  )
)

export const store = Command.make("store").pipe(
  Command.withDescription("the durable store"),
  Command.withSubcommands([migrate, prune])
)

const entryRows = (entries: ReadonlyArray<InboxEntry>) =>
  grid(
    ["key", "merchant", "status", "attempts", "received", "last error / held because"],
    entries.map((e) => [e.key, e.merchantId, e.status, e.attempts, e.receivedAt, e.heldReason ?? e.lastError])
  )

const statusOption = Options.choice("status", ["pending", "done", "dead", "held"] as const).pipe(
  Options.withDescription("which events to list"),
  Options.optional
)

const replay = Command.make("replay", { config, key: Args.text({ name: "key" }) }, (o) =>
  withStore(
    o.config,
    Effect.gen(function* () {
      const done = yield* Effect.flatMap(Store, (s) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) => s.replay(o.key, new Date(now)))
      ).pipe(Effect.mapError(storeFailure("events.replay")))
      if (!done) {
        return yield* Effect.fail(
          new PaymentError({
            provider: "cli",
            operation: "events.replay",
            reason: new Configuration({
              issues: [new FieldIssue({ path: "key", message: `no dead or held event has the key "${o.key}"` })]
            })
          })
        )
      }
      yield* Console.log(`replaying ${o.key}: the application's dispatcher hands it over next`)
    })
  )
).pipe(Command.withDescription("hand a dead-lettered or held event to the application again"))

export const events = Command.make(
  "events",
  {
    config,
    json,
    failed: Options.boolean("failed").pipe(
      Options.withDescription("dead-lettered events (their handler kept failing)")
    ),
    held: Options.boolean("held").pipe(
      Options.withDescription("held events (they name no operation Pasarela created, or disagree with it)")
    ),
    status: statusOption,
    limit: Options.integer("limit").pipe(Options.withDefault(100))
  },
  (o) =>
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
).pipe(
  Command.withDescription("the events in the inbox: pending (default), --failed, --held, or --status done"),
  Command.withSubcommands([replay])
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

export const operations = Command.make(
  "operations",
  {
    config,
    json,
    unknown: Options.boolean("unknown").pipe(
      Options.withDescription("creates that may have happened: unknown outcomes, and ones in flight too long")
    ),
    olderThan: Options.text("older-than").pipe(
      Options.withDescription('an operation in flight this long counts as unknown, e.g. "2 minutes"'),
      Options.withDefault("2 minutes")
    )
  },
  (o) =>
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
).pipe(Command.withDescription("operations whose outcome is unknown (--unknown)"))

export const reconcile = Command.make("reconcile", { config, json }, (o) =>
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
).pipe(Command.withDescription("read open links back from their providers once, recovering lost notifications"))
