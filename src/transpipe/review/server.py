"""Running the review application: bind a socket, announce the URL, serve with uvicorn.

Owns the process side of ``transpipe review``: the listening socket is bound before the URL
is announced (so ``--port 0`` announces the port the system chose, and a client that reads
the line can connect at once), and uvicorn serves the ASGI app on it in this thread until
SIGINT/SIGTERM.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from starlette.types import ASGIApp

from transpipe.errors import ConfigError


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: any free port)."""
    try:
        family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    except ValueError:
        family = socket.AF_INET  # a host name
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(128)
    return sock


def url_of(sock: socket.socket, host: str, token: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/?token={token}"


def serve(app: ASGIApp, sock: socket.socket, announce: Callable[[], None]) -> None:
    """Serve ``app`` on ``sock`` until interrupted; ``announce`` runs once it is listening."""
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    announce()
    server.run(sockets=[sock])
