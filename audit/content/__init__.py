"""Content checks on pages and posts: typos and wording errors, injected spam, broken services."""
