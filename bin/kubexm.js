#!/usr/bin/env node
// Entry point: the compiled CLI lives in dist/ (built by `npm install` / `npm run build`).
import { main } from "../dist/engine/cli/main.js";
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
