require("express")().get("/healthz", (q, r) => r.send("ok")).listen(8080);
