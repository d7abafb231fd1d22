"""Repository adapters: ``inmem`` (filled from KOM or ``kompoxops.yml``); ``rdb`` comes later."""

from kompox.store.inmem import InMemoryRepositories, InMemoryRepository, repositories_from_state

__all__ = ["InMemoryRepositories", "InMemoryRepository", "repositories_from_state"]
