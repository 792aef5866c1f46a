/**
 * The server-side backends: embedded (PGlite, a data directory) and a PostgreSQL server (TCP), for
 * Node, Bun and Deno. On worker runtimes this entry resolves to `backends.worker.ts` instead.
 */
export * as EmbeddedStore from "./EmbeddedStore.js"
export * as PgliteClient from "./PgliteClient.js"
export * as PostgresStore from "./PostgresStore.js"
