/**
 * The store embedded in the process (PGlite): no server, nothing to install, the same SQL as
 * PostgreSQL. One process at a time opens a data directory: for several processes or instances,
 * use `PostgresStore`.
 */
import * as Layer from "effect/Layer"
import * as PgliteClient from "./PgliteClient.js"
import * as SqlStore from "./SqlStore.js"
import { type Store, StoreError } from "./Store.js"

export interface Options extends SqlStore.Options {
  /** Directory holding the data (created when missing). Undefined: in memory, gone with the process. */
  readonly path?: string | undefined
}

/** Opens (creating if need be) the embedded database and migrates it. */
export const layer = (options: Options = {}): Layer.Layer<Store, StoreError> =>
  SqlStore.layer(options).pipe(
    Layer.provide(PgliteClient.layer({ dataDir: options.path })),
    Layer.mapError((cause) => (cause instanceof StoreError ? cause : new StoreError({ operation: "open", cause })))
  )
