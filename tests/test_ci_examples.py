"""The CI examples run as written (issue 17): each example file's commands, parsed from it, run in a simulated
pull (merge) request on a scratch clone of a ledger, in a fresh virtual environment where the example's own
install command installs fab from a git repository of fab's files at a pinned commit.

Only what a forge provides is simulated: the checkout and Python set-up steps (a clone, a virtual
environment), the variables a forge sets, and its REST API (a local HTTP server that keeps comments, which
the examples reach with the real curl and jq).  A step the simulation does not know fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import REPO, Fab, git
from fab_source import fab_repository  # noqa: F401  (a fixture)

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not (shutil.which("curl") and shutil.which("jq")),
                                                   reason="the examples post comments with curl and jq (apt-get install curl jq)")]

RECORD = "ledger/contributions/2026-H2/2026-09-02-chloe-chargeur-gtfs.yaml"


class Forge(ThreadingHTTPServer):
    """The forge's REST API, as far as the examples use it: comments on pull requests (GitHub) and notes on
    merge requests (GitLab), kept in ``comments`` (id -> body); every request is in ``requests``."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Api)
        self.comments: dict[int, str] = {}
        self.requests: list[tuple[str, str, str]] = []  # method, path, token

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Api(BaseHTTPRequestHandler):
    server: Forge

    def log_message(self, *args) -> None:  # (quiet)
        pass

    def _answer(self, status: int, data) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _record(self) -> tuple[str, str]:
        token = self.headers.get("Authorization", "") or self.headers.get("PRIVATE-TOKEN", "")
        path = urllib.parse.urlparse(self.path).path
        self.server.requests.append((self.command, path, token))
        length = int(self.headers.get("Content-Length", 0))
        return path, self.rfile.read(length).decode()

    def do_GET(self) -> None:
        path, _body = self._record()
        if re.fullmatch(r"/repos/commons/ledger/issues/7/comments", path):
            return self._answer(200, [{"id": i, "body": b} for i, b in self.server.comments.items()])
        self._answer(404, {"message": "Not Found"})

    def do_POST(self) -> None:
        path, body = self._record()
        comments = self.server.comments
        if path == "/repos/commons/ledger/issues/7/comments":
            comments[len(comments) + 1] = json.loads(body)["body"]
        elif path == "/api/v4/projects/42/merge_requests/7/notes":
            comments[len(comments) + 1] = urllib.parse.parse_qs(body)["body"][0]
        else:
            return self._answer(404, {"message": "Not Found"})
        self._answer(201, {"id": len(comments)})

    def do_PATCH(self) -> None:
        path, body = self._record()
        found = re.fullmatch(r"/repos/commons/ledger/issues/comments/(\d+)", path)
        if not found or int(found[1]) not in self.server.comments:
            return self._answer(404, {"message": "Not Found"})
        self.server.comments[int(found[1])] = json.loads(body)["body"]
        self._answer(200, {"id": int(found[1])})


@pytest.fixture
def forge():
    server = Forge()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def runner_python(tmp_path_factory) -> Path:
    """The runner's Python (actions/setup-python, GitLab's python image): a fresh virtual environment,
    without fab; kept for the module's pipelines, as a forge's cache would keep pip's downloads."""
    venv = tmp_path_factory.mktemp("runner") / "python"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    return venv / "bin"


@pytest.fixture
def origin(fab, tmp_path) -> tuple[Path, Fab]:
    """The ledger's shared repository (branch main), and a member's clone of it."""
    fab.git("branch", "-M", "main")
    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(fab.root), str(bare))
    clone = tmp_path / "member"
    git(tmp_path, "clone", "-q", str(bare), str(clone))
    return bare, Fab(clone)


def propose(member: Fab, branch: str, *fab_args: str) -> None:
    """A member's pull request: a branch with one fab write, pushed."""
    member.git("switch", "-q", "-c", branch)
    result = member(*fab_args)
    assert result.code == 0, result.out + result.err
    member.git("push", "-q", "origin", branch)


def propose_bad(member: Fab) -> None:
    """A pull request adding a donation that fab check refuses (edited by hand: fab would not write it)."""
    member.git("switch", "-q", "-c", "bad")
    member.write("ledger/donations/2026-H2/bad.yaml", "donor: zoe\namount: -5\ndate: 2026-08-09\n")
    member.git("add", "-A")
    member.git("commit", "-qm", "a bad donation")
    member.git("push", "-q", "origin", "bad")


def workspace(bare: Path, tmp_path: Path, branch: str, merge: bool) -> Path:
    """The forge's checkout of a pull request with the whole history: GitHub checks out the merge of the
    branch into main (refs/pull/N/merge), GitLab the branch's head."""
    work = tmp_path / f"ci-{branch}"
    shutil.rmtree(work, ignore_errors=True)
    git(tmp_path, "clone", "-q", str(bare), str(work))
    if merge:
        git(work, "checkout", "-q", "--detach", "origin/main")
        git(work, "merge", "-q", "--no-ff", "-m", f"Merge {branch} into main", f"origin/{branch}")
    else:
        git(work, "checkout", "-q", "--detach", f"origin/{branch}")
    return work


