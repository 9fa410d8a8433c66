"""The API's routers, one module per resource; search_api.app includes each with a plain import."""
