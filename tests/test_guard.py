"""Nobody writes as someone else (issue 13): members' signing keys, fab verify's rule of signatures, and
fab guard as the pre-receive hook of a real bare repository, with real pushes from clones and real
ssh-keygen keys.

The shared ledger: alice (a steward), bruno and mallory, each with an SSH key in their member file; 2026-H1
has a donation and two contributions and is sealed; the settings ask for signatures (the last commit
of the set-up, so that everything before it is history the rule does not judge).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Fab, build_template, git

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) is not installed")

C1 = "ledger/contributions/2026-H1/c1.yaml"
SEAL = "ledger/periods/2026-H1.yaml"


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    for who in ("alice", "bruno", "mallory"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", who, "-f", str(folder / who)], check=True)
    return {who: folder / who for who in ("alice", "bruno", "mallory")}


def _settings(fab: Fab, old: str, new: str) -> None:
    path = fab.root / "ledger/fabrique.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def _shared_ledger(keys: dict[str, Path]):
    def steps(fab: Fab, env: pytest.MonkeyPatch) -> None:
        assert fab("init", str(fab.root)).code == 0
        fab.git("branch", "-m", "main")
        for who, role in (("alice", "contributor"), ("bruno", "consultant"), ("mallory", "contributor")):
            result = fab("member", "add", who, "--name", who.title(), "--role", role, "--email", f"{who}@example.org",
                         "--joined", "2026-01-05", "--signing-key", str(keys[who]) + ".pub")
            assert result.code == 0, result.err
        env.setenv("FAB_TODAY", "2026-07-15")
        for step in (("donate", "--by", "bruno", "--amount", "1000", "--date", "2026-02-01"),
                     ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Covoiturage", "--hours", "6", "--date", "2026-02-02", "--id", "a1"),
                     ("contribute", "--by", "mallory", "--kind", "code", "--title", "GTFS", "--hours", "4", "--date", "2026-02-03", "--id", "c1"),
                     ("contribute", "--by", "alice", "--kind", "wiki", "--title", "Autopartage", "--hours", "2", "--date", "2026-07-02", "--id", "a2"),
                     ("close", "2026-H1", "--yes")):
            result = fab(*step)
            assert result.code == 0, (step, result.err)
        _settings(fab, "weights: {}", "weights: {}\nsignatures: required\nsignatures_since: 2026-01-01\nstewards: [alice]")
        fab.git("commit", "-qam", "settings: records are signed by their members")
    return steps


@pytest.fixture(scope="module")
def template(tmp_path_factory, keys) -> Path:
    return build_template(tmp_path_factory, "shared", _shared_ledger(keys))


@pytest.fixture
def shared(template, tmp_path) -> Path:
    """A bare copy of the template with the guard installed."""
    bare = tmp_path / "shared.git"
    git(tmp_path, "clone", "-q", "--bare", str(template), str(bare))
    result = Fab(template)("guard", "--install", str(bare))
    assert result.code == 0, result.err
    assert result.out == f"installed {bare / 'hooks/pre-receive'}: pushes to {bare} are checked by fab guard\n"
    return bare


def clone(shared: Path, where: Path, key: Path | None) -> Fab:
    """A member's clone, signing its commits with ``key`` (or not signing)."""
    git(where.parent, "clone", "-q", str(shared), str(where))
    if key is not None:
        for name, value in (("gpg.format", "ssh"), ("user.signingkey", str(key)), ("commit.gpgsign", "true")):
            git(where, "config", name, value)
    return Fab(where)


def push(fab: Fab, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(fab.root), "push", "-q", "origin", *args], capture_output=True, text=True)


def remote_head(shared: Path) -> str:
    return git(shared, "rev-parse", "refs/heads/main").strip()


# --- the guard --------------------------------------------------------------------------------------

@pytest.fixture
def as_member(shared, tmp_path, keys):
    def make(who: str, key: str | None = None) -> Fab:
        return clone(shared, tmp_path / f"clone-{who}-{key}", keys[key or who] if key != "none" else None)
    return make


def test_a_contribution_signed_by_its_author_is_accepted(shared, as_member):
    bruno = as_member("bruno")
    result = bruno("contribute", "--by", "bruno", "--kind", "event", "--title", "Rencontres", "--hours", "3", "--date", "2026-11-20")
    assert result.code == 0, result.err
    assert ", signed)" in result.out
    pushed = push(bruno, "main")
    assert pushed.returncode == 0, pushed.stderr
    assert remote_head(shared) == bruno.head()


