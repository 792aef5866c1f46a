/**
 * The store over a PostgreSQL `SqlClient`: a PostgreSQL server (`@effect/sql-pg`) or PGlite. Each
 * method is one statement, so atomicity comes from PostgreSQL itself: `INSERT … ON CONFLICT` for the
 * journal and the inbox, `FOR UPDATE SKIP LOCKED` so processes claim disjoint events.
 */
import { SqlClient } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { DEFAULT_PREFIX, migrate, tables } from "./Migrations.js"
import {
  type InboxEntry,
  type InboxStatus,
  type Operation,
  type OperationKind,
  type OperationStatus,
  Store,
  StoreError,
  type StoreShape
} from "./Store.js"

interface OperationRow {
  readonly merchant_id: string
  readonly kind: OperationKind
  readonly reference: string
  readonly amount: string
  readonly currency: string
  readonly status: OperationStatus
  readonly attempt: number
  readonly provider: string | null
  readonly provider_id: string | null
  readonly result: unknown
  readonly error: unknown
  readonly open: boolean
  readonly started_at: Date | string
  readonly updated_at: Date | string
}

interface InboxRow {
  readonly key: string
  readonly merchant_id: string
  readonly provider: string
  readonly event: unknown
  readonly status: InboxStatus
  readonly attempts: number
  readonly next_attempt_at: Date | string
  readonly last_error: string | null
  readonly held_reason: string | null
  readonly received_at: Date | string
  readonly handled_at: Date | string | null
}

const date = (value: Date | string): Date => (value instanceof Date ? value : new Date(value))
const orUndefined = <A>(value: A | null): A | undefined => (value === null ? undefined : value)
/** JSON columns may come back as text from drivers that do not parse them. */
const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : (value ?? undefined))

const toOperation = (row: OperationRow): Operation => ({
  merchantId: row.merchant_id,
  kind: row.kind,
  reference: row.reference,
  amount: row.amount,
  currency: row.currency,
  status: row.status,
  attempt: Number(row.attempt),
  provider: orUndefined(row.provider),
  providerId: orUndefined(row.provider_id),
  result: json(row.result),
  error: json(row.error),
  open: row.open,
  startedAt: date(row.started_at),
  updatedAt: date(row.updated_at)
})

const toEntry = (row: InboxRow): InboxEntry => ({
  key: row.key,
  merchantId: row.merchant_id,
  provider: row.provider,
  event: json(row.event),
  status: row.status,
  attempts: Number(row.attempts),
  nextAttemptAt: date(row.next_attempt_at),
  lastError: orUndefined(row.last_error),
  heldReason: orUndefined(row.held_reason),
  receivedAt: date(row.received_at),
  handledAt: row.handled_at === null ? undefined : date(row.handled_at)
})

/** JSON for a `jsonb` parameter, or SQL NULL. */
const jsonParam = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value))

export interface Options {
  /** Prefix of every table and index (default `pasarela_`). */
  readonly tablePrefix?: string | undefined
}

