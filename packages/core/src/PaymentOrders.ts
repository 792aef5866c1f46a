/** The cash / alternative-method payment-orders service. */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import { operation } from "./internal/operation.js"
import type { PaymentError } from "./PaymentError.js"
import { CreatePaymentOrder, type CreatePaymentOrderInput, type PaymentOrder } from "./PaymentOrder.js"
import type { ProviderInfo } from "./Provider.js"
import type { InputRules } from "./Validation.js"

export interface PaymentOrdersService {
  readonly provider: ProviderInfo
  readonly create: (input: CreatePaymentOrderInput) => Effect.Effect<PaymentOrder, PaymentError>
}

/**
 * Builds the service from a provider's implementation (also `PaymentOrders.make`).
 */
export const makePaymentOrders = (
  provider: ProviderInfo,
  implementation: {
    readonly create?: (input: CreatePaymentOrder) => Effect.Effect<PaymentOrder, PaymentError>
    /** The provider's own rules on the input, reported with the shared schema's issues. */
    readonly rules?: { readonly create?: InputRules<CreatePaymentOrder> }
  }
): PaymentOrdersService => ({
  provider,
  create: operation(provider, "orders.create", CreatePaymentOrder, implementation.create, implementation.rules?.create)
})

export class PaymentOrders extends Context.Tag("@pasarela/core/PaymentOrders")<PaymentOrders, PaymentOrdersService>() {
  static readonly make = makePaymentOrders
}