def test_a_review_by_bruno_signed_with_mallorys_key_is_refused(shared, as_member):
    before = remote_head(shared)
    mallory = as_member("mallory")
    assert mallory("review", "a2", "--by", "bruno", "--approve", "--date", "2026-11-20").code == 0  # fab lets her commit locally
    pushed = push(mallory, "main")
    assert pushed.returncode == 1
    sha = mallory.head()
    assert f"fab guard: refused refs/heads/main ({before[:7]}..{sha[:7]}):" in pushed.stderr
    assert (f"  - ledger/reviews/2026-H2/a2--bruno.yaml: added by commit {sha[:7]} \"review: bruno approves a2\" (Test Runner "
            "<runner@example.org>), signed by mallory: it needs the signature of bruno or a steward") in pushed.stderr
    assert remote_head(shared) == before
    # the same review signed with bruno's key is accepted
    bruno = as_member("bruno")
    assert bruno("review", "a2", "--by", "bruno", "--approve", "--date", "2026-11-20").code == 0
    pushed = push(bruno, "main")
    assert pushed.returncode == 0, pushed.stderr
    assert remote_head(shared) == bruno.head()


def test_an_unsigned_record_is_refused_and_a_steward_may_sign_anything(shared, as_member):
    nobody = as_member("bruno", "none")
    result = nobody("donate", "--by", "bruno", "--amount", "50", "--date", "2026-11-20")
    assert result.code == 0
    assert ("warning: this commit is not signed, and the ledger asks for signatures (required): fab verify will report it "
            "and a guarded repository will refuse it") in result.err
    pushed = push(nobody, "main")
    assert pushed.returncode == 1
    assert "(Test Runner <runner@example.org>), which is not signed: it needs the signature of bruno or a steward" in pushed.stderr
    steward = as_member("bruno", "alice")  # the treasurer, a steward, records bruno's donation
    assert steward("donate", "--by", "bruno", "--amount", "50", "--date", "2026-11-20").code == 0
    pushed = push(steward, "main")
    assert pushed.returncode == 0, pushed.stderr


def edit_and_push(fab: Fab, rel: str, old: str, new: str, message: str) -> subprocess.CompletedProcess:
    """``old`` replaced by ``new`` in one file of the ledger, committed, and pushed to main."""
    fab.edit(rel, (old, new))
    fab.git("commit", "-qam", message)
    return push(fab, "main")


def test_a_change_to_a_sealed_record_is_refused(shared, as_member):
    before = remote_head(shared)
    alice = as_member("alice")
    pushed = edit_and_push(alice, C1, "hours: 4", "hours: 40", "mallory worked more")
    assert pushed.returncode == 1
    assert f"  - the ledger at {alice.head()[:7]} has problems (fab check):" in pushed.stderr
    assert f"    {C1}:1:1: sealed changed after 2026-H1 was closed on 2026-07-15 ({SEAL})" in pushed.stderr
    assert remote_head(shared) == before


def test_a_seal_rewritten_without_a_reopen_is_refused(shared, as_member):
    alice = as_member("alice")
    path = alice.root / SEAL
    text = path.read_text()
    path.write_text(text.replace("alice: 600.00", "alice: 700.00").replace("mallory: 400.00", "mallory: 300.00"))
    alice.git("commit", "-qam", "adjust")
    pushed = push(alice, "main")
    assert pushed.returncode == 1
    assert (f"  - {SEAL}: the seal of 2026-H1 was rewritten after it was sealed, without reopening it: payouts.alice "
            "600.00 → 700.00; payouts.mallory 400.00 → 300.00") in pushed.stderr


def test_a_ledger_with_a_problem_is_refused(shared, as_member):
    alice = as_member("alice")
    alice.write("ledger/donations/2026-H2/bad.yaml", "donor: zoe\namount: -5\ndate: 2026-11-20\n")
    alice.git("add", "-A")
    alice.git("commit", "-qm", "a bad donation")
    pushed = push(alice, "main")
    assert pushed.returncode == 1
    assert "    ledger/donations/2026-H2/bad.yaml:1:8: unknown-reference 'donor' names 'zoe', who is not a member" in pushed.stderr


