#!/usr/bin/env node
// Committed shim so npm can link the `tradai` bin before the TypeScript build has run.
import "../dist/bin/tradai.js";
