"""docker-compose.yml, the Dockerfile, the env example and the entrypoint: validated without a Docker engine.

`docker-compose config` (Debian package docker-compose) checks the file the way Compose reads it; the
assertions then read the rendered YAML (and the raw file, for what rendering would hide).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.fernet import Fernet

from machine_tools import required_command
from stiwatch.config import PROJECT_ROOT

COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / "deploy" / "stiwatch.env.example"
DOCKERFILE = PROJECT_ROOT / "Dockerfile"
ENTRYPOINT = PROJECT_ROOT / "deploy" / "entrypoint.sh"

CORE_SERVICES = {
    "stiwatch-secrets",
    "postgres",
    "airflow-init",
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "reports",
}
PROFILE_SERVICES = {"celery": {"redis", "airflow-worker", "flower"}, "bi": {"bi"}}
ONE_SHOT_SERVICES = {"stiwatch-secrets", "airflow-init"}
AIRFLOW_SCHEDULING_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
}
SECRET_NAME = re.compile(
    r"PASSWORD|SECRET_KEY|JWT_SECRET|FERNET|TOKEN|API_KEY|SQL_ALCHEMY_CONN|RESULT_BACKEND", re.IGNORECASE
)
CREDENTIALS_IN_URL = re.compile(r"://[^/\s:@]+:[^/\s@]+@")


def _compose_binary() -> str:
    return required_command(
        "docker-compose",
        missing="docker-compose not installed (Debian package docker-compose; .ci/run installs it)",
    )


def _render(env_file: Path, *profiles: str) -> dict[str, Any]:
    """`docker-compose config` with this env file both for interpolation and as the services' env_file."""
    profile_args = [arg for p in profiles for arg in ("--profile", p)]
    proc = subprocess.run(
        [_compose_binary(), "-f", str(COMPOSE_FILE), "--env-file", str(env_file), *profile_args, "config"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "STIWATCH_ENV_FILE": str(env_file)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, f"docker-compose config failed:\n{proc.stderr}"
    return yaml.safe_load(proc.stdout)


@pytest.fixture(scope="module")
def rendered() -> dict[str, Any]:
    return _render(ENV_EXAMPLE)


@pytest.fixture(scope="module")
def rendered_celery(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The documented switch: CeleryExecutor in the env file plus `--profile celery`."""
    env_file = tmp_path_factory.mktemp("celery") / "stiwatch.env"
    text = ENV_EXAMPLE.read_text()
    assert "AIRFLOW__CORE__EXECUTOR=LocalExecutor\n" in text
    env_file.write_text(
        text.replace("AIRFLOW__CORE__EXECUTOR=LocalExecutor", "AIRFLOW__CORE__EXECUTOR=CeleryExecutor")
    )
    return _render(env_file, "celery")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def _profiles(service: dict[str, Any]) -> set[str]:
    return set(service.get("profiles") or [])


def _env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # KEY=value list form
        env = dict(item.split("=", 1) for item in env)
    return {k: "" if v is None else str(v) for k, v in env.items()}


def _volume_mounts(service: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(source, target, read_only) of each mount, from Compose's short ("a:b:ro") or long syntax."""
    mounts = []
    for vol in service.get("volumes") or []:
        if isinstance(vol, str):
            parts = vol.split(":")
            mounts.append((parts[0], parts[1], len(parts) > 2 and "ro" in parts[2].split(",")))
        else:
            mounts.append((vol.get("source", ""), vol["target"], bool(vol.get("read_only"))))
    return mounts


def _runs_stiwatch_image(service: dict[str, Any]) -> bool:
    return "build" in service


def secret_like_values(env: dict[str, str]) -> list[str]:
    """Names of variables that look like secrets and hold a literal value (not empty, not `${VAR}`,
    not a path to a generated secret file)."""
    flagged = []
    for name, value in env.items():
        literal = value.strip()
        if not literal or re.fullmatch(r"\$\{[A-Za-z_][A-Za-z0-9_]*(:?-[^}]*)?\}", literal):
            continue
        if name.endswith("_FILE") and literal.startswith("/run/stiwatch-secrets/"):
            continue
        if SECRET_NAME.search(name) or CREDENTIALS_IN_URL.search(literal):
            flagged.append(name)
    return flagged


def test_default_stack_has_the_airflow_3_services(rendered: dict[str, Any]) -> None:
    services = rendered["services"]
    default = {name for name, svc in services.items() if not _profiles(svc)}
    assert default == CORE_SERVICES
    for profile, expected in PROFILE_SERVICES.items():
        assert {name for name, svc in services.items() if profile in _profiles(svc)} == expected


def test_default_executor_is_local_on_postgres(rendered: dict[str, Any]) -> None:
    services = rendered["services"]
    for name in AIRFLOW_SCHEDULING_SERVICES | ONE_SHOT_SERVICES:
        assert _env(services[name])["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor", name
    assert services["postgres"]["image"].startswith("postgres:")
    # Tasks reach the execution API through the api-server's service name, on its container port.
    url = _env(services["airflow-scheduler"])["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]
    assert url == "http://airflow-apiserver:8080/execution/"
    assert any(
        p["target"] == 8080 if isinstance(p, dict) else p.endswith(":8080")
        for p in services["airflow-apiserver"]["ports"]
    )


def test_celery_profile_switches_the_executor(rendered_celery: dict[str, Any]) -> None:
    services = rendered_celery["services"]
    for name in AIRFLOW_SCHEDULING_SERVICES | {"airflow-worker", "flower"}:
        assert _env(services[name])["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
    broker = _env(services["airflow-scheduler"])["AIRFLOW__CELERY__BROKER_URL"]
    assert re.fullmatch(r"redis://redis:6379/\d+", broker)
    assert services["airflow-worker"]["command"][:3] == ["airflow", "celery", "worker"]
    assert services["airflow-worker"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_long_running_services_have_healthchecks(rendered: dict[str, Any]) -> None:
    for name, svc in rendered["services"].items():
        if name in ONE_SHOT_SERVICES or "bi" in _profiles(svc):
            assert svc.get("restart") in ("no", "unless-stopped"), name
            continue
        assert svc.get("healthcheck", {}).get("test"), f"{name} has no healthcheck"
    for name in AIRFLOW_SCHEDULING_SERVICES:
        deps = rendered["services"][name]["depends_on"]
        assert deps["airflow-init"]["condition"] == "service_completed_successfully", name


def test_image_is_built_from_the_dockerfile(raw: dict[str, Any], rendered: dict[str, Any]) -> None:
    airflow_services = [
        n for n, s in rendered["services"].items() if n.startswith("airflow-") or n == "flower"
    ]
    for name in [*airflow_services, "stiwatch-secrets"]:
        build = rendered["services"][name]["build"]
        assert (
            Path(build["context"]) == PROJECT_ROOT and build.get("dockerfile", "Dockerfile") == "Dockerfile"
        )
    assert "_PIP_ADDITIONAL_REQUIREMENTS" not in COMPOSE_FILE.read_text()
    assert raw["x-airflow-common"]["env_file"] == ["${STIWATCH_ENV_FILE:-deploy/stiwatch.env}"]


def test_data_volume_is_mounted_at_the_data_dir(rendered: dict[str, Any]) -> None:
    for name, svc in rendered["services"].items():
        if not _runs_stiwatch_image(svc):
            continue
        mounts = {target: (source, ro) for source, target, ro in _volume_mounts(svc)}
        data_dir = _env(svc)["STIWATCH_DATA_DIR"]
        assert mounts[data_dir] == ("stiwatch-data", False), name


def test_bi_and_report_containers_mount_the_data_read_only(rendered: dict[str, Any]) -> None:
    services = rendered["services"]
    for name, svc in services.items():
        if _runs_stiwatch_image(svc):
            continue
        for source, target, read_only in _volume_mounts(svc):
            if source in ("stiwatch-data", "stiwatch-secrets"):
                assert read_only, f"{name} mounts {source} at {target} writable"
    bi_mounts = _volume_mounts(services["bi"])
    assert ("stiwatch-data", "/srv/stiwatch", True) in bi_mounts
    assert _env(services["bi"])["STIWATCH_SERVING_DIR"] == "/srv/stiwatch/serving"


def test_no_secrets_in_the_compose_file(raw: dict[str, Any]) -> None:
    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "environment" in node:
                yield _env(node)
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    environments = list(walk(raw))
    assert environments, "no environment blocks found: the walk is broken"
    for env in environments:
        assert secret_like_values(env) == []
    assert not CREDENTIALS_IN_URL.search(COMPOSE_FILE.read_text())


def test_the_secret_check_catches_planted_secrets() -> None:
    planted = {
        "AIRFLOW__CORE__FERNET_KEY": "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0cw=",
        "POSTGRES_PASSWORD": "airflow",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "postgresql+psycopg2://airflow:airflow@postgres/airflow",
        "SOME_URL": "redis://user:pw@redis:6379/0",
    }
    allowed = {
        "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD}",
        "POSTGRES_PASSWORD_FILE": "/run/stiwatch-secrets/pg",
    }
    assert sorted(secret_like_values(planted)) == sorted(planted)
    assert secret_like_values(allowed) == []


def _env_example_entries() -> list[tuple[str, str, list[str]]]:
    """(name, value, comment lines just above) for each KEY=value line of the example."""
    entries, comments = [], []
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.startswith("#"):
            comments.append(line)
        elif "=" in line:
            name, value = line.split("=", 1)
            entries.append((name, value, comments))
        else:
            comments = []
    return entries


def test_env_example_documents_every_variable_and_holds_no_secret() -> None:
    entries = _env_example_entries()
    names = {name for name, _, _ in entries}
    for name, _, comments in entries:
        assert any(c.strip("# ") for c in comments), f"{name} has no comment above it"
    assert secret_like_values({name: value for name, value, _ in entries}) == []
    # Every variable the compose file interpolates is documented (STIWATCH_ENV_FILE is for alternate files).
    # `$${VAR}` is an escaped dollar (expanded in the container, not by Compose).
    text = COMPOSE_FILE.read_text()
    interpolated = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", text)) - {"STIWATCH_ENV_FILE"}
    assert interpolated <= names, f"undocumented: {sorted(interpolated - names)}"


def test_dockerfile_installs_the_lock_and_the_project() -> None:
    text = DOCKERFILE.read_text()
    runs = [" ".join(m.split()) for m in re.findall(r"^RUN (.*?)(?<!\\)$", text, re.MULTILINE | re.DOTALL)]
    lock_install = [r for r in runs if "-r requirements.lock" in r]
    assert lock_install and "--only-binary=dbt-core-experimental-parser" in lock_install[0]
    assert any(re.search(r"pip install --no-deps (-e )?\.", r) for r in runs)
    assert re.search(r"^COPY requirements\.lock ", text, re.MULTILINE)
    assert re.search(r"^FROM python:3\.11-slim", text, re.MULTILINE)
    assert "_PIP_ADDITIONAL_REQUIREMENTS" not in text
    assert 'ENTRYPOINT ["stiwatch-entrypoint"]' in text


def test_celery_executor_is_installed_by_the_lock() -> None:
    # The celery profile's executor class must exist in the pinned set the image installs.
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from airflow.providers.celery.executors.celery_executor import CeleryExecutor",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]


def _entrypoint(secrets_dir: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "STIWATCH_SECRETS_DIR": str(secrets_dir),
        "STIWATCH_UID": str(os.getuid()),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin,viewer1:viewer",
        **extra,
    }
    for name in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CORE__FERNET_KEY"):
        if name not in extra:
            env.pop(name, None)
    return subprocess.run(
        ["bash", str(ENTRYPOINT), *args], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.skipif(os.getuid() != 0, reason="init-secrets chowns to group 0, as in the container (root)")
def test_entrypoint_creates_secrets_once_and_exports_them(tmp_path: Path) -> None:
    secrets_dir = tmp_path / "secrets"
    first = _entrypoint(secrets_dir, "init-secrets")
    assert first.returncode == 0, first.stderr
    files = {p.name: p.read_text().strip() for p in secrets_dir.iterdir()}
    assert set(files) == {
        "fernet_key",
        "jwt_secret",
        "api_secret_key",
        "postgres_password",
        "simple_auth_manager_passwords.json",
    }
    Fernet(files["fernet_key"].encode())  # raises if not a valid Fernet key
    assert set(json.loads(files["simple_auth_manager_passwords.json"])) == {"admin", "viewer1"}
    assert re.fullmatch(r"[0-9a-f]{48}", files["postgres_password"])
    for path in secrets_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name

    again = _entrypoint(secrets_dir, "init-secrets")
    assert again.returncode == 0 and "created" not in again.stdout
    assert {p.name: p.read_text().strip() for p in secrets_dir.iterdir()} == files

    exported = _entrypoint(secrets_dir, "env")
    env = dict(line.split("=", 1) for line in exported.stdout.splitlines() if "=" in line)
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == (
        f"postgresql+psycopg2://airflow:{files['postgres_password']}@postgres:5432/airflow"
    )
    assert env["AIRFLOW__CORE__FERNET_KEY"] == files["fernet_key"]
    assert env["AIRFLOW__API_AUTH__JWT_SECRET"] == files["jwt_secret"]
    # Celery results follow the metadata DB (the provider's default), so an external DB moves both.
    assert "AIRFLOW__CELERY__RESULT_BACKEND" not in env

    external = "postgresql+psycopg2://u:p@db.example:5432/af"
    overridden = _entrypoint(secrets_dir, "env", AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=external)
    assert f"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN={external}\n" in overridden.stdout


def test_entrypoint_names_a_missing_secret(tmp_path: Path) -> None:
    proc = _entrypoint(tmp_path / "empty", "env")
    assert proc.returncode == 1
    assert "missing secret" in proc.stderr and "postgres_password" in proc.stderr
