"""The deployment files (deploy/): no Docker engine or cluster runs here, so they are checked
by reading them: they parse, every command is a real `deskhand` command, every setting is a
real setting, probes hit real endpoints, and the Kubernetes objects point at each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from deskhand.cli import build_parser
from deskhand.config import Settings
from deskhand.web import health

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SETTINGS = {f"DESKHAND_{name.upper()}" for name in Settings.model_fields}
ENDPOINTS = {"/healthz", "/readyz", "/metrics"}


def _deskhand_command(command: list[str]) -> None:
    assert command[0] == "deskhand", command
    build_parser().parse_args(command[1:])  # exits (fails the test) on an unknown command


def _manifests() -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if d]
    return docs


def _named(kind: str, name: str) -> dict[str, Any]:
    found = [d for d in _manifests() if d["kind"] == kind and d["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}"
    return found[0]


def test_the_dockerfile_runs_a_real_command_on_the_exposed_port() -> None:
    lines = (DEPLOY / "Dockerfile").read_text().splitlines()
    cmd = next(line for line in lines if line.startswith("CMD "))
    command = yaml.safe_load(cmd.removeprefix("CMD "))
    _deskhand_command(command)
    exposed = next(line.split()[1] for line in lines if line.startswith("EXPOSE "))
    assert command[command.index("--port") + 1] == exposed
    assert any("/healthz" in line for line in lines)  # the HEALTHCHECK


def test_compose_has_the_app_the_worker_and_their_services() -> None:
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"migrate", "app", "worker", "postgres", "redis"}
    for name in ("migrate", "app", "worker"):
        _deskhand_command(services[name]["command"])
        env = services[name]["environment"]
        assert set(env) <= SETTINGS, set(env) - SETTINGS
        assert env["DESKHAND_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert env["DESKHAND_REDIS_URL"].startswith("redis://redis:")
    # The app waits for the schema; the worker runs the outbox, so the app does not.
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["app"]["environment"]["DESKHAND_INLINE_WORKER"] == "false"
    healthcheck = " ".join(services["app"]["healthcheck"]["test"])
    assert any(endpoint in healthcheck for endpoint in ENDPOINTS)


def test_the_kubernetes_objects_fit_together() -> None:
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in _manifests())
    assert kinds == [
        ("ConfigMap", "deskhand"),
        ("Deployment", "deskhand-app"),
        ("Deployment", "deskhand-worker"),
        ("HorizontalPodAutoscaler", "deskhand-app"),
        ("Job", "deskhand-migrate"),
        ("Service", "deskhand"),
    ]
    config = _named("ConfigMap", "deskhand")
    assert set(config["data"]) <= SETTINGS
    for kind, name in (("Deployment", "deskhand-app"), ("Deployment", "deskhand-worker")):
        spec = _named(kind, name)["spec"]
        assert (
            spec["selector"]["matchLabels"].items()
            <= spec["template"]["metadata"]["labels"].items()
        )
    workloads = [
        _named("Deployment", "deskhand-app")["spec"]["template"]["spec"],
        _named("Deployment", "deskhand-worker")["spec"]["template"]["spec"],
        _named("Job", "deskhand-migrate")["spec"]["template"]["spec"],
    ]
    for pod in workloads:
        for container in pod["containers"]:
            _deskhand_command(container["command"])
            refs = {next(iter(ref)): ref[next(iter(ref))]["name"] for ref in container["envFrom"]}
            assert refs == {"configMapRef": "deskhand", "secretRef": "deskhand"}
    app = workloads[0]["containers"][0]
    port = int(app["command"][app["command"].index("--port") + 1])
    assert app["ports"][0]["containerPort"] == port
    probes = {
        app[p]["httpGet"]["path"] for p in ("startupProbe", "livenessProbe", "readinessProbe")
    }
    assert probes == {"/healthz", "/readyz"}
    service = _named("Service", "deskhand")["spec"]
    app_labels = _named("Deployment", "deskhand-app")["spec"]["template"]["metadata"]["labels"]
    assert service["selector"].items() <= app_labels.items()
    hpa = _named("HorizontalPodAutoscaler", "deskhand-app")["spec"]
    assert hpa["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "deskhand-app",
    }


def test_the_probed_endpoints_exist() -> None:
    assert {getattr(route, "path", "") for route in health.router.routes} >= ENDPOINTS
