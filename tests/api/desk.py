"""Starts `twinscan serve` on a free loopback port with a fresh database and talks to it
over a real socket (python3 standard library only). Shared by the API tests and the
browser test."""
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

PASSWORDS = {"alice": "alice-password-1", "victor": "victor-password-1",
             "bob": "bob-password-12", "ada": "ada-password-12"}


class Answer:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        return json.loads(self.body)

    def header(self, name):
        return self.headers.get(name.lower(), "")

    def __repr__(self):
        return f"HTTP {self.status}: {self.body[:300]!r}"


class Desk:
    """A running desk: `users` maps names to roles, created with `twinscan users add`."""

    def __init__(self, twinscan, root, users=None, extra_users=0, registry=None, db=None):
        """`db`: an existing desk database to serve (its users are kept; none is added)."""
        self.twinscan = twinscan
        self.root = root
        self.dir = tempfile.mkdtemp(prefix="twinscan-desk-test-")
        self.db = db or os.path.join(self.dir, "desk.sqlite")
        users = {} if db else (users or {"alice": "reviewer", "victor": "viewer"})
        for i in range(extra_users):
            users[f"reviewer{i}"] = "reviewer"
            PASSWORDS[f"reviewer{i}"] = f"reviewer{i}-password"
        for name, role in users.items():
            subprocess.run([twinscan, "users", "add", name, "--role", role, "--db", self.db],
                           input=PASSWORDS[name] + "\n", text=True, check=True,
                           capture_output=True)
        self.log = open(os.path.join(self.dir, "serve.log"), "w+")
        self.process = subprocess.Popen(
            [twinscan, "serve"] +
            (registry or ["--registry", f"{root}/data/sample", "--judgements",
                          f"{root}/data/sample/judgements.json"]) +
            ["--db", self.db, "--listen", "127.0.0.1:0"],
            stdout=subprocess.DEVNULL, stderr=self.log)
        self.port = None
        deadline = time.time() + 600  # a large registry is scanned at start
        while time.time() < deadline and self.port is None:
            if self.process.poll() is not None:
                raise RuntimeError("twinscan serve exited early:\n" + self.log_text())
            match = re.search(r"listens on http://127\.0\.0\.1:(\d+)/", self.log_text())
            if match:
                self.port = int(match.group(1))
            else:
                time.sleep(0.1)
        if self.port is None:
            raise RuntimeError("twinscan serve did not start:\n" + self.log_text())

    def log_text(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, cookie=None, csrf=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            headers.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode()
        if cookie:
            headers["Cookie"] = cookie
        if csrf:
            headers["X-CSRF-Token"] = csrf
        try:
            conn.request(method, path, body=body, headers=headers)
            r = conn.getresponse()
            data = r.read().decode("utf-8", "replace")
            return Answer(r.status, {k.lower(): v for k, v in r.getheaders()}, data)
        finally:
            conn.close()

    def sign_in(self, user):
        """The session cookie and CSRF token of `user`."""
        r = self.request("POST", "/api/session", {"user": user, "password": PASSWORDS[user]})
        assert r.status == 200, r
        cookie = r.header("Set-Cookie").split(";")[0]
        return cookie, r.json()["csrf_token"]

    def stop(self):
        """SIGTERM; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode

    def close(self):
        try:
            self.stop()
        finally:
            self.log.close()
            shutil.rmtree(self.dir, ignore_errors=True)
