/**
 * The portable packages reach no Node built-in module and no Node global, through everything they
 * import: each entry is bundled as a worker build would (esbuild, platform `neutral`, the `workerd`,
 * `worker` and `browser` conditions; this workspace's source condition), and every `node:` or
 * built-in import and every free use of a Node global in the bundle is named with its module.
 */
import { builtinModules } from "node:module"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import * as esbuild from "esbuild"

const nodeGlobals = ["Buffer", "process", "global", "__dirname", "__filename", "setImmediate", "clearImmediate"]
const sentinel = (name: string) => `__node_global_${name}__`
const builtins = new Set(builtinModules)

/**
 * Feature-detected fallbacks in dependencies, reached only where the runtime has the thing: a use on
 * the same line as its own `typeof` check passes on its own; these are guarded a line or a variable away.
 */
const guarded: ReadonlyArray<{ readonly module: RegExp; readonly name: string; readonly why: string }> = [
  { module: /\/effect\/dist\/esm\/internal\/logger\.js$/, name: "process", why: "behind hasProcessStdout" },
  { module: /\/crypto-js\/core\.js$/, name: "global", why: "only when globalThis.crypto is missing" },
  { module: /\/crypto-js\/core\.js$/, name: "crypto", why: "require in a try, only when globalThis.crypto is missing" },
  { module: /\/multipasta\/dist\/esm\/internal\/search\.js$/, name: "Buffer", why: 'behind "Buffer" in globalThis' }
]
const isGuarded = (module: string, name: string) =>
  guarded.some((rule) => rule.name === name && rule.module.test(module))

/** What a bundle of `entry` reaches of Node: `<module>: <built-in or global>`, one per use. */
const nodeReached = async (entry: string, external: ReadonlyArray<string> = []): Promise<ReadonlyArray<string>> => {
  const offenders: Array<string> = []
  const result = await esbuild.build({
    stdin: {
      contents: `export * from ${JSON.stringify(entry)}`,
      resolveDir: fileURLToPath(new URL(".", import.meta.url))
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions: ["@pasarela/source", "workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: [...external],
    define: Object.fromEntries(nodeGlobals.map((name) => [name, sentinel(name)])),
    logLevel: "silent",
    plugins: [
      {
        name: "node-built-ins",
        setup: (build) => {
          build.onResolve({ filter: /.*/ }, (args) => {
            const name = args.path.replace(/^node:/, "")
            if (!args.path.startsWith("node:") && !builtins.has(name.split("/")[0] ?? name)) return undefined
            if (!isGuarded(args.importer, name)) offenders.push(`${args.importer}: import "${args.path}"`)
            return { path: args.path, external: true }
          })
        }
      }
    ]
  })
  // Unminified, esbuild heads each module's code with a `// <path>` comment.
  let module = "?"
  for (const line of result.outputFiles[0]?.text.split("\n") ?? []) {
    module = /^\/\/ (\S+)$/.exec(line)?.[1] ?? module
    for (const name of nodeGlobals) {
      if (!line.includes(sentinel(name)) || line.includes(`typeof ${sentinel(name)}`)) continue
      if (!isGuarded(module, name))
        offenders.push(`${module}: ${name} (${line.trim().replaceAll(sentinel(name), name).slice(0, 100)})`)
    }
  }
  return offenders
}

describe("portable packages reach nothing of Node", () => {
  it.each([
    ["@pasarela/core"],
    ["@pasarela/placetopay"],
    ["@pasarela/autocore"],
    ["@pasarela/memory"],
    ["pasarela"],
    ["@pasarela/store"],
    ["@pasarela/store/backends"],
    ["@pasarela/testing/helpers"]
  ])("%s", async (entry) => {
    expect(await nodeReached(entry)).toEqual([])
  })

  it("@pasarela/testing (its conformance suite runs on vitest, a peer dependency)", async () => {
    expect(await nodeReached("@pasarela/testing", ["vitest", "@effect/vitest"])).toEqual([])
  })

  it("the check names what reaches Node: @pasarela/testing/node's sockets and Buffer, @pasarela/node's file reading", async () => {
    expect(await nodeReached("@pasarela/testing/node")).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/packages\/testing\/src\/NodeConnectivity\.ts: import "node:net"$/),
        expect.stringMatching(/packages\/testing\/src\/ScriptedServer\.ts: import "node:http"$/),
        expect.stringMatching(/packages\/testing\/src\/ScriptedServer\.ts: Buffer /)
      ])
    )
    expect(await nodeReached("@pasarela/node")).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/packages\/node\/src\/ConfigFile\.ts: import "node:fs\/promises"$/)
      ])
    )
  })
})
