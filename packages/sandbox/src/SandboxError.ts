/**
 * Why a sandbox control operation (or a simulator's configuration) was refused: one error for both
 * simulators. PlacetoPay's reasons are `LinkNotFound`, `LinkNotPayable`, `LinkNotActive`,
 * `InvalidCard`, `InvalidOptions`; Autocore's `NotFound` (unknown id) and `Conflict` (a state that
 * does not allow the operation).
 */
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"

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

/** A refused transition of a simulator's store: the error, and the state as it was. */
export const refused = <S>(
  state: S,
  reason: SandboxErrorReason,
  message: string
): [Either.Either<never, SandboxError>, S] => [Either.left(new SandboxError({ reason, message })), state]

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