def shell_env(runner_python: Path, pin: tuple[Path, str], variables: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FAB_LEDGER", "VIRTUAL_ENV"))}
    env.update(variables)
    env["PATH"] = f"{runner_python}{os.pathsep}{env['PATH']}"
    env["CI"] = "true"
    # the community's two values (the file's FAB_REPOSITORY and FAB_COMMIT): this checkout, at its commit
    env["FAB_REPOSITORY"], env["FAB_COMMIT"] = f"file://{pin[0]}", pin[1]
    return env


def run(script: str, cwd: Path, env: dict[str, str], shell: list[str]) -> tuple[int, str]:
    done = subprocess.run([*shell, script], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=900)
    return done.returncode, done.stdout


# --- GitHub Actions ---------------------------------------------------------------------------------------

GITHUB = YAML(typ="safe").load((REPO / "examples/github-actions.yml").read_text("utf-8"))


def github_job(event: str, context: dict[str, str], work: Path, env: dict[str, str]) -> list[tuple[str, int, str]]:
    """Runs the example's job as Actions does: each step in order, its ``if`` and ``${{ }}`` expressions
    from ``context``, ``run`` in ``bash -eo pipefail``, stopping at the first failing step."""
    results = []
    for step in GITHUB["jobs"]["check"]["steps"]:
        name = step.get("name") or step.get("uses")
        condition = step.get("if")
        if condition is not None:
            left, right = re.fullmatch(r"([\w.]+) == '([^']*)'", condition).groups()
            if context[left] != right:
                continue
        if "uses" in step:
            action = step["uses"].split("@")[0]
            assert action in ("actions/checkout", "actions/setup-python"), f"the simulation does not know {action}"
            if action == "actions/checkout":
                assert step["with"]["fetch-depth"] == 0  # the whole history: fab diff and fab verify read it
            continue
        step_env = {**env, **{k: _expand(str(v), context) for k, v in step.get("env", {}).items()}}
        code, out = run(_expand(step["run"], context), work, step_env, ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"])
        results.append((name, code, out))
        if code:
            break
    return results


def _expand(text: str, context: dict[str, str]) -> str:
    return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: context[m[1]], text)


def github(bare, tmp_path, runner_python, pin, forge, branch: str | None):
    event = "pull_request" if branch else "push"
    context = {"github.event_name": event, "github.token": "ghs_token", "github.event.pull_request.number": "7",
               "github.base_ref": "main" if branch else ""}
    assert set(GITHUB["env"]) == {"FAB_REPOSITORY", "FAB_COMMIT"}  # the two values a community sets
    variables = {**GITHUB["env"], "GITHUB_API_URL": forge.url, "GITHUB_REPOSITORY": "commons/ledger", "GITHUB_EVENT_NAME": event}
    work = workspace(bare, tmp_path, branch or "main", merge=bool(branch))
    return github_job(event, context, work, shell_env(runner_python, pin, variables))


def test_github_actions_example_comments_a_good_pull_request_once_and_passes(origin, tmp_path, runner_python, fab_repository, forge):
    bare, member = origin
    propose(member, "chloe-gtfs", "contribute", "--by", "chloe", "--kind", "code", "--title", "Chargeur GTFS",
            "--hours", "10", "--date", "2026-09-02")
    steps = github(bare, tmp_path, runner_python, fab_repository, forge, "chloe-gtfs")
    assert [(name, code) for name, code, _out in steps] == [
        ("Install fab", 0), ("Explain the pull request", 0), ("Check the ledger", 0), ("Verify the sealed periods", 0)]
    assert steps[2][2] == "ok: 4 records, no problems\n"
    [comment] = forge.comments.values()
    assert comment.startswith("## Ledger changes: `origin/main (")
    assert f"- ➕ chloe records 10 h of code: Chargeur GTFS (`{RECORD}`)\n" in comment
    assert "✅ `fab check` finds no problem (ok: 4 records, no problems)" in comment
    assert comment.endswith("<!-- fab diff -->\n")
    assert {token for _m, _p, token in forge.requests} == {"Bearer ghs_token"}
    # a second push to the pull request edits the comment rather than adding one
    member.git("commit", "-q", "--allow-empty", "-m", "again")
    member.git("push", "-q", "origin", "chloe-gtfs")
    again = github(bare, tmp_path, runner_python, fab_repository, forge, "chloe-gtfs")
    assert [code for _n, code, _o in again] == [0, 0, 0, 0]
    assert len(forge.comments) == 1 and [m for m, _p, _t in forge.requests] == ["GET", "POST", "GET", "PATCH"]


def test_github_actions_example_fails_a_bad_pull_request_after_explaining_it(origin, tmp_path, runner_python, fab_repository, forge):
    bare, member = origin
    propose_bad(member)
    steps = github(bare, tmp_path, runner_python, fab_repository, forge, "bad")
    assert [(name, code) for name, code, _out in steps] == [("Install fab", 0), ("Explain the pull request", 0), ("Check the ledger", 1)]
    assert "ledger/donations/2026-H2/bad.yaml:2:9: amount-not-positive 'amount' is -5; it must be more than 0" in steps[2][2]
    [comment] = forge.comments.values()
    assert "❌ `fab check` finds 2 problems in 1 file" in comment, steps[1][2]


def test_github_actions_example_verifies_main_on_a_push(origin, tmp_path, runner_python, fab_repository, forge):
    bare, _member = origin
    steps = github(bare, tmp_path, runner_python, fab_repository, forge, None)
    assert [(name, code) for name, code, _out in steps] == [("Install fab", 0), ("Check the ledger", 0), ("Verify the sealed periods", 0)]
    assert forge.requests == []


# --- GitLab CI --------------------------------------------------------------------------------------------

GITLAB = YAML(typ="safe").load((REPO / "examples/gitlab-ci.yml").read_text("utf-8"))


def gitlab_pipeline(variables: dict[str, str], work: Path, env: dict[str, str]) -> list[tuple[str, int, str]]:
    """Runs the jobs whose ``rules`` match ``variables`` (``$A == "x"``, ``$A == $B``; the examples' ``changes``
    are met by the ledger changes of these tests): ``before_script`` then ``script``, stopping at the first
    failing line, as a GitLab runner does."""
    results = []
    for name, job in GITLAB.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        if not any(_rule(rule["if"], variables) for rule in job["rules"]):
            continue
        lines = [*GITLAB["default"]["before_script"], *job["script"]]
        code, out = run("\n".join(lines), work, env, ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c"])
        results.append((name, code, out))
    return results


def _rule(condition: str, variables: dict[str, str]) -> bool:
    var, literal, other = re.fullmatch(r'\$(\w+) == (?:"([^"]*)"|\$(\w+))', condition).groups()
    return var in variables and variables[var] == (literal if other is None else variables.get(other))


def gitlab(bare, tmp_path, runner_python, pin, forge, branch: str | None):
    assert {"FAB_REPOSITORY", "FAB_COMMIT"} <= set(GITLAB["variables"])  # the two values a community sets
    variables = {"CI_DEFAULT_BRANCH": "main", "CI_API_V4_URL": f"{forge.url}/api/v4", "CI_PROJECT_ID": "42",
                 "FAB_BOT_TOKEN": "glpat-token", **{k: str(v) for k, v in GITLAB["variables"].items()}}
    if branch:
        variables.update(CI_PIPELINE_SOURCE="merge_request_event", CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
                         CI_MERGE_REQUEST_IID="7")
    else:
        variables.update(CI_PIPELINE_SOURCE="push", CI_COMMIT_BRANCH="main")
    work = workspace(bare, tmp_path, branch or "main", merge=False)
    return gitlab_pipeline(variables, work, shell_env(runner_python, pin, variables))


def test_gitlab_example_notes_a_merge_request_and_fails_a_bad_one(origin, tmp_path, runner_python, fab_repository, forge):
    bare, member = origin
    propose(member, "chloe-gtfs", "contribute", "--by", "chloe", "--kind", "code", "--title", "Chargeur GTFS",
            "--hours", "10", "--date", "2026-09-02")
    jobs = gitlab(bare, tmp_path, runner_python, fab_repository, forge, "chloe-gtfs")
    assert [(name, code) for name, code, _out in jobs] == [("ledger-merge-request", 0)], jobs
    assert jobs[0][2].endswith("ok: 4 records, no problems\n")
    [note] = forge.comments.values()
    assert note.startswith("## Ledger changes: `origin/main (")
    assert f"- ➕ chloe records 10 h of code: Chargeur GTFS (`{RECORD}`)\n" in note
    assert {token for _m, _p, token in forge.requests} == {"glpat-token"}
    member.git("switch", "-q", "main")
    propose_bad(member)
    jobs = gitlab(bare, tmp_path, runner_python, fab_repository, forge, "bad")
    assert [(name, code) for name, code, _out in jobs] == [("ledger-merge-request", 1)]
    assert "ledger/donations/2026-H2/bad.yaml:2:9: amount-not-positive" in jobs[0][2]
    assert "❌ `fab check` finds 2 problems in 1 file" in forge.comments[2]


def test_gitlab_example_verifies_the_default_branch(origin, tmp_path, runner_python, fab_repository, forge):
    bare, _member = origin
    jobs = gitlab(bare, tmp_path, runner_python, fab_repository, forge, None)
    assert [(name, code) for name, code, _out in jobs] == [("ledger-verify", 0)], jobs
    assert re.search(r"\nok: 3 records, no problems\nsigned commits: none of \d+ commits\n"
                     r"ok: verified 0 closed periods and 0 sealed records; 0 problems, 0 warnings\n$", jobs[0][2]), jobs[0][2]
