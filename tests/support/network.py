"""Loopback networking for the tests: free ports, the app served live, a TCP proxy whose line
a test can cut, a server that accepts and never answers."""

import contextlib
import socket
import threading

from werkzeug.serving import make_server


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    """A Flask app served by a real threaded WSGI server on a loopback port."""

    def __init__(self, app) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)


class TcpProxy:
    """A loopback port forwarded to a server, whose line can be cut and mended: a network
    fault between the app and its database, without touching the database itself."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()

    def start(self) -> "TcpProxy":
        """Accept connections and forward them."""
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()
        return self

    def accept(self, listener: socket.socket) -> None:
        """Pair each client with a new connection to the server."""
        while True:
            try:
                client, _address = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return  # cut
            with self.lock:
                self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def pump(source: socket.socket, sink: socket.socket) -> None:
        """Copy bytes one way until either side closes."""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            # shutdown() before close(): a close alone, while the other pump still waits in
            # recv() on that socket, neither wakes it nor sends the FIN, so the server would
            # never learn that the line was cut (its session kept its locks).
            for side in (source, sink):
                with contextlib.suppress(OSError):
                    side.shutdown(socket.SHUT_RDWR)
                side.close()

    def cut(self) -> None:
        """Refuse new connections and break every open one."""
        # shutdown() wakes the thread blocked in accept(); close() alone leaves it listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for connection in self.open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self.open.clear()


class SilentServer:
    """A port that accepts connections and never says a word (a hung mail server).

    It hangs up after `hang_up_after` seconds, so a client with no timeout of its own makes
    a test fail on its time limit instead of hanging the whole run.
    """

    def __init__(self, hang_up_after: float = 15) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.hang_up_after = hang_up_after
        self.held: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self) -> None:
        """Take every connection and keep it open, unanswered, until it is time to hang up."""
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.held.append(connection)
            hang_up = threading.Timer(self.hang_up_after, self.hang_up, [connection])
            hang_up.daemon = True
            hang_up.start()

    @staticmethod
    def hang_up(connection: socket.socket) -> None:
        """Close one connection (its client sees the end of the stream)."""
        with contextlib.suppress(OSError):
            connection.shutdown(socket.SHUT_RDWR)
        connection.close()

    def close(self) -> None:
        """Drop the held connections and stop listening."""
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.held:
            self.hang_up(connection)
