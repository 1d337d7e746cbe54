from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/healthz":
            self.send_response(204)
        else:
            self.send_response(200)
        self.end_headers()


ThreadingHTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
