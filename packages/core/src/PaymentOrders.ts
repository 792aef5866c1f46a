/** The cash / alternative-method payment-orders service. */
import * as Context from "effect/Context"
import { type CreateService, createService } from "./internal/operation.js"
import { CreatePaymentOrder, type CreatePaymentOrderInput, type PaymentOrder } from "./PaymentOrder.js"

export type PaymentOrdersService = CreateService<CreatePaymentOrderInput, PaymentOrder>

/** Builds the service from a provider's implementation (also `PaymentOrders.make`). */
export const makePaymentOrders = createService<CreatePaymentOrder, CreatePaymentOrderInput, PaymentOrder>(
  "orders.create",
  CreatePaymentOrder
)

export class PaymentOrders extends Context.Tag("@pasarela/core/PaymentOrders")<PaymentOrders, PaymentOrdersService>() {
  static readonly make = makePaymentOrders
}
