"""`govwatch serve` gives uvicorn's worker processes govwatch's logging (serve.log_config).

Each case runs in a fresh interpreter, as a spawned worker is: applying a logging config here would
replace the handlers pytest captures with.
"""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from tests.paths import ROOT

WORKER = """
import logging, logging.config, sys
from govwatch.commands.serve import log_config
logging.config.dictConfig(log_config(int(sys.argv[1])))
logging.getLogger("search_api.node_restarts").info("restart noticed")
logging.getLogger("search_api.node_restarts").debug("a detail")
logging.getLogger("elasticsearch").info("GET /_search [status:200]")
logging.getLogger("uvicorn.error").info("Application startup complete.")
"""


def _worker_logs(level: int) -> str:
    done = subprocess.run([sys.executable, "-c", WORKER, str(level)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stderr


def test_with_v_a_worker_prints_govwatchs_info_lines_in_the_commands_format() -> None:
    lines = _worker_logs(logging.INFO).splitlines()
    assert [line.split(" ", 2)[2] for line in lines if "search_api" in line] == [
        "INFO search_api.node_restarts: restart noticed"]  # after the date and time
    assert not any("a detail" in line or "GET /_search" in line for line in lines)  # the client's only with -vv
    assert [line for line in lines if "startup complete" in line] == ["INFO:     Application startup complete."]


@pytest.mark.parametrize(("level", "shown"), [(logging.WARNING, set()),
                                               (logging.DEBUG, {"restart noticed", "a detail", "GET /_search"})])
def test_without_v_no_info_and_with_vv_everything(level: int, shown: set[str]) -> None:
    logs = _worker_logs(level)
    assert {text for text in ("restart noticed", "a detail", "GET /_search") if text in logs} == shown
