"""uvicorn's server, told first when it is asked to stop.

On SIGTERM uvicorn stops taking connections and waits for the requests in flight. A request
that waits on purpose (a long poll, up to 30 s) would hold the process that long; ``on_stop``
lets each service end such waits first, so they answer at once with what they know.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import uvicorn


class Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, on_stop: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_stop = on_stop

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        self._on_stop()
        await super().shutdown(sockets)
