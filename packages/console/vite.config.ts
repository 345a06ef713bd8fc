import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev -w @tradai/console` serves the console with hot reload and sends the API to a
// platform started with `npm start` (port 8000).
export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { "@": fileURLToPath(new URL("./src", import.meta.url)) } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Lazy pages share many small modules (a table, a query hook, a badge): split apart, a page
    // fetched a dozen chunks of 1-3 KB, and on a phone's connection each costs a round trip
    // (issue 22, `npm run lighthouse`). Shared chunks under 8 KB of source are copied into the
    // chunks that use them instead; a module may then be downloaded twice, which costs less.
    // Experimental in Rolldown: the browser tests run the built console.
    rolldownOptions: {
      preserveEntrySignatures: false,
      output: { codeSplitting: { experimentalInlineCommonChunks: { maxSize: 8 * 1024 } } },
    },
  },
  server: { proxy: { "/api": "http://127.0.0.1:8000" } },
});
