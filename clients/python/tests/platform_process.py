"""The platform as a real child process (``tradai serve``), for the Python suite.

The database is embedded PGlite (a temp data dir) or, with ``TRADAI_TEST_DB=postgres``, a fresh
database on the PostgreSQL server named by ``TRADAI_TEST_POSTGRES_URL`` (``npm test`` passes the one
it started), or on one started here. Nothing is mocked: real HTTP, real processes, real SQL.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from glob import glob
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[3]
CLI = Path(os.environ.get("TRADAI_CLI", REPO / "packages" / "cli" / "bin" / "tradai.js"))
ADMIN_PASSWORD = "python-suite-admin-Pa55!"
LISTENING = re.compile(r"TradAI platform listening on (http://\S+)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def backend() -> str:
    return "postgres" if os.environ.get("TRADAI_TEST_DB") == "postgres" else "pglite"


class PostgresServer:
    """A throwaway PostgreSQL server run as the ``postgres`` user (it refuses to run as root)."""

    def __init__(self) -> None:
        binaries = sorted(glob("/usr/lib/postgresql/*/bin/initdb"))
        if not binaries:
            raise RuntimeError("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
        bin_dir = Path(binaries[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="tradai-py-pg-"))
        self.port = free_port()
        user = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
        as_user = {"user": user.pw_uid, "group": user.pw_gid} if user else {}
        if user:
            os.chown(self.dir, user.pw_uid, user.pw_gid)
        subprocess.run(
            [bin_dir / "initdb", "-D", self.dir / "data", "-U", "tradai", "--auth=trust", "-E", "UTF8"],
            check=True,
            capture_output=True,
            **as_user,
        )
        self.process = subprocess.Popen(
            [bin_dir / "postgres", "-D", self.dir / "data", "-p", str(self.port), "-h", "127.0.0.1", "-k", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **as_user,
        )
        self.url = f"postgresql://tradai@127.0.0.1:{self.port}/postgres"
        deadline = time.monotonic() + 30
        while subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", str(self.port)], capture_output=True).returncode:
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not start within 30 s")
            time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        shutil.rmtree(self.dir, ignore_errors=True)


def create_database(server_url: str) -> str:
    name = f"tradai_py_{uuid.uuid4().hex[:12]}"
    subprocess.run(["psql", server_url, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class Platform:
    """``tradai serve`` on a fixed port, so that a restart comes back where its workers look."""

    def __init__(self, database_env: dict[str, str], extra_env: dict[str, str] | None = None) -> None:
        if not CLI.exists():
            raise RuntimeError(f"{CLI} is missing: run `npm install` (it builds) or `npm run build` at the repository root")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TRADAI_")},
            "NO_COLOR": "1",
            "TRADAI_PORT": str(self.port),
            "TRADAI_HOST": "127.0.0.1",
            "TRADAI_LOG_LEVEL": "warn",
            "TRADAI_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "TRADAI_DEMO_DATA": "false",
            # An empty catalog, as in the TypeScript suites (the Freqtrade preset makes stoploss critical).
            "TRADAI_CATALOG_PRESET": "none",
            "TRADAI_LAUNCHER": "local",
            **database_env,
            **(extra_env or {}),
        }
        # Its working directory (artifacts, run work dirs) is its own, not the checkout's.
        self.workdir = tempfile.mkdtemp(prefix="tradai-py-serve-")
        self.process: subprocess.Popen[str] | None = None
        self.output: list[str] = []
        self.start()

    def start(self, timeout: float = 90.0) -> None:
        self.process = subprocess.Popen(
            ["node", str(CLI), "serve"],
            env=self.env,
            cwd=self.workdir,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready = threading.Event()
        process = self.process

        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                self.output.append(line)
                if LISTENING.search(line):
                    ready.set()

        threading.Thread(target=read, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not ready.wait(0.1):
            if process.poll() is not None or time.monotonic() > deadline:
                self.kill()
                raise RuntimeError("tradai serve did not start; its output:\n" + "".join(self.output[-60:]))

    def stop(self) -> None:
        """SIGTERM (a graceful shutdown), then waits for the exit."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()
