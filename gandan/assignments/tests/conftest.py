"""The API test fixtures (api_as, bearer), shared with gandan/api/tests."""

from gandan.api.tests.conftest import api_as, bearer  # noqa: F401
