/**
 * The store's tables, created and changed by `@effect/sql`'s `Migrator`. Every name starts with a
 * prefix (default `pasarela_`) so the tables sit in the application's own database beside its own.
 */
import * as Migrator from "@effect/sql/Migrator"
import { SqlClient } from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/** The default prefix of every table and index. */
export const DEFAULT_PREFIX = "pasarela_"

/** A prefix is part of SQL identifiers: lower-case letters, digits and underscores. */
export const isPrefix = (prefix: string): boolean => /^[a-z_][a-z0-9_]{0,30}$/.test(prefix)

export const tables = (prefix: string) => ({
  operations: `${prefix}operations`,
  inbox: `${prefix}inbox`,
  migrations: `${prefix}migrations`
})

const initial = (prefix: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    const t = tables(prefix)
    yield* sql`
      CREATE TABLE ${sql(t.operations)} (
        merchant_id text NOT NULL,
        kind text NOT NULL,
        reference text NOT NULL,
        amount text NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        attempt integer NOT NULL,
        provider text,
        provider_id text,
        result jsonb,
        error jsonb,
        open boolean NOT NULL DEFAULT false,
        started_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        touched_at timestamptz,
        PRIMARY KEY (merchant_id, kind, reference)
      )`
    yield* sql`CREATE INDEX ${sql(`${prefix}operations_provider_id`)} ON ${sql(t.operations)} (merchant_id, kind, provider_id)`
    yield* sql`CREATE INDEX ${sql(`${prefix}operations_open`)} ON ${sql(t.operations)} (touched_at) WHERE open`
    yield* sql`
      CREATE TABLE ${sql(t.inbox)} (
        key text PRIMARY KEY,
        merchant_id text NOT NULL,
        provider text NOT NULL,
        event jsonb NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL,
        last_error text,
        held_reason text,
        received_at timestamptz NOT NULL,
        handled_at timestamptz,
        owner text,
        lease_until timestamptz
      )`
    yield* sql`CREATE INDEX ${sql(`${prefix}inbox_due`)} ON ${sql(t.inbox)} (next_attempt_at) WHERE status = 'pending'`
    yield* sql`CREATE INDEX ${sql(`${prefix}inbox_status`)} ON ${sql(t.inbox)} (status, received_at)`
  })

/**
 * Runs the migrations not yet applied. Safe from several processes starting at once: the Migrator
 * locks its table for the run, but creates that table first, which two processes could both try —
 * so it is created here beforehand, the loser of that race ignoring its error (the table exists).
 */
export const migrate = (prefix: string = DEFAULT_PREFIX) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient
    const table = tables(prefix).migrations
    // The Migrator's own definition of its table, for PostgreSQL.
    yield* Effect.ignore(sql`
      CREATE TABLE IF NOT EXISTS ${sql(table)} (
        migration_id integer primary key,
        created_at timestamp with time zone not null default now(),
        name text not null
      )`)
    return yield* Migrator.make({})({
      loader: Migrator.fromRecord({ "1_initial": initial(prefix) }),
      table
    })
  })
