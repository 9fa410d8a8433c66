"""The registry (备案库): reading registry files, importing them, matching accounts to entries."""
