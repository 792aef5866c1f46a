/**
 * The store on a PostgreSQL server, through `@effect/sql-pg`: shared by every process and instance
 * of the application (claims use `FOR UPDATE SKIP LOCKED`, leases hand over a crashed process's work).
 */
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Layer from "effect/Layer"
import type * as Redacted from "effect/Redacted"
import * as SqlStore from "./SqlStore.js"
import { type Store, StoreError } from "./Store.js"

export interface Options extends SqlStore.Options {
  /** `postgres://user@host:5432/database` — read it from a secret (`Config.redacted`). */
  readonly url: Redacted.Redacted<string>
  /** Connections kept open (default 10). */
  readonly maxConnections?: number | undefined
}

/** Connects and migrates. */
export const layer = (options: Options): Layer.Layer<Store, StoreError> =>
  SqlStore.layer(options).pipe(
    Layer.provide(
      PgClient.layer({
        url: options.url,
        maxConnections: options.maxConnections ?? 10
      })
    ),
    Layer.mapError((cause) => (cause instanceof StoreError ? cause : new StoreError({ operation: "connect", cause })))
  )
