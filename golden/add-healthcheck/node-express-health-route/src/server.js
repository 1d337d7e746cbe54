const express = require("express");
const app = express();
app.get("/healthz", (_req, res) => res.json({ status: "ok" }));
app.get("/", (_req, res) => res.send("hello"));
app.listen(process.env.PORT || 3000);