def test_a_force_push_over_main_is_refused(shared, as_member):
    alice = as_member("alice")
    assert alice("contribute", "--by", "alice", "--kind", "wiki", "--title", "Un", "--hours", "1", "--date", "2026-11-20").code == 0
    assert push(alice, "main").returncode == 0
    accepted = remote_head(shared)
    alice.git("reset", "-q", "--hard", "HEAD~1")
    assert alice("contribute", "--by", "alice", "--kind", "wiki", "--title", "Deux", "--hours", "1", "--date", "2026-11-20").code == 0
    pushed = push(alice, "--force", "main")
    assert pushed.returncode == 1
    assert (f"this push rewrites the history of the main branch ({accepted[:7]} is not in the new history): history is the "
            "audit trail; correct with a new commit instead (git revert)") in pushed.stderr
    assert remote_head(shared) == accepted


def test_turning_signatures_off_needs_a_steward(shared, as_member):
    """A push cannot switch the rule off and profit from it: the settings change is judged by the rule before it."""
    mallory = as_member("mallory")
    _settings(mallory, "signatures: required", "signatures: off")
    mallory.git("commit", "-qam", "no more signatures")
    pushed = push(mallory, "main")
    assert pushed.returncode == 1
    assert f"  - ledger/fabrique.yaml: changed by commit {mallory.head()[:7]} \"no more signatures\" (Test Runner " in pushed.stderr
    assert "signed by mallory: it needs the signature of a steward" in pushed.stderr
    alice = as_member("alice")
    _settings(alice, "signatures: required", "signatures: warn")
    alice.git("commit", "-qam", "signatures: warn")
    assert push(alice, "main").returncode == 0


def test_install_refuses_to_replace_another_hook(tmp_path, template):
    bare = tmp_path / "other.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    (bare / "hooks/pre-receive").write_text("#!/bin/sh\nexit 0\n")
    result = Fab(template)("guard", "--install", str(bare))
    assert result.code == 1 and "already exists and was not written by fab" in result.err
    assert Fab(template)("guard", "--install", str(tmp_path / "nothing")).code == 2


# --- fab verify and the keys ------------------------------------------------------------------------

def test_verify_names_a_record_signed_by_someone_else(shared, as_member):
    mallory = as_member("mallory")
    assert mallory("review", "a2", "--by", "bruno", "--approve", "--date", "2026-11-20").code == 0
    result = mallory("verify")
    assert result.code == 1
    sha = mallory.head()[:7]
    assert (f"ledger/reviews/2026-H2/a2--bruno.yaml: signature added by commit {sha} \"review: bruno approves a2\" (Test Runner "
            "<runner@example.org>), signed by mallory: it needs the signature of bruno or a steward") in result.out
    assert "signed commits: 1 of " in result.out


def test_signatures_warn_is_a_warning_and_strict_makes_it_an_error(shared, as_member):
    alice = as_member("alice")
    _settings(alice, "signatures: required", "signatures: warn")
    alice.git("commit", "-qam", "signatures: warn")
    assert alice("review", "a2", "--by", "bruno", "--approve", "--date", "2026-11-20").code == 0  # alice, a steward... signing as herself
    nobody_signed = alice.root / "ledger/reviews/2026-H2/a2--bruno.yaml"
    assert nobody_signed.exists()
    alice.git("config", "commit.gpgsign", "false")
    assert alice("use", "--by", "bruno", "--resource", "wiki", "--date", "2026-11-20").code == 0
    result = alice("verify")
    assert result.code == 0, result.out
    assert "signature warning: added by commit" in result.out and "which is not signed: it needs the signature of bruno or a steward" in result.out
    assert "a2--bruno.yaml: signature" not in result.out  # alice signed it: a steward may
    assert alice("verify", "--strict").code == 1


def test_allowed_signers_from_the_member_files(template, keys):
    result = Fab(template)("keys", "allowed-signers")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["alice,alice@example.org", "bruno,bruno@example.org", "mallory,mallory@example.org"]
    assert lines[1] == 'bruno,bruno@example.org namespaces="git" ' + " ".join((keys["bruno"].with_suffix(".pub")).read_text().split()[:2])


def test_a_key_declared_by_two_members_and_an_unknown_steward_are_problems(template, tmp_path):
    fab = Fab(tmp_path / "copy")
    shutil.copytree(template, fab.root)
    bruno = (fab.root / "ledger/members/bruno.yaml").read_text()
    key_line = next(line for line in bruno.splitlines() if "ssh-ed25519" in line)
    mallory = fab.root / "ledger/members/mallory.yaml"
    mallory.write_text(mallory.read_text().replace("signing_keys:\n", f"signing_keys:\n{key_line}\n"))
    _settings(fab, "stewards: [alice]", "stewards: [alice, zoe]")
    result = fab("check")
    assert result.code == 1
    assert "ledger/members/mallory.yaml:7:1: signing-key the key SHA256:" in result.out
    assert "is also declared by bruno (ledger/members/bruno.yaml)" in result.out
    assert "ledger/fabrique.yaml:1:1: unknown-reference 'stewards' names 'zoe', who is not a member" in result.out


