/**
 * Why a sandbox control operation (or a simulator's configuration) was refused: one error for both
 * simulators, each using its own reasons.
 */
import * as Schema from "effect/Schema"

/**
 * PlacetoPay: `LinkNotFound`, `LinkNotPayable`, `LinkNotActive`, `InvalidCard`, `InvalidOptions`.
 * Autocore: `NotFound` (unknown id), `Conflict` (a state that does not allow the operation).
 */
export const SandboxErrorReason = Schema.Literal(
  "LinkNotFound",
  "LinkNotPayable",
  "LinkNotActive",
  "InvalidCard",
  "InvalidOptions",
  "NotFound",
  "Conflict"
)
export type SandboxErrorReason = typeof SandboxErrorReason.Type

export class SandboxError extends Schema.TaggedError<SandboxError>("@pasarela/sandbox/SandboxError")("SandboxError", {
  reason: SandboxErrorReason,
  message: Schema.String
}) {}

/** The HTTP status a control endpoint answers a refusal with. */
export const httpStatus: Readonly<Record<SandboxErrorReason, number>> = {
  LinkNotFound: 404,
  NotFound: 404,
  LinkNotPayable: 409,
  LinkNotActive: 409,
  Conflict: 409,
  InvalidCard: 422,
  InvalidOptions: 400
}
