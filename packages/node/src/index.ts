/**
 * Node.js pieces for Pasarela: an `HttpClient` on undici for the adapters' provider calls, a Node
 * `http` listener for Web-standard handlers such as the webhook endpoint, and reading the
 * configuration from a file.
 */
export * from "./ConfigFile.js"
export * as NodeListener from "./NodeListener.js"
export * as UndiciHttpClient from "./UndiciHttpClient.js"