def test_member_add_refuses_a_bad_key(fab):
    result = fab("member", "add", "zoe", "--name", "Zoé", "--signing-key", "ssh-ed25519 AAAAnotakey")
    assert result.code == 1
    assert "bad-value 'signing_keys.0': the key's second word is not base64" in result.err and "the key's second word is not base64" in result.err


# --- holes found by the audit of issue 13 (G1-G4): each attack, as a member would try it -----------

REVIEW = "ledger/reviews/2026-H2/a2--bruno.yaml"
A2 = "ledger/contributions/2026-H2/a2.yaml"


def _review_by_bruno(fab: Fab) -> None:
    assert fab("review", "a2", "--by", "bruno", "--approve", "--date", "2026-11-20").code == 0


def _review_text(fab: Fab) -> str:
    """The file ``fab review a2 --by bruno --approve`` writes, without leaving its commit behind."""
    _review_by_bruno(fab)
    text = (fab.root / REVIEW).read_text()
    fab.git("reset", "-q", "--hard", "HEAD~1")
    return text


@pytest.mark.parametrize("ref", ["refs/tags/sneak", "refs/notes/x", "refs/heads/other"])
def test_a_commit_refused_on_main_is_refused_through_any_other_ref_and_still_refused_on_main(shared, as_member, ref):
    """G1 (a): a commit first pushed to a tag, a note or another branch is not exempted from the guard
    when it reaches main: what reaches main is judged against what main held, not against every ref."""
    before = remote_head(shared)
    mallory = as_member("mallory")
    _review_by_bruno(mallory)  # signed with mallory's key
    assert push(mallory, "main").returncode == 1
    sneaked = push(mallory, f"HEAD:{ref}")
    assert sneaked.returncode == 1, sneaked.stderr
    assert f"fab guard: refused {ref} (0000000..{mallory.head()[:7]}):" in sneaked.stderr
    assert git(shared, "for-each-ref", "--format=%(refname)", ref) == ""
    pushed = push(mallory, "main")
    assert pushed.returncode == 1
    assert "a2--bruno.yaml: added by commit" in pushed.stderr and "signed by mallory" in pushed.stderr
    assert remote_head(shared) == before


@pytest.mark.parametrize("ref", ["refs/tags/sneak", "refs/notes/x"])
def test_a_seal_rewritten_and_sneaked_through_another_ref_is_refused_on_main(shared, as_member, ref):
    """G1 (b): the same with a seal rewritten by a steward: the seal's history is judged on main."""
    alice = as_member("alice")
    path = alice.root / SEAL
    path.write_text(path.read_text().replace("alice: 600.00", "alice: 700.00").replace("mallory: 400.00", "mallory: 300.00"))
    alice.git("commit", "-qam", "adjust")
    assert push(alice, f"HEAD:{ref}").returncode == 1
    pushed = push(alice, "main")
    assert pushed.returncode == 1
    assert f"  - {SEAL}: the seal of 2026-H1 was rewritten after it was sealed, without reopening it" in pushed.stderr


def test_tags_on_what_main_holds_are_accepted(shared, as_member):
    alice = as_member("alice")
    alice.git("tag", "v1", "HEAD")
    assert push(alice, "v1").returncode == 0
    assert alice("contribute", "--by", "alice", "--kind", "wiki", "--title", "Un", "--hours", "1", "--date", "2026-11-20").code == 0
    alice.git("tag", "-a", "-m", "release", "v2", "HEAD")
    pushed = push(alice, "main", "v2")  # main and a tag of its new head, in one push
    assert pushed.returncode == 0, pushed.stderr
    assert git(shared, "rev-parse", "v2^{commit}").strip() == alice.head()
    assert push(alice, ":refs/tags/v1").returncode == 0  # deleting a tag is not a way to change the ledger


