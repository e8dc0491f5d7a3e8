import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """Each catalog test starts from an empty cache: cached reads are keyed by the catalog's
    version, which lives in the cache and is not rolled back with a test's database."""
    cache.clear()
    yield
    cache.clear()
