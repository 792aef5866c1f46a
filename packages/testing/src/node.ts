/** Test helpers that need a server runtime (Node, Bun or Deno): the steered client's closed port. */
export * from "./NodeConnectivity.js"
