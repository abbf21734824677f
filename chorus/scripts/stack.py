#!/usr/bin/env python3
"""Local services for development and tests: PostgreSQL and Redis on loopback, nothing else.

Standard library only, so that it runs before the virtualenv exists. Used by the Makefile:

    stack.py system [--browser]        install missing Debian packages (root: apt-get)
    stack.py up --dir var               start (or reuse) the embedded cluster under var/
    stack.py down --dir var             stop it
    stack.py exec --ephemeral -- CMD    throw-away services on free ports, run CMD, always stop
    stack.py run                        `make run`: services, migrate, seed, web+worker+beat

``DATABASE_URL`` / ``REDIS_URL`` in the environment mean "use that server": the matching
embedded service is then not started.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PG_PORT = 54329
DEFAULT_REDIS_PORT = 63799

SYSTEM_PACKAGES = {
    # binary or file to look for: Debian package that provides it
    "pg": "postgresql",
    "redis-server": "redis-server",
    "msgfmt": "gettext",
    "libpango": "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core",
}
BROWSER_PACKAGES = {"chromium": "chromium"}


def log(message: str) -> None:
    sys.stderr.write(f"[stack] {message}\n")
    sys.stderr.flush()


# --- System packages ---------------------------------------------------------------------------


def pg_bindir() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def _present(key: str) -> bool:
    if key == "pg":
        return pg_bindir() is not None
    if key == "libpango":
        return bool(glob.glob("/usr/lib/*/libpango-1.0.so*") + glob.glob("/usr/lib/libpango-1.0*"))
    return shutil.which(key) is not None


def ensure_system(browser: bool) -> None:
    wanted = dict(SYSTEM_PACKAGES)
    if browser:
        wanted.update(BROWSER_PACKAGES)
    missing = [pkgs for key, pkgs in wanted.items() if not _present(key)]
    if not missing:
        return
    packages = " ".join(missing).split()
    if os.geteuid() != 0:
        sys.exit(
            "[stack] missing system packages; install them with:\n"
            f"  sudo apt-get install -y {' '.join(packages)}"
        )
    log(f"installing system packages: {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        check=True,
        env=env,
    )


# --- Helpers -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: drop to the ``postgres`` system user when root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def chown_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, user="postgres", group="postgres")


def make_traversable(path: Path) -> None:
    """Let the postgres user reach a directory created by root (tempdirs are 0700)."""
    for part in [path, *path.parents]:
        if part == Path("/"):
            break
        try:
            mode = part.stat().st_mode
            if not mode & 0o001 and os.geteuid() == 0 and part.owner() == "root":
                part.chmod(mode | 0o011)
        except OSError:
            continue


# --- PostgreSQL --------------------------------------------------------------------------------


def pg_start(base: Path, port: int, *, ephemeral: bool) -> str:
    bindir = pg_bindir()
    if bindir is None:
        sys.exit("[stack] PostgreSQL binaries not found: run `make` targets as root or install it")
    data = base / "pgdata"
    run_dir = base / "pgrun"
    base.mkdir(parents=True, exist_ok=True)
    make_traversable(base)
    run_dir.mkdir(exist_ok=True)
    chown_postgres(run_dir)
    if not (data / "PG_VERSION").exists():
        data.mkdir(exist_ok=True)
        chown_postgres(data)
        data.chmod(0o700)
        log(f"initialising PostgreSQL cluster in {data}")
        subprocess.run(
            as_postgres(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "chorus",
                    "--auth-local=trust",
                    "--auth-host=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    status = subprocess.run(
        as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "status"]),
        capture_output=True,
        check=False,
    )
    if status.returncode != 0:
        options = [
            f"-p {port}",
            "-c listen_addresses=127.0.0.1",
            f"-c unix_socket_directories={run_dir}",
            "-c max_connections=200",
        ]
        if ephemeral:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        if port_open(port):
            sys.exit(f"[stack] port {port} is already taken: set CHORUS_PG_PORT to another one")
        log(f"starting PostgreSQL on 127.0.0.1:{port}")
        subprocess.run(
            as_postgres(
                [
                    str(bindir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(run_dir / "postgresql.log"),
                    "-o",
                    " ".join(options),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    else:
        log("PostgreSQL already running: reusing it")
    pid_line = (data / "postmaster.pid").read_text().splitlines()
    real_port = int(pid_line[3]) if len(pid_line) > 3 else port
    exists = subprocess.run(
        [
            str(bindir / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(real_port),
            "-U",
            "chorus",
            "-d",
            "postgres",
            "-tAc",
            "SELECT 1 FROM pg_database WHERE datname='chorus'",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if exists.stdout.strip() != "1":
        subprocess.run(
            [
                str(bindir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(real_port),
                "-U",
                "chorus",
                "chorus",
            ],
            check=True,
        )
    return f"postgres://chorus:chorus@127.0.0.1:{real_port}/chorus"


def pg_stop(base: Path) -> None:
    bindir = pg_bindir()
    data = base / "pgdata"
    if bindir is None or not (data / "postmaster.pid").exists():
        return
    log("stopping PostgreSQL")
    subprocess.run(
        as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# --- Redis -------------------------------------------------------------------------------------


def redis_start(base: Path, port: int, *, ephemeral: bool) -> str:
    server = shutil.which("redis-server")
    if server is None:
        sys.exit("[stack] redis-server not found: install the redis-server package")
    rdir = base / "redis"
    rdir.mkdir(parents=True, exist_ok=True)
    pidfile = rdir / "redis.pid"
    if pidfile.exists():
        try:
            pid = int(pidfile.read_text().strip())
            os.kill(pid, 0)
            port_file = rdir / "port"
            if port_file.exists():
                log("Redis already running: reusing it")
                return f"redis://127.0.0.1:{port_file.read_text().strip()}/0"
        except (ValueError, ProcessLookupError, PermissionError):
            pidfile.unlink(missing_ok=True)
    if port_open(port):
        sys.exit(f"[stack] port {port} is already taken: set CHORUS_REDIS_PORT to another one")
    log(f"starting Redis on 127.0.0.1:{port}")
    args = [
        server,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--protected-mode",
        "yes",
        "--daemonize",
        "yes",
        "--pidfile",
        str(pidfile),
        "--dir",
        str(rdir),
        "--logfile",
        str(rdir / "redis.log"),
        "--maxmemory-policy",
        "noeviction",
    ]
    if ephemeral:
        args += ["--save", "", "--appendonly", "no"]
    else:
        args += ["--appendonly", "yes", "--appendfsync", "everysec"]
    subprocess.run(args, check=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if port_open(port):
            (rdir / "port").write_text(str(port))
            return f"redis://127.0.0.1:{port}/0"
        time.sleep(0.1)
    sys.exit(f"[stack] Redis did not start: see {rdir / 'redis.log'}")


def redis_stop(base: Path) -> None:
    pidfile = base / "redis" / "redis.pid"
    if not pidfile.exists():
        return
    log("stopping Redis")
    try:
        pid = int(pidfile.read_text().strip())
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
    except (ValueError, ProcessLookupError):
        pass
    pidfile.unlink(missing_ok=True)


# --- Orchestration -----------------------------------------------------------------------------


def services_up(base: Path, *, ephemeral: bool) -> dict[str, str]:
    env: dict[str, str] = {}
    if os.environ.get("DATABASE_URL"):
        log("DATABASE_URL is set: using that server")
    else:
        port = free_port() if ephemeral else int(os.environ.get("CHORUS_PG_PORT", DEFAULT_PG_PORT))
        env["DATABASE_URL"] = pg_start(base, port, ephemeral=ephemeral)
    if os.environ.get("REDIS_URL"):
        log("REDIS_URL is set: using that server")
    else:
        port = (
            free_port()
            if ephemeral
            else int(os.environ.get("CHORUS_REDIS_PORT", DEFAULT_REDIS_PORT))
        )
        env["REDIS_URL"] = redis_start(base, port, ephemeral=ephemeral)
    (base / "services.env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    return env


def services_down(base: Path) -> None:
    redis_stop(base)
    pg_stop(base)


@contextlib.contextmanager
def ephemeral_services() -> Iterator[dict[str, str]]:
    base = Path(tempfile.mkdtemp(prefix="chorus-test-"))
    base.chmod(0o755)
    try:
        yield services_up(base, ephemeral=True)
    finally:
        services_down(base)
        shutil.rmtree(base, ignore_errors=True)


def cmd_exec(command: list[str], *, ephemeral: bool, base: Path) -> int:
    if not command:
        sys.exit("[stack] exec needs a command after --")
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        if ephemeral:
            with ephemeral_services() as env:
                return subprocess.run(command, env={**os.environ, **env}, check=False).returncode
        env = services_up(base, ephemeral=False)
        return subprocess.run(command, env={**os.environ, **env}, check=False).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def cmd_run(base: Path) -> int:
    """`make run`: services, migrations, demo data, then web + worker + beat until Ctrl-C."""
    python = str(ROOT / ".venv" / "bin" / "python")
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    children: list[subprocess.Popen[bytes]] = []
    try:
        env.update(services_up(base, ephemeral=False))
        manage = [python, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True)
        subprocess.run([*manage, "seed_demo"], env=env, check=True)
        port = os.environ.get("PORT", "8000")
        celery = [python, "-m", "celery", "-A", "chorus"]
        queue = env.get("CHORUS_CELERY_QUEUE", "chorus")
        commands = {
            "web": [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
            "worker": [*celery, "worker", "-Q", queue, "-l", "INFO", "--concurrency", "2"],
            "beat": [
                *celery,
                "beat",
                "-l",
                "INFO",
                "--schedule",
                str(base / "celerybeat-schedule"),
            ],
        }
        for name, command in commands.items():
            log(f"starting {name}")
            children.append(subprocess.Popen(command, env=env, start_new_session=True))
        log(f"portal on http://127.0.0.1:{port}/ (Ctrl-C stops everything)")
        while True:
            for child in children:
                if child.poll() is not None:
                    log(f"a process exited with code {child.returncode}: stopping")
                    return child.returncode or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        log("Ctrl-C: stopping")
        return 0
    except subprocess.CalledProcessError as exc:
        log(f"failed: {exc}")
        return exc.returncode or 1
    finally:
        for child in children:
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
        services_down(base)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    system = sub.add_parser("system", help="install missing Debian packages")
    system.add_argument("--browser", action="store_true", help="also Chromium for browser tests")
    for name in ("up", "down", "run"):
        p = sub.add_parser(name)
        p.add_argument("--dir", default=str(ROOT / "var"))
    ex = sub.add_parser("exec", help="run a command with the services up")
    ex.add_argument("--dir", default=str(ROOT / "var"))
    ex.add_argument("--ephemeral", action="store_true", help="throw-away services on free ports")
    ex.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()

    if args.action == "system":
        ensure_system(browser=args.browser)
        return 0
    base = Path(args.dir).resolve()
    if args.action == "up":
        for key, value in services_up(base, ephemeral=False).items():
            sys.stdout.write(f"export {key}={value}\n")
        return 0
    if args.action == "down":
        services_down(base)
        return 0
    if args.action == "run":
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
        return cmd_run(base)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    return cmd_exec(command, ephemeral=args.ephemeral, base=base)


if __name__ == "__main__":
    sys.exit(main())
