/**
 * A lean HTTP client does nothing around a provider request but the exchange itself:
 *
 * - it enforces the request's own time limit (`Deadline.ofRequest`): when it passes, the request is
 *   aborted and fails with a `RequestError` whose cause is a `Deadline.DeadlineExceeded`;
 * - it records no spans and logs nothing about the request (headers included).
 *
 * Adapters skip, for such a client, the work it makes unnecessary on every attempt: a timer fiber
 * for the time limit, switching the client's tracing off, and adding credential headers to the
 * names redacted in logs. `UndiciHttpClient` (`@pasarela/node`) is lean. A wrapper that only
 * rewrites requests may keep the mark if it carries each request's limit over (`Deadline.forRequest`).
 */

const lean = Symbol.for("@pasarela/core/LeanClient")

/** Marks `client` (any object) as lean; returns it. */
export const mark = <C extends object>(client: C): C => Object.assign(client, { [lean]: true })

/** True for a client marked with `mark`. */
export const isLean = (client: unknown): boolean => typeof client === "object" && client !== null && lean in client
