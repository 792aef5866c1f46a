/**
 * An `@effect/sql` `SqlClient` over PGlite: PostgreSQL compiled to WebAssembly, in the process, its
 * data in a directory (or in memory). The same SQL as a PostgreSQL server, no server and no native
 * build. PGlite has one connection: statements and transactions take turns.
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as Client from "@effect/sql/SqlClient"
import type { Connection } from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as Statement from "@effect/sql/Statement"
import { PGlite } from "@electric-sql/pglite"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"

export interface Options {
  /** Directory holding the database (created when missing). Undefined: in memory. */
  readonly dataDir?: string | undefined
}

const escapeIdentifier = Statement.defaultEscape('"')

/** PostgreSQL's dialect: `$1` placeholders, double-quoted identifiers. */
const compiler = Statement.makeCompiler({
  dialect: "pg",
  placeholder: (index) => `$${index}`,
  onIdentifier: escapeIdentifier,
  onRecordUpdate: (placeholders, alias, columns, values, returning) => [
    `(values ${placeholders}) AS ${alias}${columns}${returning ? ` RETURNING ${returning[0]}` : ""}`,
    returning ? values.flat().concat(returning[1]) : values.flat()
  ],
  onCustom: () => ["", []]
})

const failure = (cause: unknown) => new SqlError({ cause, message: "Failed to execute statement" })

const connection = (db: PGlite): Connection => {
  const rows = (sql: string, params: ReadonlyArray<unknown>) =>
    Effect.tryPromise({
      try: () => db.query<Record<string, unknown>>(sql, [...params]),
      catch: failure
    }).pipe(Effect.map((result) => result.rows))
  const transformed = (
    sql: string,
    params: ReadonlyArray<unknown>,
    transformRows: (<A extends object>(row: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined
  ) => (transformRows === undefined ? rows(sql, params) : Effect.map(rows(sql, params), transformRows))
  return {
    execute: transformed,
    executeRaw: (sql, params) => Effect.tryPromise({ try: () => db.query(sql, [...params]), catch: failure }),
    executeStream: (sql, params, transformRows) => Stream.fromIterableEffect(transformed(sql, params, transformRows)),
    executeValues: (sql, params) =>
      Effect.tryPromise({
        try: () => db.query<Array<unknown>>(sql, [...params], { rowMode: "array" }),
        catch: failure
      }).pipe(Effect.map((result) => result.rows)),
    // Several statements and no parameters (a migration file, say) go through `exec`.
    executeUnprepared: (sql, params, transformRows) =>
      params.length > 0
        ? transformed(sql, params, transformRows)
        : Effect.tryPromise({ try: () => db.exec(sql), catch: failure }).pipe(
            Effect.map((results) => results.at(-1)?.rows ?? [])
          )
  }
}

/** Opens the database for the scope's lifetime. */
export const make = (
  options: Options = {}
): Effect.Effect<Client.SqlClient, SqlError, Reactivity.Reactivity | Scope.Scope> =>
  Effect.gen(function* () {
    const db = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => PGlite.create(options.dataDir),
        catch: (cause) => new SqlError({ cause, message: "Failed to open the embedded database" })
      }),
      (db) => Effect.promise(() => db.close())
    )
    const turn = yield* Effect.makeSemaphore(1)
    const conn = connection(db)
    // Held for the scope of a statement or a whole transaction: one at a time.
    const acquirer = Effect.as(
      Effect.acquireRelease(turn.take(1), () => turn.release(1)),
      conn
    )
    return yield* Client.make({
      acquirer,
      transactionAcquirer: acquirer,
      compiler,
      spanAttributes: [["db.system.name", "postgresql"]]
    })
  })

/** The client as a layer, providing `SqlClient`. */
export const layer = (options: Options = {}): Layer.Layer<Client.SqlClient, SqlError> =>
  Layer.scoped(Client.SqlClient, make(options)).pipe(Layer.provide(Reactivity.layer))
