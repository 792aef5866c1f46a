#!/usr/bin/env node
/**
 * The `pasarela` executable. `--version` answers before anything else loads; every other command
 * loads the command line, which loads only what the command given needs.
 */
import { version } from "./Version.js"

const args = process.argv.slice(2)
if (args.length === 1 && args[0] === "--version") console.log(version)
else await import("./Main.js")
