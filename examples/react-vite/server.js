// Serves the Vite build (dist/) and a health endpoint. `--selftest` serves on a free local port,
// fetches the page once, prints its <title> and whether the bundle is there, and exits (the smoke test).
import express from "express";
import { fileURLToPath } from "node:url";
import path from "node:path";

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), "dist");

export function app() {
  const web = express();
  web.get("/healthz", (_req, res) => res.json({ status: "ok" }));
  web.use(express.static(dist));
  return web;
}

async function selftest() {
  const server = app().listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address();
  const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  const script = html.match(/src="(\/assets\/[^"]+\.js)"/);
  const bundle = script ? await (await fetch(`http://127.0.0.1:${port}${script[1]}`)).text() : "";
  console.log(`${html.match(/<title>(.*)<\/title>/)[1]}; bundle ${bundle.includes("hello, dopt") ? "ok" : "missing"}`);
  server.close();
}

if (process.argv.includes("--selftest")) {
  selftest().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  const port = Number(process.env.PORT ?? 8080);
  app().listen(port, () => console.log(`listening on ${port}`));
}
