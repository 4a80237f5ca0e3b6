#!/usr/bin/env node
// A solc command line over the npm wasm build (solc.js), just enough for forge:
//   solc --version                  prints "Version: <long version>" as native solc does
//   solc [flags] --standard-json    reads standard JSON from stdin, writes the output JSON
// Other flags forge passes (--allow-paths, --base-path, --include-path, ...) only matter for
// file imports, which the read callback resolves against --base-path and --include-path.
// Installed into contracts/.tools by scripts/install-foundry.sh.
"use strict";
const fs = require("fs");
const path = require("path");

const args = process.argv.slice(2);
const solc = require(path.join(__dirname, "node_modules", "solc"));

if (args.includes("--version") || args.includes("-v")) {
  process.stdout.write(
    "solc, the solidity compiler commandline interface\nVersion: " + solc.version() + "\n",
  );
  process.exit(0);
}
if (!args.includes("--standard-json")) {
  process.stderr.write("solc-wrapper: only --version and --standard-json are supported\n");
  process.exit(2);
}

const roots = [];
for (let i = 0; i < args.length; i++) {
  if ((args[i] === "--base-path" || args[i] === "--include-path") && i + 1 < args.length) {
    roots.push(args[++i]);
  }
}
roots.push(process.cwd());

function findImports(p) {
  for (const r of path.isAbsolute(p) ? [""] : roots) {
    const full = path.resolve(r, p);
    try {
      return { contents: fs.readFileSync(full, "utf8") };
    } catch (_) {
      /* try the next root */
    }
  }
  return { error: "File not found: " + p };
}

const input = fs.readFileSync(0, "utf8");
const output = solc.compile(input, { import: findImports });
process.stdout.write(output);
