"""docker-compose.yml: the services, health checks, pinned images and no secrets in the file."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import yaml

from tests.paths import ROOT

COMPOSE = ROOT / "docker-compose.yml"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_the_stack_has_elasticsearch_redis_api_and_worker_plus_a_three_node_profile(compose: dict) -> None:
    services = compose["services"]
    assert {"elasticsearch", "redis", "api", "worker"} <= set(services)
    cluster = [name for name, s in services.items() if "cluster" in s.get("profiles", [])]
    assert sorted(cluster) == ["es1", "es2", "es3"]
    for name in cluster:
        env = services[name]["environment"]
        assert env["node.name"] == name and env["cluster.initial_master_nodes"] == "es1,es2,es3"
    single = services["elasticsearch"]
    assert single["environment"]["discovery.type"] == "single-node"
    assert single["environment"]["xpack.security.enabled"] == "true"
    assert any(v.endswith(":/usr/share/elasticsearch/data") for v in single["volumes"])


def test_every_service_has_a_health_check_and_dependants_wait_for_health(compose: dict) -> None:
    for name, service in compose["services"].items():
        assert service.get("healthcheck", {}).get("test"), name
    for name in ("api", "worker"):
        needs = compose["services"][name]["depends_on"]
        assert needs == {"elasticsearch": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}


def test_images_are_pinned_and_elasticsearch_is_the_official_8x_image(compose: dict) -> None:
    for name, service in compose["services"].items():
        image = service["image"]
        tag = image.rsplit(":", 1)[-1]
        assert ":" in image and tag != "latest" and re.search(r"\d+\.\d+", tag), (name, image)
    assert re.fullmatch(r"docker\.elastic\.co/elasticsearch/elasticsearch:8\.\d+\.\d+",
                        compose["services"]["elasticsearch"]["image"])


def test_no_secret_is_written_in_the_file(compose: dict) -> None:
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"password|secret|api_key|token", key, re.I):
                assert str(value).startswith("${"), (name, key)  # interpolated from .env / the environment
    assert "change-me" not in COMPOSE.read_text(encoding="utf-8")  # .env.example's placeholder stays there


def _compose_plugin() -> bool:
    docker = shutil.which("docker")
    return bool(docker) and subprocess.run([str(docker), "compose", "version"], capture_output=True,
                                           timeout=30, check=False).returncode == 0


@pytest.mark.skipif(not _compose_plugin(), reason="no `docker compose` plugin here to run `docker compose config`")
def test_docker_compose_config_accepts_the_file() -> None:
    env = {"ELASTIC_PASSWORD": "test-only", "PATH": "/usr/local/bin:/usr/bin:/bin"}
    done = subprocess.run([str(shutil.which("docker")), "compose", "-f", str(COMPOSE), "config", "-q"], env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
