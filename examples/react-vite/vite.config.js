import { defineConfig } from "vite";

// JSX through esbuild's automatic runtime: no plugin needed for this small app.
export default defineConfig({
  esbuild: { jsx: "automatic" },
  build: { outDir: "dist", emptyOutDir: true },
});
