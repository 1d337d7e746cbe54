// A tiny JSON API: GET /healthz and GET /greet?name=…
import express from "express";
import type { AddressInfo } from "net";

export function app(): express.Express {
  const api = express();
  api.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  api.get("/greet", (req, res) => {
    const name = typeof req.query.name === "string" && req.query.name ? req.query.name : "world";
    res.json({ greeting: `hello, ${name}` });
  });
  return api;
}

// --selftest: serve on a free local port, call /greet once, print the answer and exit (the smoke test).
async function selftest(): Promise<void> {
  const server = app().listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const res = await fetch(`http://127.0.0.1:${port}/greet?name=dopt`);
  console.log(JSON.stringify(await res.json()));
  server.close();
}

if (process.argv.includes("--selftest")) {
  selftest().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  const port = Number(process.env.PORT ?? 3000);
  app().listen(port, () => console.log(`listening on ${port}`));
}
