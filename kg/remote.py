"""Compatibility: the remote store and ``kg serve`` now live in :mod:`kg.stores`."""

from kg.stores import open_backend
from kg.stores.remote import RemoteStore, oxigraph_binary, wait_until_up
from kg.stores.server import RunningServer, serve

__all__ = [
    "RemoteStore",
    "RunningServer",
    "open_backend",
    "oxigraph_binary",
    "serve",
    "wait_until_up",
]
