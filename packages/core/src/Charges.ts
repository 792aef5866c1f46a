/** The card-charges service. A decline is a `Charge` with outcome `declined`, not an error. */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import { type Charge, CreateCharge, type CreateChargeInput } from "./Charge.js"
import { operation } from "./internal/operation.js"
import type { PaymentError } from "./PaymentError.js"
import type { ProviderInfo } from "./Provider.js"
import type { InputRules } from "./Validation.js"

export interface ChargesService {
  readonly provider: ProviderInfo
  /** Never retried automatically once the request may have reached the provider. */
  readonly create: (input: CreateChargeInput) => Effect.Effect<Charge, PaymentError>
}

/**
 * Builds the service from a provider's implementation (also `Charges.make`).
 */
export const makeCharges = (
  provider: ProviderInfo,
  implementation: {
    readonly create?: (input: CreateCharge) => Effect.Effect<Charge, PaymentError>
    /** The provider's own rules on the input, reported with the shared schema's issues. */
    readonly rules?: { readonly create?: InputRules<CreateCharge> }
  }
): ChargesService => ({
  provider,
  create: operation(provider, "charges.create", CreateCharge, implementation.create, implementation.rules?.create)
})

export class Charges extends Context.Tag("@pasarela/core/Charges")<Charges, ChargesService>() {
  static readonly make = makeCharges
}
