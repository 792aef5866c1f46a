/**
 * The durable store from the command line: `store migrate`, `events` (list, `replay <key>`),
 * `operations --unknown` and `reconcile`. Each needs a configuration naming a durable store.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import { config, json, lazily, text } from "../CommonOptions.js"

const run = () => import("../handlers/durability.js")

export const migrateOptions = { config }

const migrate = Command.make("migrate", migrateOptions, lazily(run, "migrate")).pipe(
  Command.withDescription("create or update the store's tables (also done by every process at start)")
)

export const pruneOptions = {
  config,
  json,
  olderThan: text(
    "older-than",
    'delete handled events and finished operations older than this duration, e.g. "90 days"'
  )
}

const prune = Command.make("prune", pruneOptions, lazily(run, "prune")).pipe(
  Command.withDescription(
    "delete handled events and finished operations older than --older-than (a deleted operation's reference is no longer an idempotency key)"
  )
)

export const store = Command.make("store").pipe(
  Command.withDescription("the durable store"),
  Command.withSubcommands([migrate, prune])
)

export const replayOptions = {
  config,
  key: Args.text({ name: "key" }).pipe(Args.withDescription("the event's key, as `pasarela events` lists it"))
}

const replay = Command.make("replay", replayOptions, lazily(run, "replay")).pipe(
  Command.withDescription("hand a dead-lettered or held event to the application again")
)

export const eventsOptions = {
  config,
  json,
  failed: Options.boolean("failed").pipe(Options.withDescription("dead-lettered events (their handler kept failing)")),
  held: Options.boolean("held").pipe(
    Options.withDescription("held events (they name no operation Pasarela created, or disagree with it)")
  ),
  status: Options.choice("status", ["pending", "done", "dead", "held"] as const).pipe(
    Options.withDescription("which events to list"),
    Options.optional
  ),
  limit: Options.integer("limit").pipe(
    Options.withDescription("at most this many events, a whole number"),
    Options.withDefault(100)
  )
}

export const events = Command.make("events", eventsOptions, lazily(run, "events")).pipe(
  Command.withDescription("the events in the inbox: pending (default), --failed, --held, or --status done"),
  Command.withSubcommands([replay])
)

export const operationsOptions = {
  config,
  json,
  unknown: Options.boolean("unknown").pipe(
    Options.withDescription("creates that may have happened: unknown outcomes, and ones in flight too long")
  ),
  olderThan: text(
    "older-than",
    'an operation in flight this long counts as unknown, a duration such as "2 minutes"'
  ).pipe(Options.withDefault("2 minutes"))
}

export const operations = Command.make("operations", operationsOptions, lazily(run, "operations")).pipe(
  Command.withDescription("operations whose outcome is unknown (--unknown)")
)

export const reconcileOptions = { config, json }

export const reconcile = Command.make("reconcile", reconcileOptions, lazily(run, "reconcile")).pipe(
  Command.withDescription("read open links back from their providers once, recovering lost notifications")
)
