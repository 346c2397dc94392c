"""`make run`: Django's development server and a Celery worker (with beat), started
together and stopped together by one Ctrl-C or TERM, each cleanly.

Each runs in a process group of its own, so that a Ctrl-C in the terminal reaches this
script alone: it then stops the server (SIGINT to its group, the autoreloader and the
serving child together) and the worker (SIGTERM to its main process alone, which lets
its pool finish the task at hand: a warm shutdown, no killed children)."""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 15


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="8000")
    arguments = parser.parse_args()
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    bin_dir = Path(sys.executable).parent
    worker_command = [str(bin_dir / "celery"), "--quiet", "-A", "komdir", "worker", "--beat"]
    worker = subprocess.Popen(  # noqa: S603 - our own Celery, fixed arguments
        [*worker_command, "--loglevel=WARNING", "--concurrency=2"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    server = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "runserver", f"{arguments.host}:{arguments.port}"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    stopping = False

    def stop(*_) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print("\n  Stopping the portal ...", flush=True)
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while server.poll() is None and worker.poll() is None:
        time.sleep(0.2)
    stop()  # one of them ended on its own: the other goes too
    deadline = time.monotonic() + GRACE_SECONDS
    for process in (server, worker):
        try:
            process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    print("  Stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
