/** The cash / alternative-method payment-orders service. */
import { Context, type Effect } from "effect"
import { operation } from "./internal/operation.js"
import type { PaymentError } from "./PaymentError.js"
import { CreatePaymentOrder, type CreatePaymentOrderInput, type PaymentOrder } from "./PaymentOrder.js"
import type { ProviderInfo } from "./Provider.js"

export interface PaymentOrdersService {
  readonly provider: ProviderInfo
  readonly create: (input: CreatePaymentOrderInput) => Effect.Effect<PaymentOrder, PaymentError>
}

/**
 * Builds the service from a provider's implementation (also `PaymentOrders.make`).
 */
export const makePaymentOrders = (
  provider: ProviderInfo,
  implementation: { readonly create?: (input: CreatePaymentOrder) => Effect.Effect<PaymentOrder, PaymentError> }
): PaymentOrdersService => ({
  provider,
  create: operation(provider, "orders.create", CreatePaymentOrder, implementation.create)
})

export class PaymentOrders extends Context.Tag("@pasarela/core/PaymentOrders")<PaymentOrders, PaymentOrdersService>() {
  static readonly make = makePaymentOrders
}
