package dev.dopt.hello;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A tiny HTTP service: GET / answers a greeting, GET /healthz answers "ok". */
public final class Main {
    private Main() {}

    static String greeting(String name) {
        return "hello, " + (name == null || name.isEmpty() ? "dopt" : name);
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--selftest")) {
            System.out.println(greeting(null));
            return;
        }
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = (path.equals("/healthz") ? "ok" : greeting(null)).concat("\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("listening on :" + port);
    }
}
