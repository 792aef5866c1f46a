/**
 * The Autocore adapter for Pasarela: payment links, card charges, cash payment orders, gift cards,
 * tokenised webhooks and the account's hotels.
 */
export * as Auth from "./Auth.js"
export * as Autocore from "./Autocore.js"
export { AutocoreHotels } from "./Autocore.js"
export * as Client from "./Client.js"
export * as Mapping from "./Mapping.js"
export * as Options from "./Options.js"
export * as Webhooks from "./Webhooks.js"
export * as Wire from "./Wire.js"
