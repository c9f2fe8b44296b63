"""`kg` commands: serve."""

from __future__ import annotations

import gc
import ipaddress
from pathlib import Path

import typer
from rich.console import Console

from kg.cli._app import app
from kg.errors import AikgError

console = Console(stderr=True)

ALL_INTERFACES = ("0.0.0.0", "::")


def bind_host(host: str, public: bool) -> str:
    """The address to bind: ``host``, or every interface with ``--public``.

    Refuses an all-interfaces or non-loopback address without ``--public``, so
    the service is never exposed by accident.
    """
    if public:
        return "0.0.0.0" if host in ("127.0.0.1", "localhost") else host
    if host in ALL_INTERFACES or host == "":
        raise typer.BadParameter(f"--host {host or '(empty)'} binds every interface; add --public to allow that")
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise typer.BadParameter(f"--host {host} is not a loopback address; add --public to expose the service")
    return host


@app.command()
def serve(
    out_dir: Path = typer.Argument(..., help="Build output folder (the --out of `kg build`) or one build folder."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback unless --public)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    public: bool = typer.Option(False, "--public", help="Allow binding to all interfaces / a non-loopback address."),
    log_level: str = typer.Option("info", "--log-level", help="uvicorn log level."),
) -> None:
    """Serve the REST API, /sparql and the OpenAPI docs (/docs) over a build."""
    from kg.deps import SERVE, require

    address = bind_host(host, public)
    try:
        require(SERVE, command="serve")
        import uvicorn

        from kg.api.main import create_app

        api = create_app(out_dir)
    except AikgError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    # The snapshot the lookups answer from is read-only for the life of the server.
    # Frozen, the garbage collector never walks it again: on a million-triple graph
    # a full collection over it takes ~150 ms, which would land inside some request.
    gc.freeze()
    console.print(f"serving {out_dir} on http://{address}:{port} (docs at /docs)")
    uvicorn.run(api, host=address, port=port, log_level=log_level)
