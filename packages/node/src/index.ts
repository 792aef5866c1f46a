/**
 * Node.js pieces for Pasarela: an `HttpClient` on undici for the adapters' provider calls, and a
 * Node `http` listener for Web-standard handlers such as the webhook endpoint.
 */
export * as NodeListener from "./NodeListener.js"
export * as UndiciHttpClient from "./UndiciHttpClient.js"
