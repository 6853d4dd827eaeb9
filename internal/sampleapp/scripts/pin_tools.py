#!/usr/bin/env python3
"""Acme Pin Planner tools: connect your own Pinterest account from a terminal.

A single-user tool of the kind Pinterest accepts a terminal recording for:
it opens Pinterest's consent page in your browser, receives the
authorization code on a loopback listener, exchanges it for an access token
(HTTP Basic auth with the app id and secret), then reads your account and
your boards from the API v5. It prints a hash of the token, never the token.

Only Python's standard library is used. Configuration comes from the
environment: PINTEREST_APP_ID, PINTEREST_APP_SECRET, and optionally
PINTEREST_OAUTH_URI, PINTEREST_API_URI (a sandbox) and REDIRECT_PORT.
"""
import base64
import hashlib
import json
import os
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request
import webbrowser
from http.server import BaseHTTPRequestHandler, HTTPServer

SCOPES = ["user_accounts:read", "boards:read", "pins:read"]


def env(name, default=None):
    value = os.environ.get(name, default)
    if not value:
        sys.exit(f"{name} must be set in the environment")
    return value


APP_ID = env("PINTEREST_APP_ID")
APP_SECRET = env("PINTEREST_APP_SECRET")
OAUTH_URI = env("PINTEREST_OAUTH_URI", "https://www.pinterest.com")
API_URI = env("PINTEREST_API_URI", "https://api.pinterest.com")
PORT = int(env("REDIRECT_PORT", "8085"))
REDIRECT_URI = f"http://localhost:{PORT}/"


class Callback(BaseHTTPRequestHandler):
    """Receives Pinterest's redirect with the code, once."""

    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        self.server.code = (query.get("code") or [None])[0]
        self.server.state = (query.get("state") or [None])[0]
        self.server.error = (query.get("error") or [None])[0]
        body = b"<!doctype html><title>Acme Pin Planner</title><h1>Acme Pin Planner is connected</h1><p>You can close this window and go back to the terminal.</p>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # the request line holds the code: keep it out of the terminal


def api(method, path, token=None, form=None):
    headers = {"Accept": "application/json"}
    data = None
    if form is not None:
        auth = base64.b64encode(f"{APP_ID}:{APP_SECRET}".encode()).decode()
        headers["Authorization"] = "Basic " + auth
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        data = urllib.parse.urlencode(form).encode()
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(API_URI + path, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as err:
        sys.exit(f"{method} {path} failed: HTTP {err.code} {err.read().decode(errors='replace')[:200]}")


def main():
    state = secrets.token_urlsafe(24)
    query = urllib.parse.urlencode({
        "client_id": APP_ID,
        "redirect_uri": REDIRECT_URI,
        "response_type": "code",
        "scope": ",".join(SCOPES),
        "state": state,
    })
    server = HTTPServer(("localhost", PORT), Callback)
    server.timeout = 300
    print("Opening Pinterest in your browser to connect Acme Pin Planner...")
    webbrowser.open_new(f"{OAUTH_URI}/oauth/?{query}")
    print(f"Waiting for Pinterest to send you back to {REDIRECT_URI}")
    server.handle_request()
    server.server_close()
    if server.error or not server.code:
        sys.exit(f"Pinterest did not authorize the app: {server.error or 'no code'}")
    if server.state != state:
        sys.exit("The state Pinterest sent back is not ours: stopping.")
    print("Received the authorization code; exchanging it for an access token...")
    token = api("POST", "/v5/oauth/token", form={
        "grant_type": "authorization_code",
        "code": server.code,
        "redirect_uri": REDIRECT_URI,
    })
    access = token["access_token"]
    print("Access token received (SHA-256 " + hashlib.sha256(access.encode()).hexdigest()[:16] + "...), scopes: " + token.get("scope", ""))
    user = api("GET", "/v5/user_account", token=access)
    print("Username: " + user.get("username", "?"))
    boards = api("GET", "/v5/boards", token=access)
    names = [b.get("name", "?") for b in boards.get("items", [])]
    print(f"Boards ({len(names)}): " + ", ".join(names))


if __name__ == "__main__":
    main()
