/**
 * `@pasarela/store/backends` on worker runtimes (the `workerd` and `worker` export conditions, as
 * Wrangler and esbuild for workers resolve them): PGlite wants a data directory and PostgreSQL a TCP
 * socket, neither of which a worker has. The same exports, each failing with a typed error that says
 * what to do, so a worker bundle resolves and a configuration naming one of them fails to start.
 */
import { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Embedded from "./EmbeddedStore.js"
import type * as Pglite from "./PgliteClient.js"
import type * as Postgres from "./PostgresStore.js"
import { StoreError } from "./Store.js"

export const unavailableMessage =
  "embedded and postgres stores need Node, Bun or Deno; on workers pass a store of your own"

const unavailable = (operation: string) =>
  Layer.fail(new StoreError({ operation, cause: new Error(unavailableMessage) }))

export const EmbeddedStore: Pick<typeof Embedded, "layer"> = {
  layer: () => unavailable("open")
}

export const PostgresStore: Pick<typeof Postgres, "layer"> = {
  layer: () => unavailable("connect")
}

export const PgliteClient: Pick<typeof Pglite, "make" | "layer"> = {
  make: () => Effect.fail(new SqlError({ message: unavailableMessage })),
  layer: () => Layer.fail(new SqlError({ message: unavailableMessage }))
}
