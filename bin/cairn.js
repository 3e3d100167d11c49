#!/usr/bin/env node
// Thin launcher so `cairn` works from the compiled build (`npm install` runs `prepare` → `tsc`).
import { main } from '../dist/cli/index.js'

main(process.argv).catch((err) => {
  process.stderr.write(`${err?.code ?? 'CAIRN_INTERNAL'}: ${err?.message ?? String(err)}\n`)
  process.exit(1)
})
