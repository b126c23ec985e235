#!/usr/bin/env node
// The `ficus` command; the compiled CLI lives in dist/ (built by `npm run build` / `prepare`).
import '../dist/cli/main.js';
