# The two tenants of the access matrix: a business with a firm, and another with another firm.
from tests.test_url_access_matrix import world  # noqa: F401
