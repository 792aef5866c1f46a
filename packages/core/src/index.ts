/**
 * The provider-neutral core of Pasarela: money, the payment domain, the services every provider
 * implements, and the one error they fail with.
 */
export * as CallOptions from "./CallOptions.js"
export * as Card from "./Card.js"
export * as Charge from "./Charge.js"
export * from "./Charges.js"
export * as Fields from "./Fields.js"
export * as GiftCard from "./GiftCard.js"
export * from "./GiftCards.js"
export * as Money from "./Money.js"
export * as Payer from "./Payer.js"
export * from "./PaymentError.js"
export * as PaymentEvent from "./PaymentEvent.js"
export * as PaymentLink from "./PaymentLink.js"
export * from "./PaymentLinks.js"
export * as PaymentOrder from "./PaymentOrder.js"
export * from "./PaymentOrders.js"
export * as Provider from "./Provider.js"
export * as RoutedId from "./RoutedId.js"
export * as Router from "./Router.js"
export * as Validation from "./Validation.js"
export * from "./Webhooks.js"
