"""Access control of the API: keys with roles, login cookie, rate limits and the access log.

The keys live in their own small SQLite file (keystore.py), not in the
Backend, so access control works the same over SQLite and Elasticsearch.
Routers take a role with ``Depends(require_role("investigator"))``
(auth.py); search_api.app adds the access-log and security-header middleware.
"""
