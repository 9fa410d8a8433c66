"""The registry (备案库): reading registry files, importing them, matching accounts to entries.

`import_registry_file(backend, path)` is the entry point the CLI and the demo use.
"""

from __future__ import annotations

from audit.registry.importer import ImportReport, import_registry

import_registry_file = import_registry

__all__ = ["ImportReport", "import_registry", "import_registry_file"]
