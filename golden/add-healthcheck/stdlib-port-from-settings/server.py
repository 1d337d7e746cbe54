import json
from http.server import BaseHTTPRequestHandler, HTTPServer

with open("settings.json") as fh:
    PORT = json.load(fh)["port"]


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()


HTTPServer(("", PORT), Handler).serve_forever()
