const state = new Map([["ready", true]]);
const app = require("express")();
app.get("/", (_q, r) => r.send(state.get('ready') ? "up" : "starting"));
app.listen(3000);
