/**
 * Node.js pieces for Pasarela: an `HttpClient` on undici for the adapters' provider calls.
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"
