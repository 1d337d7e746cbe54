const fastify = require("fastify")();
fastify.get("/", async () => ({ hello: "world" }));
fastify.listen({ port: Number(process.env.PORT), host: "0.0.0.0" });
