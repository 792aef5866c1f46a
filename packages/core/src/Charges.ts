/** The card-charges service. A decline is a `Charge` with outcome `declined`, not an error. */
import * as Context from "effect/Context"
import { type Charge, CreateCharge, type CreateChargeInput } from "./Charge.js"
import { type CreateService, createService } from "./internal/operation.js"

/** Its `create` is never retried automatically once the request may have reached the provider. */
export type ChargesService = CreateService<CreateChargeInput, Charge>

/** Builds the service from a provider's implementation (also `Charges.make`). */
export const makeCharges = createService<CreateCharge, CreateChargeInput, Charge>("charges.create", CreateCharge)

export class Charges extends Context.Tag("@pasarela/core/Charges")<Charges, ChargesService>() {
  static readonly make = makeCharges
}