/** The store over the `SqlClient` in context; its tables must exist (see `migrate`). */
export const make = (options: Options = {}): Effect.Effect<StoreShape, never, SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    const t = tables(options.tablePrefix ?? DEFAULT_PREFIX)
    const ops = sql(t.operations)
    const inbox = sql(t.inbox)
    const failed = (operation: string) => (cause: SqlError) => new StoreError({ operation, cause })
    // A statement's rows as the method returns them; a failure says what the store was doing.
    const first =
      <Row, A>(to: (row: Row) => A, operation: string) =>
      (rows: Effect.Effect<ReadonlyArray<Row>, SqlError>) =>
        rows.pipe(
          Effect.map(([row]) => (row === undefined ? undefined : to(row))),
          Effect.mapError(failed(operation))
        )
    const every =
      <Row, A>(to: (row: Row) => A, operation: string) =>
      (rows: Effect.Effect<ReadonlyArray<Row>, SqlError>) =>
        rows.pipe(
          Effect.map((all) => all.map(to)),
          Effect.mapError(failed(operation))
        )
    const done = (operation: string) => (statement: Effect.Effect<unknown, SqlError>) =>
      statement.pipe(Effect.asVoid, Effect.mapError(failed(operation)))

    const operation: StoreShape["operation"] = (key) =>
      sql<OperationRow>`
        SELECT * FROM ${ops}
        WHERE merchant_id = ${key.merchantId} AND kind = ${key.kind} AND reference = ${key.reference}`.pipe(
        first(toOperation, "read an operation")
      )

    return {
      begin: (key, money, now) =>
        Effect.gen(function* () {
          // Inserted, or a failed one begun again; nothing comes back when it exists and is not failed.
          const started = yield* sql<{ attempt: number }>`
            INSERT INTO ${ops} (merchant_id, kind, reference, amount, currency, status, attempt, open, started_at, updated_at)
            VALUES (${key.merchantId}, ${key.kind}, ${key.reference}, ${money.amount}, ${money.currency}, 'in-flight', 1, false, ${now}, ${now})
            ON CONFLICT (merchant_id, kind, reference) DO UPDATE SET
              amount = EXCLUDED.amount, currency = EXCLUDED.currency, status = 'in-flight',
              attempt = ${ops}.attempt + 1, provider = NULL, provider_id = NULL, result = NULL, error = NULL,
              open = false, started_at = EXCLUDED.started_at, updated_at = EXCLUDED.updated_at
            WHERE ${ops}.status = 'failed'
            RETURNING attempt`
          if (started[0] !== undefined) return { _tag: "Started" as const, attempt: Number(started[0].attempt) }
          const existing = yield* operation(key)
          if (existing === undefined) return yield* Effect.die(new Error("an operation vanished while it was begun"))
          return { _tag: "Existing" as const, operation: existing }
        }).pipe(
          Effect.mapError((cause) => (cause instanceof StoreError ? cause : failed("begin an operation")(cause)))
        ),
      finish: (key, attempt, outcome, now) =>
        sql`
          UPDATE ${ops} SET
            status = ${outcome.status},
            provider = COALESCE(${outcome.provider ?? null}, provider),
            provider_id = COALESCE(${outcome.providerId ?? null}, provider_id),
            result = ${jsonParam(outcome.result)}::jsonb,
            error = ${jsonParam(outcome.error)}::jsonb,
            open = ${outcome.open ?? false},
            updated_at = ${now}
          WHERE merchant_id = ${key.merchantId} AND kind = ${key.kind} AND reference = ${key.reference}
            AND attempt = ${attempt}`.pipe(done("record an outcome")),
      operation,
      operationByProviderId: (merchantId, kind, providerId) =>
        sql<OperationRow>`
          SELECT * FROM ${ops}
          WHERE merchant_id = ${merchantId} AND kind = ${kind} AND provider_id = ${providerId}
          ORDER BY started_at DESC LIMIT 1`.pipe(first(toOperation, "find an operation")),
      unknownOperations: (startedBefore) =>
        sql<OperationRow>`
          SELECT * FROM ${ops}
          WHERE status = 'unknown' OR (status = 'in-flight' AND started_at < ${startedBefore})
          ORDER BY started_at`.pipe(every(toOperation, "list operations")),
      openLinks: (limit) =>
        sql<OperationRow>`
          SELECT * FROM ${ops}
          WHERE kind = 'link' AND status = 'succeeded' AND open
          ORDER BY touched_at NULLS FIRST, started_at LIMIT ${limit}`.pipe(every(toOperation, "list open links")),
      touchLink: (key, open, now) =>
        sql`
          UPDATE ${ops} SET open = ${open}, touched_at = ${now}, updated_at = ${now}
          WHERE merchant_id = ${key.merchantId} AND kind = ${key.kind} AND reference = ${key.reference}`.pipe(
          done("update a link")
        ),

      enqueue: (entry, now) =>
        sql<{ key: string }>`
          INSERT INTO ${inbox} (key, merchant_id, provider, event, status, held_reason, next_attempt_at, received_at)
          VALUES (${entry.key}, ${entry.merchantId}, ${entry.provider}, ${jsonParam(entry.event)}::jsonb,
            ${entry.held === undefined ? "pending" : "held"}, ${entry.held ?? null}, ${now}, ${now})
          ON CONFLICT (key) DO NOTHING
          RETURNING key`.pipe(
          Effect.map((rows) => (rows.length > 0 ? ("added" as const) : ("duplicate" as const))),
          Effect.mapError(failed("store an event"))
        ),
      claim: (owner, limit, now, leaseUntil) =>
        sql<InboxRow>`
          UPDATE ${inbox} SET owner = ${owner}, lease_until = ${leaseUntil}, attempts = attempts + 1
          WHERE key IN (
            SELECT key FROM ${inbox}
            WHERE status = 'pending' AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until <= ${now})
            ORDER BY received_at
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED)
          RETURNING *`.pipe(
          Effect.map((rows) => rows.map(toEntry).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())),
          Effect.mapError(failed("claim events"))
        ),
      complete: (key, owner, now) =>
        sql`
          UPDATE ${inbox} SET status = 'done', handled_at = ${now}, owner = NULL, lease_until = NULL
          WHERE key = ${key} AND owner = ${owner} AND status = 'pending'`.pipe(done("complete an event")),
      fail: (key, owner, error, retryAt, now) =>
        sql`
          UPDATE ${inbox} SET
            status = ${retryAt === undefined ? "dead" : "pending"},
            next_attempt_at = ${retryAt ?? now},
            last_error = ${error},
            owner = NULL, lease_until = NULL
          WHERE key = ${key} AND owner = ${owner} AND status = 'pending'`.pipe(done("record a failed event")),
      entry: (key) => sql<InboxRow>`SELECT * FROM ${inbox} WHERE key = ${key}`.pipe(first(toEntry, "read an event")),
      entries: (status, limit) =>
        sql<InboxRow>`SELECT * FROM ${inbox} WHERE status = ${status} ORDER BY received_at LIMIT ${limit}`.pipe(
          every(toEntry, "list events")
        ),
      prune: (before) =>
        Effect.gen(function* () {
          const events = yield* sql<{ key: string }>`
            DELETE FROM ${inbox} WHERE status = 'done' AND handled_at < ${before} RETURNING key`
          const operations = yield* sql<{ reference: string }>`
            DELETE FROM ${ops} WHERE status IN ('succeeded', 'failed') AND NOT open AND updated_at < ${before}
            RETURNING reference`
          return { events: events.length, operations: operations.length }
        }).pipe(Effect.mapError(failed("prune"))),
      replay: (key, now) =>
        sql<{ key: string }>`
          UPDATE ${inbox} SET status = 'pending', attempts = 0, next_attempt_at = ${now}, held_reason = NULL,
            owner = NULL, lease_until = NULL
          WHERE key = ${key} AND status IN ('dead', 'held')
          RETURNING key`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.mapError(failed("replay an event"))
        )
    }
  })

/** The store over the `SqlClient` in context, its migrations run first. */
export const layer = (options: Options = {}): Layer.Layer<Store, StoreError, SqlClient> =>
  Layer.effect(
    Store,
    migrate(options.tablePrefix ?? DEFAULT_PREFIX).pipe(
      Effect.mapError((cause) => new StoreError({ operation: "migrate its tables", cause })),
      Effect.zipRight(make(options))
    )
  )
