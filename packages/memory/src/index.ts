/**
 * `@pasarela/memory`: the in-memory Pasarela provider for your own tests. `Memory.layer()` gives
 * every service plus `MemoryControl`; `TestCards` has the card numbers and their outcomes;
 * `MemoryNotification` is the (signed JSON) notification format.
 */
export * as Memory from "./Memory.js"
export * from "./MemoryControl.js"
export * as MemoryNotification from "./Notification.js"
export * as TestCards from "./TestCards.js"
