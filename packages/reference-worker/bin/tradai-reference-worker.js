#!/usr/bin/env node
// Committed shim so npm can link the bin (and the launcher can resolve it) before the TypeScript build has run.
import "../dist/main.js";
