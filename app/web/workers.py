"""Several uvicorn workers, each with its own SO_REUSEPORT socket, so the kernel spreads connections.

uvicorn's own --workers shares one listening socket: the first worker to wake accepts every
pending connection, so a few keep-alive clients can all land on one worker (measured: two
workers served no more than one). Its shared socket also lacks IPPROTO_TCP, so asyncio skips
TCP_NODELAY and each response waits ~40 ms for a delayed ACK. Here every worker binds its
own socket with SO_REUSEPORT and TCP_NODELAY; the kernel balances connections across them.
"""
from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import time

log = logging.getLogger("podclaims.web")


def _family(host: str) -> socket.AddressFamily:
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    sock = socket.socket(_family(host), socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # accepted sockets inherit it on Linux
    sock.bind((host, port))
    return sock


def port_is_free(host: str, port: int) -> bool:
    """SO_REUSEPORT would let a second server share a busy port silently: refuse instead."""
    try:
        listening_socket(host, port, reuse_port=False).close()
        return True
    except OSError:
        return False


def _worker(options: dict) -> None:  # runs in a spawned process
    import uvicorn

    sock = listening_socket(options["host"], options["port"], reuse_port=True)
    uvicorn.Server(uvicorn.Config("app.web.main:app", **options)).run(sockets=[sock])


def run_workers(count: int, options: dict) -> int:
    """Start `count` workers, restart one that dies, stop all on SIGINT/SIGTERM; exit status."""
    if not hasattr(socket, "SO_REUSEPORT"):
        raise RuntimeError("SO_REUSEPORT is not available on this system")
    if not port_is_free(options["host"], options["port"]):
        log.error("event=port_in_use host=%s port=%s", options["host"], options["port"])
        return 1
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}

    def start():
        process = context.Process(target=_worker, args=(options,), daemon=False)
        process.start()
        return process, time.monotonic()

    workers = [start() for _ in range(count)]
    quick_deaths = 0
    try:
        while not stopping:
            time.sleep(0.2)
            for i, (process, started) in enumerate(workers):
                if process.is_alive() or stopping:
                    continue
                quick_deaths = quick_deaths + 1 if time.monotonic() - started < 5 else 0
                if quick_deaths >= 3:
                    log.error("event=workers_keep_dying exitcode=%s", process.exitcode)
                    return 1
                log.warning("event=worker_restart pid=%s exitcode=%s", process.pid, process.exitcode)
                workers[i] = start()
        return 0
    finally:
        for process, _ in workers:
            if process.is_alive():
                process.terminate()  # uvicorn shuts down gracefully on SIGTERM
        for process, _ in workers:
            process.join(10)
            if process.is_alive():
                process.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
