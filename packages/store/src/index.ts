/**
 * Durable state for Pasarela: the operation journal (idempotent creates, outcomes that survive a
 * crash) and the event inbox (exactly-once handling across processes), in memory, embedded
 * (PGlite) or on PostgreSQL. This entry runs anywhere; the embedded and PostgreSQL backends, which
 * need Node, Bun or Deno, are in `@pasarela/store/backends`.
 */
export * as MemoryStore from "./MemoryStore.js"
export * as Migrations from "./Migrations.js"
export * as SqlStore from "./SqlStore.js"
export * from "./Store.js"