def test_a_branch_from_before_the_rule_is_judged_by_mains_rule(shared, as_member):
    """G1 (c): a branch made from a commit before `signatures: required` carries an unsigned review; it is
    refused as a branch, and the merge that would bring it into main is refused too."""
    before = remote_head(shared)
    nobody = as_member("mallory", "none")
    nobody.git("checkout", "-q", "-b", "old", "HEAD~1")
    _review_by_bruno(nobody)
    pushed = push(nobody, "old")
    assert pushed.returncode == 1
    assert "a2--bruno.yaml: added by commit" in pushed.stderr and "which is not signed: it needs the signature of bruno" in pushed.stderr
    nobody.git("checkout", "-q", "main")
    nobody.git("merge", "-q", "--no-edit", "old")
    pushed = push(nobody, "main")
    assert pushed.returncode == 1
    assert "a2--bruno.yaml: added by commit" in pushed.stderr
    assert remote_head(shared) == before


def test_main_may_not_be_fast_forwarded_to_a_merge_of_main_into_a_branch(shared, as_member):
    """The rule follows main's first parents: main may move only to a commit whose first-parent line
    holds what main held (merge branches into main, not main into a branch that main then jumps to)."""
    before = remote_head(shared)
    alice = as_member("alice")
    alice.git("checkout", "-q", "-b", "old", "HEAD~1")
    assert alice("contribute", "--by", "alice", "--kind", "wiki", "--title", "Vieux", "--hours", "1", "--date", "2026-11-20").code == 0
    alice.git("merge", "-q", "--no-edit", "main")
    pushed = push(alice, "old:main")
    assert pushed.returncode == 1
    assert (f"main's history must grow along its first parents: {before[:7]} is in the new history only through a merge's "
            "second parent") in pushed.stderr


def _merge_with(fab: Fab, change) -> str:
    """Two signed side commits merged into main with ``change`` made inside the merge (an 'evil merge'),
    committed without a signature; the merge's id."""
    fab.git("checkout", "-q", "-b", "side")
    for title in ("Un", "Deux"):
        assert fab("contribute", "--by", "mallory", "--kind", "code", "--title", title, "--hours", "1", "--date", "2026-11-20").code == 0
    fab.git("checkout", "-q", "main")
    assert fab("contribute", "--by", "mallory", "--kind", "code", "--title", "Trois", "--hours", "1", "--date", "2026-11-20").code == 0
    fab.git("merge", "-q", "--no-commit", "--no-ff", "side")
    change(fab)
    fab.git("add", "-A")
    fab.git("-c", "commit.gpgsign=false", "commit", "-qm", "Merge branch 'side'")
    return fab.head()


def test_what_a_merge_changes_itself_is_judged(shared, as_member):
    """G2: a merge commit's own changes (what neither parent had) are seen by the guard, fab verify and fab log."""
    before = remote_head(shared)
    mallory = as_member("mallory")
    review = _review_text(mallory)
    merge = _merge_with(mallory, lambda fab: fab.write(REVIEW, review))
    pushed = push(mallory, "main")
    assert pushed.returncode == 1
    assert (f"  - {REVIEW}: added by commit {merge[:7]} \"Merge branch 'side'\" (Test Runner <runner@example.org>), which is "
            "not signed: it needs the signature of bruno or a steward") in pushed.stderr
    assert "contributions" not in pushed.stderr  # what the side commits brought is theirs, signed by mallory
    assert remote_head(shared) == before
    verify = mallory("verify", "--strict")
    assert verify.code == 1
    assert f"{REVIEW}: signature added by commit {merge[:7]}" in verify.out
    log = mallory("log", REVIEW)
    assert log.code == 0 and f"{merge[:7]} " in log.out, log.out


def test_a_seal_removed_inside_a_merge_is_refused(shared, as_member):
    def unseal(fab: Fab) -> None:
        (fab.root / SEAL).unlink()
        path = fab.root / C1
        path.write_text(path.read_text().replace("hours: 4", "hours: 40"))

    alice = as_member("alice")  # a steward: the signature rule alone would let her
    merge = _merge_with(alice, unseal)
    pushed = push(alice, "main")
    assert pushed.returncode == 1
    assert f"  - {SEAL}: the seal of 2026-H1 was removed while the period was sealed" in pushed.stderr
    verify = alice("verify")
    assert verify.code == 1 and "the seal of 2026-H1 was removed while the period was sealed" in verify.out
    assert merge[:7] in verify.out


