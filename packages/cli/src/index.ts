/** The `pasarela` command line, as a library (for embedding or testing). */
export * as Cli from "./Cli.js"
