/**
 * Test helpers that need a server runtime (Node, Bun or Deno): the steered client's closed port,
 * and a scripted gateway on loopback.
 */
export * from "./NodeConnectivity.js"
export * from "./ScriptedServer.js"
