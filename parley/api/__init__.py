"""REST API v1 (Django Ninja): thin endpoints over the same actions and queries as the web."""
