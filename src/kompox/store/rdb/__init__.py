"""The database store (``sqlite:``, ``postgresql://``) through SQLAlchemy 2 and Alembic.

Import :func:`kompox.store.rdb.store.open_rdb` lazily: SQLAlchemy is an optional
dependency (the ``rdb`` extra) and must not slow down ``--help`` or ``app validate``.
:mod:`kompox.store.rdb.url` is import-light and may be used to classify a URL.
"""