def test_merges_of_records_their_members_signed_are_accepted(shared, as_member):
    """A plain merge brings the side's changes, judged in the side's commits: bruno's signed review, on a
    branch into which bruno merged main (alice's new contribution), is accepted when mallory merges it."""
    bruno = as_member("bruno")
    bruno.git("checkout", "-q", "-b", "review")
    _review_by_bruno(bruno)
    reviewed = bruno.head()
    assert push(bruno, "review").returncode == 0
    alice = as_member("alice")
    assert alice("contribute", "--by", "alice", "--kind", "wiki", "--title", "Un", "--hours", "1", "--date", "2026-11-20").code == 0
    assert push(alice, "main").returncode == 0
    bruno.git("pull", "-q", "--no-rebase", "--no-edit", "origin", "main")  # main merged into the branch, by bruno
    pushed = push(bruno, "review")
    assert pushed.returncode == 0, pushed.stderr
    mallory = as_member("mallory")
    assert mallory("contribute", "--by", "mallory", "--kind", "code", "--title", "Deux", "--hours", "1", "--date", "2026-11-20").code == 0
    mallory.git("fetch", "-q", "origin")
    mallory.git("merge", "-q", "--no-edit", "origin/review")
    pushed = push(mallory, "main")
    assert pushed.returncode == 0, pushed.stderr
    assert mallory("verify", "--strict").code == 0
    log = mallory("log", REVIEW)  # the merge brought it: bruno's commit added it, and only that one
    assert log.code == 0 and f"{reviewed[:7]} " in log.out and f"{mallory.head()[:7]} " not in log.out, log.out


def test_a_backdated_commit_is_judged(shared, as_member, monkeypatch):
    """G3: the rule holds for every commit after the one that turned it on, whatever date a commit claims."""
    before = remote_head(shared)
    mallory = as_member("mallory")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2025-12-31T12:00:00")
    _review_by_bruno(mallory)
    monkeypatch.delenv("GIT_COMMITTER_DATE")
    pushed = push(mallory, "main")
    assert pushed.returncode == 1
    assert "a2--bruno.yaml: added by commit" in pushed.stderr and "signed by mallory" in pushed.stderr
    assert remote_head(shared) == before
    verify = mallory("verify", "--strict")
    assert verify.code == 1 and "a2--bruno.yaml: signature added by commit" in verify.out


def test_a_member_cannot_take_over_someone_elses_record(shared, as_member):
    """G4: changing a record needs the signature of a member it named before (and still names), or a steward's."""
    before = remote_head(shared)
    mallory = as_member("mallory")
    pushed = edit_and_push(mallory, A2, "authors: alice", "authors: mallory", "mine now")
    assert pushed.returncode == 1
    assert (f"  - {A2}: changed by commit {mallory.head()[:7]} \"mine now\" (Test Runner <runner@example.org>), signed by "
            "mallory: it needs the signature of a steward (the record passes from alice to mallory)") in pushed.stderr
    assert remote_head(shared) == before
    assert mallory("verify", "--strict").code == 1
    bruno = as_member("bruno")  # nor may another member change it, even leaving its authors alone
    pushed = edit_and_push(bruno, A2, "hours: 2", "hours: 3", "more hours")
    assert pushed.returncode == 1 and "it needs the signature of alice or a steward" in pushed.stderr
    owner = as_member("alice")  # alice may change her record, and share it
    shared_authors = "authors:\n  - member: alice\n    share: 0.5\n  - member: mallory\n    share: 0.5"
    pushed = edit_and_push(owner, A2, "authors: alice", shared_authors, "shared with mallory")
    assert pushed.returncode == 0, pushed.stderr


def test_a_member_file_named_as_a_pattern_in_history_is_never_a_principal(template, keys, tmp_path):
    """git reads a principal of its allowed-signers file as a pattern: a member file committed as
    ledger/members/*.yaml would make its key sign for anyone; only a valid handle becomes a principal."""
    from fabrique_ledger.store.history import History

    root = tmp_path / "led"
    shutil.copytree(template, root, symlinks=True)
    key = " ".join(keys["mallory"].with_suffix(".pub").read_text().split()[:2])
    (root / "ledger/members/*.yaml").write_text(f"name: Anyone\nroles: [contributor]\njoined: 2026-01-05\nsigning_keys:\n  - {key}\n")
    git(root, "add", "-A")
    git(root, "-c", "commit.gpgsign=false", "commit", "-qm", "a member file named as a pattern")
    principals = [line.split(" ", 1)[0] for line in Path(History(root)._signers_file()).read_text().splitlines()]
    assert principals == ["alice", "bruno", "mallory"]
