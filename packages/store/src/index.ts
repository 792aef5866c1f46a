/**
 * Durable state for Pasarela: the operation journal (idempotent creates, outcomes that survive a
 * crash) and the event inbox (exactly-once handling across processes), in memory, embedded
 * (PGlite) or on PostgreSQL.
 */
export * as EmbeddedStore from "./EmbeddedStore.js"
export * as MemoryStore from "./MemoryStore.js"
export * as Migrations from "./Migrations.js"
export * as PgliteClient from "./PgliteClient.js"
export * as PostgresStore from "./PostgresStore.js"
export * as SqlStore from "./SqlStore.js"
export * from "./Store.js"
