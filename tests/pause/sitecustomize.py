"""TEST-ONLY: stops a ``python -m fabrique_ledger`` process at a chosen point of a write, so that a test can
kill it exactly there (tests/test_faults.py, test_concurrency.py, test_store_fr.py).  Loaded by Python at
start-up because those tests put this folder first on ``PYTHONPATH`` (``conftest.paused_env``), and active
only with ``FAB_TEST_PAUSE=<stage>``; fab itself holds no such hook.  It says ``FAB_TEST_PAUSE <stage>`` on
stderr and sleeps.  Stages:

- ``before-rename``: a record's temporary file is written, not yet renamed over the record;
- ``after-write``: every file of the write is written, nothing is staged (fab is about to commit);
- ``after-stage``: the files are staged, ``git commit`` has not started.
"""

import os
import sys
import time

STAGE = os.environ.get("FAB_TEST_PAUSE")


def _pause(*_args, **_kwargs):
    sys.stderr.write(f"FAB_TEST_PAUSE {STAGE}\n")
    sys.stderr.flush()
    time.sleep(600)


if STAGE == "before-rename":
    _replace = os.replace

    def _replace_after_a_pause(src, dst, *args, **kwargs):
        name = os.path.basename(os.fspath(src))
        if name.startswith(".") and name.endswith(".tmp") and not name.startswith(".fab-journal"):
            _pause()
        return _replace(src, dst, *args, **kwargs)

    os.replace = _replace_after_a_pause
elif STAGE == "after-write":
    import fabrique_ledger.store.git as _gitstore

    _gitstore.commit = _pause  # save calls it once every file is written
elif STAGE == "after-stage":
    import git as _git

    _call = _git.cmd.Git._call_process

    def _call_after_a_pause(self, method, *args, **kwargs):
        if method == "commit":
            _pause()
        return _call(self, method, *args, **kwargs)

    _git.cmd.Git._call_process = _call_after_a_pause
